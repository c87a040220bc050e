//! The encrypted payload (format spec, section 5): accounts, tombstones and settings as JSON,
//! encoded into and decoded from zeroizing buffers.
//!
//! The wire types here are the format's own, independent of the in-memory types, so a change
//! of an in-memory type cannot silently change the file format.

use crate::account::{Account, AccountId, RecoveryCode};
use crate::otp::{Algorithm, OtpKind, OtpParams, Secret};
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// Longest account secret accepted, in bytes.
pub const MAX_SECRET_LEN: usize = 1024;

/// Errors of encoding and decoding the payload.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// The decrypted payload is not the JSON the format describes. The payload is
    /// authenticated, so this means a faulty writer, not a damaged file.
    #[error("vault content is invalid: {0}")]
    Invalid(String),
    /// Encoding failed (cannot happen for well-formed accounts; reported rather than unwrapped).
    #[error("could not encode the vault content: {0}")]
    Encode(String),
}

/// One setting's value and when it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// The value.
    pub value: String,
    /// When it was set, in Unix seconds.
    pub modified: u64,
}

/// Everything a vault holds besides its keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// The accounts by id.
    pub accounts: BTreeMap<AccountId, Account>,
    /// Deleted account ids and when they were deleted.
    pub tombstones: BTreeMap<AccountId, u64>,
    /// The app's settings.
    pub settings: BTreeMap<String, Setting>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum KindWire {
    Totp { period: u32 },
    Hotp { counter: u64 },
    Steam { period: u32 },
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum AlgorithmWire {
    Sha1,
    Sha256,
    Sha512,
}

#[derive(Serialize, Deserialize)]
struct RecoveryWire {
    code: String,
    used: bool,
}

#[derive(Serialize)]
struct OtpOut<'a> {
    kind: KindWire,
    algorithm: AlgorithmWire,
    digits: u8,
    #[serde(serialize_with = "serialize_secret")]
    secret: &'a Secret,
}

#[derive(Serialize)]
struct AccountOut<'a> {
    id: &'a str,
    issuer: &'a str,
    name: &'a str,
    otp: OtpOut<'a>,
    notes: &'a str,
    recovery_codes: Vec<RecoveryWire>,
    group: &'a str,
    pinned: bool,
    sort_order: i64,
    created: u64,
    last_used: u64,
    modified: u64,
}

#[derive(Serialize, Deserialize)]
struct TombstoneWire {
    id: String,
    deleted: u64,
}

#[derive(Serialize)]
struct ContentOut<'a> {
    accounts: Vec<AccountOut<'a>>,
    tombstones: Vec<TombstoneWire>,
    settings: &'a BTreeMap<String, Setting>,
}

#[derive(Deserialize)]
struct OtpIn {
    kind: KindWire,
    algorithm: AlgorithmWire,
    digits: u8,
    #[serde(deserialize_with = "deserialize_secret")]
    secret: Secret,
}

#[derive(Deserialize)]
struct AccountIn {
    id: String,
    issuer: String,
    name: String,
    otp: OtpIn,
    notes: String,
    recovery_codes: Vec<RecoveryWire>,
    group: String,
    pinned: bool,
    sort_order: i64,
    created: u64,
    last_used: u64,
    modified: u64,
}

#[derive(Deserialize)]
struct ContentIn {
    accounts: Vec<AccountIn>,
    tombstones: Vec<TombstoneWire>,
    settings: BTreeMap<String, Setting>,
}

/// Writes the secret as hex through a zeroizing string, so no plain copy outlives the call.
fn serialize_secret<S: Serializer>(secret: &&Secret, s: S) -> Result<S::Ok, S::Error> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let bytes = secret.as_bytes();
    let mut text = Zeroizing::new(String::with_capacity(bytes.len() * 2));
    for b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s.serialize_str(&text)
}

