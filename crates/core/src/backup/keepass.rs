//! KeePass and KeePassXC databases (`.kdbx`): the accounts are the entries with a one-time
//! password, wherever the plugin or version that added it keeps it.
//!
//! Decryption is the `keepass` crate's (KDBX 3.1 and 4.x: AES-KDF, Argon2d and Argon2id;
//! AES-256, ChaCha20 and Twofish; gzip; the Salsa20 and ChaCha20 inner streams of protected
//! values). It opened every KeePassXC file in the test fixtures, the 2.2 MB attachment spread
//! over several HMAC blocks and the KDBX 3.1 file included, so no reader of our own is needed.
//! What the crate does not do is bound the key derivation a file asks for, so this module reads
//! the outer header first (layouts: <https://keepass.info/help/kb/kdbx_4.html> for KDBX 4's
//! header fields and VariantDictionary, <https://keepass.info/help/kb/kdbx.html> for 3.1) and
//! refuses costs past [`MAX_AES_KDF_ROUNDS`], [`MAX_ARGON2_MEMORY`], [`MAX_ARGON2_WORK`] and
//! [`MAX_ARGON2_LANES`] before deriving anything.
//!
//! One-time passwords, in the order they are looked for in an entry:
//! - `otp`: an `otpauth://` URI (KeePassXC, also `encoder=steam` for Steam), or KeeOTP's
//!   `key=BASE32&step=30&size=6&type=totp&otpHashMode=sha256` form;
//! - `TOTP Seed` with `TOTP Settings` (`30;6`, `30;S` for Steam): KeeTrayTOTP and old KeePassXC;
//! - KeePass 2.47+'s `TimeOtp-Secret` (or `-Hex`, `-Base32`, `-Base64`) with `TimeOtp-Length`,
//!   `TimeOtp-Period` and `TimeOtp-Algorithm`, and `HmacOtp-Secret*` with `HmacOtp-Counter`.
//!
//! The issuer is the URI's, else the entry's title; the account the URI's, else the user name.
//! KeePassXC writes `none` as the URI account of an entry without a user name: that is read
//! as no account. Entries without any of these fields are passwords, not accounts, and are
//! skipped without a word; entries in the recycle bin (`Meta/RecycleBinUUID`, subgroups
//! included) and old versions under `History` are not accounts either. An entry whose field is
//! there but unreadable is named in the report. Only a password is asked for: a database that
//! also needs a key file or a hardware key does not open, and says so as a wrong password.
//!
//! Known limit: the crate inflates the decrypted payload in memory without a cap of its own.
//! Only a file whose password the user types gets that far (the payload is authenticated under
//! the key), so a decompression bomb needs the user to open a hostile file with the password
//! its maker chose.

use super::fields::{imported, parse_algorithm, Checked, RawEntry};
use super::{codec, BackupError, Entry, Format, Imported, Importer, Protection, Unusable};
use crate::account;
use crate::otp::Secret;
use crate::uri;
use base64::Engine;
use keepass::db::{EntryRef, GroupId, GroupRef};
use keepass::{Database, DatabaseKey};
use zeroize::Zeroizing;

const FORMAT: Format = Format::KeePass;

/// The signatures every KeePass file starts with (little-endian u32s).
const SIGNATURE_1: [u8; 4] = [0x03, 0xd9, 0xa2, 0x9a];
const SIGNATURE_KDBX: [u8; 4] = [0x67, 0xfb, 0x4b, 0xb5];
const SIGNATURE_KDB1: [u8; 4] = [0x65, 0xfb, 0x4b, 0xb5];

