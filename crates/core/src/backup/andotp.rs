//! andOTP's backup: a JSON array of entries, or that array encrypted with a password.
//!
//! Encrypted layout: iteration count (4 bytes, big-endian), salt (12 bytes), nonce (12 bytes),
//! then AES-256-GCM ciphertext with its tag; the key is PBKDF2-HMAC-SHA1 of the password.
//! Older versions wrote just a nonce and the ciphertext, keyed by SHA-256 of the password.

use super::codec::{aes_gcm_open, pbkdf2_sha1};
use super::fields::{imported, text_of, RawEntry};
use super::{BackupError, Format, Imported, Importer, Protection};
use serde_json::Value;

const FORMAT: Format = Format::AndOtp;
const HEADER_LEN: usize = 4 + 12 + 12;
const TAG_LEN: usize = 16;
/// andOTP picks its iteration count at random in this range; detection only claims files
/// whose first four bytes fall inside it (`--format andotp` accepts any sane count).
const WRITTEN_ITERATIONS: std::ops::RangeInclusive<u32> = 100_000..=200_000;

/// andOTP's backup.
pub struct AndOtp;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

fn looks_plain(value: &Value) -> bool {
    value.as_array().is_some_and(|entries| {
        entries
            .first()
            .is_some_and(|e| e.get("secret").is_some() && e.get("type").is_some())
    })
}

impl Importer for AndOtp {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
            return looks_plain(&value).then_some(Protection::Plain);
        }
        let iterations = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?);
        (bytes.len() > HEADER_LEN + TAG_LEN && WRITTEN_ITERATIONS.contains(&iterations))
            .then_some(Protection::Encrypted)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let value: Value = match serde_json::from_slice(bytes) {
            Ok(value) => value,
            Err(_) if bytes.first() != Some(&b'[') => {
                return import_encrypted(bytes, password);
            }
            Err(err) => return Err(malformed(format!("it is not JSON ({err})"))),
        };
        read(&value)
    }
}

/// Reads an encrypted backup, of either layout: the current one first, then the one of
/// versions before 0.6.3, which has no header to tell it apart.
pub(super) fn import_encrypted(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<Imported, BackupError> {
    let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
    let plain = match decrypt(bytes, password) {
        Ok(plain) => plain,
        Err(BackupError::WrongPassword(_) | BackupError::Malformed { .. }) => {
            decrypt_old(bytes, password)?
        }
        Err(err) => return Err(err),
    };
    let value: Value = serde_json::from_slice(&plain)
        .map_err(|err| malformed(format!("its decrypted content is not JSON ({err})")))?;
    read(&value)
}

fn read(value: &Value) -> Result<Imported, BackupError> {
    let entries = value
        .as_array()
        .ok_or_else(|| malformed("it is not a list of entries"))?;
    let checked = entries.iter().map(|entry| {
        let text = |key: &str| text_of(entry, key);
        let raw = RawEntry {
            kind: entry.get("type").and_then(Value::as_str).unwrap_or(""),
            issuer: text("issuer"),
            name: text("label"),
            algorithm: entry.get("algorithm").and_then(Value::as_str),
            digits: entry.get("digits").and_then(Value::as_u64),
            period: entry.get("period").and_then(Value::as_u64),
            counter: entry.get("counter").and_then(Value::as_u64),
        };
        let mut checked = raw.with_base32(&text("secret"))?;
        checked.group = entry
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|tags| tags.first())
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        Ok(checked)
    });
    Ok(imported(FORMAT, checked))
}

/// More iterations than andOTP ever wrote: such a file is of the older layout.
const MAX_WRITTEN_ITERATIONS: u32 = 1_000_000;

fn decrypt(bytes: &[u8], password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
    if bytes.len() <= HEADER_LEN + TAG_LEN {
        return Err(malformed("the file is too short to be an encrypted backup"));
    }
    let iterations = u32::from_be_bytes(bytes[..4].try_into().expect("four bytes"));
    if iterations > MAX_WRITTEN_ITERATIONS {
        return Err(malformed("its iteration count is not one andOTP writes"));
    }
    let salt = &bytes[4..16];
    let nonce = &bytes[16..28];
    let key = pbkdf2_sha1(FORMAT, password, salt, iterations)?;
    aes_gcm_open(FORMAT, key.as_ref(), nonce, &bytes[HEADER_LEN..])
}

/// The layout of andOTP before 0.6.3: nonce and ciphertext, keyed by SHA-256 of the password.
fn decrypt_old(bytes: &[u8], password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
    use sha2::Digest;
    if bytes.len() <= 12 + TAG_LEN {
        return Err(malformed("the file is too short to be an encrypted backup"));
    }
    let key: zeroize::Zeroizing<[u8; 32]> =
        zeroize::Zeroizing::new(sha2::Sha256::digest(password.as_bytes()).into());
    aes_gcm_open(FORMAT, key.as_ref(), &bytes[..12], &bytes[12..])
}
