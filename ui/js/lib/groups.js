// Groups that accounts are filed under ("Work", "Family"): the names to offer as filters, and
// the accounts of one group. A group is a label typed by the user, so spacing and case vary.

import { fold } from './search.js';

/** The key two spellings of one group share: "Work ", "work" and "WORK" are one group. */
function groupKey(name) {
  return fold(name).trim().replace(/\s+/g, ' ');
}

/**
 * The groups in use, each once, in alphabetical order, with the spelling of its first account
 * and how many accounts it holds: `[{ key, name, count }]`.
 */
export function groupsOf(accounts) {
  const groups = new Map();
  for (const account of accounts) {
    const key = groupKey(account.group);
    if (!key) continue;
    const group = groups.get(key) ?? { key, name: String(account.group).trim(), count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** The accounts of the group `key` (from `groupsOf`); every account for an empty key. */
export function inGroup(accounts, key) {
  if (!key) return accounts;
  return accounts.filter((account) => groupKey(account.group) === key);
}
