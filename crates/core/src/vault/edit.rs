//! Changes to one account, applied inside the vault's lock to the account just merged from
//! disk. Each method changes one field and stamps it; nothing here can write back a whole
//! account read earlier, so a change never undoes what another device wrote meanwhile.

use super::content::MAX_COUNTER;
use super::record::Record;
use super::stamp::Hlc;
use crate::account::Account;
use crate::otp::OtpKind;
use crate::recovery::RecoveryError;

/// A change in progress to one account of an unlocked vault (see [`super::Vault::modify`]).
pub struct AccountEdit<'a> {
    record: &'a mut Record,
    clock: &'a mut Hlc,
    now_ms: u64,
    changed: bool,
}

impl<'a> AccountEdit<'a> {
    pub(super) fn new(record: &'a mut Record, clock: &'a mut Hlc, now_ms: u64) -> Self {
        AccountEdit {
            record,
            clock,
            now_ms,
            changed: false,
        }
    }

    /// Whether any field changed, i.e. whether the vault needs saving.
    pub(super) fn changed(&self) -> bool {
        self.changed
    }

    /// The account as it is now, merged from disk and with the changes made so far.
    pub fn account(&self) -> Account {
        self.record.to_account()
    }

    /// Sets the issuer.
    pub fn set_issuer(&mut self, issuer: String) {
        self.changed |= self.record.issuer.set(issuer, self.clock, self.now_ms);
    }

    /// Sets the account name.
    pub fn set_name(&mut self, name: String) {
        self.changed |= self.record.name.set(name, self.clock, self.now_ms);
    }

    /// Sets the notes.
    pub fn set_notes(&mut self, notes: String) {
        self.changed |= self.record.notes.set(notes, self.clock, self.now_ms);
    }

    /// Files the account under `group` (empty for none).
    pub fn set_group(&mut self, group: String) {
        self.changed |= self.record.group.set(group, self.clock, self.now_ms);
    }

    /// Pins or unpins the account.
    pub fn set_pinned(&mut self, pinned: bool) {
        self.changed |= self.record.pinned.set(pinned, self.clock, self.now_ms);
    }

    /// Sets the account's position in the user's order.
    pub(super) fn set_sort_order(&mut self, order: i64) {
        self.changed |= self.record.sort_order.set(order, self.clock, self.now_ms);
    }

    /// Replaces the recovery codes. A code that was marked used stays used when it is listed
    /// again, so pasting the same list twice does not bring spent codes back.
    pub fn set_recovery_codes(&mut self, codes: Vec<String>) {
        let mut unique: Vec<String> = Vec::with_capacity(codes.len());
        for code in codes {
            if !unique.contains(&code) {
                unique.push(code);
            }
        }
        self.changed |= self
            .record
            .recovery_codes
            .set(unique, self.clock, self.now_ms);
    }

    /// Marks recovery code number `index` (0-based) used or unused and returns it.
    pub fn mark_recovery_code(
        &mut self,
        index: usize,
        used: bool,
    ) -> Result<String, RecoveryError> {
        let code = self
            .record
            .recovery_codes
            .value
            .get(index)
            .cloned()
            .ok_or(RecoveryError::NoSuchCode(index + 1))?;
        self.changed |= self.record.mark(&code, used);
        Ok(code)
    }

    /// HOTP: hands out the code of the stored counter and moves the counter past it. Returns
    /// the counter of the code handed out, or `None` for time-based accounts and at the
    /// counter's end.
    pub fn issue_counter(&mut self) -> Option<u64> {
        if !matches!(self.record.otp.value.kind, OtpKind::Hotp { .. }) {
            return None;
        }
        let issued = self.record.counter;
        self.record.counter = issued.checked_add(1).filter(|next| *next <= MAX_COUNTER)?;
        self.changed = true;
        Some(issued)
    }

    /// HOTP: moves the counter forward to `counter` (codes before it were used elsewhere).
    /// A counter never moves back.
    pub fn advance_counter_to(&mut self, counter: u64) {
        let counter = counter.min(MAX_COUNTER);
        if matches!(self.record.otp.value.kind, OtpKind::Hotp { .. })
            && counter > self.record.counter
        {
            self.record.counter = counter;
            self.changed = true;
        }
    }

    /// Records that a code was copied at `at` (Unix seconds).
    pub fn record_use(&mut self, at: u64) {
        if at > self.record.last_used {
            self.record.last_used = at;
            self.changed = true;
        }
    }
}