fn deserialize_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    struct HexSecret;
    impl Visitor<'_> for HexSecret {
        type Value = Secret;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a secret in hex")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<Secret, E> {
            let digits = text.as_bytes();
            if !digits.len().is_multiple_of(2) {
                return Err(E::custom("secret has an odd number of hex digits"));
            }
            let mut bytes = Zeroizing::new(Vec::with_capacity(digits.len() / 2));
            for pair in digits.chunks_exact(2) {
                let hi = hex_value(pair[0]).ok_or_else(|| E::custom("secret is not hex"))?;
                let lo = hex_value(pair[1]).ok_or_else(|| E::custom("secret is not hex"))?;
                bytes.push(hi << 4 | lo);
            }
            Ok(Secret::from_bytes(std::mem::take(&mut *bytes)))
        }
    }
    d.deserialize_str(HexSecret)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

fn kind_out(kind: OtpKind) -> KindWire {
    match kind {
        OtpKind::Totp { period } => KindWire::Totp { period },
        OtpKind::Hotp { counter } => KindWire::Hotp { counter },
        OtpKind::Steam { period } => KindWire::Steam { period },
    }
}

fn algorithm_out(algorithm: Algorithm) -> AlgorithmWire {
    match algorithm {
        Algorithm::Sha1 => AlgorithmWire::Sha1,
        Algorithm::Sha256 => AlgorithmWire::Sha256,
        Algorithm::Sha512 => AlgorithmWire::Sha512,
    }
}

/// Encodes the content as JSON into a zeroizing buffer sized up front, so the buffer is not
/// reallocated (which would leave unwiped copies of secrets behind).
pub fn encode(content: &Content) -> Result<Zeroizing<Vec<u8>>, ContentError> {
    let estimate: usize = 256
        + content
            .accounts
            .values()
            .map(|a| {
                400 + 2 * (a.issuer.len() + a.name.len() + a.notes.len() + a.group.len())
                    + 2 * a.otp.secret.as_bytes().len()
                    + a.recovery_codes
                        .iter()
                        .map(|c| 40 + 2 * c.code.len())
                        .sum::<usize>()
            })
            .sum::<usize>()
        + 80 * content.tombstones.len()
        + content
            .settings
            .iter()
            .map(|(k, v)| 60 + 2 * (k.len() + v.value.len()))
            .sum::<usize>();
    let out = ContentOut {
        accounts: content
            .accounts
            .values()
            .map(|a| AccountOut {
                id: a.id.as_str(),
                issuer: &a.issuer,
                name: &a.name,
                otp: OtpOut {
                    kind: kind_out(a.otp.kind),
                    algorithm: algorithm_out(a.otp.algorithm),
                    digits: a.otp.digits,
                    secret: &a.otp.secret,
                },
                notes: &a.notes,
                recovery_codes: a
                    .recovery_codes
                    .iter()
                    .map(|c| RecoveryWire {
                        code: c.code.clone(),
                        used: c.used,
                    })
                    .collect(),
                group: &a.group,
                pinned: a.pinned,
                sort_order: a.sort_order,
                created: a.created,
                last_used: a.last_used,
                modified: a.modified,
            })
            .collect(),
        tombstones: content
            .tombstones
            .iter()
            .map(|(id, deleted)| TombstoneWire {
                id: id.as_str().to_string(),
                deleted: *deleted,
            })
            .collect(),
        settings: &content.settings,
    };
    let mut buffer = Zeroizing::new(Vec::with_capacity(estimate));
    serde_json::to_writer(&mut *buffer, &out).map_err(|e| ContentError::Encode(e.to_string()))?;
    Ok(buffer)
}

