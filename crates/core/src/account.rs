//! An account: one service's one-time code generator and what the user keeps beside it.

use crate::otp::OtpParams;
use std::fmt;

/// A stable identifier for an account, unique within a vault (a random UUID, as text).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(String);

impl AccountId {
    /// A fresh random identifier.
    pub fn random() -> Self {
        AccountId(uuid::Uuid::new_v4().to_string())
    }

    /// Parses an identifier received from outside (IPC, CLI, a file). Only UUIDs are accepted,
    /// so an id can never smuggle a path or markup into a message.
    pub fn parse(text: &str) -> Result<Self, AccountIdError> {
        uuid::Uuid::parse_str(text.trim())
            .map(|u| AccountId(u.to_string()))
            .map_err(|_| AccountIdError(text.chars().take(40).collect()))
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An account id that is not a UUID.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an account id: {0:?}")]
pub struct AccountIdError(String);

/// A backup code handed out by a service, and whether it has been spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryCode {
    /// The code as the service printed it.
    pub code: String,
    /// True once the user has spent it.
    pub used: bool,
}

/// One account: labels, the code generator and the user's own notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Stable identifier.
    pub id: AccountId,
    /// The service, e.g. "MyKerio". May be empty.
    pub issuer: String,
    /// The account at that service, usually an e-mail address or user name.
    pub name: String,
    /// How codes are computed (for HOTP this holds the current counter).
    pub otp: OtpParams,
    /// Free-form notes.
    pub notes: String,
    /// Backup codes the service handed out.
    pub recovery_codes: Vec<RecoveryCode>,
    /// A group the user filed the account under; empty for none.
    pub group: String,
    /// Pinned accounts are listed first and shown in the tray.
    pub pinned: bool,
    /// Position in the user's manual order.
    pub sort_order: i64,
    /// When the account was added, in Unix seconds.
    pub created: u64,
    /// When a code was last copied, in Unix seconds (0 = never).
    pub last_used: u64,
}

impl Account {
    /// A new account with a fresh id and empty extras.
    pub fn new(issuer: String, name: String, otp: OtpParams, created: u64) -> Self {
        Account {
            id: AccountId::random(),
            issuer,
            name,
            otp,
            notes: String::new(),
            recovery_codes: Vec::new(),
            group: String::new(),
            pinned: false,
            sort_order: 0,
            created,
            last_used: 0,
        }
    }

    /// "Issuer (name)" or whichever of the two exists, for messages and confirmations.
    pub fn display_label(&self) -> String {
        label(&self.issuer, &self.name)
    }
}

/// "Issuer (name)" or whichever of the two exists: how messages name an account.
pub fn label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer.to_string(),
        (true, false) => name.to_string(),
        (true, true) => "unnamed account".to_string(),
    }
}
