//! Authenticator Pro's backup (the app is now called Stratum): JSON with `Authenticators`,
//! plain or encrypted, and its HTML export (see `authenticator_pro_html`).
//!
//! Encrypted files of version 1.15 and later start with `AUTHENTICATORPRO`, then a 16-byte
//! salt, a 12-byte nonce and AES-256-GCM ciphertext; the key is Argon2id (3 passes, 64 MiB, 4
//! lanes) of the password. Older ones start with `AuthenticatorPro`, then a 20-byte salt, a
//! 16-byte IV and AES-256-CBC ciphertext (PKCS#7); the key is PBKDF2-HMAC-SHA1 of the password
//! with 64 000 iterations. Both decrypt to the plain JSON.
//!
//! `Type` is 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex; `Algorithm` 0, 1, 2 is SHA1, SHA256,
//! SHA512. Categories are kept as the account's group.

use super::authenticator_pro_html;
use super::codec::{aes_cbc_open, aes_gcm_open, pbkdf2_sha1};
use super::fields::{imported, text_of, RawEntry};
use super::{BackupError, Format, Imported, Importer, Protection};
use serde_json::Value;
use std::collections::HashMap;
use zeroize::Zeroizing;

const FORMAT: Format = Format::AuthenticatorPro;
const HEADER: &[u8] = b"AUTHENTICATORPRO";
const LEGACY_HEADER: &[u8] = b"AuthenticatorPro";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const LEGACY_SALT_LEN: usize = 20;
const LEGACY_IV_LEN: usize = 16;
/// The legacy format's fixed PBKDF2 cost.
const LEGACY_ITERATIONS: u32 = 64_000;

/// Authenticator Pro / Stratum backups.
pub struct AuthenticatorPro;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for AuthenticatorPro {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        if bytes.starts_with(HEADER) || bytes.starts_with(LEGACY_HEADER) {
            return Some(Protection::Encrypted);
        }
        if authenticator_pro_html::looks_like(bytes) {
            return Some(Protection::Plain);
        }
        let value: Value = serde_json::from_slice(bytes).ok()?;
        value.get("Authenticators")?.as_array()?;
        Some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let value: Value = if let Some(sealed) = bytes.strip_prefix(LEGACY_HEADER) {
            let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
            let plain = decrypt_legacy(sealed, password)?;
            // CBC has no tag: a wrong key that happens to leave valid padding shows here.
            serde_json::from_slice(&plain).map_err(|_| BackupError::WrongPassword(FORMAT))?
        } else if let Some(sealed) = bytes.strip_prefix(HEADER) {
            let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
            let plain = decrypt(sealed, password)?;
            serde_json::from_slice(&plain)
                .map_err(|err| malformed(format!("its decrypted content is not JSON ({err})")))?
        } else if authenticator_pro_html::looks_like(bytes) {
            return authenticator_pro_html::read(bytes);
        } else {
            serde_json::from_slice(bytes)
                .map_err(|err| malformed(format!("it is not JSON ({err})")))?
        };
        read(&value)
    }
}

fn decrypt(sealed: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if sealed.len() < SALT_LEN + NONCE_LEN + 16 {
        return Err(malformed("the file is too short to be an encrypted backup"));
    }
    let (salt, rest) = sealed.split_at(SALT_LEN);
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let params = argon2::Params::new(64 * 1024, 3, 4, Some(32))
        .map_err(|err| malformed(format!("bad key derivation parameters: {err}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .map_err(|err| malformed(format!("key derivation failed: {err}")))?;
    aes_gcm_open(FORMAT, key.as_ref(), nonce, ciphertext)
}

fn decrypt_legacy(sealed: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if sealed.len() < LEGACY_SALT_LEN + LEGACY_IV_LEN + 16 {
        return Err(malformed("the file is too short to be an encrypted backup"));
    }
    let (salt, rest) = sealed.split_at(LEGACY_SALT_LEN);
    let (iv, ciphertext) = rest.split_at(LEGACY_IV_LEN);
    let key = pbkdf2_sha1(FORMAT, password, salt, LEGACY_ITERATIONS)?;
    aes_cbc_open(FORMAT, key.as_ref(), iv, ciphertext)
}

fn read(value: &Value) -> Result<Imported, BackupError> {
    let authenticators = value
        .get("Authenticators")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("it has no \"Authenticators\" list"))?;
    let categories: HashMap<&str, &str> = value
        .get("Categories")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|c| Some((c.get("Id")?.as_str()?, c.get("Name")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let category_of: HashMap<&str, &str> = value
        .get("AuthenticatorCategories")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|link| {
                    let secret = link.get("AuthenticatorSecret")?.as_str()?;
                    let category = categories.get(link.get("CategoryId")?.as_str()?)?;
                    Some((secret, *category))
                })
                .collect()
        })
        .unwrap_or_default();
    let checked = authenticators.iter().map(|auth| {
        let text = |key: &str| text_of(auth, key);
        let kind = match auth.get("Type").and_then(Value::as_u64) {
            Some(1) => "hotp",
            Some(2) => "totp",
            Some(3) => "mOTP",
            Some(4) => "steam",
            Some(5) => "Yandex",
            _ => "unknown",
        };
        let algorithm = match auth.get("Algorithm").and_then(Value::as_u64) {
            Some(0) | None => "SHA1",
            Some(1) => "SHA256",
            Some(2) => "SHA512",
            Some(_) => "unknown",
        };
        let raw = RawEntry {
            kind,
            issuer: text("Issuer"),
            name: text("Username"),
            algorithm: Some(algorithm),
            digits: auth.get("Digits").and_then(Value::as_u64),
            period: auth.get("Period").and_then(Value::as_u64),
            counter: auth.get("Counter").and_then(Value::as_u64),
        };
        let secret = text("Secret");
        let mut entry = raw.with_base32(&secret)?;
        if let Some(category) = category_of.get(secret.as_str()) {
            entry.group = category.to_string();
        }
        Ok(entry)
    });
    Ok(imported(FORMAT, checked))
}
