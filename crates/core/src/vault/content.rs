//! The encrypted payload (format spec, section 5): accounts with per-field stamps, deleted
//! accounts and settings as JSON, encoded into and decoded from zeroizing buffers.
//!
//! The wire types here are the format's own, independent of the in-memory types, so a change
//! of an in-memory type cannot silently change the file format. Version 1 payloads are read by
//! [`super::upgrade`].

use super::record::{Record, Stamped};
use super::stamp::Stamp;
use crate::account::{Account, AccountId};
use crate::otp::{Algorithm, OtpKind, OtpParams, Secret, MAX_PERIOD, STEAM_CODE_LENGTH};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use zeroize::Zeroizing;

/// Longest account secret accepted, in bytes.
pub const MAX_SECRET_LEN: usize = 1024;
/// Largest HOTP counter accepted: 2^53 - 1, the largest integer every JSON reader holds exactly.
pub const MAX_COUNTER: u64 = (1 << 53) - 1;

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

/// A deleted account: when it was deleted and, for 30 days, the account itself so that it can
/// be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    /// The deletion.
    pub stamp: Stamp,
    /// The account as it was, until the restore window has passed or it was restored.
    pub account: Option<Record>,
}

/// Everything a vault holds besides its keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// The accounts by id.
    pub accounts: BTreeMap<AccountId, Record>,
    /// Deleted account ids. An id here never comes back as an account.
    pub deleted: BTreeMap<AccountId, Tombstone>,
    /// The app's settings shared by every device.
    pub settings: BTreeMap<String, Stamped<String>>,
}

impl Content {
    /// Every stamp the content holds, for the clock to observe.
    pub fn stamps(&self) -> impl Iterator<Item = Stamp> + '_ {
        let records = self
            .accounts
            .values()
            .chain(self.deleted.values().filter_map(|t| t.account.as_ref()))
            .flat_map(|r| r.stamps());
        records
            .chain(self.deleted.values().map(|t| t.stamp))
            .chain(self.settings.values().map(|s| s.stamp))
    }
}

type StampWire = (u64, u32, u32);

fn stamp_out(stamp: Stamp) -> StampWire {
    (stamp.wall_ms, stamp.counter, stamp.node)
}

fn stamp_in((wall_ms, counter, node): StampWire) -> Stamp {
    Stamp {
        wall_ms,
        counter,
        node,
    }
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum KindWire {
    Totp { period: u32 },
    Hotp,
    Steam { period: u32 },
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum AlgorithmWire {
    Sha1,
    Sha256,
    Sha512,
}

#[derive(Serialize)]
struct Out<'a, T: ?Sized> {
    value: &'a T,
    stamp: StampWire,
}

fn out<T: ?Sized>(stamped: &Stamped<impl AsRef<T>>) -> Out<'_, T> {
    Out {
        value: stamped.value.as_ref(),
        stamp: stamp_out(stamped.stamp),
    }
}

fn out_copy<T>(stamped: &Stamped<T>) -> Out<'_, T> {
    Out {
        value: &stamped.value,
        stamp: stamp_out(stamped.stamp),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct In<T> {
    value: T,
    stamp: StampWire,
}

impl<T: PartialEq> From<In<T>> for Stamped<T> {
    fn from(wire: In<T>) -> Self {
        Stamped::new(wire.value, stamp_in(wire.stamp))
    }
}

#[derive(Serialize)]
struct OwnedOut<T> {
    value: T,
    stamp: StampWire,
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
    created: u64,
    otp: OwnedOut<OtpOut<'a>>,
    counter: u64,
    issuer: Out<'a, str>,
    name: Out<'a, str>,
    notes: Out<'a, str>,
    group: Out<'a, str>,
    pinned: Out<'a, bool>,
    sort_order: Out<'a, i64>,
    recovery_codes: Out<'a, [String]>,
    recovery_marks: &'a BTreeMap<String, u32>,
    last_used: u64,
}

#[derive(Serialize)]
struct TombstoneOut<'a> {
    id: &'a str,
    stamp: StampWire,
    account: Option<AccountOut<'a>>,
}

