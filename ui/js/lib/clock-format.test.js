import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkVerifyInput,
  describeOffset,
  formatDuration,
  neighbourLabels,
  precisionLabel,
  relativeTime,
  signedMs,
  sourceLabel,
  verdictInfo,
} from './clock-format.js';

test('formatDuration picks a unit people read at a glance', () => {
  assert.equal(formatDuration(0), '0 ms');
  assert.equal(formatDuration(420.4), '420 ms');
  assert.equal(formatDuration(-420), '420 ms');
  assert.equal(formatDuration(1000), '1 s');
  assert.equal(formatDuration(37_500), '37.5 s');
  assert.equal(formatDuration(59_990), '1 min');
  assert.equal(formatDuration(125_000), '2 min 5 s');
  assert.equal(formatDuration(120_000), '2 min');
  assert.equal(formatDuration(3_780_000), '1 h 3 min');
  assert.equal(formatDuration(7_200_000), '2 h');
  assert.equal(formatDuration(86_400_000), '1 day');
  assert.equal(formatDuration(3 * 86_400_000), '3 days');
});

test('describeOffset says behind for positive offsets and ahead for negative ones', () => {
  assert.equal(describeOffset(37_500), 'This computer is 37.5 s behind');
  assert.equal(describeOffset(-2_000), 'This computer is 2 s ahead');
  assert.equal(describeOffset(12), 'This computer’s clock is on time');
  assert.equal(describeOffset(null), 'Not measured yet');
});

test('signedMs always carries a sign and thousands separators', () => {
  assert.equal(signedMs(37_512.4), '+37,512 ms');
  assert.equal(signedMs(-80), '−80 ms');
  assert.equal(signedMs(0), '±0 ms');
});

test('relativeTime', () => {
  const now = 1_700_000_000_000;
  assert.equal(relativeTime(now, now), 'just now');
  assert.equal(relativeTime(now + 5000, now), 'just now');
  assert.equal(relativeTime(now - 42_000, now), '42 s ago');
  assert.equal(relativeTime(now - 5 * 60_000, now), '5 min ago');
  assert.equal(relativeTime(now - 3 * 3_600_000, now), '3 h ago');
  assert.equal(relativeTime(now - 86_400_000, now), '1 day ago');
  assert.equal(relativeTime(now - 4 * 86_400_000, now), '4 days ago');
});

test('verdicts carry words, a tone and an icon', () => {
  assert.deepEqual(verdictInfo('fine'), { tone: 'success', icon: 'check', title: 'Codes will work' });
  assert.equal(verdictInfo('will_fail').tone, 'danger');
  assert.equal(verdictInfo('something new').title, 'Codes may be rejected');
});

test('source and precision labels', () => {
  assert.equal(sourceLabel('sntp'), 'Network time (SNTP)');
  assert.match(sourceLabel('https-date'), /HTTPS/);
  assert.equal(precisionLabel(12), '± 12 ms');
  assert.equal(precisionLabel(1500), '± 1.5 s');
});

test('neighbourLabels follow the period, and HOTP has plain ones', () => {
  assert.deepEqual(neighbourLabels(30), { previous: '30 s ago', current: 'now', next: 'in 30 s' });
  assert.deepEqual(neighbourLabels(60), { previous: '1 min ago', current: 'now', next: 'in 1 min' });
  assert.deepEqual(neighbourLabels(null), { previous: 'previous', current: 'current', next: 'next' });
});

test('checkVerifyInput cleans the code and checks the window', () => {
  assert.deepEqual(checkVerifyInput(' 123 456 ', ''), { code: '123456', window: 10 });
  assert.deepEqual(checkVerifyInput('123-456', '3'), { code: '123456', window: 3 });
  assert.deepEqual(checkVerifyInput('k7wxd', '0'), { code: 'K7WXD', window: 0 });
  assert.equal(checkVerifyInput('', '10').field, 'code');
  assert.equal(checkVerifyInput('12', '10').field, 'code');
  assert.equal(checkVerifyInput('12345!', '10').field, 'code');
  assert.equal(checkVerifyInput('123456', '-1').field, 'window');
  assert.equal(checkVerifyInput('123456', '2.5').field, 'window');
  assert.equal(checkVerifyInput('123456', '101').field, 'window');
});
