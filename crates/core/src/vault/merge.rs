//! Merging two versions of one vault (format spec, section 8): the writer's own state and a
//! version found on disk or in a sync tool's conflict copy.
//!
//! The merge is a join: it is commutative, associative and idempotent, so every device that
//! has seen the same versions holds the same content, whatever order they arrived in.

use super::content::{Content, Tombstone};
use super::record::{Record, RecordMerge};
use std::collections::btree_map::Entry;

/// What a merge took from the other version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Accounts only the other version had.
    pub added: usize,
    /// Accounts of which the other version had changed at least one field later.
    pub updated: usize,
    /// Accounts the other version had deleted.
    pub removed: usize,
}

impl MergeReport {
    /// Whether the merge changed any account.
    pub fn is_empty(&self) -> bool {
        *self == MergeReport::default()
    }

    /// Adds another merge's counts to these.
    pub fn absorb(&mut self, other: MergeReport) {
        self.added += other.added;
        self.updated += other.updated;
        self.removed += other.removed;
    }
}

/// Merges `other` into `own`. A deletion wins over any edit; otherwise each field keeps the
/// value with the larger stamp, HOTP counters and last use the larger value, and recovery code
/// marks the larger mark count.
pub fn merge(own: &mut Content, other: Content) -> MergeReport {
    let mut report = MergeReport::default();
    for (id, theirs) in other.deleted {
        let live = own.accounts.remove(&id);
        let tombstone = match own.deleted.entry(id) {
            Entry::Vacant(slot) => slot.insert(theirs),
            Entry::Occupied(mut slot) => {
                merge_tombstone(slot.get_mut(), theirs);
                slot.into_mut()
            }
        };
        if let Some(live) = live {
            report.removed += 1;
            keep_in_tombstone(tombstone, live);
        }
    }
    for (id, theirs) in other.accounts {
        if let Some(tombstone) = own.deleted.get_mut(&id) {
            keep_in_tombstone(tombstone, theirs);
            continue;
        }
        match own.accounts.entry(id) {
            Entry::Vacant(slot) => {
                slot.insert(theirs);
                report.added += 1;
            }
            Entry::Occupied(mut slot) => {
                if slot.get_mut().merge(theirs) == RecordMerge::Updated {
                    report.updated += 1;
                }
            }
        }
    }
    for (key, theirs) in other.settings {
        match own.settings.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(theirs);
            }
            Entry::Occupied(mut slot) => {
                if theirs.stamp > slot.get().stamp {
                    slot.insert(theirs);
                }
            }
        }
    }
    report
}

/// An account one version still holds and the other deleted: the deletion wins, and what the
/// account gained meanwhile (an edit, a code issued, a recovery code marked) is kept in the
/// account kept for restoring, so a restore neither reissues codes nor loses edits.
fn keep_in_tombstone(tombstone: &mut Tombstone, live: Record) {
    if let Some(kept) = &mut tombstone.account {
        kept.merge(live);
    }
}

