// Countdown arithmetic for time-based codes. All times are milliseconds on the backend's clock,
// which may differ from Date.now() (the backend can apply a measured offset); the UI converts
// once, with a ClockSync, and everything here stays pure.

/** How long before a code expires the row warns and shows the next code. */
export const WARNING_MS = 5000;

/** Extra wait after a rollover, so the backend is surely past the boundary when asked again. */
export const REFRESH_SLACK_MS = 40;

/** A floor on timer delays, so a clock disagreement can never turn into a busy loop. */
export const MIN_DELAY_MS = 250;

/** True for accounts whose codes change with time (TOTP and Steam), false for HOTP. */
export function isTimed(account) {
  return Number.isFinite(account?.validFromMs) && Number.isFinite(account?.validUntilMs);
}

/**
 * Where `nowMs` falls in the account's current step: elapsed and remaining time, the step's
 * length, and the elapsed fraction (0 at the start, 1 at the end), all clamped to the step.
 */
export function stepProgress(account, nowMs) {
  const periodMs = Math.max(1, account.validUntilMs - account.validFromMs);
  const elapsedMs = Math.min(periodMs, Math.max(0, nowMs - account.validFromMs));
  return {
    periodMs,
    elapsedMs,
    remainingMs: periodMs - elapsedMs,
    fraction: elapsedMs / periodMs,
  };
}

/**
 * When the row starts warning. Short periods warn for at most their last third, so that a
 * 10-second code is not "expiring" half of its life.
 */
export function warningStartMs(account) {
  const periodMs = account.validUntilMs - account.validFromMs;
  return account.validUntilMs - Math.min(WARNING_MS, Math.floor(periodMs / 3));
}

/** Whether the row should be in its last-seconds state at `nowMs`. */
export function isExpiring(account, nowMs) {
  return isTimed(account) && nowMs >= warningStartMs(account) && nowMs < account.validUntilMs;
}

/**
 * The one moment the UI next has to act, or null when nothing changes by itself (no timed
 * accounts): `rollover` when the earliest code expires, or `warn` when a row enters its last
 * seconds before that.
 */
export function nextWake(accounts, nowMs) {
  let refreshAt = Infinity;
  let warnAt = Infinity;
  for (const account of accounts) {
    if (!isTimed(account)) continue;
    refreshAt = Math.min(refreshAt, account.validUntilMs);
    const warning = warningStartMs(account);
    if (warning > nowMs) warnAt = Math.min(warnAt, warning);
  }
  if (refreshAt === Infinity) return null;
  return warnAt < refreshAt ? { kind: 'warn', atMs: warnAt } : { kind: 'rollover', atMs: refreshAt };
}

/**
 * The list as it stands at `nowMs` without asking the backend: every code that has just expired
 * is replaced by the next one it already sent, so the screen changes on the boundary itself
 * rather than a round trip later. Codes more than one step old are left for the refresh.
 */
export function rollOver(accounts, nowMs) {
  return accounts.map((account) => {
    if (!isTimed(account) || !account.nextCode || nowMs < account.validUntilMs) return account;
    const periodMs = account.validUntilMs - account.validFromMs;
    if (nowMs >= account.validUntilMs + periodMs) return account;
    return {
      ...account,
      code: account.nextCode,
      nextCode: null,
      validFromMs: account.validUntilMs,
      validUntilMs: account.validUntilMs + periodMs,
    };
  });
}

/**
 * How often a ring moves: once a second, like a clock's second hand, redrawn by one timer for
 * the rows in sight. Measured on the app's benchmark (100 accounts, software rendering): a CSS
 * animation kept WebKit repainting every frame (15 % of a core while idle); every frame costs
 * WebKit about 2 ms whatever it paints, so the ring moves no more often than the seconds it counts.
 */
export const RING_STEP_MS = 1000;

/** The steps of a ring over the account's period: one a second, at least one. */
function ringSteps(periodMs) {
  return Math.max(1, Math.round(periodMs / RING_STEP_MS));
}

/** The ring's stroke-dashoffset (0 full, -100 empty, of a 100-unit circle) at `nowMs`. */
export function ringOffset(account, nowMs) {
  const { periodMs, fraction } = stepProgress(account, nowMs);
  const steps = ringSteps(periodMs);
  const offset = (-100 * Math.floor(fraction * steps)) / steps;
  return offset === 0 ? 0 : offset; // no "-0" in the style attribute
}

/** When the ring next moves, or Infinity once its step is over (a refresh takes it from there). */
export function nextRingStepMs(account, nowMs) {
  const { periodMs, elapsedMs } = stepProgress(account, nowMs);
  if (elapsedMs >= periodMs) return Infinity;
  const stepMs = periodMs / ringSteps(periodMs);
  return account.validFromMs + (Math.floor(elapsedMs / stepMs) + 1) * stepMs;
}

/** The setTimeout delay to reach `atMs` from `nowMs`, never shorter than MIN_DELAY_MS. */
export function delayUntil(atMs, nowMs) {
  return Math.max(MIN_DELAY_MS, Math.ceil(atMs - nowMs));
}

/** A retry delay that doubles after each consecutive failure, capped at 30 seconds. */
export function retryDelay(failures) {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
}

/**
 * Keeps the difference between the backend's clock and the local one. The backend's `nowMs`
 * was read somewhere during the call, so it is matched with the middle of the round trip.
 */
export class ClockSync {
  #offsetMs = 0;

  update(backendNowMs, sentAtMs, receivedAtMs) {
    if (!Number.isFinite(backendNowMs)) return;
    this.#offsetMs = backendNowMs - (sentAtMs + receivedAtMs) / 2;
  }

  get offsetMs() {
    return this.#offsetMs;
  }

  /** The backend's notion of now, given the local clock (Date.now() unless told otherwise). */
  now(localNowMs = Date.now()) {
    return localNowMs + this.#offsetMs;
  }
}

/** What the "t" key says of a row: how long its code stays valid. */
export function timeLeftText(account, nowMs) {
  if (!isTimed(account)) return 'This code stays valid until it is used';
  const seconds = Math.ceil(stepProgress(account, nowMs).remainingMs / 1000);
  return `Code valid for ${seconds} more ${seconds === 1 ? 'second' : 'seconds'}`;
}
