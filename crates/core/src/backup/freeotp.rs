//! FreeOTP 2's backup: a Java-serialized `HashMap<String, String>` (read by `java_serial`).
//!
//! The key `masterKey` holds JSON `{mAlgorithm, mIterations, mSalt, mEncryptedKey}`: the
//! master key is the AES-256-GCM decryption of `mEncryptedKey` under PBKDF2 (`mAlgorithm`,
//! e.g. `PBKDF2withHmacSHA512`) of the password with `mSalt`, 32 bytes. Each token has two
//! keys: `<uuid>` holds `{"key": "<JSON of an encrypted key>"}`, whose decryption under the
//! master key is the token's secret, and `<uuid>-token` the token's JSON.
//!
//! An encrypted key is `{mCipher "AES/GCM/NoPadding", mCipherText, mParameters, mToken}`: byte
//! arrays are of Java's signed bytes, `mParameters` is a DER `GCMParameters` (IV, tag length)
//! and `mToken` is the additional data (`AES` for the master key; `HmacSHA1`, `HmacSHA256` or
//! `HmacSHA512` for a secret, which also names the token's default algorithm). The token JSON
//! leaves defaults out: no `digits` is 6, no `period` 30, no `algo` the key's algorithm. Its
//! HOTP `counter` is the otpauth value: FreeOTP 2 dropped the "minus one" of FreeOTP 1.

use super::codec::{aes_gcm_open_with, pbkdf2_sha1, pbkdf2_sha256, pbkdf2_sha512};
use super::fields::{imported, text_of, Checked, RawEntry};
use super::java_serial::read_string_map;
use super::{BackupError, Format, Imported, Importer, Protection};
use crate::otp::Secret;
use serde_json::Value;
use std::collections::HashMap;
use zeroize::Zeroizing;

const FORMAT: Format = Format::FreeOtp;
const MASTER_KEY: &str = "masterKey";
const TOKEN_SUFFIX: &str = "-token";
/// The start of every backup: serialization magic and version, then a new object of a new
/// class named `java.util.HashMap`.
const SIGNATURE: &[u8] = b"\xAC\xED\x00\x05\x73\x72\x00\x11java.util.HashMap";
/// The only cipher FreeOTP 2 writes, and the tag length it uses.
const CIPHER: &str = "AES/GCM/NoPadding";
const TAG_LEN: u8 = 16;

/// FreeOTP 2's backup.
pub struct FreeOtp;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for FreeOtp {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        bytes
            .starts_with(SIGNATURE)
            .then_some(Protection::Encrypted)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let map = read_string_map(bytes).map_err(|err| malformed(err.to_string()))?;
        let values: HashMap<&str, &str> = map
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        let master = values
            .get(MASTER_KEY)
            .ok_or_else(|| malformed("it has no master key"))?;
        let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
        let master = open_master_key(&json(master, "the master key")?, password)?;
        // Tokens in the order the stream lists them; their keys are looked up by UUID.
        let checked: Vec<Checked> = map
            .iter()
            .filter_map(|(key, value)| Some((key.strip_suffix(TOKEN_SUFFIX)?, value)))
            .map(|(uuid, token)| {
                let token = json(token, "a token")?;
                Ok(read_token(&token, values.get(uuid).copied(), &master))
            })
            .collect::<Result<_, BackupError>>()?;
        Ok(imported(FORMAT, checked))
    }
}

fn json(text: &str, what: &str) -> Result<Value, BackupError> {
    serde_json::from_str(text).map_err(|err| malformed(format!("{what} is not JSON ({err})")))
}

/// A JSON array of Java's signed bytes.
fn signed_bytes(value: &Value, key: &str) -> Option<Vec<u8>> {
    value
        .get(key)?
        .as_array()?
        .iter()
        .map(|b| {
            b.as_i64()
                .and_then(|b| i8::try_from(b).ok())
                .map(|b| b as u8)
        })
        .collect()
}

/// The IV of a DER `GCMParameters ::= SEQUENCE { OCTET STRING iv, INTEGER tagLength }`, if
/// the tag length is the one AES-GCM here checks.
fn gcm_iv(der: &[u8]) -> Option<&[u8]> {
    let (&[0x30, len], body) = der.split_first_chunk::<2>()? else {
        return None;
    };
    if usize::from(len) != body.len() {
        return None;
    }
    let (&[0x04, iv_len], rest) = body.split_first_chunk::<2>()? else {
        return None;
    };
    let (iv, rest) = rest.split_at_checked(usize::from(iv_len))?;
    (rest == [0x02, 0x01, TAG_LEN]).then_some(iv)
}

