//! The error shape the UI receives: a stable `kind` to branch on and a `message` to show.

use serde::Serialize;
use tessera_core::vault::VaultError;

/// An error crossing IPC. Messages name the problem and never contain a secret.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    /// Stable category: `bad_input`, `not_found`, `locked`, `wrong_password`, `keyring`,
    /// `password_needed`, `rotated`, `storage`, `network`, `clipboard`, `capture`.
    pub kind: &'static str,
    /// A sentence for the user.
    pub message: String,
}

/// The longest message an error carries.
const MAX_MESSAGE_CHARS: usize = 500;

/// `text` quoted for an error message, cut after 40 characters: the message shows what was
/// wrong without echoing whatever the page sent in full.
pub fn quoted(text: &str) -> String {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

impl CommandError {
    pub fn new(kind: &'static str, message: impl ToString) -> Self {
        let mut message = message.to_string();
        // A backstop: messages quote input through `quoted`, but none may carry a page's
        // megabytes back to it.
        if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message.truncate(cut);
            message.push('…');
        }
        CommandError { kind, message }
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
            VaultError::AccountNotFound(_) | VaultError::NotRestorable(_) => "not_found",
            VaultError::Rotated => "rotated",
            VaultError::Kdf(_) | VaultError::AccountExists(_) => "bad_input",
            _ => "storage",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_quoted_short() {
        assert_eq!(quoted("manual"), "\"manual\"");
        let long = "é".repeat(1000);
        let shown = quoted(&long);
        assert!(
            shown.starts_with(&format!("\"{}\"…", "é".repeat(40))),
            "{shown}"
        );
        assert!(shown.ends_with("(1000 characters)"), "{shown}");
    }

    #[test]
    fn messages_are_capped() {
        let error = CommandError::new("bad_input", "x".repeat(10_000));
        assert_eq!(error.message.chars().count(), MAX_MESSAGE_CHARS + 1);
    }
}