#[derive(Serialize)]
struct ContentOut<'a> {
    accounts: Vec<AccountOut<'a>>,
    deleted: Vec<TombstoneOut<'a>>,
    settings: BTreeMap<&'a str, Out<'a, str>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
    created: u64,
    otp: In<OtpIn>,
    counter: u64,
    issuer: In<String>,
    name: In<String>,
    notes: In<String>,
    group: In<String>,
    pinned: In<bool>,
    sort_order: In<i64>,
    recovery_codes: In<Vec<String>>,
    #[serde(deserialize_with = "unique_map")]
    recovery_marks: BTreeMap<String, u32>,
    last_used: u64,
}

#[derive(Deserialize)]
struct TombstoneIn {
    id: String,
    stamp: StampWire,
    account: Option<AccountIn>,
}

#[derive(Deserialize)]
struct ContentIn {
    accounts: Vec<AccountIn>,
    deleted: Vec<TombstoneIn>,
    #[serde(deserialize_with = "unique_map")]
    settings: BTreeMap<String, In<String>>,
}

/// A JSON object read into a map, refusing a member name that appears twice (which JSON
/// allows but leaves the meaning of open).
pub(super) fn unique_map<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
            let mut map = BTreeMap::new();
            while let Some((key, value)) = access.next_entry::<String, V>()? {
                if map.contains_key(&key) {
                    return Err(de::Error::custom("a member name appears twice"));
                }
                map.insert(key, value);
            }
            Ok(map)
        }
    }
    d.deserialize_map(Unique(PhantomData))
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

/// Reads a secret written in lowercase hex (the only form writers produce).
pub(super) fn deserialize_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    struct HexSecret;
    impl Visitor<'_> for HexSecret {
        type Value = Secret;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a secret in lowercase hex")
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

fn algorithm_out(algorithm: Algorithm) -> AlgorithmWire {
    match algorithm {
        Algorithm::Sha1 => AlgorithmWire::Sha1,
        Algorithm::Sha256 => AlgorithmWire::Sha256,
        Algorithm::Sha512 => AlgorithmWire::Sha512,
    }
}

fn account_out(r: &Record) -> AccountOut<'_> {
    let otp = &r.otp.value;
    AccountOut {
        id: r.id.as_str(),
        created: r.created,
        otp: OwnedOut {
            value: OtpOut {
                kind: match otp.kind {
                    OtpKind::Totp { period } => KindWire::Totp { period },
                    OtpKind::Hotp { .. } => KindWire::Hotp,
                    OtpKind::Steam { period } => KindWire::Steam { period },
                },
                algorithm: algorithm_out(otp.algorithm),
                digits: otp.digits,
                secret: &otp.secret,
            },
            stamp: stamp_out(r.otp.stamp),
        },
        counter: r.counter,
        issuer: out::<str>(&r.issuer),
        name: out::<str>(&r.name),
        notes: out::<str>(&r.notes),
        group: out::<str>(&r.group),
        pinned: out_copy(&r.pinned),
        sort_order: out_copy(&r.sort_order),
        recovery_codes: Out {
            value: r.recovery_codes.value.as_slice(),
            stamp: stamp_out(r.recovery_codes.stamp),
        },
        recovery_marks: &r.recovery_marks,
        last_used: r.last_used,
    }
}

/// A rough size of the encoded content, so the output buffer is allocated once.
fn estimate(content: &Content) -> usize {
    let record = |a: &Record| {
        640 + 2
            * (a.issuer.value.len()
                + a.name.value.len()
                + a.notes.value.len()
                + a.group.value.len())
            + 2 * a.otp.value.secret.as_bytes().len()
            + a.recovery_codes
                .value
                .iter()
                .map(|c| 60 + 4 * c.len())
                .sum::<usize>()
    };
    256 + content.accounts.values().map(record).sum::<usize>()
        + content
            .deleted
            .values()
            .map(|t| 100 + t.account.as_ref().map_or(0, record))
            .sum::<usize>()
        + content
            .settings
            .iter()
            .map(|(k, v)| 60 + 2 * (k.len() + v.value.len()))
            .sum::<usize>()
}

