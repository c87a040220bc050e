//! Raivo OTP's export: a ZIP archive, WinZip AES encrypted (AES-256, method 99) with the
//! password chosen at export, holding `raivo-otp-export.json` and a printable
//! `raivo-otp-export.html`. Only the JSON is read.
//!
//! The JSON is an array of `{issuer, account, secret, algorithm, digits, kind, timer, counter,
//! iconType, iconValue, pinned}`, every number written as a string; `kind` is `TOTP` or `HOTP`
//! and `timer` the period. Raivo accepted seeds that are not base32 (digits such as `8` and
//! `9`): such entries are named as unusable, never imported with a guessed secret.

use super::fields::{imported, text_of, RawEntry};
use super::zipped::{self, Listed};
use super::{BackupError, Format, Imported, Importer, Protection};
use serde_json::Value;

const FORMAT: Format = Format::Raivo;
const JSON_NAME: &str = "raivo-otp-export.json";

/// Raivo OTP's ZIP export.
pub struct Raivo;

fn is_json(name: &str) -> bool {
    name.rsplit('/').next() == Some(JSON_NAME)
}

fn is_raivo(listed: &[Listed]) -> bool {
    listed.iter().any(|member| is_json(&member.name))
}

/// A number Raivo wrote as a string (or, should a version write it so, as a number).
fn number(entry: &Value, key: &str) -> Option<u64> {
    match entry.get(key)? {
        Value::String(text) => text.trim().parse().ok(),
        value => value.as_u64(),
    }
}

impl Importer for Raivo {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let listed = zipped::list(bytes)?;
        is_raivo(&listed).then(|| zipped::protection(&listed))
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let members = zipped::read_all(FORMAT, bytes, password)?;
        let json = members
            .iter()
            .find(|member| is_json(&member.name))
            .ok_or_else(|| BackupError::malformed(FORMAT, format!("it has no {JSON_NAME}")))?;
        let value: Value = serde_json::from_slice(&json.data).map_err(|err| {
            BackupError::malformed(FORMAT, format!("{JSON_NAME} is not JSON ({err})"))
        })?;
        let list = value
            .as_array()
            .ok_or_else(|| BackupError::malformed(FORMAT, format!("{JSON_NAME} is not a list")))?;
        let checked = list.iter().map(|entry| {
            let kind = text_of(entry, "kind");
            let algorithm = text_of(entry, "algorithm");
            let raw = RawEntry {
                kind: &kind,
                issuer: text_of(entry, "issuer"),
                name: text_of(entry, "account"),
                algorithm: (!algorithm.is_empty()).then_some(algorithm.as_str()),
                digits: number(entry, "digits"),
                period: number(entry, "timer"),
                counter: number(entry, "counter"),
            };
            raw.with_base32(&text_of(entry, "secret"))
        });
        Ok(imported(FORMAT, checked))
    }
}
