//! What the UI is told about an account: labels, codes and their validity window. Never a secret.

use serde::Serialize;
use tessera_core::account::Account;
use tessera_core::clock::{describe_offset, Measurement, Source, Verdict};
use tessera_core::codes::CodeSnapshot;
use tessera_core::otp::OtpKind;
use tessera_core::recovery;

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
    pub group: String,
    pub pinned: bool,
    pub has_notes: bool,
    /// Recovery codes kept with the account, and how many of them are unused.
    pub recovery_total: usize,
    pub recovery_remaining: usize,
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
        let (period, counter) = match account.otp.kind {
            OtpKind::Totp { period } | OtpKind::Steam { period } => (Some(period), None),
            OtpKind::Hotp { counter } => (None, Some(counter)),
        };
        let kind = kind_name(&account.otp.kind);
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
            group: account.group.clone(),
            pinned: account.pinned,
            has_notes: !account.notes.is_empty(),
            recovery_total: account.recovery_codes.len(),
            recovery_remaining: recovery::remaining(&account.recovery_codes),
        }
    }
}

/// The details dialog of one account: its labels, notes and recovery codes (which the user
/// must be able to read), never its secret.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetails {
    pub id: String,
    pub issuer: String,
    pub name: String,
    pub notes: String,
    pub group: String,
    pub kind: &'static str,
    pub pinned: bool,
    pub recovery_codes: Vec<RecoveryCodeView>,
    pub recovery_remaining: usize,
}

/// One recovery code and whether it has been spent.
#[derive(Debug, Serialize)]
pub struct RecoveryCodeView {
    pub code: String,
    pub used: bool,
}

impl AccountDetails {
    /// The details of `account`.
    pub fn new(account: &Account) -> Self {
        AccountDetails {
            id: account.id.to_string(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            notes: account.notes.clone(),
            group: account.group.clone(),
            kind: kind_name(&account.otp.kind),
            pinned: account.pinned,
            recovery_codes: account
                .recovery_codes
                .iter()
                .map(|c| RecoveryCodeView {
                    code: c.code.clone(),
                    used: c.used,
                })
                .collect(),
            recovery_remaining: recovery::remaining(&account.recovery_codes),
        }
    }
}

fn kind_name(kind: &OtpKind) -> &'static str {
    match kind {
        OtpKind::Totp { .. } => "totp",
        OtpKind::Steam { .. } => "steam",
        OtpKind::Hotp { .. } => "hotp",
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

/// Where accounts are kept and whether the vault is locked: which screen to show.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub storage: &'static str,
    pub storage_note: String,
    pub version: &'static str,
    /// `none` (first run), `locked` or `unlocked`.
    pub vault: &'static str,
    pub vault_path: String,
    pub keyring_slot: bool,
    pub auto_lock_minutes: u32,
    /// Closing the window keeps Tessera in the tray.
    pub close_to_tray: bool,
    /// `manual` or `alphabetical`.
    pub order: &'static str,
    /// One line per account.
    pub compact: bool,
}

/// The answer to creating a vault: why keyring unlock could not be set up, if it could not.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub keyring_error: Option<String>,
}

/// A copy of the vault a sync tool left beside it.
#[derive(Debug, Serialize)]
pub struct Conflict {
    pub name: String,
}

/// What merging a conflict copy changed.
#[derive(Debug, Serialize)]
pub struct Merged {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
}

/// A clock measurement, with its verdict in words.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasurementView {
    pub offset_ms: f64,
    pub rtt_ms: f64,
    /// `sntp` or `https-date`.
    pub source: &'static str,
    pub server: String,
    pub precision_ms: f64,
    pub measured_at_ms: u64,
    /// `fine`, `at_risk` or `will_fail`.
    pub verdict: &'static str,
    pub description: String,
}

impl From<&Measurement> for MeasurementView {
    fn from(m: &Measurement) -> Self {
        MeasurementView {
            offset_ms: m.offset_ms,
            rtt_ms: m.rtt_ms,
            source: match m.source {
                Source::Sntp { .. } => "sntp",
                Source::HttpsDate { .. } => "https-date",
            },
            server: m.source.server().to_string(),
            precision_ms: m.precision_ms,
            measured_at_ms: m.measured_at,
            verdict: match m.verdict() {
                Verdict::Fine => "fine",
                Verdict::AtRisk => "at_risk",
                Verdict::WillFail => "will_fail",
            },
            description: describe_offset(m.offset_ms),
        }
    }
}

/// The clock correction in force and the last measurement.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClockStatus {
    pub correction_enabled: bool,
    pub correction_ms: Option<i64>,
    pub measurement: Option<MeasurementView>,
}

/// The correction now applied to codes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Correction {
    pub correction_ms: Option<i64>,
}

/// Where a typed code was found, if anywhere.
#[derive(Debug, Serialize)]
pub struct VerifyView {
    pub matched: bool,
    pub steps: Option<i64>,
    pub seconds: Option<i64>,
    pub counter: Option<u64>,
    pub description: String,
}

/// An account's codes around now.
#[derive(Debug, Serialize)]
pub struct Neighbours {
    pub previous: Option<String>,
    pub current: String,
    pub next: Option<String>,
}

/// The code that was put on the clipboard.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Copied {
    pub code: String,
    /// Seconds until the clipboard is cleared, or null when it is not.
    pub clears_in_seconds: Option<u64>,
}

/// The label of a deleted account, for the confirmation.
#[derive(Debug, Serialize)]
pub struct Deleted {
    pub label: String,
}

/// A deleted account that can still be restored: labels only.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedView {
    pub id: String,
    pub issuer: String,
    pub name: String,
    /// When it was deleted, in Unix seconds.
    pub deleted_at: u64,
}
