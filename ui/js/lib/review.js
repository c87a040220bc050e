// Wording and defaults of the review step: which accounts start ticked, and how transfer
// progress and the add button read.

/** Indices ticked at first: every account that is not already in the vault. */
export function defaultChoice(items = []) {
  return items.filter((item) => !item.duplicateOf).map((item) => item.index);
}

/** The add button's label for `count` ticked accounts. */
export function addLabel(count) {
  if (count === 0) return 'Add accounts';
  return count === 1 ? 'Add 1 account' : `Add ${count} accounts`;
}

/** "Time-based, 6 digits" and the like, for a row. */
export function kindText({ kind, digits }) {
  if (kind === 'steam') return 'Steam Guard';
  const name = kind === 'hotp' ? 'Counter-based' : 'Time-based';
  return `${name}, ${digits} digits`;
}

/**
 * `{ title, description }` for Google transfers still missing parts, or null when none are.
 * Part numbers count from 1, as Google Authenticator shows them.
 */
export function transferText(transfers = []) {
  if (!transfers.length) return null;
  const [first] = transfers;
  const scanned = first.of - first.missing.length;
  const missing = first.missing.join(', ');
  return {
    title: `${scanned} of ${first.of} parts scanned`,
    description: `Scan part${first.missing.length === 1 ? '' : 's'} ${missing} of the transfer too; the accounts found so far are listed below.`,
  };
}
