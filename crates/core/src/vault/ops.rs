//! The operations that change accounts and settings. Each runs inside [`Vault::commit`], so it
//! applies to the state just merged from disk, under the lock, and is saved at once.

use super::content::{self, Content, Tombstone};
use super::edit::AccountEdit;
use super::record::{Record, Stamped};
use super::{Draft, Vault, VaultError};
use crate::account::{Account, AccountId};
use crate::store::{moved, sort_for_display};
use std::collections::BTreeMap;

/// How long a deleted account can be restored: 30 days.
pub const RESTORE_WINDOW_SECS: u64 = 30 * 24 * 60 * 60;

/// A deleted account that can still be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedAccount {
    /// The account as it was when deleted.
    pub account: Account,
    /// When it was deleted, in Unix seconds.
    pub deleted: u64,
}

/// Whether a deletion is recent enough for its account to be restored.
fn within_window(tombstone: &Tombstone, now_ms: u64) -> bool {
    tombstone
        .stamp
        .wall_ms
        .saturating_add(RESTORE_WINDOW_SECS * 1000)
        >= now_ms
}

/// Drops the accounts kept in deletions older than the restore window. The deletions
/// themselves stay, so that no older copy of the vault can bring the account back. (Marks of
/// recovery codes no longer listed stay too: dropping one would let a stale copy's older mark
/// win if the code were listed again.)
pub(super) fn compact(content: &mut Content, now_ms: u64) {
    for tombstone in content.deleted.values_mut() {
        if !within_window(tombstone, now_ms) {
            tombstone.account = None;
        }
    }
}

/// The accounts of `content` as plain values, pinned first, then in the user's order.
fn for_display(content: &Content) -> Vec<Account> {
    let mut list: Vec<Account> = content.accounts.values().map(Record::to_account).collect();
    sort_for_display(&mut list);
    list
}

/// The sort order that files a new account after every existing one.
fn next_sort_order(content: &Content) -> i64 {
    content
        .accounts
        .values()
        .map(|a| a.sort_order.value.saturating_add(1))
        .max()
        .unwrap_or(0)
}

impl Draft<'_> {
    /// Adds `account` as a new record, every field stamped by this change.
    fn insert_new(&mut self, mut account: Account) -> Result<(), VaultError> {
        content::validate(&account)?;
        if self.content.accounts.contains_key(&account.id)
            || self.content.deleted.contains_key(&account.id)
        {
            return Err(VaultError::AccountExists(account.id));
        }
        account.sort_order = next_sort_order(self.content);
        let stamp = self.clock.tick(self.now_ms);
        self.content
            .accounts
            .insert(account.id.clone(), Record::from_account(account, stamp));
        self.changed = true;
        Ok(())
    }
}

impl Vault {
    /// All accounts, pinned first, then in the user's order.
    pub fn accounts(&self) -> Vec<Account> {
        for_display(&self.content)
    }

    /// The account with this id, as the vault holds it now.
    pub fn get(&self, id: &AccountId) -> Result<Account, VaultError> {
        self.content
            .accounts
            .get(id)
            .map(Record::to_account)
            .ok_or_else(|| VaultError::AccountNotFound(id.clone()))
    }

    /// How many accounts the vault holds.
    pub fn len(&self) -> usize {
        self.content.accounts.len()
    }

    /// Whether the vault holds no account.
    pub fn is_empty(&self) -> bool {
        self.content.accounts.is_empty()
    }

    /// Adds a new account (its id must never have been used), filed after every other one.
    pub fn add(&mut self, account: Account) -> Result<(), VaultError> {
        self.commit(|draft| draft.insert_new(account))
    }

    /// Adds many accounts in one save (an import): all or none. Fails if any id exists, was
    /// deleted, or appears twice.
    pub fn add_accounts(&mut self, accounts: Vec<Account>) -> Result<(), VaultError> {
        self.commit(|draft| {
            let mut seen = BTreeMap::new();
            for account in &accounts {
                if seen.insert(account.id.clone(), ()).is_some() {
                    return Err(VaultError::AccountExists(account.id.clone()));
                }
            }
            accounts
                .into_iter()
                .try_for_each(|account| draft.insert_new(account))
        })
    }

