// Search-as-you-type over issuers, account names and groups: forgiving of case, accents and typos of
// omission ("mkr" finds MyKerio), ranked so that the obvious match comes first.

/** Lower case, accents removed, so "Zürich" and "zurich" meet. */
export function fold(text) {
  return String(text ?? '')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * How well one query word matches `original` (folded as `text`): 3 at the start of a word (after
 * a space or symbol, or a capital inside "MyKerio"), 2 inside a word, 1 as letters in order with
 * gaps (for three letters or more), 0 not at all.
 */
function wordScore(word, text, original) {
  const at = text.indexOf(word);
  if (at >= 0) return at === 0 || isWordStart(original, at) ? 3 : 2;
  // One or two letters with gaps would match nearly everything.
  if (word.length < 3) return 0;
  let from = 0;
  for (const char of word) {
    from = text.indexOf(char, from);
    if (from < 0) return 0;
    from += 1;
  }
  return 1;
}

function isWordStart(original, at) {
  const before = original[at - 1] ?? '';
  const here = original[at] ?? '';
  // Folding can change lengths (rare ligatures): then only the symbol rule applies.
  if (/[^\p{L}\p{N}]/u.test(before)) return true;
  return /\p{Ll}/u.test(before) && /\p{Lu}/u.test(here);
}

/** The score of `account` for `query`: 0 when some word of the query is missing. */
export function matchScore(account, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return 1;
  const issuer = fold(account.issuer);
  const name = fold(account.name);
  const rawIssuer = String(account.issuer ?? '').normalize('NFD').replace(/\p{M}+/gu, '');
  const rawName = String(account.name ?? '').normalize('NFD').replace(/\p{M}+/gu, '');
  const group = fold(account.group);
  const rawGroup = String(account.group ?? '').normalize('NFD').replace(/\p{M}+/gu, '');
  let total = 0;
  for (const word of words) {
    // The issuer is what people think of first, so it weighs a little more; the group, which
    // many accounts share, a little less.
    const score = Math.max(
      wordScore(word, issuer, rawIssuer) * 1.2,
      wordScore(word, name, rawName),
      wordScore(word, group, rawGroup) * 0.8,
    );
    if (score === 0) return 0;
    total += score;
  }
  return total;
}

/** The accounts matching `query`, best first; ties keep the list's own order. */
export function filterAccounts(accounts, query) {
  if (!fold(query).trim()) return accounts;
  return accounts
    .map((account, index) => ({ account, index, score: matchScore(account, query) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.account);
}
