// How strong a new vault password looks, judged locally while it is typed. It is a hint, not a
// gate: the only hard rules are a minimum length and a confirmation that matches. The estimate
// counts length and character classes, then takes away what guessers try first: common
// passwords, keyboard rows, runs like "abcd" or "1234", and a character repeated.

export const MIN_LENGTH = 8;

export const LEVELS = ['weak', 'fair', 'good', 'strong'];

// The passwords (and stems) that head every leaked list; compared lower-cased, digits and
// symbols stripped from the ends.
const COMMON = new Set([
  'password', 'passw0rd', 'p@ssword', 'p@ssw0rd', 'qwerty', 'qwertz', 'azerty', 'letmein', 'welcome',
  'admin', 'administrator', 'login', 'master', 'monkey', 'dragon', 'football', 'baseball', 'iloveyou',
  'princess', 'sunshine', 'shadow', 'superman', 'batman', 'trustno', 'whatever', 'freedom', 'secret',
  'changeme', 'default', 'hello', 'starwars', 'computer', 'michael', 'jennifer', 'charlie', 'tessera',
  'authenticator', 'mypassword', 'abc', 'abcd', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbn',
  'zxcvbnm', 'qazwsx', 'passwort', 'motdepasse', 'contraseña', 'senha', 'test', 'guest', 'root', 'user',
]);

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn', 'qwertzuiop', 'yxcvbnm', '1234567890'];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '01234567890';
const WORD_LETTER_BITS = 2.5;

/** Which kinds of characters appear: lower, upper, digit, symbol (anything else, spaces too). */
export function characterClasses(password) {
  const text = String(password ?? '');
  return {
    lower: /\p{Ll}/u.test(text),
    upper: /\p{Lu}/u.test(text),
    digit: /\p{Nd}/u.test(text),
    symbol: /[^\p{Ll}\p{Lu}\p{Nd}]/u.test(text),
  };
}

/** True when `text` (4+ characters) is a run along the alphabet, the digits or a keyboard row. */
export function isSequence(text) {
  const lower = String(text ?? '').toLowerCase();
  if (Array.from(lower).length < 4) return false;
  const reversed = Array.from(lower).reverse().join('');
  return [ALPHABET, DIGITS, ...ROWS].some((line) => line.includes(lower) || line.includes(reversed));
}

/** True when the password is one character, or one short chunk, over and over ("aaaa", "abab"). */
export function isRepetition(text) {
  const chars = Array.from(String(text ?? ''));
  if (chars.length < 4) return false;
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.length % size) continue;
    const chunk = chars.slice(0, size).join('');
    if (chunk.repeat(chars.length / size) === chars.join('')) return true;
  }
  return false;
}

/** The password stripped of the digits and symbols people add at its ends ("Password1!" -> "password"). */
function core(text) {
  return String(text).toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

/** Whether the password is (or is built on) a widely used password. */
export function isCommon(password) {
  const lower = String(password ?? '').toLowerCase();
  return COMMON.has(lower) || COMMON.has(core(lower)) || isSequence(lower) || isSequence(core(lower));
}

/**
 * Rates `password`: `{ level, score, advice }` with `level` one of LEVELS (score 0-3) and one
 * sentence of advice. An empty password is `weak` with advice on where to start.
 */
export function passwordStrength(password) {
  const text = String(password ?? '');
  const length = Array.from(text).length;
  if (length === 0) {
    return rating(0, `Use at least ${MIN_LENGTH} characters; a few unrelated words make a strong password that is easy to type.`);
  }
  if (length < MIN_LENGTH) {
    const missing = MIN_LENGTH - length;
    return rating(0, `Too short: add at least ${missing} more character${missing === 1 ? '' : 's'}.`);
  }
  if (isCommon(text)) {
    return rating(0, 'This is one of the first passwords anyone would try: choose something personal and unusual.');
  }
  if (isRepetition(text)) {
    return rating(0, 'Repeated characters add little: mix in different words or characters.');
  }

  const classes = characterClasses(text);
  const classCount = Object.values(classes).filter(Boolean).length;
  const distinct = new Set(Array.from(text.toLowerCase())).size;
  const pool = (classes.lower ? 26 : 0) + (classes.upper ? 26 : 0) + (classes.digit ? 10 : 0) + (classes.symbol ? 33 : 0);
  // Bits if every character were chosen at random from the classes in use, except that a lower-
  // case letter following another letter counts as natural language (about 2.5 bits: words are
  // guessed whole). Discounted again when few distinct characters are used or when the password
  // contains a run of 4+ (a keyboard row inside a longer password).
  const perChar = Math.log2(Math.max(pool, 2));
  let bits = 0;
  let previous = '';
  for (const char of text) {
    bits += /\p{Ll}/u.test(char) && /\p{L}/u.test(previous) ? WORD_LETTER_BITS : perChar;
    previous = char;
  }
  if (distinct < length / 3) bits *= 0.6;
  if (hasSequenceInside(text)) bits *= 0.75;

  let score;
  if (bits < 40) score = 0;
  else if (bits < 60) score = 1;
  else if (bits < 80) score = 2;
  else score = 3;
  // Long passphrases of plain words are strong even from one class of characters.
  if (score < 3 && length >= 20 && distinct >= 8) score += 1;
  if (score === 1 && classCount === 1 && length < 12) score = 0;

  const advice = [
    'Easy to guess: add more characters, or another word, and mix in digits, capitals or symbols.',
    length < 12
      ? 'A fair start: a few more characters, or another word, make it much harder to guess.'
      : 'Mix in digits, capitals or symbols, or add another word.',
    'A good password: longer is stronger still.',
    'A strong password. Keep it somewhere safe: Tessera cannot recover it.',
  ][score];
  return rating(score, advice);
}

function hasSequenceInside(text) {
  const chars = Array.from(text.toLowerCase());
  for (let i = 0; i + 4 <= chars.length; i++) {
    if (isSequence(chars.slice(i, i + 4).join(''))) return true;
  }
  return false;
}

function rating(score, advice) {
  return { score, level: LEVELS[score], advice };
}

/**
 * Whether a new password may be used: `{ ok: true }` or `{ ok: false, reason, field }`, where
 * `field` is `password` or `confirm` and `reason` is a sentence to show next to it. An empty
 * confirmation is not yet a mismatch (`reason` null): the user has not typed it.
 */
export function checkNewPassword(password, confirm) {
  const length = Array.from(String(password ?? '')).length;
  if (length < MIN_LENGTH) {
    return { ok: false, field: 'password', reason: `Use at least ${MIN_LENGTH} characters.` };
  }
  if (!confirm) return { ok: false, field: 'confirm', reason: null };
  if (confirm !== password) return { ok: false, field: 'confirm', reason: 'The two passwords do not match.' };
  return { ok: true };
}
