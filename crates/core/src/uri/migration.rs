//! Google Authenticator's "Transfer accounts" export: `otpauth-migration://offline?data=…`.
//!
//! The `data` parameter is percent-encoded standard base64 of a protobuf `MigrationPayload`
//! (field numbers as in the schema that Aegis, KeePassXC and others read):
//!
//! ```text
//! MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
//!                    int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
//! OtpParameters    { bytes secret = 1; string name = 2; string issuer = 3;
//!                    Algorithm algorithm = 4;  // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//!                    DigitCount digits = 5;    // 0 unspecified, 1 six, 2 eight
//!                    OtpType type = 6;         // 0 unspecified, 1 HOTP, 2 TOTP
//!                    int64 counter = 7; }
//! ```
//!
//! What we decide where the format is silent:
//! - Unspecified algorithm, digit count and type mean SHA1, 6 digits and TOTP, as the app does.
//! - The format has no period: TOTP accounts get 30 seconds. Steam accounts cannot be told apart.
//! - `name` may carry `Issuer:account`; the prefix becomes the issuer when `issuer` is empty and
//!   is dropped when it repeats `issuer`. Tessera writes a name that holds a ':' behind its
//!   issuer and a ':' (an empty issuer gives a leading ':'), so the name reads back whole.
//! - Accounts Tessera cannot use (MD5, an unknown enum value, an empty secret) are not dropped:
//!   they come back in [`MigrationBatch::skipped`] by name with the reason.
//! - Large exports are split over several QR codes (`batch_size` parts sharing a `batch_id`);
//!   [`BatchCollector`] gathers them across scans. `batch_size` 0 is read as a single part.
//! - Writing ([`MigrationBatch::to_uri`]) refuses what the format cannot hold (periods other
//!   than 30 s, digit counts other than 6 and 8, Steam) instead of changing the account.

use super::otpauth::{OtpAuthUri, MAX_URI_LENGTH};
use super::percent::{decode, encode_into};
use super::protobuf::{write_bytes_field, write_varint_field, ProtobufError, Reader};
use crate::otp::{Algorithm, OtpKind, OtpParams, Secret};
use base64::Engine;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use zeroize::Zeroizing;

const SCHEME: &str = "otpauth-migration://";
const HOST: &str = "offline";
const PERIOD: u32 = 30;
/// More accounts than any phone holds; a payload claiming more is refused before building them.
pub const MAX_MIGRATION_ACCOUNTS: usize = 1000;
/// The most parts one export may claim to have.
pub const MAX_BATCH_SIZE: u32 = 1000;
/// Longest issuer or name accepted from an export, in bytes.
const MAX_TEXT_BYTES: usize = 1024;
/// Longest name field: it may carry the issuer, a ':' and the name.
const MAX_NAME_FIELD_BYTES: usize = 2 * MAX_TEXT_BYTES + 1;

/// An `otpauth-migration://` URI that cannot be read, or an account it cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    /// The text exceeds [`MAX_URI_LENGTH`].
    #[error("the URI is {length} bytes long; at most {MAX_URI_LENGTH} are accepted")]
    TooLong {
        /// Its length in bytes.
        length: usize,
    },
    /// The text is not `otpauth-migration://offline?…`.
    #[error("not a Google Authenticator export: it must start with otpauth-migration://offline")]
    NotMigration,
    /// The URI has no `data` parameter.
    #[error("the export has no data parameter")]
    MissingData,
    /// The `data` parameter appears more than once.
    #[error("the export has more than one data parameter")]
    DuplicateData,
    /// The `data` parameter is not percent-encoded text.
    #[error("the data parameter is not valid percent-encoding")]
    BadPercentEncoding,
    /// The `data` parameter is not base64.
    #[error("the data parameter is not base64: {0}")]
    BadBase64(String),
    /// The decoded data is not a well-formed message.
    #[error("the export's data is damaged: {0}")]
    Protobuf(#[from] ProtobufError),
    /// An issuer or name is not UTF-8 text.
    #[error("account {index}: its {field} is not UTF-8 text")]
    InvalidText {
        /// Position of the account in the export, from 1.
        index: usize,
        /// "issuer" or "name".
        field: &'static str,
    },
    /// An issuer or name is implausibly long.
    #[error("account {index}: its {field} is longer than {MAX_TEXT_BYTES} bytes")]
    TextTooLong {
        /// Position of the account in the export, from 1.
        index: usize,
        /// "issuer" or "name".
        field: &'static str,
    },
    /// The export holds more than [`MAX_MIGRATION_ACCOUNTS`] accounts.
    #[error("the export holds more than {MAX_MIGRATION_ACCOUNTS} accounts")]
    TooManyAccounts,
    /// The part number is not below the number of parts, or the count is implausible.
    #[error("part index {index} does not fit an export of {size} parts")]
    BadBatch {
        /// The `batch_index` field.
        index: i32,
        /// The `batch_size` field.
        size: i32,
    },
    /// A part claims another number of parts than earlier parts of the same export.
    #[error("export {batch_id}: this part says {found} parts, an earlier one said {expected}")]
    BatchSizeMismatch {
        /// The export's `batch_id`.
        batch_id: i32,
        /// The part count seen first.
        expected: u32,
        /// The part count of this part.
        found: u32,
    },
    /// An account cannot be written in this format.
    #[error("{account} cannot be written to a Google Authenticator export: {reason}")]
    Unrepresentable {
        /// "Issuer: name" of the account.
        account: String,
        /// What the format lacks.
        reason: &'static str,
    },
}

