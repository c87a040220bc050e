// Wording and choices for copying: the toast after a copy and the clipboard-clearing delays.

/** Delays offered for clearing the clipboard, in seconds; 0 = never. */
export const CLEAR_CHOICES = Object.freeze([10, 30, 60, 120, 0]);

/** "30 s", "2 min". */
export function delayText(seconds) {
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** The select's label for a delay. */
export function clearLabel(seconds) {
  return seconds === 0 ? 'Never' : `After ${delayText(seconds)}`;
}

/** The toast after copying `what`'s code. */
export function copiedMessage(what, clearsInSeconds) {
  const copied = `Copied ${what} code`;
  return Number.isFinite(clearsInSeconds) && clearsInSeconds > 0
    ? `${copied} · clears in ${delayText(clearsInSeconds)}`
    : copied;
}
