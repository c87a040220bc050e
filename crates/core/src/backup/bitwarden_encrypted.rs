//! Bitwarden's encrypted JSON exports (`"encrypted": true`).
//!
//! A password-protected export (`"passwordProtected": true`) carries its key derivation: the
//! master key is PBKDF2-HMAC-SHA256 of the password (`kdfType` 0, `kdfIterations`) or
//! Argon2id (`kdfType` 1: `kdfIterations` passes, `kdfMemory` MiB, `kdfParallelism` lanes,
//! salted with SHA-256 of the salt). The salt is the `salt` text's UTF-8 bytes, not its base64
//! decoding. HKDF-Expand-SHA256 of the master key gives an encryption key (info `enc`) and a
//! MAC key (info `mac`). `encKeyValidation_DO_NOT_EDIT` and `data` are cipher strings
//! `2.<iv>|<ciphertext>|<mac>` (base64 parts; type 2 is AES-256-CBC with HMAC-SHA256 over IV
//! and ciphertext); `data` opens to an unencrypted JSON export.
//!
//! An "account restricted" export has no key derivation at all: each field is encrypted with
//! the account's vault key, which only Bitwarden's servers can give back. It is refused with
//! that explanation.

use super::codec::{aes_cbc_open, from_base64, pbkdf2_sha256};
use super::{BackupError, Format};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const FORMAT: Format = Format::Bitwarden;
/// Bitwarden's own ceilings for Argon2id (1 GiB, 10 passes, 16 lanes), above which a file is
/// refused before deriving.
const MAX_ARGON2_MEMORY_MIB: u64 = 1024;
const MAX_ARGON2_PASSES: u64 = 10;
const MAX_ARGON2_LANES: u64 = 16;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

/// Whether an encrypted export can be opened with a password at all.
pub fn password_protected(export: &Value) -> bool {
    export.get("passwordProtected").and_then(Value::as_bool) == Some(true)
}

/// The unencrypted export inside `export`, opened with `password`.
pub fn open(export: &Value, password: Option<&str>) -> Result<Value, BackupError> {
    if !password_protected(export) {
        return Err(BackupError::Unsupported {
            format: FORMAT,
            detail: "it is an \"account restricted\" export, encrypted with the Bitwarden \
                     account's own key, which is not in the file: no password can open it. \
                     Export again from Bitwarden as \"Password protected\" or unencrypted JSON"
                .into(),
        });
    }
    let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
    let keys = derive_keys(export, password)?;
    let text = |key: &str| {
        export
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| malformed(format!("it has no {key:?} text")))
    };
    // The validation string is checked first so that a wrong password is named as such.
    open_cipher_string(&keys, text("encKeyValidation_DO_NOT_EDIT")?)?;
    let data = open_cipher_string(&keys, text("data")?)?;
    serde_json::from_slice(&data)
        .map_err(|err| malformed(format!("its decrypted data is not JSON ({err})")))
}

/// The encryption and MAC keys.
struct Keys {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

fn number(export: &Value, key: &str) -> Result<u64, BackupError> {
    export
        .get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| malformed(format!("it has no {key:?} number")))
}