/// Why an account of an export was not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// MD5, which Tessera does not compute codes with.
    Md5,
    /// An algorithm value the format does not define.
    UnknownAlgorithm(u64),
    /// A digit-count value the format does not define.
    UnknownDigits(u64),
    /// A type value the format does not define.
    UnknownType(u64),
    /// No secret, so no codes.
    EmptySecret,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Md5 => write!(f, "MD5 codes are not supported"),
            SkipReason::UnknownAlgorithm(value) => write!(f, "unknown algorithm value {value}"),
            SkipReason::UnknownDigits(value) => write!(f, "unknown digit-count value {value}"),
            SkipReason::UnknownType(value) => write!(f, "unknown code type value {value}"),
            SkipReason::EmptySecret => write!(f, "the secret is empty"),
        }
    }
}

/// An account of an export that could not be imported, named so the user can redo it by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedAccount {
    /// The service, possibly empty.
    pub issuer: String,
    /// The account name, possibly empty.
    pub name: String,
    /// Why it was left out.
    pub reason: SkipReason,
}

impl fmt::Display for SkippedAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", label(&self.issuer, &self.name), self.reason)
    }
}

/// One `otpauth-migration://` URI: one part of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBatch {
    /// Identifies the export this part belongs to; shared by its parts.
    pub batch_id: i32,
    /// Position of this part, from 0.
    pub batch_index: u32,
    /// Number of parts of the export, at least 1.
    pub batch_size: u32,
    /// The payload format version the exporting app wrote.
    pub version: i32,
    /// The accounts Tessera can use, in export order.
    pub accounts: Vec<OtpAuthUri>,
    /// The accounts it cannot, with the reason.
    pub skipped: Vec<SkippedAccount>,
}

/// Reads one `otpauth-migration://offline?data=…` URI.
pub fn parse_migration(text: &str) -> Result<MigrationBatch, MigrationError> {
    let text = text.trim();
    if text.len() > MAX_URI_LENGTH {
        return Err(MigrationError::TooLong { length: text.len() });
    }
    let rest = text
        .get(..SCHEME.len())
        .filter(|scheme| scheme.eq_ignore_ascii_case(SCHEME))
        .map(|_| &text[SCHEME.len()..])
        .ok_or(MigrationError::NotMigration)?;
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !host.trim_end_matches('/').eq_ignore_ascii_case(HOST) {
        return Err(MigrationError::NotMigration);
    }
    let mut data = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.eq_ignore_ascii_case("data") && data.replace(value).is_some() {
            return Err(MigrationError::DuplicateData);
        }
    }
    let data = data.ok_or(MigrationError::MissingData)?;
    // `+` is a base64 digit here, never a space, even when an encoder left it unescaped.
    let data = decode(data, false).map_err(|_| MigrationError::BadPercentEncoding)?;
    let payload = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|err| MigrationError::BadBase64(err.to_string()))?,
    );
    decode_payload(&payload)
}