/// Two records of one deletion: the first deletion's stamp, and the account kept only while
/// both still keep it (a restore or the end of the restore window drops it everywhere).
fn merge_tombstone(own: &mut Tombstone, theirs: Tombstone) {
    own.stamp = own.stamp.min(theirs.stamp);
    match (&mut own.account, theirs.account) {
        (Some(mine), Some(other)) => {
            mine.merge(other);
        }
        (slot, _) => *slot = None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Account;
    use crate::otp::{Algorithm, OtpKind, OtpParams, Secret};
    use crate::vault::record::Stamped;
    use crate::vault::stamp::{Hlc, Stamp};

    fn record(name: &str, clock: &mut Hlc, now_ms: u64) -> Record {
        let a = Account::new(
            String::new(),
            name.into(),
            OtpParams {
                kind: OtpKind::Totp { period: 30 },
                algorithm: Algorithm::Sha1,
                digits: 6,
                secret: Secret::from_bytes(vec![1; 10]),
            },
            1,
        );
        Record::from_account(a, clock.tick(now_ms))
    }

    #[test]
    fn an_edit_made_after_seeing_a_fast_clock_still_wins() {
        let mut fast = Hlc::new(1);
        let mut slow = Hlc::new(2);
        let a = record("a", &mut fast, 10_000_000);
        let mut own = Content::default();
        own.accounts.insert(a.id.clone(), a.clone());
        // The slow device reads the fast one's file, then renames the account.
        slow.observe(fast.latest());
        let mut theirs = own.clone();
        let renamed = theirs.accounts.get_mut(&a.id).unwrap();
        renamed.name.set("renamed".into(), &mut slow, 1_000);
        assert_eq!(merge(&mut own, theirs).updated, 1);
        assert_eq!(own.accounts[&a.id].name.value, "renamed");
    }

    #[test]
    fn deletion_wins_and_the_merge_is_symmetric() {
        let mut clock = Hlc::new(1);
        let a = record("a", &mut clock, 1_000);
        let b = record("b", &mut clock, 1_000);
        let mut left = Content::default();
        left.accounts.insert(a.id.clone(), a.clone());
        left.deleted.insert(
            b.id.clone(),
            Tombstone {
                stamp: clock.tick(2_000),
                account: Some(b.clone()),
            },
        );
        let mut right = Content::default();
        right.accounts.insert(b.id.clone(), b.clone());
        right.deleted.insert(
            a.id.clone(),
            Tombstone {
                stamp: clock.tick(3_000),
                account: None,
            },
        );
        let mut l = left.clone();
        let mut r = right.clone();
        assert_eq!(merge(&mut l, right).removed, 1);
        merge(&mut r, left);
        assert_eq!(l, r);
        assert!(l.accounts.is_empty());
        assert_eq!(l.deleted.len(), 2);
        // The deleted account stays restorable on both sides.
        assert!(l.deleted[&b.id].account.is_some());
    }

    #[test]
    fn what_a_deleted_account_gained_elsewhere_is_kept_for_its_restore() {
        let mut clock = Hlc::new(1);
        let mut a = record("a", &mut clock, 1_000);
        a.otp.value.kind = OtpKind::Hotp { counter: 0 };
        a.counter = 5;
        let mut deleted = Content::default();
        deleted.deleted.insert(
            a.id.clone(),
            Tombstone {
                stamp: clock.tick(2_000),
                account: Some(a.clone()),
            },
        );
        // Meanwhile another device, which had not seen the deletion, used the account.
        let mut used = a.clone();
        used.counter = 9;
        used.notes.set("written later".into(), &mut clock, 3_000);
        let mut live = Content::default();
        live.accounts.insert(a.id.clone(), used);

        let mut left = deleted.clone();
        assert_eq!(merge(&mut left, live.clone()).removed, 0);
        let mut right = live;
        assert_eq!(merge(&mut right, deleted).removed, 1);
        assert_eq!(left, right);
        assert!(left.accounts.is_empty());
        let kept = left.deleted[&a.id].account.as_ref().unwrap();
        assert_eq!(kept.counter, 9);
        assert_eq!(kept.notes.value, "written later");
    }

    #[test]
    fn settings_take_the_later_stamp() {
        let mut own = Content::default();
        own.settings.insert(
            "theme".into(),
            Stamped::new("dark".into(), Stamp::from_seconds(2)),
        );
        let mut other = Content::default();
        other.settings.insert(
            "theme".into(),
            Stamped::new("light".into(), Stamp::from_seconds(3)),
        );
        other.settings.insert(
            "lang".into(),
            Stamped::new("de".into(), Stamp::from_seconds(1)),
        );
        merge(&mut own, other);
        assert_eq!(own.settings["theme"].value, "light");
        assert_eq!(own.settings["lang"].value, "de");
    }
}
