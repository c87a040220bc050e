//! WinAuth's exports. Its plain text export is a list of otpauth URIs, one per line, which the
//! otpauth list importer reads as it is; its password-protected export is a ZIP archive
//! (ZipCrypto, deflated, with a data descriptor) of that same text file, e.g.
//! `winauth-2023-03-24.txt`, with CRLF line ends.
//!
//! WinAuth writes the authenticator's name as the URI label and no `issuer`, and adds an `icon`
//! parameter: the label becomes the account name and the issuer stays empty. An archive with
//! no file at all (WinAuth never writes one, but truncated copies exist) is refused by name.

use super::uri_list::import_lines;
use super::zipped::{self, Listed};
use super::{BackupError, Format, Imported, Importer, Protection};

const FORMAT: Format = Format::WinAuth;

/// WinAuth's ZIP export.
pub struct WinAuth;

/// A WinAuth archive holds text files only; an empty archive is WinAuth's too, so that it is
/// refused with the reason rather than as an unknown file.
fn is_winauth(listed: &[Listed]) -> bool {
    listed
        .iter()
        .all(|member| member.name.to_ascii_lowercase().ends_with(".txt"))
}

impl Importer for WinAuth {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let listed = zipped::list(bytes)?;
        is_winauth(&listed).then(|| zipped::protection(&listed))
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let mut imported = Imported {
            format: FORMAT,
            entries: Vec::new(),
            unusable: Vec::new(),
        };
        for member in zipped::read_all(FORMAT, bytes, password)? {
            let part = import_lines(&member.data, FORMAT).map_err(|err| match err {
                BackupError::Malformed { detail, .. } => {
                    BackupError::malformed(FORMAT, format!("{}: {detail}", member.name))
                }
                other => other,
            })?;
            imported.entries.extend(part.entries);
            imported.unusable.extend(part.unusable);
        }
        Ok(imported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &[u8] = include_bytes!("../../../../tests/fixtures/imports/winauth/winauth.zip");

    #[test]
    fn the_text_inside_the_zip_is_the_plain_export_and_reads_as_an_otpauth_list() {
        let members = zipped::read_all(FORMAT, EXPORT, Some("test")).expect("the export opens");
        assert_eq!(members.len(), 1);
        assert_eq!(members[0].name, "winauth-2023-03-24.txt");
        let text = &members[0].data;
        let (importer, protection) = super::super::detect(text).expect("detected");
        assert_eq!(
            (importer.format(), protection),
            (Format::OtpauthList, Protection::Plain)
        );
        let imported = importer.import(text, None).expect("imports");
        assert_eq!(imported.entries.len(), 1);
        let entry = &imported.entries[0];
        assert_eq!(
            (entry.issuer.as_str(), entry.name.as_str()),
            ("", "Authenticator")
        );
    }

    #[test]
    fn the_zip_asks_for_its_password() {
        assert_eq!(WinAuth.sniff(EXPORT), Some(Protection::Encrypted));
        assert!(matches!(
            WinAuth.import(EXPORT, None),
            Err(BackupError::PasswordNeeded(Format::WinAuth))
        ));
    }
}