fn decode_payload(payload: &[u8]) -> Result<MigrationBatch, MigrationError> {
    let mut reader = Reader::new(payload);
    let mut entries = Vec::new();
    let (mut version, mut batch_size, mut batch_index, mut batch_id) = (0, 0, 0, 0);
    while let Some((field, value)) = reader.next_field()? {
        match field {
            1 => {
                if entries.len() == MAX_MIGRATION_ACCOUNTS {
                    return Err(MigrationError::TooManyAccounts);
                }
                entries.push(value.bytes(field)?);
            }
            // int32 fields travel as 64-bit varints; truncating is protobuf's own rule.
            2 => version = value.varint(field)? as i32,
            3 => batch_size = value.varint(field)? as i32,
            4 => batch_index = value.varint(field)? as i32,
            5 => batch_id = value.varint(field)? as i32,
            _ => {}
        }
    }
    let size = if batch_size == 0 { 1 } else { batch_size };
    let (Ok(size), Ok(index)) = (u32::try_from(size), u32::try_from(batch_index)) else {
        return Err(MigrationError::BadBatch {
            index: batch_index,
            size: batch_size,
        });
    };
    if index >= size || size > MAX_BATCH_SIZE {
        return Err(MigrationError::BadBatch {
            index: batch_index,
            size: batch_size,
        });
    }
    let mut batch = MigrationBatch {
        batch_id,
        batch_index: index,
        batch_size: size,
        version,
        accounts: Vec::with_capacity(entries.len()),
        skipped: Vec::new(),
    };
    for (position, entry) in entries.into_iter().enumerate() {
        match decode_account(entry, position + 1)? {
            Ok(account) => batch.accounts.push(account),
            Err(skipped) => batch.skipped.push(skipped),
        }
    }
    Ok(batch)
}

/// One `OtpParameters` message: an account, or the reason it cannot be one.
fn decode_account(
    bytes: &[u8],
    index: usize,
) -> Result<Result<OtpAuthUri, SkippedAccount>, MigrationError> {
    let mut reader = Reader::new(bytes);
    let mut secret: &[u8] = &[];
    let (mut name, mut issuer) = (String::new(), String::new());
    let (mut algorithm, mut digits, mut kind, mut counter) = (0, 0, 0, 0);
    while let Some((field, value)) = reader.next_field()? {
        match field {
            1 => secret = value.bytes(field)?,
            2 => name = text(value.bytes(field)?, MAX_NAME_FIELD_BYTES, index, "name")?,
            3 => issuer = text(value.bytes(field)?, MAX_TEXT_BYTES, index, "issuer")?,
            4 => algorithm = value.varint(field)?,
            5 => digits = value.varint(field)?,
            6 => kind = value.varint(field)?,
            7 => counter = value.varint(field)?,
            _ => {}
        }
    }
    let (issuer, name) = split_label(issuer, name);
    for (text, field) in [(&issuer, "issuer"), (&name, "name")] {
        if text.len() > MAX_TEXT_BYTES {
            return Err(MigrationError::TextTooLong { index, field });
        }
    }
    let skip = |reason| {
        Ok(Err(SkippedAccount {
            issuer: issuer.clone(),
            name: name.clone(),
            reason,
        }))
    };
    let algorithm = match algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return skip(SkipReason::Md5),
        other => return skip(SkipReason::UnknownAlgorithm(other)),
    };
    let digits = match digits {
        0 | 1 => 6,
        2 => 8,
        other => return skip(SkipReason::UnknownDigits(other)),
    };
    let kind = match kind {
        0 | 2 => OtpKind::Totp { period: PERIOD },
        1 => OtpKind::Hotp { counter },
        other => return skip(SkipReason::UnknownType(other)),
    };
    if secret.is_empty() {
        return skip(SkipReason::EmptySecret);
    }
    // Every combination chosen above is one that `OtpParams::new` accepts.
    let otp = OtpParams {
        kind,
        algorithm,
        digits,
        secret: Secret::from_bytes(secret.to_vec()),
    };
    Ok(Ok(OtpAuthUri { issuer, name, otp }))
}

fn text(
    bytes: &[u8],
    limit: usize,
    index: usize,
    field: &'static str,
) -> Result<String, MigrationError> {
    if bytes.len() > limit {
        return Err(MigrationError::TextTooLong { index, field });
    }
    std::str::from_utf8(bytes)
        .map(|text| text.trim().to_owned())
        .map_err(|_| MigrationError::InvalidText { index, field })
}

