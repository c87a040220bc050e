// How a one-time code is laid out for the eye and read out for the ear.

/**
 * Splits a code into groups of three or four so it can be read and typed in chunks.
 * Codes of five characters or fewer (Steam's, for one) stay whole: splitting them helps nobody.
 * Longer codes get as few groups as possible of at most four characters; when they cannot be
 * equal, the longer groups come last (7 -> 3+4, 10 -> 3+3+4), as phone numbers are read.
 */
export function groupCode(code) {
  const chars = Array.from(String(code ?? ''));
  if (chars.length <= 5) return chars.length ? [chars.join('')] : [];
  const count = Math.ceil(chars.length / 4);
  const base = Math.floor(chars.length / count);
  const longer = chars.length % count;
  const groups = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const size = base + (i >= count - longer ? 1 : 0);
    groups.push(chars.slice(at, at + size).join(''));
    at += size;
  }
  return groups;
}

/** The code as it appears on screen, groups separated by single spaces. */
export function formatCode(code) {
  return groupCode(code).join(' ');
}

/**
 * The code as a screen reader should say it: one character at a time, so "123456" is read as
 * digits rather than as "one hundred twenty-three thousand...".
 */
export function spokenCode(code) {
  return Array.from(String(code ?? '')).join(' ');
}
