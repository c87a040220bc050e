//! The error shape the UI receives: a stable `kind` to branch on and a `message` to show.

use serde::Serialize;
use tessera_core::vault::VaultError;

/// An error crossing IPC. Messages name the problem and never contain a secret.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    /// Stable category: `bad_input`, `not_found`, `locked`, `wrong_password`, `keyring`,
    /// `password_needed`, `storage`, `network`, `clipboard`, `capture`.
    pub kind: &'static str,
    /// A sentence for the user.
    pub message: String,
}

impl CommandError {
    pub fn new(kind: &'static str, message: impl ToString) -> Self {
        CommandError {
            kind,
            message: message.to_string(),
        }
    }

    /// The vault must be unlocked first.
    pub fn locked() -> Self {
        CommandError::new("locked", "the vault is locked")
    }
}

impl From<VaultError> for CommandError {
    fn from(err: VaultError) -> Self {
        let kind = match &err {
            VaultError::WrongPasswordOrDamaged => "wrong_password",
            VaultError::Keyring(_) | VaultError::NoKeyringSlot => "keyring",
            VaultError::PasswordNeeded => "password_needed",
            VaultError::AccountNotFound(_) => "not_found",
            VaultError::Kdf(_) | VaultError::AccountExists(_) => "bad_input",
            _ => "storage",
        };
        CommandError::new(kind, err)
    }
}

impl From<tessera_core::store::StoreError> for CommandError {
    fn from(err: tessera_core::store::StoreError) -> Self {
        use tessera_core::store::StoreError;
        let kind = match err {
            StoreError::NotFound(_) => "not_found",
            StoreError::Backend(_) => "storage",
        };
        CommandError::new(kind, err)
    }
}

/// Errors that are the user's input being refused.
macro_rules! bad_input_from {
    ($($source:ty),* $(,)?) => {
        $(impl From<$source> for CommandError {
            fn from(err: $source) -> Self {
                CommandError::new("bad_input", err)
            }
        })*
    };
}

bad_input_from!(
    tessera_core::enroll::EnrollError,
    tessera_core::account::AccountIdError,
    tessera_core::clock::verify::VerifyError,
    tessera_core::recovery::RecoveryError,
);

impl From<tessera_core::clock::ClockError> for CommandError {
    fn from(err: tessera_core::clock::ClockError) -> Self {
        CommandError::new("network", err)
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
