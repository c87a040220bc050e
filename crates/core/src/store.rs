//! Where accounts live. The app and the CLI talk to an [`AccountStore`]; the in-memory store
//! serves until a vault is opened, and the encrypted vault implements the same trait.

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

/// Whether accounts survive a restart, for the UI's status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// Accounts are kept in memory only and vanish when the program exits.
    MemoryOnly,
    /// Accounts are saved to an encrypted vault file.
    EncryptedVault,
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
    /// Whether changes outlive the process.
    fn persistence(&self) -> Persistence;
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

/// Accounts held in process memory only; nothing is written to disk.
#[derive(Debug, Default)]
pub struct MemoryStore {
    accounts: Vec<Account>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, id: &AccountId) -> Result<usize, StoreError> {
        self.accounts
            .iter()
            .position(|a| &a.id == id)
            .ok_or_else(|| StoreError::NotFound(id.clone()))
    }
}

impl AccountStore for MemoryStore {
    fn accounts(&self) -> Vec<Account> {
        let mut list = self.accounts.clone();
        sort_for_display(&mut list);
        list
    }

    fn get(&self, id: &AccountId) -> Result<Account, StoreError> {
        Ok(self.accounts[self.position(id)?].clone())
    }

    fn add(&mut self, mut account: Account) -> Result<(), StoreError> {
        if self.accounts.iter().any(|a| a.id == account.id) {
            return Err(StoreError::Backend(format!(
                "an account with id {} already exists",
                account.id
            )));
        }
        account.sort_order = self
            .accounts
            .iter()
            .map(|a| a.sort_order.saturating_add(1))
            .max()
            .unwrap_or(0);
        self.accounts.push(account);
        Ok(())
    }

    fn update(&mut self, account: Account) -> Result<(), StoreError> {
        let at = self.position(&account.id)?;
        self.accounts[at] = account;
        Ok(())
    }

    fn remove(&mut self, id: &AccountId) -> Result<Account, StoreError> {
        let at = self.position(id)?;
        Ok(self.accounts.remove(at))
    }

    fn persistence(&self) -> Persistence {
        Persistence::MemoryOnly
    }
}