/// AES-KDF encrypts the key this many times, one block after the other, so the time grows
/// with the count alone: the KDBX 3.1 test fixture's 43 478 260 rounds took 8.4 s of CPU on
/// the project's 2-core test machine (AES-NI, optimised build), about 5 million a second, so
/// the cap keeps a hostile file near ten seconds while reading what KeePass calibrates on a
/// current desktop.
pub const MAX_AES_KDF_ROUNDS: u64 = 50_000_000;
/// Argon2's memory, in bytes.
pub const MAX_ARGON2_MEMORY: u64 = 1 << 30;
/// Argon2's memory times its passes, in bytes: the work, which bounds the time. The fixtures
/// go up to 16 MiB × 117 passes (1.8 GiB), which took 4.1 s on the project's 2-core test
/// machine under load, about 0.45 GiB a second: 4 GiB keeps a hostile file under ten seconds
/// and reads what KeePassXC calibrates for one or two seconds of unlocking.
pub const MAX_ARGON2_WORK: u64 = 4 << 30;
/// Argon2 lanes, each of which the crate runs on a thread of its own.
pub const MAX_ARGON2_LANES: u64 = 64;

/// KeePass and KeePassXC databases.
pub struct KeePass;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for KeePass {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let second = bytes.get(4..8)?;
        (bytes.starts_with(&SIGNATURE_1) && (second == SIGNATURE_KDBX || second == SIGNATURE_KDB1))
            .then_some(Protection::Encrypted)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        check_kdf(bytes)?;
        let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
        let database = Database::parse(bytes, DatabaseKey::new().with_password(password))
            .map_err(open_error)?;
        let recycle_bin = database
            .meta
            .recyclebin_uuid
            .filter(|uuid| !uuid.is_nil())
            .map(GroupId::from_uuid);
        let mut checked = Vec::new();
        collect_group(database.root(), recycle_bin, "", &mut checked);
        Ok(imported(FORMAT, checked))
    }
}

fn open_error(err: keepass::error::DatabaseOpenError) -> BackupError {
    use keepass::error::DatabaseOpenError as Open;
    match err {
        Open::Key(keepass::error::DatabaseKeyError::IncorrectKey) => {
            BackupError::WrongPassword(FORMAT)
        }
        Open::UnsupportedVersion => BackupError::Unsupported {
            format: FORMAT,
            detail: "this KeePass file version is not read".into(),
        },
        // The crate's messages name the structure that is broken, never a key.
        other => malformed(format!("the database cannot be read ({other})")),
    }
}

/// Every account of `group` and its subgroups, the recycle bin left out; `path` is the group
/// names from the root down, which become the accounts' group.
fn collect_group(
    group: GroupRef<'_>,
    recycle_bin: Option<GroupId>,
    path: &str,
    out: &mut Vec<Checked>,
) {
    if Some(group.id()) == recycle_bin {
        return;
    }
    out.extend(group.entries().filter_map(|entry| {
        let mut checked = read_entry(&entry)?;
        if let Ok(account) = &mut checked {
            account.group = path.to_string();
        }
        Some(checked)
    }));
    for child in group.groups() {
        let child_path = if path.is_empty() {
            child.name.clone()
        } else {
            format!("{path}/{}", child.name)
        };
        collect_group(child, recycle_bin, &child_path, out);
    }
}

/// The account `entry` holds, `None` when it holds no one-time password at all.
fn read_entry(entry: &EntryRef<'_>) -> Option<Checked> {
    let field = |key: &str| entry.get(key).map(str::trim).filter(|v| !v.is_empty());
    let title = field("Title").unwrap_or("").to_string();
    let user = field("UserName").unwrap_or("").to_string();
    let fields = |key: &str| field(key).map(|value| Zeroizing::new(value.to_string()));
    let otp = OtpFields {
        title,
        user,
        get: &fields,
    };
    otp.read()
}

/// The fields of one entry that can hold a one-time password.
struct OtpFields<'a> {
    title: String,
    user: String,
    /// The field named so, trimmed, if it is there and not empty. Copies of values that may be
    /// secrets are wiped when dropped.
    get: &'a dyn Fn(&str) -> Option<Zeroizing<String>>,
}

