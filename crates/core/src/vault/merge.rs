//! Merging two versions of one vault (format spec, section 8): the writer's own state and a
//! version found on disk or in a sync tool's conflict copy.

use super::content::Content;
use std::collections::btree_map::Entry;

/// What a merge took from the other version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Accounts only the other version had.
    pub added: usize,
    /// Accounts the other version had changed later.
    pub updated: usize,
    /// Accounts the other version had deleted.
    pub removed: usize,
}

impl MergeReport {
    /// Whether the merge changed anything.
    pub fn is_empty(&self) -> bool {
        *self == MergeReport::default()
    }
}

/// Merges `other` into `own`. Deletion wins over any edit; otherwise the later `modified`
/// wins and a tie keeps `own`, so the result does not depend on which side saves first except
/// on exact ties.
pub fn merge(own: &mut Content, other: Content) -> MergeReport {
    let mut report = MergeReport::default();
    for (id, deleted) in other.tombstones {
        let stamp = own.tombstones.entry(id.clone()).or_insert(deleted);
        *stamp = (*stamp).max(deleted);
        if own.accounts.remove(&id).is_some() {
            report.removed += 1;
        }
    }
    for (id, theirs) in other.accounts {
        if own.tombstones.contains_key(&id) {
            continue;
        }
        match own.accounts.entry(id) {
            Entry::Vacant(slot) => {
                slot.insert(theirs);
                report.added += 1;
            }
            Entry::Occupied(mut slot) => {
                if theirs.modified > slot.get().modified {
                    if *slot.get() != theirs {
                        report.updated += 1;
                    }
                    slot.insert(theirs);
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
                if theirs.modified > slot.get().modified {
                    slot.insert(theirs);
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Account;
    use crate::otp::{Algorithm, OtpKind, OtpParams, Secret};
    use crate::vault::content::Setting;

    fn account(name: &str, modified: u64) -> Account {
        let mut a = Account::new(
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
        a.modified = modified;
        a
    }

    #[test]
    fn later_edit_wins_and_tie_keeps_own() {
        let a = account("a", 10);
        let mut own = Content::default();
        own.accounts.insert(a.id.clone(), a.clone());
        let mut other = Content::default();
        let mut newer = a.clone();
        newer.name = "newer".into();
        newer.modified = 11;
        other.accounts.insert(a.id.clone(), newer);
        assert_eq!(merge(&mut own, other.clone()).updated, 1);
        assert_eq!(own.accounts[&a.id].name, "newer");

        let mut tie = a.clone();
        tie.name = "tie".into();
        tie.modified = 11;
        let mut other = Content::default();
        other.accounts.insert(a.id.clone(), tie);
        assert!(merge(&mut own, other).is_empty());
        assert_eq!(own.accounts[&a.id].name, "newer");
    }

    #[test]
    fn tombstones_delete_on_either_side() {
        let a = account("a", 10);
        let b = account("b", 10);
        let mut own = Content::default();
        own.accounts.insert(a.id.clone(), a.clone());
        own.tombstones.insert(b.id.clone(), 5);
        let mut other = Content::default();
        other.accounts.insert(b.id.clone(), b.clone());
        other.tombstones.insert(a.id.clone(), 3);
        let report = merge(&mut own, other);
        assert_eq!(report.removed, 1);
        assert!(own.accounts.is_empty());
        assert_eq!(own.tombstones.len(), 2);
    }

    #[test]
    fn settings_take_the_later_value() {
        let mut own = Content::default();
        own.settings.insert(
            "theme".into(),
            Setting {
                value: "dark".into(),
                modified: 2,
            },
        );
        let mut other = Content::default();
        other.settings.insert(
            "theme".into(),
            Setting {
                value: "light".into(),
                modified: 3,
            },
        );
        other.settings.insert(
            "lang".into(),
            Setting {
                value: "de".into(),
                modified: 1,
            },
        );
        merge(&mut own, other);
        assert_eq!(own.settings["theme"].value, "light");
        assert_eq!(own.settings["lang"].value, "de");
    }
}
