//! The error shape the UI receives: a stable `kind` to branch on and a `message` to show.

use serde::Serialize;

/// An error crossing IPC. Messages name the problem and never contain a secret.
#[derive(Debug, Serialize)]
pub struct CommandError {
    /// Stable machine-readable category, e.g. `bad_input`, `not_found`, `clipboard`.
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
}

impl From<tessera_core::enroll::EnrollError> for CommandError {
    fn from(err: tessera_core::enroll::EnrollError) -> Self {
        CommandError::new("bad_input", err)
    }
}

impl From<tessera_core::account::AccountIdError> for CommandError {
    fn from(err: tessera_core::account::AccountIdError) -> Self {
        CommandError::new("bad_input", err)
    }
}

impl From<tessera_core::store::StoreError> for CommandError {
    fn from(err: tessera_core::store::StoreError) -> Self {
        use tessera_core::store::StoreError;
        let kind = match err {
            StoreError::NotFound(_) => "not_found",
            _ => "storage",
        };
        CommandError::new(kind, err)
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
