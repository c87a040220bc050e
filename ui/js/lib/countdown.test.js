import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClockSync,
  MIN_DELAY_MS,
  RING_STEP_MS,
  delayUntil,
  nextRingStepMs,
  ringOffset,
  isExpiring,
  isTimed,
  nextWake,
  retryDelay,
  rollOver,
  timeLeftText,
  stepProgress,
  warningStartMs,
} from './countdown.js';

const totp = (fromS, period = 30) => ({
  kind: 'totp',
  period,
  validFromMs: fromS * 1000,
  validUntilMs: (fromS + period) * 1000,
});
const hotp = { kind: 'hotp', counter: 3, validFromMs: null, validUntilMs: null };

test('stepProgress measures the elapsed part of the step', () => {
  const progress = stepProgress(totp(60), 72_500);
  assert.deepEqual(progress, { periodMs: 30_000, elapsedMs: 12_500, remainingMs: 17_500, fraction: 12_500 / 30_000 });
});

test('stepProgress clamps times outside the step', () => {
  assert.equal(stepProgress(totp(60), 10_000).elapsedMs, 0);
  assert.equal(stepProgress(totp(60), 95_000).remainingMs, 0);
  assert.equal(stepProgress(totp(60), 95_000).fraction, 1);
});

test('the warning covers the last five seconds, or the last third of short periods', () => {
  assert.equal(warningStartMs(totp(60)), 85_000);
  assert.equal(warningStartMs(totp(60, 60)), 115_000);
  assert.equal(warningStartMs(totp(60, 9)), 66_000);
});

test('isExpiring is true only inside the warning window', () => {
  const account = totp(60);
  assert.equal(isExpiring(account, 84_999), false);
  assert.equal(isExpiring(account, 85_000), true);
  assert.equal(isExpiring(account, 89_999), true);
  assert.equal(isExpiring(account, 90_000), false);
  assert.equal(isExpiring(hotp, 85_000), false);
});

test('HOTP accounts are not timed', () => {
  assert.equal(isTimed(hotp), false);
  assert.equal(isTimed(totp(0)), true);
});

test('nextWake warns first, then rolls over at the earliest expiry', () => {
  const accounts = [totp(60), totp(60, 60), hotp];
  assert.deepEqual(nextWake(accounts, 70_000), { kind: 'warn', atMs: 85_000 });
  assert.deepEqual(nextWake(accounts, 86_000), { kind: 'rollover', atMs: 90_000 });
});

test('nextWake picks the earliest of accounts with different periods', () => {
  const accounts = [totp(0, 60), totp(30, 30)];
  assert.deepEqual(nextWake(accounts, 40_000), { kind: 'warn', atMs: 55_000 });
  assert.deepEqual(nextWake(accounts, 56_000), { kind: 'rollover', atMs: 60_000 });
});

test('nextWake has nothing to do without timed accounts', () => {
  assert.equal(nextWake([], 0), null);
  assert.equal(nextWake([hotp], 0), null);
});

test('delayUntil never returns a delay that would spin', () => {
  assert.equal(delayUntil(10_000, 4_000), 6_000);
  assert.equal(delayUntil(10_000, 12_000), MIN_DELAY_MS);
  assert.equal(delayUntil(10_000.2, 10_000), MIN_DELAY_MS);
});

test('retryDelay backs off and caps', () => {
  assert.deepEqual([1, 2, 3, 4, 10].map(retryDelay), [1000, 2000, 4000, 8000, 30_000]);
});

test('ClockSync maps the local clock onto the backend clock', () => {
  const clock = new ClockSync();
  assert.equal(clock.now(1_000), 1_000);
  // Sent at 1000, answered at 1100; the backend read 5050 in the middle: 4000 ms ahead.
  clock.update(5_050, 1_000, 1_100);
  assert.equal(clock.offsetMs, 4_000);
  assert.equal(clock.now(2_000), 6_000);
  clock.update(NaN, 0, 0);
  assert.equal(clock.offsetMs, 4_000);
});

test('rollOver shows the next code from the boundary on, without the backend', () => {
  const account = { ...totp(60), code: '111111', nextCode: '222222' };
  assert.equal(rollOver([account], 89_999)[0], account);
  assert.deepEqual(rollOver([account], 90_000)[0], {
    ...account,
    code: '222222',
    nextCode: null,
    validFromMs: 90_000,
    validUntilMs: 120_000,
  });
});

test('rollOver leaves HOTP, codes without a successor and stale lists to the refresh', () => {
  const noNext = { ...totp(60), code: '111111', nextCode: null };
  const stale = { ...totp(60), code: '111111', nextCode: '222222' };
  assert.equal(rollOver([noNext], 95_000)[0], noNext);
  assert.equal(rollOver([stale], 120_000)[0], stale);
  assert.equal(rollOver([hotp], 95_000)[0], hotp);
});

test('the time left reads in whole seconds', () => {
  assert.equal(timeLeftText(totp(60), 72_500), 'Code valid for 18 more seconds');
  assert.equal(timeLeftText(totp(60), 89_100), 'Code valid for 1 more second');
  assert.equal(timeLeftText(hotp, 0), 'This code stays valid until it is used');
});

test('the ring empties a step a second over the period', () => {
  const account = totp(90);
  assert.equal(RING_STEP_MS, 1000);
  assert.equal(ringOffset(account, 90_000), 0);
  assert.equal(ringOffset(account, 90_999), 0);
  assert.equal(ringOffset(account, 91_000), -100 / 30);
  assert.equal(ringOffset(account, 105_000), -50);
  assert.equal(ringOffset(account, 119_999), (-100 * 29) / 30);
  assert.equal(ringOffset(account, 120_000), -100);
  // Before the step (a clock that went back) the ring is full, never over-full.
  assert.equal(ringOffset(account, 80_000), 0);
  // A 60-second code takes 60 steps.
  assert.equal(ringOffset(totp(60, 60), 61_000), -100 / 60);
});

test('the ring wakes at its next step and not after its period', () => {
  const account = totp(90);
  assert.equal(nextRingStepMs(account, 90_000), 91_000);
  assert.equal(nextRingStepMs(account, 90_200), 91_000);
  assert.equal(nextRingStepMs(account, 91_000), 92_000);
  assert.equal(nextRingStepMs(account, 119_700), 120_000);
  assert.equal(nextRingStepMs(account, 120_000), Infinity);
  // A period shorter than a second still moves once, at its end.
  const blink = { ...totp(0), validUntilMs: 400 };
  assert.equal(nextRingStepMs(blink, 100), 400);
});
