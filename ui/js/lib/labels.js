// How an account is named and pictured. Labels come from services and users, so they are
// treated as plain text everywhere (the views only ever set textContent).

/** "Issuer (name)", or whichever half exists; the same wording the backend uses. */
export function accountLabel({ issuer = '', name = '' } = {}) {
  if (issuer && name) return `${issuer} (${name})`;
  return issuer || name || 'unnamed account';
}

/** The row's headline and secondary line: the issuer first, else the name alone on top. */
export function rowTitles({ issuer = '', name = '' } = {}) {
  if (issuer) return { title: issuer, subtitle: name };
  return { title: name || 'Unnamed account', subtitle: '' };
}

const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** The avatar's letter: the first visible character of the issuer (or name), upper-cased. */
export function avatarLetter({ issuer = '', name = '' } = {}) {
  const text = (issuer || name).trim();
  if (!text) return '?';
  const first = segmenter ? segmenter.segment(text)[Symbol.iterator]().next().value.segment : Array.from(text)[0];
  return first.toLocaleUpperCase();
}

/**
 * A hue (0-359) derived from the issuer, so that one service keeps one colour across rows and
 * runs. FNV-1a over UTF-16 units: tiny, stable and spreads short strings well.
 */
export function avatarHue(text) {
  let hash = 0x811c9dc5;
  const source = String(text ?? '').trim().toLowerCase();
  for (let i = 0; i < source.length; i++) {
    hash ^= source.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 360;
}

/**
 * A backend message as a sentence for the screen: capitalised, with a full stop.
 * "wrong password or damaged vault file" -> "Wrong password or damaged vault file."
 */
export function asSentence(message) {
  const text = String(message ?? '').trim();
  if (!text) return '';
  const first = text.slice(0, 1).toLocaleUpperCase() + text.slice(1);
  return /[.!?…:]$/.test(first) ? first : `${first}.`;
}