/// Decodes and validates decrypted content.
pub fn decode(json: &[u8]) -> Result<Content, ContentError> {
    // serde_json's messages may quote the offending value; only its position is reported.
    let wire: ContentIn = serde_json::from_slice(json).map_err(|e| {
        ContentError::Invalid(format!(
            "not the expected JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let mut content = Content {
        settings: wire.settings,
        ..Content::default()
    };
    for t in wire.tombstones {
        let id = parse_id(&t.id)?;
        if content.tombstones.insert(id, t.deleted).is_some() {
            return Err(invalid("duplicate tombstone"));
        }
    }
    for a in wire.accounts {
        let account = account_in(a)?;
        if content.tombstones.contains_key(&account.id) {
            return Err(invalid("an account id is also a tombstone"));
        }
        if let Some(dup) = content.accounts.insert(account.id.clone(), account) {
            return Err(invalid(&format!("duplicate account id {}", dup.id)));
        }
    }
    Ok(content)
}

fn invalid(reason: &str) -> ContentError {
    ContentError::Invalid(reason.to_string())
}

fn parse_id(text: &str) -> Result<AccountId, ContentError> {
    AccountId::parse(text).map_err(|e| ContentError::Invalid(e.to_string()))
}

fn account_in(a: AccountIn) -> Result<Account, ContentError> {
    let id = parse_id(&a.id)?;
    let kind = match a.otp.kind {
        KindWire::Totp { period } => OtpKind::Totp { period },
        KindWire::Hotp { counter } => OtpKind::Hotp { counter },
        KindWire::Steam { period } => OtpKind::Steam { period },
    };
    if matches!(
        kind,
        OtpKind::Totp { period: 0 } | OtpKind::Steam { period: 0 }
    ) {
        return Err(invalid(&format!("account {id} has a period of 0")));
    }
    if !(1..=10).contains(&a.otp.digits) {
        return Err(invalid(&format!(
            "account {id} has {} digits",
            a.otp.digits
        )));
    }
    let secret_len = a.otp.secret.as_bytes().len();
    if secret_len == 0 || secret_len > MAX_SECRET_LEN {
        return Err(invalid(&format!(
            "account {id} has a secret of {secret_len} bytes"
        )));
    }
    let algorithm = match a.otp.algorithm {
        AlgorithmWire::Sha1 => Algorithm::Sha1,
        AlgorithmWire::Sha256 => Algorithm::Sha256,
        AlgorithmWire::Sha512 => Algorithm::Sha512,
    };
    Ok(Account {
        id,
        issuer: a.issuer,
        name: a.name,
        otp: OtpParams {
            kind,
            algorithm,
            digits: a.otp.digits,
            secret: a.otp.secret,
        },
        notes: a.notes,
        recovery_codes: a
            .recovery_codes
            .into_iter()
            .map(|c| RecoveryCode {
                code: c.code,
                used: c.used,
            })
            .collect(),
        group: a.group,
        pinned: a.pinned,
        sort_order: a.sort_order,
        created: a.created,
        last_used: a.last_used,
        modified: a.modified,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        let mut a = Account::new(
            "Example".into(),
            "alice@example.com".into(),
            OtpParams {
                kind: OtpKind::Hotp { counter: 42 },
                algorithm: Algorithm::Sha256,
                digits: 8,
                secret: Secret::from_bytes(vec![0, 1, 0xab, 0xff]),
            },
            1_700_000_000,
        );
        a.notes = "line\n\"quoted\"".into();
        a.recovery_codes.push(RecoveryCode {
            code: "1234-5678".into(),
            used: true,
        });
        a
    }

    #[test]
    fn content_round_trips_with_secret_in_hex() {
        let a = account();
        let mut content = Content::default();
        content.tombstones.insert(AccountId::random(), 5);
        content.settings.insert(
            "theme".into(),
            Setting {
                value: "dark".into(),
                modified: 9,
            },
        );
        content.accounts.insert(a.id.clone(), a);
        let json = encode(&content).unwrap();
        assert!(std::str::from_utf8(&json)
            .unwrap()
            .contains("\"secret\":\"0001abff\""));
        assert_eq!(decode(&json).unwrap(), content);
    }

    #[test]
    fn invalid_content_is_refused() {
        let a = account();
        let mut content = Content::default();
        content.tombstones.insert(a.id.clone(), 1);
        content.accounts.insert(a.id.clone(), a);
        let json = encode(&content).unwrap();
        assert!(decode(&json).is_err());
        assert!(decode(b"{}").is_err());
        assert!(decode(b"\xff").is_err());
    }
}