/// Encodes the content as JSON into a zeroizing buffer sized up front, so the buffer is not
/// reallocated (which would leave unwiped copies of secrets behind).
pub fn encode(content: &Content) -> Result<Zeroizing<Vec<u8>>, ContentError> {
    let out = ContentOut {
        accounts: content.accounts.values().map(account_out).collect(),
        deleted: content
            .deleted
            .iter()
            .map(|(id, t)| TombstoneOut {
                id: id.as_str(),
                stamp: stamp_out(t.stamp),
                account: t.account.as_ref().map(account_out),
            })
            .collect(),
        settings: content
            .settings
            .iter()
            .map(|(k, v)| (k.as_str(), out::<str>(v)))
            .collect(),
    };
    let mut buffer = Zeroizing::new(Vec::with_capacity(estimate(content)));
    serde_json::to_writer(&mut *buffer, &out).map_err(|e| ContentError::Encode(e.to_string()))?;
    Ok(buffer)
}

/// serde_json's messages may quote the offending value; only its position is reported.
pub(super) fn json_error(e: serde_json::Error) -> ContentError {
    ContentError::Invalid(format!(
        "not the expected JSON (line {}, column {})",
        e.line(),
        e.column()
    ))
}

/// Decodes and validates decrypted content.
pub fn decode(json: &[u8]) -> Result<Content, ContentError> {
    let wire: ContentIn = serde_json::from_slice(json).map_err(json_error)?;
    let mut content = Content {
        settings: wire
            .settings
            .into_iter()
            .map(|(k, v)| (k, v.into()))
            .collect(),
        ..Content::default()
    };
    for t in wire.deleted {
        let id = parse_id(&t.id)?;
        let account = match t.account {
            Some(a) => {
                let record = record_in(a)?;
                if record.id != id {
                    return Err(invalid("a deleted account is filed under another id"));
                }
                Some(record)
            }
            None => None,
        };
        let tombstone = Tombstone {
            stamp: stamp_in(t.stamp),
            account,
        };
        if content.deleted.insert(id, tombstone).is_some() {
            return Err(invalid("an id is deleted twice"));
        }
    }
    for a in wire.accounts {
        insert_account(&mut content, record_in(a)?)?;
    }
    Ok(content)
}

/// Adds a decoded account, refusing a duplicate id or the id of a deleted account.
pub(super) fn insert_account(content: &mut Content, record: Record) -> Result<(), ContentError> {
    if content.deleted.contains_key(&record.id) {
        return Err(invalid("an account id is also deleted"));
    }
    if let Some(dup) = content.accounts.insert(record.id.clone(), record) {
        return Err(invalid(&format!("duplicate account id {}", dup.id)));
    }
    Ok(())
}

pub(super) fn invalid(reason: &str) -> ContentError {
    ContentError::Invalid(reason.to_string())
}

pub(super) fn parse_id(text: &str) -> Result<AccountId, ContentError> {
    // Only the canonical form: a reader must not accept two spellings of one id.
    let id = AccountId::parse(text).map_err(|e| ContentError::Invalid(e.to_string()))?;
    if id.as_str() != text {
        return Err(invalid("an account id is not a lowercase hyphenated UUID"));
    }
    Ok(id)
}

/// Checks the rules every account's code parameters follow (format spec, section 5), for
/// both format versions.
pub(super) fn checked_otp(
    id: &AccountId,
    kind: OtpKind,
    algorithm: Algorithm,
    digits: u8,
    secret: Secret,
) -> Result<OtpParams, ContentError> {
    match kind {
        OtpKind::Totp { period } | OtpKind::Steam { period }
            if period == 0 || period > MAX_PERIOD =>
        {
            return Err(invalid(&format!("account {id} has a period of {period}")));
        }
        OtpKind::Steam { .. } if digits != STEAM_CODE_LENGTH || algorithm != Algorithm::Sha1 => {
            return Err(invalid(&format!(
                "account {id} is a Steam account with other than 5 characters of SHA-1"
            )));
        }
        OtpKind::Totp { .. } | OtpKind::Hotp { .. } if !(1..=10).contains(&digits) => {
            return Err(invalid(&format!("account {id} has {digits} digits")));
        }
        OtpKind::Hotp { counter } if counter > MAX_COUNTER => {
            return Err(invalid(&format!("account {id} has a counter beyond 2^53")));
        }
        _ => {}
    }
    let secret_len = secret.as_bytes().len();
    if secret_len == 0 || secret_len > MAX_SECRET_LEN {
        return Err(invalid(&format!(
            "account {id} has a secret of {secret_len} bytes"
        )));
    }
    Ok(OtpParams {
        kind,
        algorithm,
        digits,
        secret,
    })
}