fn derive_keys(export: &Value, password: &str) -> Result<Keys, BackupError> {
    let salt = export
        .get("salt")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("it has no \"salt\" text"))?;
    let iterations = number(export, "kdfIterations")?;
    let master = match number(export, "kdfType")? {
        0 => {
            let iterations = u32::try_from(iterations)
                .map_err(|_| malformed("its PBKDF2 iteration count is out of range"))?;
            pbkdf2_sha256(FORMAT, password, salt.as_bytes(), iterations)?
        }
        1 => {
            let memory = number(export, "kdfMemory")?;
            let lanes = number(export, "kdfParallelism")?;
            if memory > MAX_ARGON2_MEMORY_MIB
                || iterations > MAX_ARGON2_PASSES
                || lanes > MAX_ARGON2_LANES
            {
                return Err(malformed(format!(
                    "its key derivation asks for {memory} MiB, {iterations} passes and \
                     {lanes} lanes; at most {MAX_ARGON2_MEMORY_MIB} MiB, \
                     {MAX_ARGON2_PASSES} passes and {MAX_ARGON2_LANES} lanes are accepted"
                )));
            }
            // Within the caps every value fits a u32.
            let params = argon2::Params::new(
                (memory * 1024) as u32,
                iterations as u32,
                lanes as u32,
                Some(32),
            )
            .map_err(|err| malformed(format!("bad key derivation parameters: {err}")))?;
            let argon =
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
            let salt = Sha256::digest(salt.as_bytes());
            let mut key = Zeroizing::new([0u8; 32]);
            argon
                .hash_password_into(password.as_bytes(), &salt, key.as_mut())
                .map_err(|err| malformed(format!("key derivation failed: {err}")))?;
            key
        }
        other => {
            return Err(BackupError::Unsupported {
                format: FORMAT,
                detail: format!("its key derivation type {other} is not one Bitwarden uses"),
            })
        }
    };
    let expand = hkdf::Hkdf::<Sha256>::from_prk(master.as_ref())
        .map_err(|_| malformed("its master key has the wrong length"))?;
    let mut keys = Keys {
        enc: Zeroizing::new([0u8; 32]),
        mac: Zeroizing::new([0u8; 32]),
    };
    // 32 bytes is one HKDF block: expanding cannot fail.
    expand
        .expand(b"enc", keys.enc.as_mut())
        .and_then(|()| expand.expand(b"mac", keys.mac.as_mut()))
        .map_err(|_| malformed("key expansion failed"))?;
    Ok(keys)
}

/// Opens a type 2 cipher string, checking its MAC before decrypting.
fn open_cipher_string(keys: &Keys, text: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let body = text.strip_prefix("2.").ok_or_else(|| {
        malformed("its cipher strings are not of type 2 (AES-256-CBC with HMAC-SHA256)")
    })?;
    let mut parts = body.split('|');
    let (Some(iv), Some(ciphertext), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("a cipher string does not have three parts"));
    };
    let iv = from_base64(FORMAT, "a cipher string's IV", iv)?;
    let ciphertext = from_base64(FORMAT, "a cipher string's ciphertext", ciphertext)?;
    let mac = from_base64(FORMAT, "a cipher string's MAC", mac)?;
    let mut check = <Hmac<Sha256> as Mac>::new_from_slice(keys.mac.as_ref())
        .map_err(|_| malformed("its MAC key has the wrong length"))?;
    check.update(&iv);
    check.update(&ciphertext);
    check
        .verify_slice(&mac)
        .map_err(|_| BackupError::WrongPassword(FORMAT))?;
    aes_cbc_open(FORMAT, keys.enc.as_ref(), &iv, &ciphertext)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hostile_key_derivation_costs_are_refused_before_deriving() {
        let export = json!({
            "encrypted": true, "passwordProtected": true, "salt": "c2FsdA==",
            "kdfType": 1, "kdfIterations": 3, "kdfMemory": 1u64 << 40, "kdfParallelism": 4,
            "encKeyValidation_DO_NOT_EDIT": "2.AA==|AA==|AA==", "data": "2.AA==|AA==|AA==",
        });
        let err = open(&export, Some("x")).unwrap_err();
        assert!(err.to_string().contains("MiB"), "{err}");
        let mut pbkdf2 = export.clone();
        pbkdf2["kdfType"] = json!(0);
        pbkdf2["kdfIterations"] = json!(u64::MAX);
        assert!(open(&pbkdf2, Some("x")).is_err());
    }

    #[test]
    fn a_cipher_string_with_a_wrong_mac_is_a_wrong_password() {
        let keys = Keys {
            enc: Zeroizing::new([1; 32]),
            mac: Zeroizing::new([2; 32]),
        };
        let forged = format!("2.{0}|{0}|{0}", super::super::codec::to_base64(&[0; 16]));
        assert!(matches!(
            open_cipher_string(&keys, &forged),
            Err(BackupError::WrongPassword(_))
        ));
        assert!(open_cipher_string(&keys, "0.AA==|AA==").is_err());
        assert!(open_cipher_string(&keys, "2.AA==|AA==").is_err());
    }

    #[test]
    fn an_account_restricted_export_is_refused_with_the_reason() {
        let export = json!({"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.x", "items": []});
        let err = open(&export, Some("anything")).unwrap_err();
        assert!(err.to_string().contains("account restricted"), "{err}");
    }
}