impl OtpFields<'_> {
    fn read(&self) -> Option<Checked> {
        if let Some(value) = (self.get)("otp") {
            let is_uri = value
                .get(..10)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://"));
            return Some(if is_uri {
                self.read_uri(&value)
            } else {
                self.read_keeotp(&value)
            });
        }
        if let Some(seed) = (self.get)("TOTP Seed") {
            return Some(self.read_tray_totp(&seed));
        }
        if let Some(secret) = self.keepass_secret("TimeOtp") {
            return Some(self.read_keepass_totp(secret));
        }
        if let Some(secret) = self.keepass_secret("HmacOtp") {
            return Some(self.read_keepass_hotp(secret));
        }
        None
    }

    fn raw<'k>(&self, kind: &'k str) -> RawEntry<'k> {
        RawEntry {
            kind,
            issuer: self.title.clone(),
            name: self.user.clone(),
            ..RawEntry::default()
        }
    }

    fn unusable(&self, reason: impl Into<String>) -> Unusable {
        Unusable {
            label: account::label(&self.title, &self.user),
            reason: reason.into(),
        }
    }

    fn read_uri(&self, text: &str) -> Checked {
        let parsed = uri::parse(text)
            .map_err(|err| self.unusable(format!("its otp URI is not valid: {err}")))?;
        let mut entry = Entry::from(parsed);
        if entry.issuer.is_empty() {
            entry.issuer = self.title.clone();
        }
        // KeePassXC's placeholder for an entry without a user name.
        if entry.name.is_empty() || (entry.name == "none" && self.user.is_empty()) {
            entry.name = self.user.clone();
        }
        Ok(entry)
    }

    /// KeeOTP: `key=BASE32&size=6&step=30&type=totp&otpHashMode=sha1&counter=0`.
    fn read_keeotp(&self, text: &str) -> Checked {
        let mut key = None;
        let mut size = None;
        let mut step = None;
        let mut kind = "totp".to_string();
        let mut algorithm = None;
        let mut counter = None;
        for pair in text.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // KeeOTP percent-encodes the values (the `=` of base32 padding as `%3D`).
            let value = uri::percent::decode(value.trim(), false)
                .unwrap_or_else(|_| Zeroizing::new(value.trim().to_string()));
            match name.trim().to_ascii_lowercase().as_str() {
                "key" => key = Some(value),
                "size" => size = Some(value),
                "step" => step = Some(value),
                "type" => kind = value.to_ascii_lowercase(),
                "otphashmode" => algorithm = Some(value),
                "counter" => counter = Some(value),
                _ => {}
            }
        }
        let key = key.ok_or_else(|| self.unusable("its otp field has no key"))?;
        let mut raw = self.raw(&kind);
        raw.algorithm = field_text(&algorithm);
        raw.digits = self.number(field_text(&size), "size")?;
        raw.period = self.number(field_text(&step), "step")?;
        raw.counter = self.number(field_text(&counter), "counter")?;
        raw.with_base32(&key)
    }

    /// KeeTrayTOTP's `TOTP Seed` and `TOTP Settings` (`period;digits`, digits `S` for Steam).
    fn read_tray_totp(&self, seed: &str) -> Checked {
        let settings = (self.get)("TOTP Settings").unwrap_or_default();
        let mut parts = settings.split(';').map(str::trim);
        let period = parts.next().filter(|p| !p.is_empty());
        let digits = parts.next().filter(|d| !d.is_empty());
        let steam = digits.is_some_and(|d| d.eq_ignore_ascii_case("s"));
        let mut raw = self.raw(if steam { "steam" } else { "totp" });
        raw.period = self.number(period, "TOTP Settings period")?;
        if !steam {
            raw.digits = self.number(digits, "TOTP Settings digits")?;
        }
        raw.with_base32(seed)
    }

    fn read_keepass_totp(&self, secret: Result<Secret, Unusable>) -> Checked {
        let mut raw = self.raw("totp");
        let algorithm = (self.get)("TimeOtp-Algorithm");
        // KeePass spells them HMAC-SHA-1, HMAC-SHA-256 and HMAC-SHA-512.
        raw.algorithm = field_text(&algorithm);
        if let Some(name) = raw.algorithm {
            if parse_algorithm(name).is_none() {
                return Err(self.unusable(format!("the {name:?} algorithm is not supported")));
            }
        }
        let (length, period) = ((self.get)("TimeOtp-Length"), (self.get)("TimeOtp-Period"));
        raw.digits = self.number(field_text(&length), "TimeOtp-Length")?;
        raw.period = self.number(field_text(&period), "TimeOtp-Period")?;
        raw.with_secret(secret?)
    }

    fn read_keepass_hotp(&self, secret: Result<Secret, Unusable>) -> Checked {
        let mut raw = self.raw("hotp");
        let counter = (self.get)("HmacOtp-Counter");
        raw.counter = self.number(field_text(&counter), "HmacOtp-Counter")?;
        raw.with_secret(secret?)
    }

    /// KeePass's secret for `prefix` (`TimeOtp`, `HmacOtp`) in whichever encoding it was saved.
    fn keepass_secret(&self, prefix: &str) -> Option<Result<Secret, Unusable>> {
        let get = |suffix: &str| (self.get)(&format!("{prefix}-Secret{suffix}"));
        if let Some(text) = get("") {
            return Some(Ok(Secret::from_bytes(text.as_bytes().to_vec())));
        }
        if let Some(hex) = get("-Hex") {
            let compact = Zeroizing::new(hex.split_whitespace().collect::<String>());
            return Some(
                codec::from_hex(FORMAT, "the secret", &compact)
                    .map(Secret::from_bytes)
                    .map_err(|_| self.unusable(format!("its {prefix}-Secret-Hex is not hex"))),
            );
        }
        if let Some(base32) = get("-Base32") {
            return Some(
                Secret::parse_base32(&base32)
                    .map(|parsed| parsed.secret)
                    .map_err(|err| self.unusable(format!("its secret is not valid: {err}"))),
            );
        }
        get("-Base64").map(|base64| {
            base64::engine::general_purpose::STANDARD
                .decode(base64.trim())
                .map(Secret::from_bytes)
                .map_err(|_| self.unusable(format!("its {prefix}-Secret-Base64 is not base64")))
        })
    }

    fn number(&self, text: Option<&str>, what: &str) -> Result<Option<u64>, Unusable> {
        text.map(|text| {
            text.trim()
                .parse()
                .map_err(|_| self.unusable(format!("its {what} {text:?} is not a number")))
        })
        .transpose()
    }
}

