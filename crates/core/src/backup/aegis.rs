//! Aegis Authenticator's vault export, plain or password-encrypted, both ways.
//!
//! Layout: `{"version": 1, "header": {"slots", "params"}, "db"}`. Plain files have null slots
//! and `db` as an object; encrypted ones have `db` as base64 AES-256-GCM ciphertext under a
//! master key, which each password slot wraps with a key derived by scrypt.

use super::codec::{self, aes_gcm_open, aes_gcm_seal, from_base64, from_hex, to_base64, to_hex};
use super::fields::{imported, text_of, RawEntry};
use super::{
    BackupError, Encryption, Entry, Exported, Exporter, Format, Imported, Importer, Protection,
};
use crate::account::Account;
use crate::otp::{Algorithm, OtpKind};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use zeroize::Zeroizing;

const FORMAT: Format = Format::Aegis;
/// The scrypt cost Aegis itself uses for password slots.
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
/// scrypt needs 128·N·r bytes; past this a file is refused before any allocation.
const MAX_SCRYPT_MEMORY: u64 = 1 << 30;

/// Aegis's JSON export.
pub struct Aegis;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

fn str_field<'a>(object: &'a Value, key: &str, what: &str) -> Result<&'a str, BackupError> {
    object
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| malformed(format!("{what} has no {key:?} text")))
}

impl Importer for Aegis {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        let header = value.get("header")?.as_object()?;
        if !header.contains_key("slots") || value.get("version").is_none() {
            return None;
        }
        match value.get("db")? {
            Value::Object(_) => Some(Protection::Plain),
            Value::String(_) => Some(Protection::Encrypted),
            _ => None,
        }
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let file: Value = serde_json::from_slice(bytes)
            .map_err(|err| malformed(format!("it is not JSON ({err})")))?;
        if file.get("header").is_none() || file.get("db").is_none() {
            return Err(malformed("it has no \"header\" and \"db\""));
        }
        if file.get("version").and_then(Value::as_u64) != Some(1) {
            return Err(BackupError::Unsupported {
                format: FORMAT,
                detail: "only version 1 files are known".into(),
            });
        }
        let header = file
            .get("header")
            .ok_or_else(|| malformed("it has no header"))?;
        let db = match file.get("db") {
            Some(Value::Object(_)) => file["db"].clone(),
            Some(Value::String(ciphertext)) => {
                let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
                let plain = decrypt_db(header, ciphertext, password)?;
                serde_json::from_slice(&plain).map_err(|err| {
                    malformed(format!("its decrypted content is not JSON ({err})"))
                })?
            }
            _ => return Err(malformed("its \"db\" is neither an object nor a string")),
        };
        read_db(&db)
    }
}

fn decrypt_db(
    header: &Value,
    ciphertext: &str,
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("an encrypted file needs key slots"))?;
    let params = header
        .get("params")
        .ok_or_else(|| malformed("an encrypted file needs \"params\""))?;
    let mut master = None;
    let mut tried = false;
    for slot in slots
        .iter()
        .filter(|s| s.get("type").and_then(Value::as_u64) == Some(1))
    {
        tried = true;
        if let Some(key) = open_password_slot(slot, password)? {
            master = Some(key);
            break;
        }
    }
    if !tried {
        return Err(BackupError::Unsupported {
            format: FORMAT,
            detail: "it has no password slot (only biometric or raw keys)".into(),
        });
    }
    let master = master.ok_or(BackupError::WrongPassword(FORMAT))?;
    let nonce = from_hex(
        FORMAT,
        "the db nonce",
        str_field(params, "nonce", "params")?,
    )?;
    let tag = from_hex(FORMAT, "the db tag", str_field(params, "tag", "params")?)?;
    let mut sealed = from_base64(FORMAT, "the db", ciphertext)?;
    sealed.extend_from_slice(&tag);
    aes_gcm_open(FORMAT, &master, &nonce, &sealed)
}

