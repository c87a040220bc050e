import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearLabel, copiedMessage, delayText } from './copy-settings.js';

test('delays read in seconds or whole minutes', () => {
  assert.equal(delayText(10), '10 s');
  assert.equal(delayText(90), '90 s');
  assert.equal(delayText(120), '2 min');
  assert.equal(clearLabel(0), 'Never');
  assert.equal(clearLabel(60), 'After 1 min');
});

test('the toast says when the clipboard clears, if it does', () => {
  assert.equal(copiedMessage('MyKerio', 30), 'Copied MyKerio code · clears in 30 s');
  assert.equal(copiedMessage('MyKerio', null), 'Copied MyKerio code');
  assert.equal(copiedMessage('MyKerio', 0), 'Copied MyKerio code');
});
