//! Plain lists of `otpauth://` URIs, one per line: what many apps export as "plain text" (Ente
//! Auth's export is the same, with an extra `codeDisplay` parameter; see `ente`).

use super::fields::{from_uri, RawEntry};
use super::{BackupError, Encryption, Exported, Exporter, Format, Imported, Importer, Protection};
use crate::account::Account;
use zeroize::Zeroizing;

/// The lines that carry URIs: blank lines and `#` comments are skipped.
fn uri_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

/// Whether `bytes` are text whose every line is an otpauth URI, and whether one carries Ente's
/// parameter.
pub(super) fn sniff_lines(bytes: &[u8]) -> Option<bool> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut any = false;
    let mut ente = false;
    for (_, line) in uri_lines(text) {
        if !line
            .get(..10)
            .is_some_and(|s| s.eq_ignore_ascii_case("otpauth://"))
        {
            return None;
        }
        any = true;
        ente |= line.contains("codeDisplay=");
    }
    any.then_some(ente)
}

pub(super) fn import_lines(bytes: &[u8], format: Format) -> Result<Imported, BackupError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| BackupError::malformed(format, "the file is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut imported = Imported {
        format,
        entries: Vec::new(),
        unusable: Vec::new(),
    };
    for (number, line) in uri_lines(text) {
        let fallback = RawEntry {
            name: format!("line {number}"),
            ..RawEntry::default()
        };
        match from_uri(line, &fallback) {
            Ok(entry) => imported.entries.push(entry),
            Err(skip) => imported.unusable.push(skip),
        }
    }
    if imported.entries.is_empty() && imported.unusable.is_empty() {
        return Err(BackupError::malformed(format, "it holds no otpauth:// URI"));
    }
    Ok(imported)
}

/// A plain list of otpauth URIs.
pub struct OtpauthList;

impl Importer for OtpauthList {
    fn format(&self) -> Format {
        Format::OtpauthList
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        (!sniff_lines(bytes)?).then_some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], _password: Option<&str>) -> Result<Imported, BackupError> {
        import_lines(bytes, Format::OtpauthList)
    }
}

impl Exporter for OtpauthList {
    fn format(&self) -> Format {
        Format::OtpauthList
    }

    fn encryption(&self) -> Encryption {
        Encryption::Never
    }

    fn export(
        &self,
        accounts: &[Account],
        _password: Option<&str>,
    ) -> Result<Exported, BackupError> {
        let mut out = Zeroizing::new(Vec::new());
        for account in accounts {
            let uri = super::uri_of(account).to_uri();
            out.extend_from_slice(uri.as_bytes());
            out.push(b'\n');
        }
        Ok(Exported {
            bytes: out,
            left_out: Vec::new(),
        })
    }
}
