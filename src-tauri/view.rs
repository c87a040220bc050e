//! What the UI is told about an account: labels, codes and their validity window. Never a secret.

use serde::Serialize;
use tessera_core::account::Account;
use tessera_core::codes::CodeSnapshot;
use tessera_core::otp::OtpKind;

/// One row of the account list.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub issuer: String,
    pub name: String,
    pub kind: &'static str,
    pub digits: u8,
    pub period: Option<u32>,
    pub counter: Option<u64>,
    pub code: String,
    pub next_code: Option<String>,
    pub valid_from_ms: Option<u64>,
    pub valid_until_ms: Option<u64>,
}

impl AccountView {
    /// The row for `account` at `now_ms`.
    pub fn new(account: &Account, now_ms: u64) -> Self {
        let CodeSnapshot {
            code,
            next_code,
            valid_from_ms,
            valid_until_ms,
        } = CodeSnapshot::at(&account.otp, now_ms);
        let (kind, period, counter) = match account.otp.kind {
            OtpKind::Totp { period } => ("totp", Some(period), None),
            OtpKind::Steam { period } => ("steam", Some(period), None),
            OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        };
        AccountView {
            id: account.id.to_string(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind,
            digits: account.otp.digits,
            period,
            counter,
            code,
            next_code,
            valid_from_ms,
            valid_until_ms,
        }
    }
}

/// The whole list, with the backend's notion of now so the UI can align its countdowns.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountList {
    pub now_ms: u64,
    pub accounts: Vec<AccountView>,
}

/// The answer to an add: the new row and any warnings about the key.
#[derive(Debug, Serialize)]
pub struct Added {
    pub account: AccountView,
    pub warnings: Vec<String>,
}

/// Where accounts are kept, for the status line.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub storage: &'static str,
    pub storage_note: String,
    pub version: &'static str,
}

/// The code that was put on the clipboard.
#[derive(Debug, Serialize)]
pub struct Copied {
    pub code: String,
}

/// The label of a deleted account, for the confirmation.
#[derive(Debug, Serialize)]
pub struct Deleted {
    pub label: String,
}