/// The master key if `password` opens `slot`, `None` if it does not.
fn open_password_slot(
    slot: &Value,
    password: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>, BackupError> {
    let number = |key: &str| {
        slot.get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| malformed(format!("a password slot has no {key:?}")))
    };
    let (n, r, p) = (number("n")?, number("r")?, number("p")?);
    if !n.is_power_of_two() || n < 2 || r == 0 || p == 0 || r > 64 || p > 64 {
        return Err(malformed(format!(
            "its scrypt parameters (n={n}, r={r}, p={p}) are not valid"
        )));
    }
    let memory = 128u64.saturating_mul(n).saturating_mul(r);
    if memory > MAX_SCRYPT_MEMORY || n > 1 << 20 {
        return Err(malformed(format!(
            "its scrypt parameters (n={n}, r={r}) would need {} MiB; at most {} MiB is allowed",
            memory >> 20,
            MAX_SCRYPT_MEMORY >> 20
        )));
    }
    let salt = from_hex(FORMAT, "a slot salt", str_field(slot, "salt", "a slot")?)?;
    let key = from_hex(FORMAT, "a slot key", str_field(slot, "key", "a slot")?)?;
    let key_params = slot
        .get("key_params")
        .ok_or_else(|| malformed("a slot has no key_params"))?;
    let nonce = from_hex(
        FORMAT,
        "a slot nonce",
        str_field(key_params, "nonce", "key_params")?,
    )?;
    let tag = from_hex(
        FORMAT,
        "a slot tag",
        str_field(key_params, "tag", "key_params")?,
    )?;
    let params = scrypt::Params::new(n.trailing_zeros() as u8, r as u32, p as u32, 32)
        .map_err(|_| malformed("its scrypt parameters are not valid"))?;
    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, derived.as_mut())
        .map_err(|_| malformed("its scrypt parameters are not valid"))?;
    let mut sealed = key;
    sealed.extend_from_slice(&tag);
    match aes_gcm_open(FORMAT, derived.as_ref(), &nonce, &sealed) {
        Ok(master) => Ok(Some(master)),
        Err(BackupError::WrongPassword(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

fn read_db(db: &Value) -> Result<Imported, BackupError> {
    let entries = db
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("its content has no \"entries\" list"))?;
    // Version 3 files name groups by uuid in a list of their own.
    let groups: HashMap<&str, &str> = db
        .get("groups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .filter_map(|g| Some((g.get("uuid")?.as_str()?, g.get("name")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let checked = entries.iter().map(|entry| {
        let text = |key: &str| text_of(entry, key);
        let info = entry.get("info").cloned().unwrap_or(Value::Null);
        let raw = RawEntry {
            kind: entry.get("type").and_then(Value::as_str).unwrap_or(""),
            issuer: text("issuer"),
            name: text("name"),
            algorithm: info.get("algo").and_then(Value::as_str),
            digits: info.get("digits").and_then(Value::as_u64),
            period: info.get("period").and_then(Value::as_u64),
            counter: info.get("counter").and_then(Value::as_u64),
        };
        let secret = info.get("secret").and_then(Value::as_str).unwrap_or("");
        let mut checked = raw.with_base32(secret)?;
        checked.notes = text("note");
        checked.group = entry
            .get("groups")
            .and_then(Value::as_array)
            .and_then(|ids| ids.iter().find_map(|id| groups.get(id.as_str()?)))
            .map(|name| name.to_string())
            .unwrap_or_else(|| text("group"));
        Ok(checked)
    });
    Ok(imported(FORMAT, checked))
}

/// The `db` object Aegis reads (version 3: groups listed by uuid).
fn db_json(accounts: &[Account]) -> Value {
    let mut group_ids: Vec<(String, String)> = Vec::new();
    let entries: Vec<Value> = accounts
        .iter()
        .map(|account| {
            let entry = Entry::from_account(account);
            let mut info = Map::new();
            info.insert(
                "secret".into(),
                json!(entry.otp.secret.to_base32().as_str()),
            );
            info.insert(
                "algo".into(),
                json!(match entry.otp.algorithm {
                    Algorithm::Sha1 => "SHA1",
                    Algorithm::Sha256 => "SHA256",
                    Algorithm::Sha512 => "SHA512",
                }),
            );
            info.insert("digits".into(), json!(entry.otp.digits));
            let kind = match entry.otp.kind {
                OtpKind::Totp { period } => {
                    info.insert("period".into(), json!(period));
                    "totp"
                }
                OtpKind::Steam { period } => {
                    info.insert("period".into(), json!(period));
                    "steam"
                }
                OtpKind::Hotp { counter } => {
                    info.insert("counter".into(), json!(counter));
                    "hotp"
                }
            };
            let groups: Vec<String> = if entry.group.is_empty() {
                Vec::new()
            } else {
                let known = group_ids.iter().find(|(name, _)| *name == entry.group);
                let id = match known {
                    Some((_, id)) => id.clone(),
                    None => {
                        let id = uuid::Uuid::new_v4().to_string();
                        group_ids.push((entry.group.clone(), id.clone()));
                        id
                    }
                };
                vec![id]
            };
            json!({
                "type": kind,
                "uuid": uuid::Uuid::new_v4().to_string(),
                "name": entry.name,
                "issuer": entry.issuer,
                "note": entry.notes,
                "favorite": account.pinned,
                "icon": null,
                "info": Value::Object(info),
                "groups": groups,
            })
        })
        .collect();
    let groups: Vec<Value> = group_ids
        .into_iter()
        .map(|(name, uuid)| json!({ "uuid": uuid, "name": name }))
        .collect();
    json!({ "version": 3, "entries": entries, "groups": groups })
}

impl Exporter for Aegis {
    fn format(&self) -> Format {
        FORMAT
    }

    fn encryption(&self) -> Encryption {
        Encryption::Optional
    }

    fn export(
        &self,
        accounts: &[Account],
        password: Option<&str>,
    ) -> Result<Exported, BackupError> {
        let db = db_json(accounts);
        let file = match password {
            None => json!({
                "version": 1,
                "header": { "slots": null, "params": null },
                "db": db,
            }),
            Some(password) => encrypted_file(&db, password)?,
        };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|err| BackupError::Export {
            format: FORMAT,
            detail: err.to_string(),
        })?;
        Ok(Exported {
            bytes: Zeroizing::new(bytes),
            left_out: Vec::new(),
        })
    }
}