/// Applies the `Issuer:account` convention of the name field.
fn split_label(issuer: String, name: String) -> (String, String) {
    let Some((prefix, account)) = name.split_once(':') else {
        return (issuer, name);
    };
    if issuer.is_empty() {
        return (prefix.trim().to_owned(), account.trim().to_owned());
    }
    if prefix.trim() == issuer {
        return (issuer, account.trim().to_owned());
    }
    // An issuer that itself holds a ':' is repeated whole, not up to its first ':'.
    match name
        .strip_prefix(issuer.as_str())
        .and_then(|rest| rest.strip_prefix(':'))
    {
        Some(account) => {
            let account = account.trim().to_owned();
            (issuer, account)
        }
        None => (issuer, name),
    }
}

/// The name field written for an account: its name, behind the issuer and a ':' when the name
/// holds a ':' itself, so that [`split_label`] reads the same issuer and name back.
fn name_field(account: &OtpAuthUri) -> Cow<'_, str> {
    if account.name.contains(':') {
        Cow::Owned(format!("{}:{}", account.issuer, account.name))
    } else {
        Cow::Borrowed(&account.name)
    }
}

fn label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer}: {name}"),
        (false, true) => issuer.to_owned(),
        _ => name.to_owned(),
    }
}

impl MigrationBatch {
    /// A single-part export of `accounts`, as written for a new transfer.
    pub fn single(batch_id: i32, accounts: Vec<OtpAuthUri>) -> Self {
        MigrationBatch {
            batch_id,
            batch_index: 0,
            batch_size: 1,
            version: 1,
            accounts,
            skipped: Vec::new(),
        }
    }

    /// The `otpauth-migration://` URI of this part. It holds secrets, hence the zeroizing
    /// buffer. Skipped accounts are not written.
    pub fn to_uri(&self) -> Result<Zeroizing<String>, MigrationError> {
        let mut payload = Zeroizing::new(Vec::new());
        for account in &self.accounts {
            let entry = encode_account(account)?;
            write_bytes_field(&mut payload, 1, &entry);
        }
        // Negative int32 values are sign-extended to 64 bits on the wire.
        write_varint_field(&mut payload, 2, i64::from(self.version) as u64);
        write_varint_field(&mut payload, 3, u64::from(self.batch_size));
        if self.batch_index != 0 {
            write_varint_field(&mut payload, 4, u64::from(self.batch_index));
        }
        write_varint_field(&mut payload, 5, i64::from(self.batch_id) as u64);
        let data = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*payload));
        let mut uri = Zeroizing::new(String::with_capacity(
            SCHEME.len() + HOST.len() + 6 + data.len() * 3,
        ));
        uri.push_str(SCHEME);
        uri.push_str(HOST);
        uri.push_str("?data=");
        encode_into(&mut uri, &data);
        Ok(uri)
    }
}

fn encode_account(account: &OtpAuthUri) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    let refuse = |reason| MigrationError::Unrepresentable {
        account: label(&account.issuer, &account.name),
        reason,
    };
    let (kind, counter) = match account.otp.kind {
        OtpKind::Totp { period: PERIOD } => (2, None),
        OtpKind::Totp { .. } => return Err(refuse("only 30-second periods can be written")),
        OtpKind::Hotp { counter } => (1, Some(counter)),
        OtpKind::Steam { .. } => return Err(refuse("it has no Steam Guard accounts")),
    };
    if account.issuer.len() > MAX_TEXT_BYTES || account.name.len() > MAX_TEXT_BYTES {
        return Err(refuse("its issuer or name is longer than 1024 bytes"));
    }
    let digits = match account.otp.digits {
        6 => 1,
        8 => 2,
        _ => return Err(refuse("only 6- and 8-digit codes can be written")),
    };
    let algorithm = match account.otp.algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    let mut entry = Zeroizing::new(Vec::new());
    write_bytes_field(&mut entry, 1, account.otp.secret.as_bytes());
    write_bytes_field(&mut entry, 2, name_field(account).as_bytes());
    write_bytes_field(&mut entry, 3, account.issuer.as_bytes());
    write_varint_field(&mut entry, 4, algorithm);
    write_varint_field(&mut entry, 5, digits);
    write_varint_field(&mut entry, 6, kind);
    if let Some(counter) = counter {
        write_varint_field(&mut entry, 7, counter);
    }
    Ok(entry)
}