/// The text of an optional field.
fn field_text(value: &Option<Zeroizing<String>>) -> Option<&str> {
    value.as_ref().map(|value| value.as_str())
}

/// Refuses a file whose key derivation would take too long or too much memory, reading only
/// its outer header. Anything else wrong with the header is left to the crate to report.
fn check_kdf(bytes: &[u8]) -> Result<(), BackupError> {
    if bytes.get(4..8) == Some(&SIGNATURE_KDB1) {
        return Err(BackupError::Unsupported {
            format: FORMAT,
            detail: "KeePass 1.x (.kdb) files are not read; open the file in KeePass or \
                     KeePassXC and save it as a .kdbx database"
                .into(),
        });
    }
    let header = Header::new(bytes)?;
    for (id, value) in header.fields() {
        match (header.major, id) {
            // KDBX 3.1: TransformRounds, a u64.
            (3, 6) => check_aes_rounds(read_u64(value)?)?,
            // KDBX 4: KdfParameters, a VariantDictionary.
            (4, 11) => check_kdf_parameters(value)?,
            _ => {}
        }
    }
    Ok(())
}

fn check_aes_rounds(rounds: u64) -> Result<(), BackupError> {
    if rounds > MAX_AES_KDF_ROUNDS {
        return Err(malformed(format!(
            "it asks for {rounds} AES-KDF rounds; at most {MAX_AES_KDF_ROUNDS} are accepted"
        )));
    }
    Ok(())
}

/// The KDF UUIDs of KDBX 4 (the two AES-KDF ones are KDBX 3's and 4's), in the VariantDictionary's
/// `$UUID` entry.
const AES_KDF_UUIDS: [[u8; 16]; 2] = [
    [
        0xc9, 0xd9, 0xf3, 0x9a, 0x62, 0x8a, 0x44, 0x60, 0xbf, 0x74, 0x0d, 0x08, 0xc1, 0x8a, 0x4f,
        0xea,
    ],
    [
        0x7c, 0x02, 0xbb, 0x82, 0x79, 0xa7, 0x4a, 0xc0, 0x92, 0x7d, 0x11, 0x4a, 0x00, 0x64, 0x82,
        0x38,
    ],
];

