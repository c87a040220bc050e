//! Moving accounts in and out of Tessera: one module per foreign format, each behind the
//! [`Importer`] trait (and [`Exporter`] where Tessera writes that format).
//!
//! Importing never touches the vault: it turns a file into [`Entry`] values that the caller
//! shows for review (with duplicates of existing accounts marked, see [`find_duplicate`]) and
//! only then adds. Entries Tessera cannot use are reported by name in
//! [`Imported::unusable`], never dropped silently.

mod aegis;
mod andotp;
mod authenticator_plus;
mod authenticator_pro;
mod authenticator_pro_html;
mod bitwarden;
mod bitwarden_encrypted;
mod codec;
mod date;
mod ente;
mod entry;
mod fields;
mod freeotp;
mod freeotp_plus;
pub mod google;
pub mod html;
mod java_serial;
mod keepass;
mod lastpass;
mod proton;
mod raivo;
pub mod reminder;
mod scanned;
mod secretstream;
pub mod tessera;
mod totp_authenticator;
mod twofas;
mod uri_list;
mod winauth;
mod zipped;

pub use date::iso_date;
pub use entry::{find_duplicate, uri_of, Entry, Unusable};
pub use scanned::{from_payloads, Scanned};

use zeroize::Zeroizing;

use crate::account::Account;

/// Backups larger than this are refused before parsing: the largest real exports are a few
/// megabytes (icons included), and the cap bounds memory on a hostile file.
pub const MAX_BACKUP_BYTES: u64 = 64 * 1024 * 1024;

/// The backup formats Tessera knows, by the app that writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Tessera's own encrypted backup: the vault format with a password of its own.
    Tessera,
    /// Aegis Authenticator's JSON vault export, plain or encrypted.
    Aegis,
    /// 2FAS Authenticator's `.2fas` backup, plain or encrypted.
    TwoFas,
    /// Ente Auth's export: a plain list of otpauth URIs, or its encrypted JSON.
    EnteAuth,
    /// andOTP's JSON backup, plain or encrypted.
    AndOtp,
    /// Bitwarden's vault export (JSON, plain or encrypted, or CSV), and Bitwarden
    /// Authenticator's export.
    Bitwarden,
    /// FreeOTP 2's encrypted backup.
    FreeOtp,
    /// FreeOTP+'s JSON export.
    FreeOtpPlus,
    /// Authenticator Pro's (Stratum's) backup, plain or encrypted, and its HTML export.
    AuthenticatorPro,
    /// Proton Authenticator's export.
    Proton,
    /// LastPass Authenticator's JSON export.
    LastPass,
    /// TOTP Authenticator's (BinaryBoxx) encrypted backup.
    TotpAuthenticator,
    /// WinAuth's password-protected ZIP export (its plain text export is an otpauth list).
    WinAuth,
    /// Raivo OTP's encrypted ZIP export.
    Raivo,
    /// KeePass and KeePassXC databases (KDBX 3.1 and 4).
    KeePass,
    /// Authenticator Plus's encrypted database backup (SQLCipher); never recognised by itself.
    AuthenticatorPlus,
    /// Google Authenticator's `otpauth-migration://` transfer URIs, one per line.
    GoogleMigration,
    /// A plain list of `otpauth://` URIs, one per line.
    OtpauthList,
    /// A printable HTML sheet (export only).
    Html,
}

impl Format {
    /// Every format, in the order the CLI's help lists them.
    pub const ALL: [Format; 19] = [
        Format::Tessera,
        Format::Aegis,
        Format::TwoFas,
        Format::EnteAuth,
        Format::AndOtp,
        Format::Bitwarden,
        Format::FreeOtp,
        Format::FreeOtpPlus,
        Format::AuthenticatorPro,
        Format::Proton,
        Format::LastPass,
        Format::TotpAuthenticator,
        Format::WinAuth,
        Format::Raivo,
        Format::KeePass,
        Format::AuthenticatorPlus,
        Format::GoogleMigration,
        Format::OtpauthList,
        Format::Html,
    ];

