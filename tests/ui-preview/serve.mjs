// Dev-only preview server: serves ui/ as the app would, with the same CSP, and injects the
// fake backend (mock-tauri.js) before the app's own scripts. Usage:
//   node tests/ui-preview/serve.mjs [port]      then open http://127.0.0.1:8765/
// Query flags understood by the mock: see mock-tauri.js.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const uiRoot = resolve(here, '../../ui');
const port = Number(process.argv[2] ?? process.env.PORT ?? 8765);

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function inside(root, path) {
  const full = normalize(join(root, path));
  return full.startsWith(root) ? full : null;
}

createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://preview');
  if (pathname === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return;
  }
  let file;
  if (pathname === '/' || pathname === '/index.html' || pathname === '/tests/ui-preview/preview.html') {
    file = join(uiRoot, 'index.html');
  } else if (pathname.startsWith('/preview/')) {
    file = inside(here, pathname.slice('/preview/'.length));
  } else {
    file = inside(uiRoot, pathname.slice(1));
  }
  try {
    if (!file) throw new Error('outside');
    let body = await readFile(file);
    if (file.endsWith('index.html')) {
      body = body.toString().replace('<script type="module"', '<script src="/preview/mock-tauri.js"></script>\n  <script type="module"');
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`Tessera UI preview on http://127.0.0.1:${port}/`));