fn check_kdf_parameters(dictionary: &[u8]) -> Result<(), BackupError> {
    let items = variant_dictionary(dictionary)?;
    let number = |key: &str| -> Result<Option<u64>, BackupError> {
        match items.iter().find(|(name, _)| name == key) {
            Some((_, value)) => read_u64(value).map(Some),
            None => Ok(None),
        }
    };
    let uuid = items
        .iter()
        .find(|(name, _)| name == "$UUID")
        .map(|(_, value)| value.as_slice());
    if uuid.is_some_and(|uuid| AES_KDF_UUIDS.iter().any(|aes| aes == uuid)) {
        return check_aes_rounds(number("R")?.unwrap_or(0));
    }
    // Argon2d and Argon2id: anything else the crate refuses by itself.
    let memory = number("M")?.unwrap_or(0);
    let passes = number("I")?.unwrap_or(0);
    let lanes = number("P")?.unwrap_or(0);
    if memory > MAX_ARGON2_MEMORY {
        return Err(malformed(format!(
            "its Argon2 key derivation asks for {} MiB of memory; at most {} MiB is allowed",
            memory >> 20,
            MAX_ARGON2_MEMORY >> 20
        )));
    }
    if memory.saturating_mul(passes) > MAX_ARGON2_WORK {
        return Err(malformed(format!(
            "its Argon2 key derivation asks for {passes} passes over {} MiB; at most {} MiB \
             in all is allowed",
            memory >> 20,
            MAX_ARGON2_WORK >> 20
        )));
    }
    if lanes > MAX_ARGON2_LANES {
        return Err(malformed(format!(
            "its Argon2 key derivation asks for {lanes} lanes; at most {MAX_ARGON2_LANES} are \
             allowed"
        )));
    }
    Ok(())
}

/// A little-endian u32 or u64, the two integer sizes the header uses for KDF costs.
fn read_u64(value: &[u8]) -> Result<u64, BackupError> {
    match value.len() {
        4 => Ok(u64::from(u32::from_le_bytes(
            value
                .try_into()
                .map_err(|_| malformed("a header number is cut"))?,
        ))),
        8 => Ok(u64::from_le_bytes(
            value
                .try_into()
                .map_err(|_| malformed("a header number is cut"))?,
        )),
        _ => Err(malformed("a KDF number in its header has the wrong size")),
    }
}

