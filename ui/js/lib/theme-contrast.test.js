// WCAG 2.1 AA contrast of the theme tokens in ui/css/base.css, in the light and the dark theme:
// 4.5:1 for text, 3:1 for the borders and focus rings that controls are found by (1.4.11).
// The colours are read from the stylesheet itself, so a token changed there is checked here.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import test from 'node:test';

const css = readFileSync(new URL('../../css/base.css', import.meta.url), 'utf8');

/** `--name: value;` pairs of the first block that follows `marker`. */
function tokensAfter(marker) {
  const start = css.indexOf(marker);
  assert.ok(start >= 0, `base.css has no ${marker}`);
  const open = css.indexOf(':root {', start);
  const block = css.slice(open, css.indexOf('}', open));
  return Object.fromEntries([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

const light = tokensAfter(':root {');
const dark = { ...light, ...tokensAfter('@media (prefers-color-scheme: dark)') };

function hexToRgb(hex) {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  assert.ok(match, `${hex} is not a #rrggbb colour`);
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hslToRgb(h, s, l) {
  const a = s * Math.min(l, 1 - l);
  const channel = (n) => {
    const k = (n + h / 30) % 12;
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [channel(0), channel(8), channel(4)];
}

/** Relative luminance, WCAG 2.1 definition. */
function luminance([r, g, b]) {
  const linear = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function ratio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('the contrast formula gives the known extremes', () => {
  assert.equal(ratio([0, 0, 0], [255, 255, 255]), 21);
  assert.equal(ratio([119, 119, 119], [119, 119, 119]), 1);
  // #767676 on white is the classic lightest grey that passes AA.
  assert.ok(ratio(hexToRgb('#767676'), [255, 255, 255]) >= 4.5);
  assert.ok(ratio(hexToRgb('#777777'), [255, 255, 255]) < 4.5);
});

// Foreground tokens and the backgrounds they are drawn on in ui/css.
const TEXT_PAIRS = [
  ['--text', ['--bg', '--surface', '--surface-hover', '--surface-sunken', '--accent-soft', '--warn-soft', '--danger-soft']],
  ['--text-muted', ['--bg', '--surface', '--surface-hover', '--surface-sunken', '--accent-soft']],
  ['--accent', ['--bg', '--surface', '--surface-hover', '--surface-sunken', '--accent-soft']],
  ['--accent-hover', ['--surface', '--accent-soft']],
  ['--on-accent', ['--accent', '--accent-hover']],
  ['--warn', ['--bg', '--surface', '--warn-soft']],
  ['--danger', ['--bg', '--surface', '--danger-soft']],
  ['--danger-hover', ['--surface', '--danger-soft']],
  ['--on-danger', ['--danger', '--danger-hover']],
  ['--success', ['--surface', '--success-soft']],
  ['--bg', ['--text']],
];

const UI_PAIRS = [
  ['--field-border', ['--bg', '--surface', '--surface-sunken']],
  ['--focus', ['--bg', '--surface', '--surface-sunken', '--accent-soft']],
];

for (const [name, theme] of [['light', light], ['dark', dark]]) {
  const color = (token) => {
    assert.ok(theme[token], `${name} theme has no ${token}`);
    return hexToRgb(theme[token]);
  };

  /** The pairs of `pairs` whose contrast is under `minimum`, with their ratio. */
  const failing = (pairs, minimum) =>
    pairs.flatMap(([fg, backgrounds]) =>
      backgrounds
        .map((bg) => [bg, ratio(color(fg), color(bg))])
        .filter(([, r]) => r < minimum)
        .map(([bg, r]) => `${fg} on ${bg}: ${r.toFixed(2)}`),
    );

  test(`${name} theme: text passes 4.5:1 on every background it is drawn on`, () => {
    assert.deepEqual(failing(TEXT_PAIRS, 4.5), []);
  });

  test(`${name} theme: field borders and focus rings pass 3:1`, () => {
    assert.deepEqual(failing(UI_PAIRS, 3), []);
  });

  test(`${name} theme: the avatar letter passes 4.5:1 for every issuer hue`, () => {
    const percent = (token) => parseFloat(theme[token]) / 100;
    const failures = [];
    for (let hue = 0; hue < 360; hue += 1) {
      const fg = hslToRgb(hue, percent('--avatar-fg-s'), percent('--avatar-fg-l'));
      const bg = hslToRgb(hue, percent('--avatar-bg-s'), percent('--avatar-bg-l'));
      const r = ratio(fg, bg);
      if (r < 4.5) failures.push(`hue ${hue}: ${r.toFixed(2)}`);
    }
    assert.deepEqual(failures, []);
  });
}

test('the other stylesheets take their colours from the tokens', () => {
  const dir = new URL('../../css/', import.meta.url);
  const literals = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.css') && f !== 'base.css')) {
    const lines = readFileSync(new URL(file, dir), 'utf8').split('\n');
    lines.forEach((line, index) => {
      // Declarations only: selectors such as #add-account are not colours.
      const declaration = /(?:^|\{)\s*[\w-]+\s*:\s*(.*)$/.exec(line);
      if (!declaration || line.includes('/* QR quiet zone */')) return;
      if (/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\((?!var\(--avatar-hue)/i.test(declaration[1])) {
        literals.push(`${file}:${index + 1}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(literals, []);
});
