//! An account as the vault keeps it: every field with the stamp of the change that wrote it,
//! so that two copies of the vault merge field by field (format spec, section 8).
//!
//! The rest of Tessera sees [`Account`] values, plain snapshots built from a record. A snapshot
//! cannot be written back: changes go through [`super::AccountEdit`], which stamps the one field
//! it changes in the record just merged from disk.

use super::stamp::{Hlc, Stamp};
use crate::account::{Account, AccountId, RecoveryCode};
use crate::otp::{OtpKind, OtpParams};
use std::collections::BTreeMap;

/// A value and the stamp of the change that set it. Merging keeps the larger stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamped<T> {
    /// The value.
    pub value: T,
    /// When (causally) it was set.
    pub stamp: Stamp,
}

impl<T: PartialEq> Stamped<T> {
    /// A value set by the change `stamp`.
    pub fn new(value: T, stamp: Stamp) -> Self {
        Stamped { value, stamp }
    }

    /// Takes `other` if it was set later; returns whether the value changed.
    fn merge(&mut self, other: Stamped<T>) -> bool {
        if other.stamp > self.stamp {
            let changed = other.value != self.value;
            *self = other;
            changed
        } else {
            false
        }
    }

    /// Sets a new value with a fresh stamp, unless it is the value already held (so that
    /// saving an unchanged form does not outrank another device's real edit).
    pub fn set(&mut self, value: T, clock: &mut Hlc, now_ms: u64) -> bool {
        if self.value == value {
            return false;
        }
        *self = Stamped::new(value, clock.tick(now_ms));
        true
    }
}

/// One account with per-field stamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Stable identifier.
    pub id: AccountId,
    /// When the account was added, in Unix seconds. Never changes.
    pub created: u64,
    /// How codes are computed. For HOTP accounts the counter lives in [`Record::counter`];
    /// the one in here is always 0.
    pub otp: Stamped<OtpParams>,
    /// HOTP: the counter of the next code to hand out. Merges as the maximum, so a code is
    /// never handed out twice and the counter never goes back.
    pub counter: u64,
    /// The service.
    pub issuer: Stamped<String>,
    /// The account at that service.
    pub name: Stamped<String>,
    /// Free-form notes.
    pub notes: Stamped<String>,
    /// The group it is filed under.
    pub group: Stamped<String>,
    /// Listed first and in the tray.
    pub pinned: Stamped<bool>,
    /// Position in the user's order.
    pub sort_order: Stamped<i64>,
    /// The recovery codes as the service listed them.
    pub recovery_codes: Stamped<Vec<String>>,
    /// How often each recovery code was marked used or unused: odd means used. Merges as the
    /// maximum per code, so a mark made on one device is never undone by merging a copy that
    /// had not seen it; only a later, explicit "unused" undoes it.
    pub recovery_marks: BTreeMap<String, u32>,
    /// When a code was last copied, in Unix seconds (0 = never). Merges as the maximum.
    pub last_used: u64,
}

/// What merging one record into another changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordMerge {
    /// Nothing.
    Same,
    /// At least one field took the other side's value.
    Updated,
}

impl Record {
    /// A record of a new account, every field stamped by one change.
    pub fn from_account(account: Account, stamp: Stamp) -> Record {
        let mut otp = account.otp;
        let counter = match otp.kind {
            OtpKind::Hotp { counter } => {
                otp.kind = OtpKind::Hotp { counter: 0 };
                counter
            }
            OtpKind::Totp { .. } | OtpKind::Steam { .. } => 0,
        };
        let recovery_marks = account
            .recovery_codes
            .iter()
            .filter(|c| c.used)
            .map(|c| (c.code.clone(), 1))
            .collect();
        // A list names each code once (a code listed twice is one code).
        let mut codes: Vec<String> = Vec::with_capacity(account.recovery_codes.len());
        for c in account.recovery_codes {
            if !codes.contains(&c.code) {
                codes.push(c.code);
            }
        }
        Record {
            id: account.id,
            created: account.created,
            otp: Stamped::new(otp, stamp),
            counter,
            issuer: Stamped::new(account.issuer, stamp),
            name: Stamped::new(account.name, stamp),
            notes: Stamped::new(account.notes, stamp),
            group: Stamped::new(account.group, stamp),
            pinned: Stamped::new(account.pinned, stamp),
            sort_order: Stamped::new(account.sort_order, stamp),
            recovery_codes: Stamped::new(codes, stamp),
            recovery_marks,
            last_used: account.last_used,
        }
    }

    /// The plain account, as the rest of Tessera sees it.
    pub fn to_account(&self) -> Account {
        let mut otp = self.otp.value.clone();
        if let OtpKind::Hotp { .. } = otp.kind {
            otp.kind = OtpKind::Hotp {
                counter: self.counter,
            };
        }
        Account {
            id: self.id.clone(),
            issuer: self.issuer.value.clone(),
            name: self.name.value.clone(),
            otp,
            notes: self.notes.value.clone(),
            recovery_codes: self
                .recovery_codes
                .value
                .iter()
                .map(|code| RecoveryCode {
                    code: code.clone(),
                    used: self.is_used(code),
                })
                .collect(),
            group: self.group.value.clone(),
            pinned: self.pinned.value,
            sort_order: self.sort_order.value,
            created: self.created,
            last_used: self.last_used,
        }
    }

