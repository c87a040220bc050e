//! ZIP archives some apps export their accounts in (WinAuth, Raivo OTP), read from memory
//! with the `zip` crate: stored or deflated members, encrypted with ZipCrypto or WinZip AES.
//!
//! Member names and sizes sit in the central directory in clear, so detection reads only that;
//! contents are inflated with a cap on their total size, whatever the headers claim.

use super::{BackupError, Format, Protection, MAX_BACKUP_BYTES};
use std::io::{Cursor, Read};
use zeroize::Zeroizing;
use zip::result::ZipError;
use zip::ZipArchive;

/// More members than any export holds (Raivo writes two); past this the archive is refused.
const MAX_MEMBERS: usize = 64;

/// One file of an archive, inflated and decrypted.
pub struct Member {
    /// Its path inside the archive, as written.
    pub name: String,
    /// Its content. Secrets are in it.
    pub data: Zeroizing<Vec<u8>>,
}

/// What the central directory says about one member, without reading its content.
pub struct Listed {
    /// Its path inside the archive.
    pub name: String,
    /// Whether it is encrypted.
    pub encrypted: bool,
}

/// Whether `bytes` begin like a ZIP archive: a local file header, or the end-of-central-directory
/// record that is all an empty archive holds.
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The files the archive's central directory lists (directories left out), or `None` when
/// `bytes` are not a readable ZIP archive.
pub fn list(bytes: &[u8]) -> Option<Vec<Listed>> {
    if !looks_like_zip(bytes) {
        return None;
    }
    let archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    if archive.len() > MAX_MEMBERS {
        return None;
    }
    (0..archive.len())
        .filter_map(|i| {
            let entry = match archive.by_index_data(i) {
                Ok(entry) => entry,
                Err(_) => return Some(None),
            };
            if entry.is_dir() {
                return None;
            }
            Some(entry.name().ok().map(|name| Listed {
                name: name.into_owned(),
                encrypted: entry.encrypted(),
            }))
        })
        .collect()
}

/// Whether any listed member is encrypted.
pub fn protection(listed: &[Listed]) -> Protection {
    if listed.iter().any(|member| member.encrypted) {
        Protection::Encrypted
    } else {
        Protection::Plain
    }
}

/// Every file of the archive, decrypted with `password` where it is encrypted. An archive with
/// no file at all is refused: there is nothing to import and the user should know it.
pub fn read_all(
    format: Format,
    bytes: &[u8],
    password: Option<&str>,
) -> Result<Vec<Member>, BackupError> {
    let malformed = |detail: String| BackupError::malformed(format, detail);
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|err| malformed(format!("it is not a readable ZIP archive ({err})")))?;
    if archive.len() > MAX_MEMBERS {
        return Err(malformed(format!(
            "its ZIP archive lists {} files; exports hold a few",
            archive.len()
        )));
    }
    let mut members = Vec::new();
    let mut budget = MAX_BACKUP_BYTES;
    for i in 0..archive.len() {
        let (name, encrypted, is_dir) = {
            let entry = archive
                .by_index_data(i)
                .map_err(|err| malformed(format!("its ZIP directory is damaged ({err})")))?;
            let name = entry
                .name()
                .map_err(|err| malformed(format!("a file name in its ZIP is not valid ({err})")))?
                .into_owned();
            (name, entry.encrypted(), entry.is_dir())
        };
        if is_dir {
            continue;
        }
        let opened = match (encrypted, password) {
            (true, None) => return Err(BackupError::PasswordNeeded(format)),
            (true, Some(password)) => archive.by_index_decrypt(i, password.as_bytes()),
            (false, _) => archive.by_index(i),
        };
        let file = opened.map_err(|err| open_error(format, &name, err))?;
        let mut data = Zeroizing::new(Vec::new());
        // One byte over the budget is enough to know the archive inflates too far.
        let read = file.take(budget + 1).read_to_end(&mut data);
        match read {
            Ok(_) if data.len() as u64 > budget => {
                return Err(malformed(format!(
                    "its files inflate to more than {MAX_BACKUP_BYTES} bytes"
                )))
            }
            Ok(_) => {}
            // ZipCrypto checks one byte of the password before reading; a wrong password that
            // passes it, or a changed file, then fails the CRC or the WinZip AES tag.
            Err(_) if encrypted => return Err(BackupError::WrongPassword(format)),
            Err(err) => return Err(malformed(format!("{name} cannot be inflated ({err})"))),
        }
        budget -= data.len() as u64;
        members.push(Member { name, data });
    }
    if members.is_empty() {
        return Err(malformed(
            "the ZIP archive holds no file at all (it is empty)".to_string(),
        ));
    }
    Ok(members)
}

fn open_error(format: Format, name: &str, err: ZipError) -> BackupError {
    match err {
        ZipError::InvalidPassword => BackupError::WrongPassword(format),
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) => {
            BackupError::PasswordNeeded(format)
        }
        ZipError::UnsupportedArchive(what) => BackupError::Unsupported {
            format,
            detail: format!("{name} in its ZIP archive: {what}"),
        },
        ZipError::CompressionMethodNotSupported(method) => BackupError::Unsupported {
            format,
            detail: format!("{name} in its ZIP archive is compressed with method {method}"),
        },
        other => BackupError::malformed(format, format!("{name} cannot be read ({other})")),
    }
}
