// The backup dialog's choices: which formats are encrypted, and what the user must give for
// each before the backend is asked (it checks again).

/** Formats offered in the app, in the order shown. */
export const BACKUP_FORMATS = Object.freeze({
  tessera: { encrypted: true },
  aegis: { encrypted: true },
  html: { encrypted: false },
  otpauth: { encrypted: false },
  google: { encrypted: false, shown: true },
});

/** Whether `format` is shown on screen (transfer codes for a phone) rather than saved. */
export function isShown(format) {
  return BACKUP_FORMATS[format]?.shown === true;
}

/** Shortest backup password accepted (the backend refuses shorter ones too). */
export const MIN_BACKUP_PASSWORD = 8;

/** Reminder intervals offered, in days; 0 = never. */
export const REMINDER_CHOICES = Object.freeze([7, 14, 30, 90, 0]);

/** Whether `format` writes an encrypted file. Unknown formats count as plain (the safer ask). */
export function isEncrypted(format) {
  return BACKUP_FORMATS[format]?.encrypted === true;
}

/**
 * Checks the form. Returns `{ request }` for `api.exportBackup`, or `{ error, field }` naming
 * the field to fix: `password`, `confirm` or `accept`.
 */
export function checkBackupInput({ format, password = '', confirm = '', acceptPlain = false }) {
  if (!(format in BACKUP_FORMATS)) return { error: 'Choose a format.', field: 'format' };
  if (isShown(format)) return { show: true };
  if (isEncrypted(format)) {
    if ([...password].length < MIN_BACKUP_PASSWORD) {
      return { error: `Choose a password of at least ${MIN_BACKUP_PASSWORD} characters.`, field: 'password' };
    }
    if (password !== confirm) return { error: 'The two passwords differ.', field: 'confirm' };
    return { request: { format, password, acceptPlain: false } };
  }
  if (!acceptPlain) {
    return { error: 'This file is not encrypted: tick the box to confirm you will keep it safe.', field: 'accept' };
  }
  return { request: { format, password: null, acceptPlain: true } };
}

/** "never", "today", "yesterday", "N days ago" for the last backup time. */
export function lastBackupText(lastMs, nowMs) {
  if (!Number.isFinite(lastMs)) return 'Never backed up.';
  const days = Math.floor(Math.max(0, nowMs - lastMs) / 86_400_000);
  if (days === 0) return 'Last backup: today.';
  if (days === 1) return 'Last backup: yesterday.';
  return `Last backup: ${days} days ago.`;
}

/** The reminder select's option label for `days`. */
export function reminderLabel(days) {
  if (days === 0) return 'Never';
  if (days % 7 === 0 && days < 30) return days === 7 ? 'After a week' : `After ${days / 7} weeks`;
  return `After ${days} days`;
}
