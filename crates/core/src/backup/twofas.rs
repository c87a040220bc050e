//! 2FAS Authenticator's `.2fas` backup (schema 4), plain or password-encrypted.
//!
//! The service's `name` is what 2FAS shows as the issuer, `otp.account` the account. An
//! encrypted file keeps `services` empty and holds `servicesEncrypted`: base64 ciphertext (tag
//! appended), salt and IV joined by `:`; the key is PBKDF2-HMAC-SHA256 of the password.

use super::codec::{aes_gcm_open, from_base64, pbkdf2_sha256};
use super::fields::{imported, text_of, RawEntry};
use super::{BackupError, Format, Imported, Importer, Protection};
use serde_json::Value;
use std::collections::HashMap;

const FORMAT: Format = Format::TwoFas;
/// The iteration count 2FAS uses for its backups.
const PBKDF2_ITERATIONS: u32 = 10_000;

/// 2FAS's backup.
pub struct TwoFas;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for TwoFas {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        value.get("schemaVersion")?.as_u64()?;
        value.get("services")?.as_array()?;
        Some(match value.get("servicesEncrypted") {
            Some(Value::String(_)) => Protection::Encrypted,
            _ => Protection::Plain,
        })
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let file: Value = serde_json::from_slice(bytes)
            .map_err(|err| malformed(format!("it is not JSON ({err})")))?;
        let schema = file
            .get("schemaVersion")
            .and_then(Value::as_u64)
            .ok_or_else(|| malformed("it has no schemaVersion"))?;
        if !(1..=4).contains(&schema) {
            return Err(BackupError::Unsupported {
                format: FORMAT,
                detail: format!("schema version {schema} is not known"),
            });
        }
        let services = match file.get("servicesEncrypted").and_then(Value::as_str) {
            Some(sealed) => {
                let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
                let plain = decrypt(sealed, password)?;
                serde_json::from_slice(&plain).map_err(|err| {
                    malformed(format!("its decrypted services are not JSON ({err})"))
                })?
            }
            None => file.get("services").cloned().unwrap_or(Value::Null),
        };
        let services = services
            .as_array()
            .ok_or_else(|| malformed("its services are not a list"))?;
        let groups: HashMap<&str, &str> = file
            .get("groups")
            .and_then(Value::as_array)
            .map(|groups| {
                groups
                    .iter()
                    .filter_map(|g| Some((g.get("id")?.as_str()?, g.get("name")?.as_str()?)))
                    .collect()
            })
            .unwrap_or_default();
        let checked = services.iter().map(|service| {
            let otp = service.get("otp").cloned().unwrap_or(Value::Null);
            let issuer = match text_of(service, "name") {
                name if name.is_empty() => text_of(&otp, "issuer"),
                name => name,
            };
            let raw = RawEntry {
                kind: otp
                    .get("tokenType")
                    .and_then(Value::as_str)
                    .unwrap_or("TOTP"),
                issuer,
                name: text_of(&otp, "account"),
                algorithm: otp.get("algorithm").and_then(Value::as_str),
                digits: otp.get("digits").and_then(Value::as_u64),
                period: otp.get("period").and_then(Value::as_u64),
                counter: otp.get("counter").and_then(Value::as_u64),
            };
            let mut entry = raw.with_base32(&text_of(service, "secret"))?;
            if let Some(group) = service
                .get("groupId")
                .and_then(Value::as_str)
                .and_then(|id| groups.get(id))
            {
                entry.group = group.to_string();
            }
            Ok(entry)
        });
        Ok(imported(FORMAT, checked))
    }
}

fn decrypt(sealed: &str, password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
    let parts: Vec<&str> = sealed.split(':').collect();
    let [ciphertext, salt, iv] = parts.as_slice() else {
        return Err(malformed(
            "servicesEncrypted must be three base64 parts joined by ':'",
        ));
    };
    let ciphertext = from_base64(FORMAT, "the encrypted services", ciphertext)?;
    let salt = from_base64(FORMAT, "the salt", salt)?;
    let iv = from_base64(FORMAT, "the IV", iv)?;
    let key = pbkdf2_sha256(FORMAT, password, &salt, PBKDF2_ITERATIONS)?;
    aes_gcm_open(FORMAT, key.as_ref(), &iv, &ciphertext)
}
