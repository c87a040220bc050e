// Words for the clock panel and the verify dialog: how far off this computer's clock is, how long
// ago it was measured, what the verdict means, and how the neighbouring codes are labelled.

/** A duration for people: "420 ms", "37.5 s", "2 min 5 s", "1 h 3 min", "2 days". */
export function formatDuration(ms) {
  const abs = Math.abs(Number(ms) || 0);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) {
    const seconds = Math.round(abs / 100) / 10;
    return seconds >= 60 ? '1 min' : `${trimZero(seconds.toFixed(1))} s`;
  }
  if (abs < 3_600_000) {
    const total = Math.round(abs / 1000);
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    if (minutes >= 60) return '1 h';
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  if (abs < 86_400_000) {
    const total = Math.round(abs / 60_000);
    const hours = Math.floor(total / 60);
    const minutes = total % 60;
    if (hours >= 24) return '1 day';
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.round(abs / 86_400_000);
  return `${days} day${days === 1 ? '' : 's'}`;
}

function trimZero(text) {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** Offsets smaller than this read as "on time": no clock or network is more precise. */
export const ON_TIME_MS = 50;

/**
 * The measured offset in a sentence. `offsetMs > 0` means this computer is behind (the true time
 * is later than its clock).
 */
export function describeOffset(offsetMs) {
  if (!Number.isFinite(offsetMs)) return 'Not measured yet';
  if (Math.abs(offsetMs) < ON_TIME_MS) return 'This computer’s clock is on time';
  return `This computer is ${formatDuration(offsetMs)} ${offsetMs > 0 ? 'behind' : 'ahead'}`;
}

/** The signed offset in figures, for the small print: "+37 512 ms" style, always with a sign. */
export function signedMs(ms) {
  const value = Math.round(Number(ms) || 0);
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return `${sign}${Math.abs(value).toLocaleString('en-US')} ms`;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago"; future times read as "just now". */
export function relativeTime(thenMs, nowMs) {
  const ago = nowMs - thenMs;
  if (!Number.isFinite(ago) || ago < 10_000) return 'just now';
  if (ago < 60_000) return `${Math.floor(ago / 1000)} s ago`;
  if (ago < 3_600_000) return `${Math.floor(ago / 60_000)} min ago`;
  if (ago < 86_400_000) return `${Math.floor(ago / 3_600_000)} h ago`;
  const days = Math.floor(ago / 86_400_000);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

const VERDICTS = {
  fine: { tone: 'success', icon: 'check', title: 'Codes will work' },
  at_risk: { tone: 'warning', icon: 'alert', title: 'Codes may be rejected' },
  will_fail: { tone: 'danger', icon: 'error', title: 'Codes will be rejected' },
};

/** The verdict's headline, tone (for colour) and icon name; unknown verdicts read as at risk. */
export function verdictInfo(verdict) {
  return VERDICTS[verdict] ?? VERDICTS.at_risk;
}

/** The measurement's source in words. */
export function sourceLabel(source) {
  if (source === 'sntp') return 'Network time (SNTP)';
  if (source === 'https-date') return 'Web server time (HTTPS Date header)';
  return String(source ?? 'unknown');
}

/** The measurement's precision: "± 12 ms". */
export function precisionLabel(precisionMs) {
  return `± ${formatDuration(precisionMs)}`;
}

/** A period in words for the code labels: 30 -> "30 s", 60 -> "1 min", 90 -> "1 min 30 s". */
export function periodWords(periodSeconds) {
  return formatDuration(periodSeconds * 1000);
}

/**
 * Labels for the previous, current and next codes of an account: "30 s ago / now / in 30 s" for
 * time-based ones. Counter-based accounts (no period) have no neighbours in time.
 */
export function neighbourLabels(periodSeconds) {
  if (!Number.isFinite(periodSeconds) || periodSeconds <= 0) {
    return { previous: 'previous', current: 'current', next: 'next' };
  }
  const words = periodWords(periodSeconds);
  return { previous: `${words} ago`, current: 'now', next: `in ${words}` };
}

/** The smallest and largest look-around windows the verify dialog accepts. */
export const VERIFY_WINDOW = { min: 0, max: 100, default: 10 };

/**
 * Checks what the verify dialog sends: the code (spaces and dashes dropped; digits, or Steam's
 * letters) and the window. Returns `{ code, window }` or `{ error, field }`.
 */
export function checkVerifyInput(codeText, windowText) {
  const code = String(codeText ?? '').replace(/[\s-]/g, '');
  if (!code) return { field: 'code', error: 'Type the code you want to check.' };
  if (!/^[0-9A-Za-z]{4,10}$/.test(code)) {
    return { field: 'code', error: 'A code is 4 to 10 digits (Steam codes: 5 letters or digits).' };
  }
  const trimmed = String(windowText ?? '').trim();
  const window = trimmed === '' ? VERIFY_WINDOW.default : Number(trimmed);
  if (!Number.isInteger(window) || window < VERIFY_WINDOW.min || window > VERIFY_WINDOW.max) {
    return { field: 'window', error: `The window is a whole number of steps from ${VERIFY_WINDOW.min} to ${VERIFY_WINDOW.max}.` };
  }
  return { code: /\d/.test(code) && !/[A-Za-z]/.test(code) ? code : code.toUpperCase(), window };
}
