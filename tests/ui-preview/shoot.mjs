// Dev-only: screenshots of preview states in light and dark, at the two window sizes we check,
// through headless Chromium's DevTools protocol (Node 20's fetch and WebSocket, no packages).
//   node tests/ui-preview/serve.mjs &            (the preview server, port 8765)
//   node tests/ui-preview/shoot.mjs OUT_DIR 'name=query' ['name=query' ...]
// e.g. node tests/ui-preview/shoot.mjs /tmp/shots 'unlock=vault=locked' 'verify=scenario=verify-match'
// Also prints the page's console errors, and the focused element of each shot; EVAL=expression
// prints that expression's value in each state (SIZES=WxH,... and SCHEMES=light,dark narrow the set).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Node 20 has WebSocket behind a flag: run again with it.
if (typeof WebSocket === 'undefined') {
  const again = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', ...process.argv.slice(1)], { stdio: 'inherit' });
  again.on('exit', (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
const [outDir, ...shots] = process.argv.slice(2);
if (!outDir || !shots.length) {
  console.error('usage: shoot.mjs OUT_DIR name=query...');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const base = process.env.PREVIEW_URL ?? 'http://127.0.0.1:8765/';
const settle = Number(process.env.SETTLE_MS ?? 1400);
const sizes = (process.env.SIZES ?? '420x680,800x600').split(',').map((s) => s.split('x').map(Number));
const schemes = (process.env.SCHEMES ?? 'light,dark').split(',');
const port = 9400 + Math.floor(Math.random() * 400);

const profile = mkdtempSync('/tmp/shoot-');
const chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

try {
  let targets;
  for (let i = 0; i < 60 && !targets; i++) {
    try {
      targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
    } catch {
      await sleep(200);
    }
  }
  const page = targets.find((t) => t.type === 'page');
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((r) => ws.addEventListener('open', r));
  let id = 0;
  const pending = new Map();
  const problems = [];
  ws.addEventListener('message', (event) => {
    const m = JSON.parse(event.data);
    if (m.id) {
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    } else if (m.method === 'Runtime.exceptionThrown') {
      problems.push(m.params.exceptionDetails?.exception?.description ?? m.params.exceptionDetails?.text);
    } else if (m.method === 'Runtime.consoleAPICalled' && ['error', 'warning'].includes(m.params.type)) {
      problems.push(m.params.args.map((a) => a.value ?? a.description).join(' '));
    } else if (m.method === 'Log.entryAdded' && m.params.entry.level === 'error') {
      problems.push(m.params.entry.text);
    }
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const i = ++id;
      pending.set(i, resolve);
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  const evaluate = async (expression) =>
    (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result?.result?.value;
  await send('Runtime.enable');
  await send('Log.enable');
  await send('Page.enable');
  await send('Emulation.setFocusEmulationEnabled', { enabled: true });

  for (const shot of shots) {
    const [name, query = ''] = shot.split(/=(.*)/s);
    for (const [width, height] of sizes) {
      for (const scheme of schemes) {
        problems.length = 0;
        await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
        await send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
        await send('Page.navigate', { url: `${base}?${query}` });
        await sleep(settle);
        const focused = await evaluate(`(() => { const a = document.activeElement; return a ? (a.id ? '#' + a.id : a.tagName.toLowerCase() + '.' + a.className) : ''; })()`);
        if (process.env.EVAL) console.log(JSON.stringify(await evaluate(process.env.EVAL)));
        const shotData = await send('Page.captureScreenshot', { format: 'png' });
        const file = join(outDir, `${name}-${width}x${height}-${scheme}.png`);
        writeFileSync(file, Buffer.from(shotData.result.data, 'base64'));
        console.log(`${file}  focus=${focused}${problems.length ? `  PROBLEMS: ${problems.join(' | ')}` : ''}`);
      }
    }
  }
  ws.close();
} finally {
  chrome.kill();
}
}
