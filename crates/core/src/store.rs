//! Where accounts live. The app and the CLI talk to an [`AccountStore`]; the encrypted vault
//! implements it.

use crate::account::{Account, AccountId};

/// Errors of account storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No account has this id (it may have been deleted elsewhere).
    #[error("no account with id {0}")]
    NotFound(AccountId),
    /// The backing storage failed; the message names the cause.
    #[error("storage failed: {0}")]
    Backend(String),
}

/// A collection of accounts that can be read and changed.
pub trait AccountStore: Send {
    /// All accounts, pinned first, then in the user's order.
    fn accounts(&self) -> Vec<Account>;
    /// The account with this id.
    fn get(&self, id: &AccountId) -> Result<Account, StoreError>;
    /// Adds an account (its id must be new).
    fn add(&mut self, account: Account) -> Result<(), StoreError>;
    /// Replaces the account with the same id.
    fn update(&mut self, account: Account) -> Result<(), StoreError>;
    /// Removes an account and returns it.
    fn remove(&mut self, id: &AccountId) -> Result<Account, StoreError>;
}

/// Sorts accounts for display: pinned first, then manual order, then issuer and name.
pub fn sort_for_display(accounts: &mut [Account]) {
    accounts.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then(a.sort_order.cmp(&b.sort_order))
            .then_with(|| a.issuer.to_lowercase().cmp(&b.issuer.to_lowercase()))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
}