    /// The short name used by `--format` and in messages meant for scripts.
    pub fn name(self) -> &'static str {
        match self {
            Format::Tessera => "tessera",
            Format::Aegis => "aegis",
            Format::TwoFas => "2fas",
            Format::EnteAuth => "ente",
            Format::AndOtp => "andotp",
            Format::Bitwarden => "bitwarden",
            Format::FreeOtp => "freeotp",
            Format::FreeOtpPlus => "freeotp-plus",
            Format::AuthenticatorPro => "authenticator-pro",
            Format::Proton => "proton",
            Format::LastPass => "lastpass",
            Format::TotpAuthenticator => "totp-authenticator",
            Format::WinAuth => "winauth",
            Format::Raivo => "raivo",
            Format::KeePass => "keepass",
            Format::AuthenticatorPlus => "authenticator-plus",
            Format::GoogleMigration => "google",
            Format::OtpauthList => "otpauth",
            Format::Html => "html",
        }
    }

    /// The name people know the format by, for the app's messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Tessera => "Tessera backup",
            Format::Aegis => "Aegis",
            Format::TwoFas => "2FAS",
            Format::EnteAuth => "Ente Auth",
            Format::AndOtp => "andOTP",
            Format::Bitwarden => "Bitwarden",
            Format::FreeOtp => "FreeOTP",
            Format::FreeOtpPlus => "FreeOTP+",
            Format::AuthenticatorPro => "Authenticator Pro",
            Format::Proton => "Proton Authenticator",
            Format::LastPass => "LastPass Authenticator",
            Format::TotpAuthenticator => "TOTP Authenticator",
            Format::WinAuth => "WinAuth",
            Format::Raivo => "Raivo OTP",
            Format::KeePass => "KeePass",
            Format::AuthenticatorPlus => "Authenticator Plus",
            Format::GoogleMigration => "Google Authenticator transfer",
            Format::OtpauthList => "otpauth URI list",
            Format::Html => "printable HTML sheet",
        }
    }

    /// The file extension this format is saved with (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Tessera => "tessera",
            Format::Aegis
            | Format::Bitwarden
            | Format::FreeOtpPlus
            | Format::Proton
            | Format::LastPass => "json",
            Format::FreeOtp | Format::TotpAuthenticator => "bin",
            Format::TwoFas => "2fas",
            Format::AndOtp => "json",
            Format::AuthenticatorPro => "authpro",
            Format::EnteAuth | Format::GoogleMigration | Format::OtpauthList => "txt",
            Format::Html => "html",
            Format::WinAuth | Format::Raivo => "zip",
            Format::KeePass => "kdbx",
            Format::AuthenticatorPlus => "db",
        }
    }

    /// A file name to offer when saving an export made on `date` ("2026-11-23").
    pub fn suggested_file_name(self, date: &str) -> String {
        let stem = match self {
            Format::Tessera => "tessera-backup",
            Format::Html => "tessera-recovery-sheet",
            Format::GoogleMigration => "tessera-google-transfer",
            Format::OtpauthList => "tessera-otpauth",
            Format::Aegis => "tessera-aegis-export",
            _ => "tessera-export",
        };
        format!("{stem}-{date}.{}", self.extension())
    }

    /// The format named `name` (as [`Format::name`] spells it, case-insensitive).
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.trim();
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Whether a file an importer recognised needs a password to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// Readable as it is.
    Plain,
    /// Encrypted with a password.
    Encrypted,
}

/// What an import found in a file, before anything is saved.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The format the file was read as.
    pub format: Format,
    /// The accounts, in the file's order.
    pub entries: Vec<Entry>,
    /// Entries of kinds Tessera cannot use, each named with the reason.
    pub unusable: Vec<Unusable>,
}

