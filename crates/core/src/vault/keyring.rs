//! The OS keyring side of keyring slots: Secret Service on Linux and the BSDs, Keychain on
//! macOS, Credential Manager on Windows, through the `keyring` crate.
//!
//! The keyring holds only a random key-encryption key per slot, never the vault key or a
//! password, so a keyring entry copied elsewhere is useless without the vault file, and
//! removing the slot from the vault revokes it.

use keyring::{Entry, Error};
use zeroize::Zeroizing;

/// The service name every Tessera keyring entry is filed under.
pub const SERVICE: &str = "Tessera";

/// Errors of the OS keyring.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// The keyring cannot be reached: no D-Bus session or Secret Service, a locked keyring
    /// that refused to open, or a platform failure. The app falls back to the password.
    #[error("OS keyring unavailable: {0}")]
    Unavailable(String),
    /// The keyring works but holds no key for any keyring slot of this vault (keyring unlock
    /// was enabled on another computer, or the entry was deleted).
    #[error("the OS keyring holds no key for this vault")]
    NoEntry,
}

/// The keyring account name of one slot: `vault-<vault id hex>-<slot id hex>`.
pub fn account_name(vault_id: &[u8; 16], slot_id: &[u8; 16]) -> String {
    format!(
        "vault-{}-{}",
        super::slots::hex(vault_id),
        super::slots::hex(slot_id)
    )
}

fn unavailable(error: Error) -> KeyringError {
    // keyring's Display never includes secret bytes (unlike its Debug for some variants).
    KeyringError::Unavailable(error.to_string())
}

fn entry(account: &str) -> Result<Entry, KeyringError> {
    Entry::new(SERVICE, account).map_err(|e| match (e, Entry::store_status()) {
        // The crate reports a failed store start-up as "no default store"; its cause is kept
        // aside, and is what the user needs to see.
        (Error::NoDefaultStore, Err(cause)) => KeyringError::Unavailable(cause.to_string()),
        (other, _) => unavailable(other),
    })
}

/// Stores a slot's key-encryption key.
fn store(account: &str, kek: &[u8; 32]) -> Result<(), KeyringError> {
    entry(account)?.set_secret(kek).map_err(unavailable)
}

/// Loads a slot's key-encryption key; `None` if this keyring has no entry for it.
fn load(account: &str) -> Result<Option<Zeroizing<[u8; 32]>>, KeyringError> {
    match entry(account)?.get_secret() {
        Ok(bytes) => {
            let bytes = Zeroizing::new(bytes);
            let mut kek = Zeroizing::new([0u8; 32]);
            if bytes.len() != kek.len() {
                // Not one of ours (or damaged): as good as absent; the slot stays unusable.
                return Ok(None);
            }
            kek.copy_from_slice(&bytes);
            Ok(Some(kek))
        }
        Err(Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    }
}

/// Deletes a slot's entry; an entry that is already gone is not an error.
fn delete(account: &str) -> Result<(), KeyringError> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

/// Where keyring slots keep their key-encryption keys. The vault uses [`OsKeyring`]; a store
/// of one's own serves platforms with another secret store, and simulations of several devices.
pub trait KekStore {
    /// Stores the key of the slot named `account` (see [`account_name`]).
    fn store(&self, account: &str, kek: &[u8; 32]) -> Result<(), KeyringError>;
    /// The key of the slot named `account`, if this store has it.
    fn load(&self, account: &str) -> Result<Option<Zeroizing<[u8; 32]>>, KeyringError>;
    /// Forgets the key of the slot named `account`; a missing entry is not an error.
    fn delete(&self, account: &str) -> Result<(), KeyringError>;
}

/// The operating system's keyring.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsKeyring;

impl KekStore for OsKeyring {
    fn store(&self, account: &str, kek: &[u8; 32]) -> Result<(), KeyringError> {
        store(account, kek)
    }

    fn load(&self, account: &str) -> Result<Option<Zeroizing<[u8; 32]>>, KeyringError> {
        load(account)
    }

    fn delete(&self, account: &str) -> Result<(), KeyringError> {
        delete(account)
    }
}
