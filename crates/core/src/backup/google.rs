//! Google Authenticator's "Transfer accounts" export: `otpauth-migration://` URIs, one per QR
//! code, in batches of at most ten accounts. Tessera reads them (every part, in any order) and
//! writes them for the phone to scan.

use super::{
    BackupError, Encryption, Entry, Exported, Exporter, Format, Imported, Importer, Protection,
    Unusable,
};
use crate::account::Account;
use crate::otp::OtpKind;
use crate::uri::{parse_migration, BatchCollector, MigrationBatch, OtpAuthUri};
use zeroize::Zeroizing;

const FORMAT: Format = Format::GoogleMigration;
/// Google Authenticator's own batch size.
pub const ACCOUNTS_PER_CODE: usize = 10;

/// Google Authenticator transfer URIs.
pub struct GoogleMigration;

fn migration_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Importer for GoogleMigration {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut lines = migration_lines(text).peekable();
        lines.peek()?;
        lines
            .all(|l| l.starts_with("otpauth-migration://"))
            .then_some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], _password: Option<&str>) -> Result<Imported, BackupError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| BackupError::malformed(FORMAT, "the file is not UTF-8 text"))?;
        let mut collector = BatchCollector::new();
        for (number, line) in migration_lines(text).enumerate() {
            let batch = parse_migration(line).map_err(|err| {
                BackupError::malformed(FORMAT, format!("link {}: {err}", number + 1))
            })?;
            collector.add(batch).map_err(|err| {
                BackupError::malformed(FORMAT, format!("link {}: {err}", number + 1))
            })?;
        }
        if !collector.is_complete() {
            return Err(BackupError::malformed(FORMAT, missing_parts(&collector)));
        }
        let (accounts, skipped) = collector.accounts();
        Ok(Imported {
            format: FORMAT,
            entries: accounts.into_iter().map(Entry::from).collect(),
            unusable: skipped
                .into_iter()
                .map(|s| Unusable {
                    label: crate::account::label(&s.issuer, &s.name),
                    reason: s.reason.to_string(),
                })
                .collect(),
        })
    }
}

fn missing_parts(collector: &BatchCollector) -> String {
    let missing: Vec<String> = collector
        .pending_batches()
        .into_iter()
        .map(|(of, parts)| {
            let parts: Vec<String> = parts.iter().map(u32::to_string).collect();
            let noun = if parts.len() == 1 { "part" } else { "parts" };
            format!("{noun} {} of {of}", parts.join(", "))
        })
        .collect();
    format!("the export is incomplete: {} missing", missing.join("; "))
}

/// Why Google Authenticator cannot hold `account`, if it cannot.
fn unsupported(account: &Account) -> Option<&'static str> {
    match account.otp.kind {
        OtpKind::Steam { .. } => Some("Google Authenticator has no Steam codes"),
        OtpKind::Totp { period } if period != 30 => {
            Some("Google Authenticator transfers only 30-second codes")
        }
        _ if !matches!(account.otp.digits, 6 | 8) => {
            Some("Google Authenticator transfers only 6- or 8-digit codes")
        }
        _ => None,
    }
}

/// One transfer QR code's content: part `part` (from 1) of `of`.
#[derive(Debug)]
pub struct TransferCode {
    pub part: usize,
    pub of: usize,
    pub uri: Zeroizing<String>,
}

/// The transfer codes for `accounts` and the accounts left out. The app shows one QR code per
/// part.
pub fn transfer_codes(
    accounts: &[Account],
) -> Result<(Vec<TransferCode>, Vec<Unusable>), BackupError> {
    let mut left_out = Vec::new();
    let mut fitting = Vec::new();
    for account in accounts {
        match unsupported(account) {
            Some(reason) => left_out.push(Unusable {
                label: account.display_label(),
                reason: reason.into(),
            }),
            None => fitting.push(super::uri_of(account)),
        }
    }
    let chunks: Vec<&[OtpAuthUri]> = fitting.chunks(ACCOUNTS_PER_CODE).collect();
    let of = chunks.len();
    let batch_id = i32::from_le_bytes(*super::codec::random::<4>(FORMAT)?);
    let mut codes = Vec::with_capacity(of);
    for (index, chunk) in chunks.into_iter().enumerate() {
        let mut batch = MigrationBatch::single(batch_id, chunk.to_vec());
        batch.batch_index = index as u32;
        batch.batch_size = of as u32;
        let uri = batch.to_uri().map_err(|err| BackupError::Export {
            format: FORMAT,
            detail: err.to_string(),
        })?;
        codes.push(TransferCode {
            part: index + 1,
            of,
            uri,
        });
    }
    Ok((codes, left_out))
}

impl Exporter for GoogleMigration {
    fn format(&self) -> Format {
        FORMAT
    }

    fn encryption(&self) -> Encryption {
        Encryption::Never
    }

    fn export(
        &self,
        accounts: &[Account],
        _password: Option<&str>,
    ) -> Result<Exported, BackupError> {
        let (codes, left_out) = transfer_codes(accounts)?;
        let mut bytes = Zeroizing::new(Vec::new());
        for code in codes {
            bytes.extend_from_slice(code.uri.as_bytes());
            bytes.push(b'\n');
        }
        Ok(Exported { bytes, left_out })
    }
}
