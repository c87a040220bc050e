//! Reading version 1 payloads (format spec, appendix A), so that vaults written before
//! per-field stamps open as they are and are written as version 2 at their next save.
//!
//! Version 1 stamped a whole account with one `modified` time in seconds; every field of the
//! upgraded record takes that time as its stamp (node 0), so an upgraded copy merges with one
//! upgraded elsewhere exactly as version 1 would have merged them.

use super::content::{
    checked_otp, deserialize_secret, insert_account, invalid, json_error, parse_id, unique_map,
    Content, ContentError, Tombstone,
};
use super::record::{Record, Stamped};
use super::stamp::Stamp;
use crate::otp::{Algorithm, OtpKind, Secret};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum KindV1 {
    Totp { period: u32 },
    Hotp { counter: u64 },
    Steam { period: u32 },
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum AlgorithmV1 {
    Sha1,
    Sha256,
    Sha512,
}

#[derive(Deserialize)]
struct OtpV1 {
    kind: KindV1,
    algorithm: AlgorithmV1,
    digits: u8,
    #[serde(deserialize_with = "deserialize_secret")]
    secret: Secret,
}

#[derive(Deserialize)]
struct RecoveryV1 {
    code: String,
    used: bool,
}

#[derive(Deserialize)]
struct AccountV1 {
    id: String,
    issuer: String,
    name: String,
    otp: OtpV1,
    notes: String,
    recovery_codes: Vec<RecoveryV1>,
    group: String,
    pinned: bool,
    sort_order: i64,
    created: u64,
    last_used: u64,
    modified: u64,
}

#[derive(Deserialize)]
struct TombstoneV1 {
    id: String,
    deleted: u64,
}

#[derive(Deserialize)]
struct SettingV1 {
    value: String,
    modified: u64,
}

#[derive(Deserialize)]
struct ContentV1 {
    accounts: Vec<AccountV1>,
    tombstones: Vec<TombstoneV1>,
    #[serde(deserialize_with = "unique_map")]
    settings: BTreeMap<String, SettingV1>,
}

/// Decodes a version 1 payload into today's content.
pub fn decode_v1(json: &[u8]) -> Result<Content, ContentError> {
    let wire: ContentV1 = serde_json::from_slice(json).map_err(json_error)?;
    let mut content = Content {
        settings: wire
            .settings
            .into_iter()
            .map(|(k, v)| (k, Stamped::new(v.value, Stamp::from_seconds(v.modified))))
            .collect(),
        ..Content::default()
    };
    for t in wire.tombstones {
        let tombstone = Tombstone {
            stamp: Stamp::from_seconds(t.deleted),
            account: None,
        };
        if content
            .deleted
            .insert(parse_id(&t.id)?, tombstone)
            .is_some()
        {
            return Err(invalid("an id is deleted twice"));
        }
    }
    for a in wire.accounts {
        insert_account(&mut content, record_v1(a)?)?;
    }
    Ok(content)
}

fn record_v1(a: AccountV1) -> Result<Record, ContentError> {
    let id = parse_id(&a.id)?;
    let stamp = Stamp::from_seconds(a.modified);
    let (kind, counter) = match a.otp.kind {
        KindV1::Totp { period } => (OtpKind::Totp { period }, 0),
        KindV1::Hotp { counter } => (OtpKind::Hotp { counter: 0 }, counter),
        KindV1::Steam { period } => (OtpKind::Steam { period }, 0),
    };
    let algorithm = match a.otp.algorithm {
        AlgorithmV1::Sha1 => Algorithm::Sha1,
        AlgorithmV1::Sha256 => Algorithm::Sha256,
        AlgorithmV1::Sha512 => Algorithm::Sha512,
    };
    let otp = checked_otp(
        &id,
        match kind {
            OtpKind::Hotp { .. } => OtpKind::Hotp { counter },
            other => other,
        },
        algorithm,
        a.otp.digits,
        a.otp.secret,
    )?;
    let otp = crate::otp::OtpParams { kind, ..otp };
    let mut codes: Vec<String> = Vec::with_capacity(a.recovery_codes.len());
    let mut marks = BTreeMap::new();
    for c in a.recovery_codes {
        if c.used {
            marks.insert(c.code.clone(), 1);
        }
        // Version 1 allowed a code twice; one entry keeps its meaning.
        if !codes.contains(&c.code) {
            codes.push(c.code);
        }
    }
    Ok(Record {
        id,
        created: a.created,
        otp: Stamped::new(otp, stamp),
        counter,
        issuer: Stamped::new(a.issuer, stamp),
        name: Stamped::new(a.name, stamp),
        notes: Stamped::new(a.notes, stamp),
        group: Stamped::new(a.group, stamp),
        pinned: Stamped::new(a.pinned, stamp),
        sort_order: Stamped::new(a.sort_order, stamp),
        recovery_codes: Stamped::new(codes, stamp),
        recovery_marks: marks,
        last_used: a.last_used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_payload_upgrades_field_by_field() {
        let json = br#"{"accounts":[{"id":"0b6c1f0e-5a39-4f6e-9d4e-2b7f0f3c1a11","issuer":"Example","name":"alice","otp":{"kind":{"type":"hotp","counter":7},"algorithm":"sha1","digits":6,"secret":"48656c6c6f"},"notes":"n","recovery_codes":[{"code":"a1","used":true},{"code":"b2","used":false}],"group":"","pinned":true,"sort_order":3,"created":1700000000,"last_used":5,"modified":1700000100}],"tombstones":[{"id":"1b6c1f0e-5a39-4f6e-9d4e-2b7f0f3c1a11","deleted":9}],"settings":{"theme":{"value":"dark","modified":4}}}"#;
        let content = decode_v1(json).unwrap();
        let record = content.accounts.values().next().unwrap();
        assert_eq!(record.counter, 7);
        assert_eq!(record.notes.stamp, Stamp::from_seconds(1_700_000_100));
        let account = record.to_account();
        assert_eq!(account.otp.kind, OtpKind::Hotp { counter: 7 });
        assert!(account.recovery_codes[0].used && !account.recovery_codes[1].used);
        assert!(account.pinned);
        assert_eq!(content.deleted.len(), 1);
        assert_eq!(content.settings["theme"].value, "dark");
    }
}