fn encrypted_file(db: &Value, password: &str) -> Result<Value, BackupError> {
    let master = codec::random::<32>(FORMAT)?;
    let salt = codec::random::<32>(FORMAT)?;
    let slot_nonce = codec::random::<12>(FORMAT)?;
    let db_nonce = codec::random::<12>(FORMAT)?;
    let params = scrypt::Params::new(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, 32).map_err(|_| {
        BackupError::Export {
            format: FORMAT,
            detail: "bad scrypt parameters".into(),
        }
    })?;
    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(
        password.as_bytes(),
        salt.as_ref(),
        &params,
        derived.as_mut(),
    )
    .map_err(|_| BackupError::Export {
        format: FORMAT,
        detail: "key derivation failed".into(),
    })?;
    let wrapped = aes_gcm_seal(FORMAT, derived.as_ref(), &slot_nonce, master.as_ref())?;
    let plain = Zeroizing::new(serde_json::to_vec(db).map_err(|err| BackupError::Export {
        format: FORMAT,
        detail: err.to_string(),
    })?);
    let sealed = aes_gcm_seal(FORMAT, master.as_ref(), &db_nonce, &plain)?;
    let (wrapped_key, wrapped_tag) = wrapped.split_at(wrapped.len() - 16);
    let (db_cipher, db_tag) = sealed.split_at(sealed.len() - 16);
    Ok(json!({
        "version": 1,
        "header": {
            "slots": [{
                "type": 1,
                "uuid": uuid::Uuid::new_v4().to_string(),
                "key": to_hex(wrapped_key),
                "key_params": { "nonce": to_hex(slot_nonce.as_ref()), "tag": to_hex(wrapped_tag) },
                "n": 1u64 << SCRYPT_LOG_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "salt": to_hex(salt.as_ref()),
                "repaired": true,
                "is_backup": false,
            }],
            "params": { "nonce": to_hex(db_nonce.as_ref()), "tag": to_hex(db_tag) },
        },
        "db": to_base64(db_cipher),
    }))
}
