// Calls `onIdle` once after `timeoutMs` without activity. Activity only records a timestamp
// (cheap enough for every mouse move); the single timer, when it fires, checks that timestamp
// and sleeps again for what is left, so the timer is not re-armed on every event.

export class IdleTimer {
  #timeoutMs = 0;
  #lastActivity = 0;
  #timer = null;
  #onIdle;
  #now;
  #setTimer;
  #clearTimer;

  constructor({
    onIdle,
    now = () => Date.now(),
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (timer) => clearTimeout(timer),
  }) {
    this.#onIdle = onIdle;
    this.#now = now;
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
  }

  /** Starts (or restarts) watching with a new limit; 0 or less stops it ("never"). */
  start(timeoutMs) {
    this.stop();
    this.#timeoutMs = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0;
    if (!this.#timeoutMs) return;
    this.#lastActivity = this.#now();
    this.#arm(this.#timeoutMs);
  }

  stop() {
    if (this.#timer !== null) this.#clearTimer(this.#timer);
    this.#timer = null;
  }

  /** Records activity; does nothing while stopped. */
  touch() {
    if (this.#timer !== null) this.#lastActivity = this.#now();
  }

  get running() {
    return this.#timer !== null;
  }

  #arm(delayMs) {
    this.#timer = this.#setTimer(() => this.#check(), Math.max(250, delayMs));
  }

  #check() {
    this.#timer = null;
    const left = this.#lastActivity + this.#timeoutMs - this.#now();
    if (left > 0) {
      this.#arm(left);
      return;
    }
    this.#onIdle();
  }
}

/** Minutes as the backend sends them, to a limit in ms (0 = never). */
export function autoLockMs(minutes) {
  const value = Number(minutes);
  return Number.isFinite(value) && value > 0 ? value * 60_000 : 0;
}

/** The auto-lock choices offered in settings, in minutes (0 = never). */
export const AUTO_LOCK_CHOICES = [0, 1, 5, 15, 60];

/** The label of an auto-lock choice. */
export function autoLockLabel(minutes) {
  if (!minutes) return 'Never';
  if (minutes === 60) return 'After 1 hour';
  return `After ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The choices to show: the standard ones, plus the current value if the backend has another. */
export function autoLockOptions(current) {
  const choices = [...AUTO_LOCK_CHOICES];
  const value = Number(current);
  if (Number.isFinite(value) && value >= 0 && !choices.includes(value)) {
    choices.push(value);
    choices.sort((a, b) => a - b);
  }
  return choices.map((minutes) => ({ value: String(minutes), label: autoLockLabel(minutes) }));
}
