// Checks on the add-account forms before they go to the backend. Only the obvious is caught
// here (empty fields, numbers that are not numbers); the backend judges the key itself and its
// message is shown as it comes.

export const KINDS = ['totp', 'hotp', 'steam'];
export const ALGORITHMS = ['sha1', 'sha256', 'sha512'];

/** An optional whole number typed in a field: null when empty, NaN when not a whole number. */
export function parseWholeNumber(text) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
}

/**
 * Validates the manual form's raw field values (strings, as read from the inputs) and builds
 * the `input` object of `add_account_manual`. Returns `{ input }` or `{ error, field }`, where
 * `field` names the input to focus.
 */
export function checkManual(fields) {
  const issuer = String(fields.issuer ?? '').trim();
  const name = String(fields.name ?? '').trim();
  const secret = String(fields.secret ?? '');
  const kind = KINDS.includes(fields.kind) ? fields.kind : 'totp';
  const algorithm = ALGORITHMS.includes(fields.algorithm) ? fields.algorithm : 'sha1';

  if (secret.replace(/[\s-]/g, '') === '') {
    return { field: 'secret', error: 'Enter the key the service shows on its setup page.' };
  }
  if (issuer === '' && name === '') {
    return { field: 'issuer', error: 'Enter the service or the account name, so you can tell the codes apart.' };
  }

  const digits = kind === 'steam' ? null : parseWholeNumber(fields.digits);
  const period = kind === 'hotp' ? null : parseWholeNumber(fields.period);
  const counter = kind === 'hotp' ? parseWholeNumber(fields.counter) : null;
  if (Number.isNaN(digits) || digits === 0) {
    return { field: 'digits', error: 'Digits must be a whole number, such as 6 or 8.' };
  }
  if (Number.isNaN(period) || period === 0) {
    return { field: 'period', error: 'The period must be a whole number of seconds, such as 30.' };
  }
  if (Number.isNaN(counter) || (counter !== null && !Number.isSafeInteger(counter))) {
    return { field: 'counter', error: 'The counter must be a whole number, such as 0.' };
  }

  return { input: { issuer, name, secret, kind, algorithm, digits, period, counter } };
}

/** Validates the pasted link; returns `{ uri }` or `{ error }`. */
export function checkUri(text) {
  const uri = String(text ?? '').trim();
  if (uri === '') {
    return { error: 'Paste the otpauth:// link from the service’s setup page.' };
  }
  return { uri };
}
