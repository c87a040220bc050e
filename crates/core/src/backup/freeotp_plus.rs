//! FreeOTP+'s JSON export: `tokens` with secrets as arrays of signed bytes (Java's `byte`).
//! FreeOTP keeps an HOTP counter one below the otpauth value and adds one when it exports a
//! URI; Tessera stores the otpauth value, so it adds one too.

use super::fields::{imported, text_of, RawEntry};
use super::{BackupError, Format, Imported, Importer, Protection};
use crate::otp::Secret;
use serde_json::Value;

const FORMAT: Format = Format::FreeOtpPlus;

/// FreeOTP+'s export.
pub struct FreeOtpPlus;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for FreeOtpPlus {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        value.get("tokens")?.as_array()?;
        Some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], _password: Option<&str>) -> Result<Imported, BackupError> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|err| malformed(format!("it is not JSON ({err})")))?;
        let tokens = value
            .get("tokens")
            .and_then(Value::as_array)
            .ok_or_else(|| malformed("it has no \"tokens\" list"))?;
        let checked = tokens.iter().map(|token| {
            let text = |key: &str| text_of(token, key);
            let issuer = match text("issuerExt") {
                issuer if issuer.is_empty() => text("issuerInt"),
                issuer => issuer,
            };
            let raw = RawEntry {
                kind: token.get("type").and_then(Value::as_str).unwrap_or(""),
                issuer,
                name: text("label"),
                algorithm: token.get("algo").and_then(Value::as_str),
                digits: token.get("digits").and_then(Value::as_u64),
                period: token.get("period").and_then(Value::as_u64),
                counter: token
                    .get("counter")
                    .and_then(Value::as_u64)
                    .map(|c| c.saturating_add(1)),
            };
            let bytes: Option<Vec<u8>> =
                token
                    .get("secret")
                    .and_then(Value::as_array)
                    .and_then(|items| {
                        items
                            .iter()
                            .map(|b| {
                                b.as_i64()
                                    .and_then(|b| i8::try_from(b).ok())
                                    .map(|b| b as u8)
                            })
                            .collect()
                    });
            match bytes {
                Some(bytes) => raw.with_secret(Secret::from_bytes(bytes)),
                None => Err(raw.unusable("its secret is not a list of bytes")),
            }
        });
        Ok(imported(FORMAT, checked))
    }
}