/// Why a file could not be imported or written. Messages name the format and the problem and
/// never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file is larger than any real backup.
    #[error("the file is {size} bytes; backups over {limit} bytes are refused")]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The cap, [`MAX_BACKUP_BYTES`].
        limit: u64,
    },
    /// No importer recognised the content.
    #[error(
        "this file is not a backup Tessera can read (known: {}; an Authenticator Plus backup \
         cannot be recognised: choose its format by name)",
        known_imports()
    )]
    UnknownFormat,
    /// No importer recognised the content, and read as the one layout without a signature
    /// (andOTP's encrypted backup before version 0.6.3) the password does not open it.
    #[error(
        "this file is not a backup Tessera can read, or it is an andOTP backup made before \
         version 0.6.3 that this password does not open (known: {}; an Authenticator Plus \
         backup cannot be recognised: choose its format by name)",
        known_imports()
    )]
    UnknownOrWrongPassword,
    /// The file is encrypted and no password was given.
    #[error("this {0} backup is encrypted: a password is needed")]
    PasswordNeeded(Format),
    /// The password does not open the file (or the file was altered: the two are the same
    /// to authenticated encryption).
    #[error("the password is wrong, or this {0} backup is damaged")]
    WrongPassword(Format),
    /// The file claims to be of a format but breaks its rules.
    #[error("this is not a valid {format} backup: {detail}")]
    Malformed {
        /// The format it was read as.
        format: Format,
        /// What is wrong, for a person.
        detail: String,
    },
    /// A valid file of a version or variant Tessera does not read.
    #[error("this {format} backup is not supported: {detail}")]
    Unsupported {
        /// The format it was read as.
        format: Format,
        /// What is not supported.
        detail: String,
    },
    /// Tessera reads this format but does not write it, or the reverse.
    #[error("Tessera cannot {action} {format} files")]
    NotOffered {
        /// "import" or "export".
        action: &'static str,
        /// The format asked for.
        format: Format,
    },
    /// Writing failed for a reason of its own (no random numbers, a QR code too large...).
    #[error("could not write the {format} backup: {detail}")]
    Export {
        /// The format being written.
        format: Format,
        /// What went wrong.
        detail: String,
    },
}

impl BackupError {
    /// A [`BackupError::Malformed`] for `format`.
    pub fn malformed(format: Format, detail: impl Into<String>) -> Self {
        BackupError::Malformed {
            format,
            detail: detail.into(),
        }
    }
}

/// Reads one backup format.
pub trait Importer: Sync {
    /// The format this importer reads.
    fn format(&self) -> Format;

    /// Whether `bytes` look like this format, and if so whether they are encrypted. Cheap and
    /// strict enough that two importers never both claim one file.
    fn sniff(&self, bytes: &[u8]) -> Option<Protection>;

    /// Reads every account of the file. `password` is used only by encrypted files.
    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError>;
}

/// How an export format uses a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    /// Always encrypted: a password is required.
    Always,
    /// Encrypted when a password is given, plain text otherwise.
    Optional,
    /// Never encrypted: the file holds secrets in clear (users must be warned).
    Never,
}

/// Writes one backup format.
pub trait Exporter: Sync {
    /// The format this exporter writes.
    fn format(&self) -> Format;

    /// Whether the output is encrypted with a password: always, on request, or never.
    fn encryption(&self) -> Encryption;

    /// The file for `accounts`, encrypted with `password` when one is given (and the format
    /// can be encrypted). Accounts the format cannot represent are named in
    /// [`Exported::left_out`] rather than written wrongly.
    fn export(&self, accounts: &[Account], password: Option<&str>)
        -> Result<Exported, BackupError>;
}

/// A written backup.
#[derive(Debug)]
pub struct Exported {
    /// The file's bytes. Secrets are in them, so they stay in zeroizing memory until written.
    pub bytes: Zeroizing<Vec<u8>>,
    /// Accounts the format cannot hold (e.g. Steam in a Google transfer), with the reason.
    pub left_out: Vec<Unusable>,
}