/// What adding a part to a [`BatchCollector`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartAdded {
    /// The export the part belongs to.
    pub batch_id: i32,
    /// The part's number, from 1, as shown to the user.
    pub part: u32,
    /// The export's number of parts.
    pub of: u32,
    /// True when this part had been added before; nothing changed.
    pub duplicate: bool,
    /// Part numbers (from 1) of this export still to be scanned.
    pub missing: Vec<u32>,
}

impl fmt::Display for PartAdded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "part {} of {}", self.part, self.of)?;
        if self.duplicate {
            write!(f, " (already scanned)")?;
        }
        if self.missing.is_empty() {
            write!(f, "; all parts scanned")
        } else {
            let missing: Vec<String> = self.missing.iter().map(u32::to_string).collect();
            write!(f, "; still missing part {}", missing.join(", "))
        }
    }
}

/// Gathers the parts of one or more exports, in any order, across several scans.
#[derive(Debug, Default)]
pub struct BatchCollector {
    exports: BTreeMap<i32, (u32, BTreeMap<u32, MigrationBatch>)>,
}

impl BatchCollector {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one part; a part seen before is ignored and reported as a duplicate.
    pub fn add(&mut self, batch: MigrationBatch) -> Result<PartAdded, MigrationError> {
        let batch_id = batch.batch_id;
        let (size, parts) = self
            .exports
            .entry(batch_id)
            .or_insert_with(|| (batch.batch_size, BTreeMap::new()));
        if *size != batch.batch_size {
            return Err(MigrationError::BatchSizeMismatch {
                batch_id,
                expected: *size,
                found: batch.batch_size,
            });
        }
        let index = batch.batch_index;
        let duplicate = parts.contains_key(&index);
        if !duplicate {
            parts.insert(index, batch);
        }
        let size = *size;
        Ok(PartAdded {
            batch_id,
            part: index + 1,
            of: size,
            duplicate,
            missing: self.missing_parts(batch_id),
        })
    }

