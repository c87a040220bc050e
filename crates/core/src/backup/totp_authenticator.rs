//! TOTP Authenticator's backup (the Android app by BinaryBoxx): base64 text of AES-256-CBC
//! ciphertext with PKCS#7 padding. The key is SHA-256 of the password's UTF-8 bytes and the
//! IV is sixteen zero bytes, so there is no salt and nothing to tell a wrong password from a
//! damaged file but the padding and the JSON inside.
//!
//! The plaintext is a JSON object with one member: its *name* is the accounts' JSON array,
//! as a string, and its value a timestamp. Each account has `issuer` (`Unknown` when the user
//! gave none: read as no issuer), `name`, `key` in the radix `base` names (16 hex, 32 base32,
//! 64 base64), `digits` and `period` as strings (empty for 6 and 30) and
//! `accountHeaderLabel`, the heading the app lists it under (kept as the group). The app
//! makes SHA1 time-based codes only.

use super::codec::{aes_cbc_open, from_base64, from_hex};
use super::fields::{imported, text_of, Checked, RawEntry};
use super::{BackupError, Format, Imported, Importer, Protection};
use crate::otp::Secret;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const FORMAT: Format = Format::TotpAuthenticator;
/// The issuer the app writes for an account without one.
const NO_ISSUER: &str = "Unknown";

/// TOTP Authenticator's backup.
pub struct TotpAuthenticator;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

/// The ciphertext, if `bytes` are base64 text of whole AES blocks.
fn ciphertext(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    (!decoded.is_empty() && decoded.len().is_multiple_of(16)).then_some(decoded)
}

impl Importer for TotpAuthenticator {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        ciphertext(bytes).map(|_| Protection::Encrypted)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let sealed = ciphertext(bytes)
            .ok_or_else(|| malformed("it is not base64 text of whole AES blocks"))?;
        let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
        let key: Zeroizing<[u8; 32]> = Zeroizing::new(Sha256::digest(password.as_bytes()).into());
        let plain = aes_cbc_open(FORMAT, key.as_ref(), &[0; 16], &sealed)?;
        // Without a MAC, a wrong key that leaves valid padding shows as text that is not JSON.
        let outer: Value =
            serde_json::from_slice(&plain).map_err(|_| BackupError::WrongPassword(FORMAT))?;
        let list = outer
            .as_object()
            .filter(|members| members.len() == 1)
            .and_then(|members| members.keys().next())
            .ok_or_else(|| malformed("its content is not an object with one member"))?;
        let accounts: Value = serde_json::from_str(list)
            .map_err(|err| malformed(format!("its list of accounts is not JSON ({err})")))?;
        let accounts = accounts
            .as_array()
            .ok_or_else(|| malformed("its list of accounts is not a list"))?;
        Ok(imported(FORMAT, accounts.iter().map(account)))
    }
}

/// A number the app keeps as a string, `None` when empty (the default); the text when it is
/// not a number.
fn number_text(account: &Value, key: &str) -> Result<Option<u64>, String> {
    match account.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => text.trim().parse().map(Some).map_err(|_| text.clone()),
        Some(other) => other.as_u64().map(Some).ok_or_else(|| other.to_string()),
    }
}

fn account(account: &Value) -> Checked {
    let issuer = match text_of(account, "issuer") {
        issuer if issuer == NO_ISSUER => String::new(),
        issuer => issuer,
    };
    let (digits, period) = (
        number_text(account, "digits"),
        number_text(account, "period"),
    );
    let raw = RawEntry {
        kind: "totp",
        issuer,
        name: text_of(account, "name"),
        algorithm: None,
        digits: digits.clone().unwrap_or_default(),
        period: period.clone().unwrap_or_default(),
        counter: None,
    };
    if let Err(text) = digits {
        return Err(raw.unusable(format!("its digit count {text:?} is not a number")));
    }
    if let Err(text) = period {
        return Err(raw.unusable(format!("its period {text:?} is not a number")));
    }
    let key = text_of(account, "key");
    let mut entry = match account.get("base").and_then(Value::as_u64) {
        Some(16) => match from_hex(FORMAT, "the key", key.trim()) {
            Ok(bytes) => raw.with_secret(Secret::from_bytes(bytes)),
            Err(_) => Err(raw.unusable("its key is not hexadecimal")),
        },
        Some(32) => raw.with_base32(&key),
        Some(64) => match from_base64(FORMAT, "the key", &key) {
            Ok(bytes) => raw.with_secret(Secret::from_bytes(bytes)),
            Err(_) => Err(raw.unusable("its key is not base64")),
        },
        _ => Err(raw.unusable("its key is in a radix the app does not write")),
    }?;
    entry.group = text_of(account, "accountHeaderLabel");
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cbc::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};

    fn sealed(plain: &str, password: &str) -> Vec<u8> {
        let key: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        let ciphertext = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &[0; 16])
            .unwrap()
            .encrypt_padded_vec_mut::<Pkcs7>(plain.as_bytes());
        super::super::codec::to_base64(&ciphertext).into_bytes()
    }

    #[test]
    fn every_radix_and_the_string_numbers_are_read() {
        let list = r#"[{"issuer":"Hex","name":"a","key":"3132333435363738393031323334353637383930","base":16,"digits":"8","period":"60"},
                      {"issuer":"Unknown","name":"b","key":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","base":32,"digits":"","period":""},
                      {"issuer":"B64","name":"c","key":"MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=","base":64,"digits":"","period":""},
                      {"issuer":"Odd","name":"d","key":"12","base":8},
                      {"issuer":"Slow","name":"e","key":"3132","base":16,"period":"1m"}]"#;
        let plain = serde_json::json!({ list: "1677872756" }).to_string();
        let file = sealed(&plain, "pw");
        assert_eq!(TotpAuthenticator.sniff(&file), Some(Protection::Encrypted));
        let imported = TotpAuthenticator.import(&file, Some("pw")).unwrap();
        let secrets: Vec<&[u8]> = imported
            .entries
            .iter()
            .map(|e| e.otp.secret.as_bytes())
            .collect();
        assert_eq!(secrets, [b"12345678901234567890"; 3]);
        assert_eq!(imported.entries[0].otp.digits, 8);
        assert_eq!(
            imported.entries[0].otp.kind,
            crate::otp::OtpKind::Totp { period: 60 }
        );
        assert_eq!(imported.entries[1].issuer, "");
        assert_eq!(imported.unusable[0].label, "Odd (d)");
        assert!(
            imported.unusable[1].reason.contains("\"1m\""),
            "{}",
            imported.unusable[1].reason
        );
        assert!(matches!(
            TotpAuthenticator.import(&file, Some("not it")),
            Err(BackupError::WrongPassword(_))
        ));
    }
}