/// Every importer, in the order detection tries them: formats with a signature of their own
/// first, loose text lists last. Importers are added at the end, where the fuzz target's
/// selector byte (an index into this list) keeps naming the same importer in saved inputs.
static IMPORTERS: &[&dyn Importer] = &[
    &tessera::CALIBRATED,
    &keepass::KeePass,
    &raivo::Raivo,
    &winauth::WinAuth,
    &aegis::Aegis,
    &twofas::TwoFas,
    &authenticator_pro::AuthenticatorPro,
    &freeotp_plus::FreeOtpPlus,
    &proton::Proton,
    &bitwarden::Bitwarden,
    &andotp::AndOtp,
    &google::GoogleMigration,
    &ente::Ente,
    &uri_list::OtpauthList,
    &freeotp::FreeOtp,
    &lastpass::LastPass,
    // Base64 text and nothing else: tried after every format with a signature.
    &totp_authenticator::TotpAuthenticator,
    &authenticator_plus::AuthenticatorPlus,
];

/// Every exporter.
static EXPORTERS: &[&dyn Exporter] = &[
    &tessera::CALIBRATED,
    &aegis::Aegis,
    &uri_list::OtpauthList,
    &google::GoogleMigration,
    &html::HtmlSheet,
];

/// The labels of every format Tessera imports, for messages.
fn known_imports() -> String {
    importers()
        .iter()
        // Never recognised from its bytes: the messages name it apart.
        .filter(|importer| importer.format() != Format::AuthenticatorPlus)
        .map(|importer| importer.format().label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every importer, in the order detection tries them.
pub fn importers() -> &'static [&'static dyn Importer] {
    IMPORTERS
}

/// Every exporter.
pub fn exporters() -> &'static [&'static dyn Exporter] {
    EXPORTERS
}

/// The importer whose format `bytes` are in, and whether the file is encrypted.
pub fn detect(bytes: &[u8]) -> Result<(&'static dyn Importer, Protection), BackupError> {
    check_size(bytes.len() as u64)?;
    importers()
        .iter()
        .find_map(|importer| importer.sniff(bytes).map(|p| (*importer, p)))
        .ok_or(BackupError::UnknownFormat)
}

/// Imports `bytes`, as `format` if given, else as the detected format. A binary file nothing
/// recognises is tried as an andOTP encrypted backup when a password is given, since the
/// layout of versions before 0.6.3 has no signature to detect. (Text is never ciphertext.)
pub fn import(
    bytes: &[u8],
    format: Option<Format>,
    password: Option<&str>,
) -> Result<Imported, BackupError> {
    check_size(bytes.len() as u64)?;
    let importer = match format {
        Some(format) => *importers()
            .iter()
            .find(|importer| importer.format() == format)
            .ok_or(BackupError::NotOffered {
                action: "import",
                format,
            })?,
        None => match detect(bytes) {
            Ok((importer, _)) => importer,
            Err(BackupError::UnknownFormat)
                if password.is_some() && std::str::from_utf8(bytes).is_err() =>
            {
                return andotp::import_encrypted(bytes, password)
                    .map_err(|_| BackupError::UnknownOrWrongPassword);
            }
            Err(err) => return Err(err),
        },
    };
    importer.import(bytes, password)
}

/// The exporter of `format`.
pub fn exporter(format: Format) -> Result<&'static dyn Exporter, BackupError> {
    exporters()
        .iter()
        .find(|exporter| exporter.format() == format)
        .copied()
        .ok_or(BackupError::NotOffered {
            action: "export",
            format,
        })
}

/// Writes `accounts` as `format`.
pub fn export(
    accounts: &[Account],
    format: Format,
    password: Option<&str>,
) -> Result<Exported, BackupError> {
    exporter(format)?.export(accounts, password)
}

/// Refuses files over [`MAX_BACKUP_BYTES`]; callers reading from disk check the length first.
pub fn check_size(size: u64) -> Result<(), BackupError> {
    if size > MAX_BACKUP_BYTES {
        return Err(BackupError::TooLarge {
            size,
            limit: MAX_BACKUP_BYTES,
        });
    }
    Ok(())
}