    /// Changes account `id`: `change` gets the account just merged from disk, inside the lock,
    /// and changes fields one by one through the [`AccountEdit`]; what it changed is saved.
    /// If `change` fails, nothing is saved.
    pub fn modify<T, E: From<VaultError>>(
        &mut self,
        id: &AccountId,
        change: impl FnOnce(&mut AccountEdit<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.commit(|draft| {
            let record = draft
                .content
                .accounts
                .get_mut(id)
                .ok_or_else(|| VaultError::AccountNotFound(id.clone()))?;
            let mut edit = AccountEdit::new(record, draft.clock, draft.now_ms);
            let value = change(&mut edit)?;
            draft.changed |= edit.changed();
            Ok(value)
        })
    }

    /// Deletes account `id` and returns it. The deletion reaches every copy of the vault and
    /// no merge brings the account back; for [`RESTORE_WINDOW_SECS`] it can be restored.
    pub fn delete(&mut self, id: &AccountId) -> Result<Account, VaultError> {
        self.commit(|draft| {
            let record = draft
                .content
                .accounts
                .remove(id)
                .ok_or_else(|| VaultError::AccountNotFound(id.clone()))?;
            let account = record.to_account();
            let stamp = draft.clock.tick(draft.now_ms);
            draft.content.deleted.insert(
                id.clone(),
                Tombstone {
                    stamp,
                    account: Some(record),
                },
            );
            draft.changed = true;
            Ok(account)
        })
    }

    /// Deleted accounts that can still be restored, most recently deleted first.
    pub fn recently_deleted(&self) -> Vec<DeletedAccount> {
        let now_ms = self.now_ms();
        let mut list: Vec<DeletedAccount> = self
            .content
            .deleted
            .values()
            .filter(|t| within_window(t, now_ms))
            .filter_map(|t| {
                t.account.as_ref().map(|record| DeletedAccount {
                    account: record.to_account(),
                    deleted: t.stamp.seconds(),
                })
            })
            .collect();
        list.sort_by_key(|gone| std::cmp::Reverse(gone.deleted));
        list
    }

    /// Restores deleted account `id` as a new account (with a new id, so the deletion still
    /// holds for every old copy) and returns it.
    pub fn restore(&mut self, id: &AccountId) -> Result<Account, VaultError> {
        self.commit(|draft| {
            let tombstone = draft
                .content
                .deleted
                .get_mut(id)
                .ok_or_else(|| VaultError::AccountNotFound(id.clone()))?;
            if !within_window(tombstone, draft.now_ms) {
                return Err(VaultError::NotRestorable(id.clone()));
            }
            let record = tombstone
                .account
                .take()
                .ok_or_else(|| VaultError::NotRestorable(id.clone()))?;
            let mut account = record.to_account();
            account.id = AccountId::random();
            draft.insert_new(account.clone())?;
            Ok(draft.content.accounts[&account.id].to_account())
        })
    }

    /// Moves account `id` `offset` places up (negative) or down in the user's order, within
    /// its part of the list (pinned or not), in the order merged from disk.
    pub fn move_account(&mut self, id: &AccountId, offset: i64) -> Result<(), VaultError> {
        self.commit(|draft| {
            if !draft.content.accounts.contains_key(id) {
                return Err(VaultError::AccountNotFound(id.clone()));
            }
            let list = for_display(draft.content);
            for (moved_id, order) in moved(&list, id, offset) {
                if let Some(record) = draft.content.accounts.get_mut(&moved_id) {
                    let mut edit = AccountEdit::new(record, draft.clock, draft.now_ms);
                    edit.set_sort_order(order);
                    draft.changed |= edit.changed();
                }
            }
            Ok(())
        })
    }

    /// The app's settings shared by every device of this vault.
    pub fn settings(&self) -> BTreeMap<String, String> {
        self.content
            .settings
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }

    /// Sets one shared setting and saves.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), VaultError> {
        self.commit(|draft| {
            let unchanged = draft
                .content
                .settings
                .get(key)
                .is_some_and(|s| s.value == value);
            if !unchanged {
                let stamp = draft.clock.tick(draft.now_ms);
                draft
                    .content
                    .settings
                    .insert(key.to_string(), Stamped::new(value.to_string(), stamp));
                draft.changed = true;
            }
            Ok(())
        })
    }
}