    /// Part numbers (from 1) of export `batch_id` not yet added; empty for an unknown export.
    pub fn missing_parts(&self, batch_id: i32) -> Vec<u32> {
        self.exports
            .get(&batch_id)
            .map(|(size, parts)| {
                (0..*size)
                    .filter(|index| !parts.contains_key(index))
                    .map(|index| index + 1)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every export still missing parts: its part count and the missing part numbers (from 1).
    pub fn pending_batches(&self) -> Vec<(u32, Vec<u32>)> {
        self.exports
            .iter()
            .map(|(id, (size, _))| (*size, self.missing_parts(*id)))
            .filter(|(_, missing)| !missing.is_empty())
            .collect()
    }

    /// True when at least one part was added and every export has all its parts.
    pub fn is_complete(&self) -> bool {
        !self.exports.is_empty()
            && self
                .exports
                .values()
                .all(|(size, parts)| parts.len() == *size as usize)
    }

    /// The accounts and skipped entries of every part added so far, in part order.
    pub fn accounts(&self) -> (Vec<OtpAuthUri>, Vec<SkippedAccount>) {
        let mut accounts = Vec::new();
        let mut skipped = Vec::new();
        for (_, parts) in self.exports.values() {
            for part in parts.values() {
                accounts.extend(part.accounts.iter().cloned());
                skipped.extend(part.skipped.iter().cloned());
            }
        }
        (accounts, skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(issuer: &str, name: &str, kind: OtpKind, digits: u8) -> OtpAuthUri {
        OtpAuthUri {
            issuer: issuer.into(),
            name: name.into(),
            otp: OtpParams::new(
                kind,
                Algorithm::Sha256,
                digits,
                Secret::from_bytes(vec![1, 2, 3, 4, 5]),
            )
            .unwrap(),
        }
    }

    #[test]
    fn written_batches_read_back() {
        let batch = MigrationBatch {
            batch_id: -42,
            batch_index: 1,
            batch_size: 3,
            version: 1,
            accounts: vec![
                account("ACME", "jane@example.com", OtpKind::Totp { period: 30 }, 8),
                account("", "bob", OtpKind::Hotp { counter: 7 }, 6),
            ],
            skipped: Vec::new(),
        };
        assert_eq!(parse_migration(&batch.to_uri().unwrap()).unwrap(), batch);
    }

    #[test]
    fn names_holding_a_colon_read_back_whole() {
        let totp = OtpKind::Totp { period: 30 };
        let accounts = vec![
            account("", "a:b", totp, 6),
            account("", ":::x", totp, 6),
            account("ACME", "ACME:jane", totp, 6),
            account("ACME", "ops: jane", totp, 6),
            account("a:b", "c:d", totp, 6),
            account("a:", "b", totp, 6),
        ];
        let batch = MigrationBatch::single(7, accounts.clone());
        assert_eq!(
            parse_migration(&batch.to_uri().unwrap()).unwrap().accounts,
            accounts
        );
    }

    #[test]
    fn names_longer_than_the_format_allows_are_refused() {
        let long = "n".repeat(MAX_TEXT_BYTES + 1);
        let batch = MigrationBatch::single(
            1,
            vec![account("X", &long, OtpKind::Hotp { counter: 0 }, 6)],
        );
        let err = batch.to_uri().unwrap_err();
        assert!(err.to_string().contains("longer than 1024 bytes"), "{err}");
    }

    #[test]
    fn unrepresentable_accounts_are_refused() {
        let batch =
            MigrationBatch::single(1, vec![account("X", "y", OtpKind::Totp { period: 60 }, 6)]);
        assert!(matches!(
            batch.to_uri(),
            Err(MigrationError::Unrepresentable { .. })
        ));
    }

    #[test]
    fn md5_entries_are_reported_by_name() {
        let mut entry = Vec::new();
        write_bytes_field(&mut entry, 1, b"key");
        write_bytes_field(&mut entry, 2, b"Old:legacy");
        write_varint_field(&mut entry, 4, 4);
        let mut payload = Vec::new();
        write_bytes_field(&mut payload, 1, &entry);
        let batch = decode_payload(&payload).unwrap();
        assert!(batch.accounts.is_empty());
        assert_eq!(
            batch.skipped,
            vec![SkippedAccount {
                issuer: "Old".into(),
                name: "legacy".into(),
                reason: SkipReason::Md5
            }]
        );
        assert_eq!(
            batch.skipped[0].to_string(),
            "Old: legacy: MD5 codes are not supported"
        );
    }

    #[test]
    fn bad_uris_are_named() {
        assert_eq!(
            parse_migration("otpauth://totp/x?secret=AA"),
            Err(MigrationError::NotMigration)
        );
        assert_eq!(
            parse_migration("otpauth-migration://offline?foo=1"),
            Err(MigrationError::MissingData)
        );
        assert!(matches!(
            parse_migration("otpauth-migration://offline?data=%%%"),
            Err(MigrationError::BadPercentEncoding)
        ));
        assert!(matches!(
            parse_migration("otpauth-migration://offline?data=!!!!"),
            Err(MigrationError::BadBase64(_))
        ));
        // Field 1 claims 5 bytes but holds 1.
        assert!(matches!(
            parse_migration("otpauth-migration://offline?data=CgVh"),
            Err(MigrationError::Protobuf(ProtobufError::Truncated { .. }))
        ));
    }

    #[test]
    fn part_index_must_fit_the_part_count() {
        let mut payload = Vec::new();
        write_varint_field(&mut payload, 3, 2);
        write_varint_field(&mut payload, 4, 2);
        assert_eq!(
            decode_payload(&payload),
            Err(MigrationError::BadBatch { index: 2, size: 2 })
        );
    }

    #[test]
    fn collector_reports_progress_in_any_order() {
        let part = |index| MigrationBatch {
            batch_id: 9,
            batch_index: index,
            batch_size: 3,
            version: 1,
            accounts: vec![account(
                "S",
                &format!("a{index}"),
                OtpKind::Totp { period: 30 },
                6,
            )],
            skipped: Vec::new(),
        };
        let mut collector = BatchCollector::new();
        let added = collector.add(part(2)).unwrap();
        assert_eq!(added.to_string(), "part 3 of 3; still missing part 1, 2");
        assert!(!collector.is_complete());
        assert!(collector.add(part(2)).unwrap().duplicate);
        collector.add(part(0)).unwrap();
        let added = collector.add(part(1)).unwrap();
        assert_eq!(added.to_string(), "part 2 of 3; all parts scanned");
        assert!(collector.is_complete());
        let names: Vec<String> = collector.accounts().0.into_iter().map(|a| a.name).collect();
        assert_eq!(names, ["a0", "a1", "a2"]);
        let mut other = part(0);
        other.batch_size = 4;
        assert!(matches!(
            collector.add(other),
            Err(MigrationError::BatchSizeMismatch { .. })
        ));
    }
}
