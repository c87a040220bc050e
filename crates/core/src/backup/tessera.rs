//! Tessera's own backup: the vault format (docs/vault-format.md) with a password of its own.
//! A backup therefore opens as a vault, and a vault file imports as a backup.

use super::{
    BackupError, Encryption, Entry, Exported, Exporter, Format, Imported, Importer, Protection,
};
use crate::account::Account;
use crate::vault::{self, KdfParams, VaultError};
use std::time::Duration;

const FORMAT: Format = Format::Tessera;

/// How hard the backup's password is to guess: as hard as the vault's own.
#[derive(Debug, Clone, Copy)]
pub enum KdfChoice {
    /// Calibrated on this machine to about half a second, like a new vault.
    Calibrated,
    /// The format's minimum, for tests.
    Minimum,
}

/// Tessera backups.
pub struct TesseraBackup {
    /// The key derivation cost of exports.
    pub kdf: KdfChoice,
}

/// The exporter the app and CLI use.
pub static CALIBRATED: TesseraBackup = TesseraBackup {
    kdf: KdfChoice::Calibrated,
};

fn from_vault_error(err: VaultError) -> BackupError {
    match err {
        VaultError::WrongPasswordOrDamaged => BackupError::WrongPassword(FORMAT),
        VaultError::UnsupportedVersion(_) => BackupError::Unsupported {
            format: FORMAT,
            detail: err.to_string(),
        },
        other => BackupError::malformed(FORMAT, other.to_string()),
    }
}

impl Importer for TesseraBackup {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        vault::looks_like_vault(bytes).then_some(Protection::Encrypted)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
        let mut accounts = vault::open_backup(bytes, password).map_err(from_vault_error)?;
        vault_order(&mut accounts);
        Ok(Imported {
            format: FORMAT,
            entries: accounts.iter().map(Entry::from_account).collect(),
            unusable: Vec::new(),
        })
    }
}

/// The order the vault shows, so a restore reads like the list it came from.
fn vault_order(accounts: &mut [Account]) {
    crate::store::sort_for_display(accounts);
}

impl Exporter for TesseraBackup {
    fn format(&self) -> Format {
        FORMAT
    }

    fn encryption(&self) -> Encryption {
        Encryption::Always
    }

    fn export(
        &self,
        accounts: &[Account],
        password: Option<&str>,
    ) -> Result<Exported, BackupError> {
        let password = password.ok_or(BackupError::PasswordNeeded(FORMAT))?;
        let params = match self.kdf {
            KdfChoice::Calibrated => {
                KdfParams::calibrate(Duration::from_millis(500)).map_err(|err| {
                    BackupError::Export {
                        format: FORMAT,
                        detail: err.to_string(),
                    }
                })?
            }
            KdfChoice::Minimum => KdfParams::minimum(),
        };
        let bytes =
            vault::seal_backup(accounts, password, params).map_err(|err| BackupError::Export {
                format: FORMAT,
                detail: err.to_string(),
            })?;
        Ok(Exported {
            bytes,
            left_out: Vec::new(),
        })
    }
}
