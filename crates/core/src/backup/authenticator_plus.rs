//! Authenticator Plus's backup: the app's whole SQLite database, encrypted with SQLCipher 3
//! under the backup password (SQLCipher's version 3 defaults: PBKDF2-HMAC-SHA1 with 64 000
//! iterations over the salt in the first 16 bytes, 1024-byte pages each AES-256-CBC encrypted
//! with an HMAC-SHA1, <https://www.zetetic.net/sqlcipher/design/>).
//!
//! It is read through rusqlite with its `bundled-sqlcipher` feature, SQLCipher's own code:
//! the page format, key derivation and HMAC checks are SQLCipher's, and the bundled build does
//! not depend on a system SQLite of the right version (it links the system's libcrypto for
//! AES and PBKDF2). SQLCipher opens files, not memory, so the encrypted bytes are copied to a
//! private temporary file, opened read-only, and deleted after; nothing decrypted is written.
//! The KDF costs are SQLCipher 3's fixed defaults, not read from the file.
//!
//! A SQLCipher file is random bytes from its first byte: it cannot be recognised, so this
//! format is imported only when named. Table `accounts`: `email` (the account), `secret`
//! (base32; hexadecimal for Battle.net), `counter`, `type` (0 TOTP, 1 HOTP, 2 Battle.net:
//! 8 digits), `issuer` (NULL when none), `category`. No column holds an algorithm, digit count or period: every account is
//! SHA1, 6 digits (Battle.net 8), 30 s.

use super::fields::{imported, Checked, RawEntry};
use super::{codec, BackupError, Format, Imported, Importer, Protection};
use crate::otp::Secret;
use rusqlite::{Connection, OpenFlags};
use std::io::Write;
use zeroize::Zeroizing;

const FORMAT: Format = Format::AuthenticatorPlus;
/// SQLCipher 3's page size: a backup is a whole number of pages.
const PAGE_SIZE: usize = 1024;

/// Authenticator Plus's encrypted database.
pub struct AuthenticatorPlus;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for AuthenticatorPlus {
    fn format(&self) -> Format {
        FORMAT
    }

    /// Never: the file has no signature, only a random salt and ciphertext.
    fn sniff(&self, _bytes: &[u8]) -> Option<Protection> {
        None
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(PAGE_SIZE) {
            return Err(malformed(format!(
                "an SQLCipher database is a whole number of {PAGE_SIZE}-byte pages; this file \
                 has {} bytes",
                bytes.len()
            )));
        }
        let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
        let dir = tempfile::tempdir()
            .map_err(|err| malformed(format!("no temporary folder to open it in ({err})")))?;
        let path = dir.path().join("authenticator-plus.db");
        let mut file = std::fs::File::create(&path)
            .map_err(|err| malformed(format!("cannot copy it to a temporary file ({err})")))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|err| malformed(format!("cannot copy it to a temporary file ({err})")))?;
        drop(file);
        let rows = read_rows(&path, password);
        // The temporary folder goes with `dir`, whatever the outcome.
        drop(dir);
        Ok(imported(FORMAT, rows?))
    }
}

fn read_rows(path: &std::path::Path, password: &str) -> Result<Vec<Checked>, BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(path, flags)
        .map_err(|err| malformed(format!("SQLCipher cannot open it ({err})")))?;
    // SQLCipher logs a failed page check to stderr by default: the error returned says it.
    db.pragma_update(None, "cipher_log_level", "NONE")
        .map_err(|err| malformed(format!("SQLCipher refuses its settings ({err})")))?;
    let key = Zeroizing::new(password.to_string());
    db.pragma_update(None, "key", key.as_str())
        .and_then(|()| db.pragma_update(None, "cipher_compatibility", 3))
        .map_err(|err| malformed(format!("SQLCipher refuses the key ({err})")))?;
    // The first read checks page 1's HMAC: a wrong password fails here.
    db.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|err| match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => BackupError::WrongPassword(FORMAT),
            _ => malformed(format!("its database cannot be read ({err})")),
        })?;
    let mut statement = db
        .prepare("SELECT email, secret, counter, type, issuer, category FROM accounts")
        .map_err(|err| malformed(format!("it has no readable accounts table ({err})")))?;
    let rows = statement
        .query_map([], |row| {
            Ok(Row {
                email: row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                secret: Zeroizing::new(row.get::<_, Option<String>>(1)?.unwrap_or_default()),
                counter: row.get::<_, Option<i64>>(2)?,
                kind: row.get::<_, Option<i64>>(3)?,
                issuer: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                category: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            })
        })
        .map_err(|err| malformed(format!("its accounts cannot be read ({err})")))?;
    rows.map(|row| {
        row.map(Row::check)
            .map_err(|err| malformed(format!("an account row cannot be read ({err})")))
    })
    .collect()
}

/// One row of the `accounts` table.
struct Row {
    email: String,
    secret: Zeroizing<String>,
    counter: Option<i64>,
    kind: Option<i64>,
    issuer: String,
    category: String,
}

impl Row {
    fn check(self) -> Checked {
        let (kind, digits) = match self.kind {
            Some(0) => ("totp", 6),
            Some(1) => ("hotp", 6),
            Some(2) => ("totp", 8),
            Some(other) => return Err(self.raw("").unusable(format!("type {other} is unknown"))),
            None => return Err(self.raw("").unusable("it has no type")),
        };
        let mut raw = self.raw(kind);
        raw.digits = Some(digits);
        raw.counter = match self.counter {
            Some(counter) => Some(
                u64::try_from(counter)
                    .map_err(|_| raw.unusable(format!("its counter {counter} is negative")))?,
            ),
            None => None,
        };
        let mut entry = if self.kind == Some(2) {
            let hex: String = self.secret.split_whitespace().collect();
            let hex = Zeroizing::new(hex);
            let bytes = codec::from_hex(FORMAT, "the secret", &hex)
                .map_err(|_| raw.unusable("its Battle.net secret is not hexadecimal"))?;
            raw.with_secret(Secret::from_bytes(bytes))?
        } else {
            raw.with_base32(&self.secret)?
        };
        entry.group = self.category;
        Ok(entry)
    }

    fn raw<'k>(&self, kind: &'k str) -> RawEntry<'k> {
        RawEntry {
            kind,
            issuer: self.issuer.clone(),
            name: self.email.clone(),
            ..RawEntry::default()
        }
    }
}