/// Checks an account about to be added against the rules a reader enforces, so that the
/// vault never writes a file it would refuse to read.
pub fn validate(account: &Account) -> Result<(), ContentError> {
    let otp = &account.otp;
    checked_otp(
        &account.id,
        otp.kind,
        otp.algorithm,
        otp.digits,
        otp.secret.clone(),
    )?;
    Ok(())
}

fn record_in(a: AccountIn) -> Result<Record, ContentError> {
    let id = parse_id(&a.id)?;
    let otp_stamp = stamp_in(a.otp.stamp);
    let wire = a.otp.value;
    let kind = match wire.kind {
        KindWire::Totp { period } => OtpKind::Totp { period },
        KindWire::Hotp => OtpKind::Hotp { counter: 0 },
        KindWire::Steam { period } => OtpKind::Steam { period },
    };
    let algorithm = match wire.algorithm {
        AlgorithmWire::Sha1 => Algorithm::Sha1,
        AlgorithmWire::Sha256 => Algorithm::Sha256,
        AlgorithmWire::Sha512 => Algorithm::Sha512,
    };
    let is_hotp = matches!(kind, OtpKind::Hotp { .. });
    let otp = checked_otp(&id, kind, algorithm, wire.digits, wire.secret)?;
    if a.counter > MAX_COUNTER || (!is_hotp && a.counter != 0) {
        return Err(invalid(&format!(
            "account {id} has a counter it cannot have"
        )));
    }
    let codes = a.recovery_codes.value.clone();
    for (i, code) in codes.iter().enumerate() {
        if codes[..i].contains(code) {
            return Err(invalid(&format!(
                "account {id} lists a recovery code twice"
            )));
        }
    }
    Ok(Record {
        id,
        created: a.created,
        otp: Stamped::new(otp, otp_stamp),
        counter: a.counter,
        issuer: a.issuer.into(),
        name: a.name.into(),
        notes: a.notes.into(),
        group: a.group.into(),
        pinned: a.pinned.into(),
        sort_order: a.sort_order.into(),
        recovery_codes: a.recovery_codes.into(),
        recovery_marks: a.recovery_marks,
        last_used: a.last_used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::RecoveryCode;
    use crate::vault::stamp::Hlc;

    fn record() -> Record {
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
        Record::from_account(a, Hlc::new(3).tick(1_700_000_000_123))
    }

    #[test]
    fn content_round_trips_with_secret_in_hex() {
        let r = record();
        let mut content = Content::default();
        content.deleted.insert(
            AccountId::random(),
            Tombstone {
                stamp: Stamp::from_seconds(5),
                account: None,
            },
        );
        let gone = record();
        content.deleted.insert(
            gone.id.clone(),
            Tombstone {
                stamp: Stamp::from_seconds(6),
                account: Some(gone),
            },
        );
        content.settings.insert(
            "theme".into(),
            Stamped::new("dark".into(), Stamp::from_seconds(9)),
        );
        content.accounts.insert(r.id.clone(), r);
        let json = encode(&content).unwrap();
        let text = std::str::from_utf8(&json).unwrap();
        assert!(text.contains("\"secret\":\"0001abff\""));
        assert!(text.contains("\"counter\":42"));
        assert_eq!(decode(&json).unwrap(), content);
    }

    #[test]
    fn invalid_content_is_refused() {
        let r = record();
        let mut content = Content::default();
        content.deleted.insert(
            r.id.clone(),
            Tombstone {
                stamp: Stamp::from_seconds(1),
                account: None,
            },
        );
        content.accounts.insert(r.id.clone(), r);
        let json = encode(&content).unwrap();
        assert!(decode(&json).is_err());
        assert!(decode(b"{}").is_err());
        assert!(decode(b"\xff").is_err());
        let twice = br#"{"accounts":[],"deleted":[],"settings":{"a":{"value":"1","stamp":[1,0,0]},"a":{"value":"2","stamp":[2,0,0]}}}"#;
        assert!(decode(twice).is_err());
        let float =
            br#"{"accounts":[],"deleted":[],"settings":{"a":{"value":"1","stamp":[1.0,0,0]}}}"#;
        assert!(decode(float).is_err());
    }
}