/// Opens an encrypted key under `key`; its `mToken` is the additional data.
fn open_key(encrypted: &Value, key: &[u8]) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if text_of(encrypted, "mCipher") != CIPHER {
        return Err(BackupError::Unsupported {
            format: FORMAT,
            detail: format!(
                "a key is encrypted with {:?}, not {CIPHER}",
                text_of(encrypted, "mCipher")
            ),
        });
    }
    let ciphertext = signed_bytes(encrypted, "mCipherText")
        .ok_or_else(|| malformed("an encrypted key has no cipher text"))?;
    let parameters = signed_bytes(encrypted, "mParameters")
        .ok_or_else(|| malformed("an encrypted key has no parameters"))?;
    let iv = gcm_iv(&parameters).ok_or_else(|| {
        malformed("an encrypted key's parameters are not a 12-byte IV with a 16-byte tag")
    })?;
    let aad = text_of(encrypted, "mToken");
    aes_gcm_open_with(FORMAT, key, iv, &ciphertext, aad.as_bytes())
}

fn open_master_key(master: &Value, password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let salt =
        signed_bytes(master, "mSalt").ok_or_else(|| malformed("the master key has no salt"))?;
    let iterations = master
        .get("mIterations")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| malformed("the master key has no iteration count"))?;
    let algorithm = text_of(master, "mAlgorithm");
    let derive = match algorithm.to_ascii_uppercase().as_str() {
        "PBKDF2WITHHMACSHA512" => pbkdf2_sha512,
        "PBKDF2WITHHMACSHA256" => pbkdf2_sha256,
        "PBKDF2WITHHMACSHA1" => pbkdf2_sha1,
        _ => {
            return Err(BackupError::Unsupported {
                format: FORMAT,
                detail: format!("its master key is derived with {algorithm:?}"),
            })
        }
    };
    let key = derive(FORMAT, password, &salt, iterations)?;
    let encrypted = master
        .get("mEncryptedKey")
        .ok_or_else(|| malformed("the master key has no encrypted key"))?;
    let master = open_key(encrypted, key.as_ref())?;
    if master.len() != 32 {
        return Err(malformed("its master key is not an AES-256 key"));
    }
    Ok(master)
}

/// One token with its secret; a token whose key is missing or does not open is named.
fn read_token(token: &Value, key: Option<&str>, master: &[u8]) -> Checked {
    let issuer = match text_of(token, "issuerExt") {
        issuer if issuer.is_empty() => text_of(token, "issuerInt"),
        issuer => issuer,
    };
    let mut raw = RawEntry {
        kind: token.get("type").and_then(Value::as_str).unwrap_or(""),
        issuer,
        name: text_of(token, "label"),
        algorithm: token.get("algo").and_then(Value::as_str),
        digits: token.get("digits").and_then(Value::as_u64),
        period: token.get("period").and_then(Value::as_u64),
        counter: token.get("counter").and_then(Value::as_u64),
    };
    let encrypted = key
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .and_then(|wrapper| wrapper.get("key")?.as_str().map(str::to_owned))
        .and_then(|text| serde_json::from_str::<Value>(&text).ok());
    let Some(encrypted) = encrypted else {
        return Err(raw.unusable("its key is missing from the backup"));
    };
    let secret = match open_key(&encrypted, master) {
        Ok(secret) => secret,
        Err(err) => return Err(raw.unusable(format!("its key does not open: {err}"))),
    };
    let key_algorithm = encrypted.get("mToken").and_then(Value::as_str);
    raw.algorithm = raw.algorithm.or(key_algorithm);
    raw.with_secret(Secret::from_bytes(secret.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcm_parameters_are_read_from_their_der() {
        let mut der = vec![0x30, 17, 0x04, 12];
        der.extend([7u8; 12]);
        der.extend([0x02, 0x01, 16]);
        assert_eq!(gcm_iv(&der), Some(&[7u8; 12][..]));
        let mut short_tag = der.clone();
        short_tag[18] = 12;
        assert_eq!(gcm_iv(&short_tag), None);
        assert_eq!(gcm_iv(&der[..10]), None);
        let mut long_iv = der.clone();
        long_iv[3] = 200;
        assert_eq!(gcm_iv(&long_iv), None);
    }

    #[test]
    fn signed_bytes_are_java_bytes() {
        let value = serde_json::json!({"a": [-1, 0, 127, -128], "b": [128], "c": "x"});
        assert_eq!(signed_bytes(&value, "a"), Some(vec![0xFF, 0, 0x7F, 0x80]));
        assert_eq!(signed_bytes(&value, "b"), None);
        assert_eq!(signed_bytes(&value, "c"), None);
    }
}
