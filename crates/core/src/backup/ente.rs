//! Ente Auth's exports: the plain text one (otpauth URIs with Ente's `codeDisplay` parameter)
//! and the encrypted one, a JSON envelope around the same text: Argon2id (`kdfParams`) derives
//! the key, libsodium's secretstream (`encryptionNonce` is its header) seals the data.

use super::secretstream::{Pull, PullError, HEADER_LEN, TAG_FINAL, TAG_MESSAGE};
use super::uri_list::{import_lines, sniff_lines};
use super::{codec::from_base64, BackupError, Format, Imported, Importer, Protection};
use serde_json::Value;
use zeroize::Zeroizing;

const FORMAT: Format = Format::EnteAuth;
/// libsodium's memory limit is in bytes; more than this is refused before deriving.
const MAX_MEM_LIMIT: u64 = 1 << 30;
/// And its operations limit is Argon2's pass count.
const MAX_OPS_LIMIT: u64 = 20;

/// Ente Auth's exports.
pub struct Ente;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for Ente {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
            value.get("kdfParams")?;
            value.get("encryptedData")?;
            return Some(Protection::Encrypted);
        }
        sniff_lines(bytes)?.then_some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(envelope) => {
                let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
                let plain = decrypt(&envelope, password)?;
                import_lines(&plain, FORMAT)
            }
            Err(_) => import_lines(bytes, FORMAT),
        }
    }
}

fn decrypt(envelope: &Value, password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let text = |value: &Value, key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| malformed(format!("it has no {key:?}")))
    };
    let kdf = envelope
        .get("kdfParams")
        .ok_or_else(|| malformed("it has no kdfParams"))?;
    let number = |key: &str| {
        kdf.get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| malformed(format!("kdfParams has no {key:?}")))
    };
    let (mem, ops) = (number("memLimit")?, number("opsLimit")?);
    if mem > MAX_MEM_LIMIT || ops > MAX_OPS_LIMIT || ops == 0 || mem < 8 * 1024 {
        return Err(malformed(format!(
            "its key derivation asks for {} MiB and {ops} passes; at most {} MiB and {MAX_OPS_LIMIT} \
             passes are accepted",
            mem >> 20,
            MAX_MEM_LIMIT >> 20
        )));
    }
    let salt = from_base64(FORMAT, "the salt", &text(kdf, "salt")?)?;
    let header = from_base64(
        FORMAT,
        "the encryption nonce",
        &text(envelope, "encryptionNonce")?,
    )?;
    let sealed = from_base64(
        FORMAT,
        "the encrypted data",
        &text(envelope, "encryptedData")?,
    )?;
    let header: [u8; HEADER_LEN] = header
        .try_into()
        .map_err(|_| malformed("the encryption nonce is not 24 bytes"))?;

    let params = argon2::Params::new((mem / 1024) as u32, ops as u32, 1, Some(32))
        .map_err(|err| malformed(format!("bad key derivation parameters: {err}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), &salt, key.as_mut())
        .map_err(|err| malformed(format!("key derivation failed: {err}")))?;

    // The export is one message, the whole of `encryptedData`. Some exports seal it with the
    // ordinary tag rather than the final one; either way that message is all there is.
    let mut stream = Pull::new(&key, &header);
    match stream.pull(&sealed, &[]) {
        Ok((plain, TAG_MESSAGE | TAG_FINAL)) => Ok(plain),
        Ok(_) => Err(BackupError::Unsupported {
            format: FORMAT,
            detail: "the data is split into several messages".into(),
        }),
        Err(PullError::Truncated) => Err(malformed("the encrypted data is truncated")),
        Err(PullError::Forged) => Err(BackupError::WrongPassword(FORMAT)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An export written by libsodium itself (see the CLI tests' data README).
    fn export() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../cli/tests/data/imports/ente_encrypted.json"
        ))
        .expect("the libsodium-made export")
    }

    #[test]
    fn a_wrong_password_or_a_changed_byte_is_refused() {
        assert!(matches!(
            Ente.import(&export(), Some("not it")),
            Err(BackupError::WrongPassword(_))
        ));
        let mut envelope: Value = serde_json::from_slice(&export()).unwrap();
        let data = envelope["encryptedData"].as_str().unwrap().to_string();
        let mut sealed = from_base64(FORMAT, "data", &data).unwrap();
        sealed[5] ^= 1;
        envelope["encryptedData"] = Value::String(super::super::codec::to_base64(&sealed));
        let changed = serde_json::to_vec(&envelope).unwrap();
        assert!(matches!(
            Ente.import(&changed, Some("test")),
            Err(BackupError::WrongPassword(_))
        ));
        assert_eq!(Ente.sniff(&export()), Some(Protection::Encrypted));
    }

    #[test]
    fn absurd_key_derivation_costs_are_refused_before_deriving() {
        let mut envelope: Value = serde_json::from_slice(&export()).unwrap();
        envelope["kdfParams"]["memLimit"] = Value::from(1u64 << 40);
        let hostile = serde_json::to_vec(&envelope).unwrap();
        let err = Ente.import(&hostile, Some("test")).unwrap_err();
        assert!(err.to_string().contains("MiB"), "{err}");
    }
}
