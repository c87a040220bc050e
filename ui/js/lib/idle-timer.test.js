import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleTimer, autoLockLabel, autoLockMs, autoLockOptions } from './idle-timer.js';

/** A fake clock and timer queue. */
function fakeTime() {
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  return {
    now: () => now,
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { fn, at: now + ms });
      return id;
    },
    clearTimer: (id) => timers.delete(id),
    get pending() {
      return timers.size;
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        now = due[1].at;
        timers.delete(due[0]);
        due[1].fn();
      }
      now = end;
    },
  };
}

test('fires once after the timeout without activity', () => {
  const time = fakeTime();
  let fired = 0;
  const idle = new IdleTimer({ onIdle: () => fired++, ...time });
  idle.start(60_000);
  time.advance(59_999);
  assert.equal(fired, 0);
  time.advance(1);
  assert.equal(fired, 1);
  assert.equal(idle.running, false);
  time.advance(600_000);
  assert.equal(fired, 1);
});

test('activity pushes the deadline without re-arming a timer per event', () => {
  const time = fakeTime();
  let fired = 0;
  let armed = 0;
  const idle = new IdleTimer({
    onIdle: () => fired++,
    now: time.now,
    setTimer: (fn, ms) => {
      armed++;
      return time.setTimer(fn, ms);
    },
    clearTimer: time.clearTimer,
  });
  idle.start(60_000);
  for (let i = 0; i < 1000; i++) {
    time.advance(50);
    idle.touch();
  }
  assert.equal(armed, 1, 'a thousand events, one timer');
  assert.equal(fired, 0);
  time.advance(59_000);
  assert.equal(fired, 0);
  time.advance(1000);
  assert.equal(fired, 1);
  assert.equal(time.pending, 0);
});

test('0 means never, and stop cancels', () => {
  const time = fakeTime();
  let fired = 0;
  const idle = new IdleTimer({ onIdle: () => fired++, ...time });
  idle.start(0);
  assert.equal(idle.running, false);
  time.advance(10 ** 9);
  idle.start(1000);
  idle.stop();
  time.advance(10_000);
  assert.equal(fired, 0);
  idle.touch();
  assert.equal(idle.running, false);
});

test('auto-lock minutes, labels and options', () => {
  assert.equal(autoLockMs(5), 300_000);
  assert.equal(autoLockMs(0), 0);
  assert.equal(autoLockMs(undefined), 0);
  assert.equal(autoLockLabel(0), 'Never');
  assert.equal(autoLockLabel(1), 'After 1 minute');
  assert.equal(autoLockLabel(15), 'After 15 minutes');
  assert.equal(autoLockLabel(60), 'After 1 hour');
  assert.deepEqual(autoLockOptions(5).map((o) => o.value), ['0', '1', '5', '15', '60']);
  assert.deepEqual(autoLockOptions(30).map((o) => o.value), ['0', '1', '5', '15', '30', '60']);
});
