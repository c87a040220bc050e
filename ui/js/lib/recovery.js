// Wording for recovery codes: how many are left, and when that deserves a warning.

/** At or below this many unused codes, the row warns that the account is running out. */
export const LOW_RECOVERY_CODES = 2;

/** `{ text, tone }` for the details dialog: tone is `none`, `ok`, `low` or `empty`. */
export function recoverySummary(remaining, total) {
  if (!total) return { text: 'No recovery codes kept for this account.', tone: 'none' };
  if (remaining === 0) {
    return { text: `All ${total} recovery codes are used: ask the service for new ones.`, tone: 'empty' };
  }
  const text = remaining === total ? `${total} unused recovery ${plural(total)}.` : `${remaining} of ${total} recovery codes left.`;
  return { text, tone: remaining <= LOW_RECOVERY_CODES ? 'low' : 'ok' };
}

/** The row's badge, or null while plenty of codes are left (or none are kept). */
export function recoveryBadge({ recoveryRemaining = 0, recoveryTotal = 0 } = {}) {
  if (!recoveryTotal || recoveryRemaining > LOW_RECOVERY_CODES) return null;
  if (recoveryRemaining === 0) return 'no recovery codes left';
  return `${recoveryRemaining} recovery ${plural(recoveryRemaining)} left`;
}

function plural(count) {
  return count === 1 ? 'code' : 'codes';
}