    /// Whether recovery code `code` is marked used.
    pub fn is_used(&self, code: &str) -> bool {
        self.recovery_marks.get(code).is_some_and(|n| n % 2 == 1)
    }

    /// Marks `code` used or unused; returns whether that changed anything.
    pub fn mark(&mut self, code: &str, used: bool) -> bool {
        if self.is_used(code) == used {
            return false;
        }
        let marks = self.recovery_marks.entry(code.to_string()).or_insert(0);
        *marks = marks.saturating_add(1);
        true
    }

    /// Every stamp in the record, for the clock to observe after reading a file.
    pub fn stamps(&self) -> [Stamp; 8] {
        [
            self.otp.stamp,
            self.issuer.stamp,
            self.name.stamp,
            self.notes.stamp,
            self.group.stamp,
            self.pinned.stamp,
            self.sort_order.stamp,
            self.recovery_codes.stamp,
        ]
    }

    /// Merges another copy of the same account into this one, field by field.
    pub fn merge(&mut self, other: Record) -> RecordMerge {
        let mut changed = false;
        changed |= self.otp.merge(other.otp);
        changed |= self.issuer.merge(other.issuer);
        changed |= self.name.merge(other.name);
        changed |= self.notes.merge(other.notes);
        changed |= self.group.merge(other.group);
        changed |= self.pinned.merge(other.pinned);
        changed |= self.sort_order.merge(other.sort_order);
        changed |= self.recovery_codes.merge(other.recovery_codes);
        for (code, theirs) in other.recovery_marks {
            let ours = self.recovery_marks.entry(code).or_insert(0);
            if theirs > *ours {
                changed |= (theirs % 2) != (*ours % 2);
                *ours = theirs;
            }
        }
        if other.counter > self.counter {
            self.counter = other.counter;
            changed = true;
        }
        if other.last_used > self.last_used {
            self.last_used = other.last_used;
            changed = true;
        }
        // `created` never changes; the earlier one is the true one if two writers disagree.
        self.created = self.created.min(other.created);
        if changed {
            RecordMerge::Updated
        } else {
            RecordMerge::Same
        }
    }

    /// Drops the marks of codes no longer listed, so the file does not keep spent codes of
    /// an old list forever.
    pub fn prune_marks(&mut self) {
        let listed = &self.recovery_codes.value;
        self.recovery_marks.retain(|code, _| listed.contains(code));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Secret};

    fn record(node: u32) -> (Record, Hlc) {
        let mut clock = Hlc::new(node);
        let account = Account::new(
            "Example".into(),
            "alice".into(),
            OtpParams {
                kind: OtpKind::Hotp { counter: 5 },
                algorithm: Algorithm::Sha1,
                digits: 6,
                secret: Secret::from_bytes(vec![1; 10]),
            },
            1,
        );
        (Record::from_account(account, clock.tick(1_000)), clock)
    }

    #[test]
    fn fields_merge_one_by_one() {
        let (mut mine, mut my_clock) = record(1);
        let mut theirs = mine.clone();
        let mut their_clock = Hlc::new(2);
        their_clock.observe(my_clock.latest());
        mine.notes.set("mine".into(), &mut my_clock, 2_000);
        theirs.name.set("renamed".into(), &mut their_clock, 3_000);
        theirs.counter = 9;
        assert_eq!(mine.merge(theirs), RecordMerge::Updated);
        let merged = mine.to_account();
        assert_eq!(merged.notes, "mine");
        assert_eq!(merged.name, "renamed");
        assert_eq!(merged.otp.kind, OtpKind::Hotp { counter: 9 });
    }

    #[test]
    fn counters_never_go_back_and_marks_are_kept() {
        let (mut mine, _) = record(1);
        mine.recovery_codes.value = vec!["a1".into(), "b2".into()];
        let mut theirs = mine.clone();
        theirs.counter = 2;
        assert!(theirs.mark("a1", true));
        assert_eq!(mine.merge(theirs.clone()), RecordMerge::Updated);
        assert_eq!(mine.counter, 5);
        assert!(mine.is_used("a1"));
        // A copy from before the mark cannot undo it; an explicit unmark after it can.
        let stale = record(3).0;
        mine.merge(Record {
            id: mine.id.clone(),
            ..stale
        });
        assert!(mine.is_used("a1"));
        assert!(theirs.mark("a1", false));
        mine.merge(theirs);
        assert!(!mine.is_used("a1"));
    }

    #[test]
    fn an_unchanged_value_keeps_its_stamp() {
        let (mut mine, mut clock) = record(1);
        let before = mine.issuer.stamp;
        assert!(!mine.issuer.set("Example".into(), &mut clock, 9_000));
        assert_eq!(mine.issuer.stamp, before);
    }
}