/// KDBX 4's VariantDictionary: a u16 version, then (type u8, name length i32, name, value
/// length i32, value) items up to a type 0.
fn variant_dictionary(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, BackupError> {
    let cut = || malformed("its KDF parameters are cut short");
    let mut at = 2usize;
    let mut items = Vec::new();
    loop {
        let kind = *bytes.get(at).ok_or_else(cut)?;
        at += 1;
        if kind == 0 {
            return Ok(items);
        }
        let mut take = || -> Result<&[u8], BackupError> {
            let len = bytes.get(at..at + 4).ok_or_else(cut)?;
            let len = u32::from_le_bytes(len.try_into().map_err(|_| cut())?) as usize;
            let value = bytes
                .get(at + 4..at.saturating_add(4).saturating_add(len))
                .ok_or_else(cut)?;
            at += 4 + len;
            Ok(value)
        };
        let name = String::from_utf8_lossy(take()?).into_owned();
        let value = take()?.to_vec();
        items.push((name, value));
    }
}

/// The outer header of a KDBX file: its major version and its (id, value) fields.
struct Header<'a> {
    major: u16,
    fields: Vec<(u8, &'a [u8])>,
}

impl<'a> Header<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, BackupError> {
        let cut = || malformed("its header is cut short");
        let version = bytes.get(8..12).ok_or_else(cut)?;
        let major = u16::from_le_bytes([version[2], version[3]]);
        let length_size = match major {
            3 => 2,
            4 => 4,
            other => {
                return Err(BackupError::Unsupported {
                    format: FORMAT,
                    detail: format!("KDBX version {other} is not read (3.1 and 4.x are)"),
                })
            }
        };
        let mut at = 12usize;
        let mut fields = Vec::new();
        loop {
            let id = *bytes.get(at).ok_or_else(cut)?;
            let len_bytes = bytes.get(at + 1..at + 1 + length_size).ok_or_else(cut)?;
            let len = len_bytes
                .iter()
                .rev()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            let start = at + 1 + length_size;
            let value = bytes
                .get(start..start.saturating_add(len))
                .ok_or_else(cut)?;
            if id == 0 {
                return Ok(Header { major, fields });
            }
            fields.push((id, value));
            at = start + len;
        }
    }

    fn fields(&self) -> impl Iterator<Item = (u8, &'a [u8])> + '_ {
        self.fields.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, OtpKind};
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Option<Checked> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let get = move |key: &str| map.get(key).map(|value| Zeroizing::new(value.clone()));
        OtpFields {
            title: "Kayako".into(),
            user: "ops@example.com".into(),
            get: &get,
        }
        .read()
    }

    #[test]
    fn keeotp_form() {
        let entry = read(&[(
            "otp",
            "key=JBSWY3DPEHPK3PXP&size=8&step=60&otpHashMode=Sha256",
        )])
        .expect("an otp entry")
        .expect("readable");
        assert_eq!(entry.otp.kind, OtpKind::Totp { period: 60 });
        assert_eq!(
            (entry.otp.algorithm, entry.otp.digits),
            (Algorithm::Sha256, 8)
        );
        assert_eq!(
            (entry.issuer.as_str(), entry.name.as_str()),
            ("Kayako", "ops@example.com")
        );
        assert_eq!(entry.otp.secret.as_bytes(), b"Hello!\xde\xad\xbe\xef");
    }

    #[test]
    fn keepass_time_otp_fields_in_each_encoding() {
        for secret in [
            ("TimeOtp-Secret", "12345678901234567890"),
            (
                "TimeOtp-Secret-Hex",
                "3132333435363738393031323334353637383930",
            ),
            ("TimeOtp-Secret-Base32", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            ("TimeOtp-Secret-Base64", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA="),
        ] {
            let entry = read(&[
                secret,
                ("TimeOtp-Length", "8"),
                ("TimeOtp-Period", "45"),
                ("TimeOtp-Algorithm", "HMAC-SHA-1"),
            ])
            .expect("an otp entry")
            .expect("readable");
            assert_eq!(
                entry.otp.secret.as_bytes(),
                b"12345678901234567890",
                "{secret:?}"
            );
            assert_eq!(entry.otp.kind, OtpKind::Totp { period: 45 });
            assert_eq!(
                (entry.otp.algorithm, entry.otp.digits),
                (Algorithm::Sha1, 8)
            );
            // RFC 6238's SHA-1 vector at T = 59 s (step 1 with 45 s steps as well).
            assert_eq!(entry.otp.code_at(59), "94287082");
        }
        let entry = read(&[
            ("TimeOtp-Secret", "12345678901234567890"),
            ("TimeOtp-Algorithm", "HMAC-SHA-256"),
        ])
        .expect("an otp entry")
        .expect("readable");
        assert_eq!(entry.otp.algorithm, Algorithm::Sha256);
    }

    #[test]
    fn keepass_hmac_otp_fields() {
        let entry = read(&[
            (
                "HmacOtp-Secret-Hex",
                "3132333435363738393031323334353637383930",
            ),
            ("HmacOtp-Counter", "3"),
        ])
        .expect("an otp entry")
        .expect("readable");
        assert_eq!(entry.otp.kind, OtpKind::Hotp { counter: 3 });
        // RFC 4226 appendix D: count 3 gives 969429.
        assert_eq!(entry.otp.code_at(0), "969429");
    }

    #[test]
    fn tray_totp_fields_with_steam() {
        let entry = read(&[("TOTP Seed", "JBSWY3DPEHPK3PXP"), ("TOTP Settings", "30;S")])
            .expect("an otp entry")
            .expect("readable");
        assert_eq!(entry.otp.kind, OtpKind::Steam { period: 30 });
        let entry = read(&[("TOTP Seed", "JBSWY3DPEHPK3PXP"), ("TOTP Settings", "60;7")])
            .expect("an otp entry")
            .expect("readable");
        assert_eq!(entry.otp.kind, OtpKind::Totp { period: 60 });
        assert_eq!(entry.otp.digits, 7);
    }

    #[test]
    fn unreadable_fields_are_named_and_plain_logins_are_skipped() {
        assert!(read(&[("Password", "hunter2")]).is_none());
        let bad = read(&[("otp", "otpauth://totp/x?secret=189")])
            .expect("an otp entry")
            .expect_err("not readable");
        assert_eq!(bad.label, "Kayako (ops@example.com)");
        let bad = read(&[("TimeOtp-Secret-Hex", "zz")])
            .expect("an otp entry")
            .expect_err("not readable");
        assert!(bad.reason.contains("Hex"), "{}", bad.reason);
        let bad = read(&[("TimeOtp-Secret", "x"), ("TimeOtp-Algorithm", "HMAC-MD5")])
            .expect("an otp entry")
            .expect_err("not readable");
        assert!(bad.reason.contains("HMAC-MD5"), "{}", bad.reason);
    }

    /// A KDBX 4 header with `dictionary` as its KdfParameters.
    fn kdbx4_header(dictionary: &[u8]) -> Vec<u8> {
        let mut file = [SIGNATURE_1, SIGNATURE_KDBX].concat();
        file.extend_from_slice(&[1, 0, 4, 0]);
        file.push(11);
        file.extend_from_slice(&(dictionary.len() as u32).to_le_bytes());
        file.extend_from_slice(dictionary);
        file.extend_from_slice(&[0, 4, 0, 0, 0, b'\r', b'\n', b'\r', b'\n']);
        file
    }

    fn dictionary(items: &[(u8, &str, Vec<u8>)]) -> Vec<u8> {
        let mut out = vec![0, 1];
        for (kind, name, value) in items {
            out.push(*kind);
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(value.len() as u32).to_le_bytes());
            out.extend_from_slice(value);
        }
        out.push(0);
        out
    }

    #[test]
    fn kdf_costs_past_the_caps_are_refused_before_deriving() {
        let argon = |memory: u64, passes: u64, lanes: u32| {
            kdbx4_header(&dictionary(&[
                (0x05, "M", memory.to_le_bytes().to_vec()),
                (0x05, "I", passes.to_le_bytes().to_vec()),
                (0x04, "P", lanes.to_le_bytes().to_vec()),
            ]))
        };
        // KeePassXC's defaults, and the costliest fixture.
        assert!(check_kdf(&argon(64 << 20, 10, 8)).is_ok());
        assert!(check_kdf(&argon(16 << 20, 117, 2)).is_ok());
        for (file, cause) in [
            (argon(2 << 30, 1, 1), "memory"),
            (argon(1 << 30, 5, 1), "passes"),
            (argon(64 << 20, 1, 1 << 20), "lanes"),
        ] {
            let err = check_kdf(&file).expect_err(cause).to_string();
            assert!(err.contains(cause), "{err}");
        }
        let aes = |rounds: u64| {
            kdbx4_header(&dictionary(&[
                (0x42, "$UUID", AES_KDF_UUIDS[1].to_vec()),
                (0x05, "R", rounds.to_le_bytes().to_vec()),
            ]))
        };
        assert!(check_kdf(&aes(100_000)).is_ok());
        let err = check_kdf(&aes(u64::MAX)).expect_err("rounds").to_string();
        assert!(err.contains("AES-KDF rounds"), "{err}");
    }

    #[test]
    fn cut_headers_are_errors() {
        let file = kdbx4_header(&dictionary(&[(0x05, "M", vec![0; 8])]));
        for cut in 0..file.len() {
            let _ = check_kdf(&file[..cut]);
        }
        assert!(check_kdf(&file[..20]).is_err());
    }
}
