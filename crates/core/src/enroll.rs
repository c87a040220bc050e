//! Turning what a user gives us (an otpauth:// URI, or issuer, account and key typed by hand)
//! into a new account, with every problem named.

use crate::account::Account;
use crate::otp::{Algorithm, OtpError, OtpKind, OtpParams, Secret, SecretError};
use crate::uri::{self, UriError};
use serde::Deserialize;
use zeroize::Zeroizing;

/// Longest issuer or account name accepted, in characters. Real labels are far shorter; the
/// cap keeps a pasted document from becoming a label.
pub const MAX_LABEL_CHARS: usize = 256;

/// Errors of enrolment.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    /// The otpauth:// URI was refused.
    #[error(transparent)]
    Uri(#[from] UriError),
    /// The typed key is not valid base32.
    #[error("the key is not valid: {0}")]
    Secret(#[from] SecretError),
    /// Digits, period or counter out of range.
    #[error(transparent)]
    Params(#[from] OtpError),
    /// An issuer or account name longer than [`MAX_LABEL_CHARS`].
    #[error("the {field} is too long ({chars} characters, at most {MAX_LABEL_CHARS})")]
    LabelTooLong {
        /// "issuer" or "account name".
        field: &'static str,
        /// Its length in characters.
        chars: usize,
    },
    /// Neither an issuer nor an account name was given.
    #[error("give the issuer or the account name, so the account can be told apart")]
    Unlabelled,
}

/// The kind of codes chosen in the manual form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindChoice {
    /// Time-based (the default).
    #[default]
    Totp,
    /// Counter-based.
    Hotp,
    /// Steam Guard.
    Steam,
}

/// An account typed in by hand. Only issuer, name and key are required; the rest default to
/// what nearly every service uses (TOTP, SHA1, 6 digits, 30 seconds).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualEntry {
    /// The service.
    #[serde(default)]
    pub issuer: String,
    /// The account at that service.
    #[serde(default)]
    pub name: String,
    /// The key as the service shows it; spaces, dashes, lowercase and padding are fine.
    pub secret: Zeroizing<String>,
    /// Time-based, counter-based or Steam.
    #[serde(default)]
    pub kind: KindChoice,
    /// The HMAC hash.
    #[serde(default)]
    pub algorithm: Algorithm,
    /// Number of digits (6 when absent; Steam always has 5 characters).
    pub digits: Option<u8>,
    /// Seconds per code (30 when absent).
    pub period: Option<u32>,
    /// The HOTP counter (0 when absent).
    pub counter: Option<u64>,
}

/// A new account and the warnings the user should see about it.
#[derive(Debug)]
pub struct Enrolled {
    /// The account, with a fresh id.
    pub account: Account,
    /// Sentences such as "this key is only 40 bits long".
    pub warnings: Vec<String>,
}

/// Enrols the account an otpauth:// URI describes.
pub fn from_uri(text: &str, now: u64) -> Result<Enrolled, EnrollError> {
    let parsed = uri::parse_with_warnings(text)?;
    let warnings = parsed.warnings.iter().map(ToString::to_string).collect();
    let uri = parsed.uri;
    let account = labelled(uri.issuer, uri.name, uri.otp, now)?;
    Ok(Enrolled { account, warnings })
}

/// Enrols an account typed in by hand.
pub fn from_manual(entry: ManualEntry, now: u64) -> Result<Enrolled, EnrollError> {
    let parsed = Secret::parse_base32(&entry.secret)?;
    let kind = match entry.kind {
        KindChoice::Totp => OtpKind::Totp {
            period: entry.period.unwrap_or(30),
        },
        KindChoice::Steam => OtpKind::Steam {
            period: entry.period.unwrap_or(30),
        },
        KindChoice::Hotp => OtpKind::Hotp {
            counter: entry.counter.unwrap_or(0),
        },
    };
    let digits = match entry.kind {
        KindChoice::Steam => 5,
        _ => entry.digits.unwrap_or(6),
    };
    let otp = OtpParams::new(kind, entry.algorithm, digits, parsed.secret)?;
    let warnings = parsed.warnings.iter().map(ToString::to_string).collect();
    let account = labelled(entry.issuer, entry.name, otp, now)?;
    Ok(Enrolled { account, warnings })
}

fn labelled(issuer: String, name: String, otp: OtpParams, now: u64) -> Result<Account, EnrollError> {
    let issuer = checked_label(issuer, "issuer")?;
    let name = checked_label(name, "account name")?;
    if issuer.is_empty() && name.is_empty() {
        return Err(EnrollError::Unlabelled);
    }
    Ok(Account::new(issuer, name, otp, now))
}

fn checked_label(text: String, field: &'static str) -> Result<String, EnrollError> {
    let trimmed = text.trim();
    let chars = trimmed.chars().count();
    if chars > MAX_LABEL_CHARS {
        return Err(EnrollError::LabelTooLong { field, chars });
    }
    Ok(trimmed.to_string())
}
