//! `import` and `export`: moving accounts between the vault and backup files.
//!
//! A backup's password comes from `--password-file` (its first line), `TESSERA_BACKUP_PASSWORD`,
//! or a prompt; the vault's own password as for the other vault commands.

use crate::vault_cmd::{now, open, password, vault_path};
use crate::Outcome;
use anyhow::{bail, Context, Result};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tessera_core::backup::{self, find_duplicate, BackupError, Encryption, Format};
use zeroize::Zeroizing;

/// The backup commands.
#[derive(clap::Subcommand)]
pub enum BackupCommand {
    /// Import the accounts of a backup file into the vault. The format is recognised from the
    /// content unless --format names it. Accounts already in the vault (same secret) are skipped
    /// and named on stderr, as are entries Tessera cannot use. Prints the id, issuer and name of
    /// each added account.
    Import {
        /// The backup file (- reads standard input).
        file: PathBuf,
        /// The format: tessera, aegis, 2fas, ente, andotp, bitwarden, freeotp,
        /// freeotp-plus, authenticator-pro, proton, lastpass, totp-authenticator, winauth,
        /// raivo, keepass, authenticator-plus (never recognised by itself), google, otpauth.
        #[arg(long, value_name = "F")]
        format: Option<String>,
        /// A file whose first line is the backup's password (for encrypted backups).
        #[arg(long, value_name = "P")]
        password_file: Option<PathBuf>,
    },
    /// Export every account of the vault to a backup file.
    Export {
        /// The format: tessera (encrypted backup), aegis (encrypted unless --plain), otpauth
        /// (one URI per line, in clear), google (transfer links, in clear), html (printable
        /// sheet, in clear).
        #[arg(long, value_name = "F")]
        format: String,
        /// Where to write it (- for standard output). An existing file is kept unless --force.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A file whose first line is the password to encrypt the backup with.
        #[arg(long, value_name = "P")]
        password_file: Option<PathBuf>,
        /// Write a format that can be encrypted (aegis) without a password.
        #[arg(long)]
        plain: bool,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Runs a backup command against the vault at `vault`.
pub fn run(command: BackupCommand, vault: Option<&Path>) -> Result<Outcome> {
    let path = vault_path(vault)?;
    match command {
        BackupCommand::Import {
            file,
            format,
            password_file,
        } => import(path, &file, format.as_deref(), password_file.as_deref()),
        BackupCommand::Export {
            format,
            out,
            password_file,
            plain,
            force,
        } => export(path, &format, &out, password_file.as_deref(), plain, force),
    }
}

fn parse_format(name: &str) -> Result<Format> {
    Format::from_name(name).with_context(|| {
        let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format {name:?} (known: {})", known.join(", "))
    })
}

/// The backup password from `--password-file`, `TESSERA_BACKUP_PASSWORD` or a prompt.
fn backup_password(file: Option<&Path>, confirm: bool) -> Result<Zeroizing<String>> {
    if let Some(file) = file {
        let text = Zeroizing::new(
            std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the password file {}", file.display()))?,
        );
        let line = text.lines().next().unwrap_or("");
        if line.is_empty() {
            bail!("the password file {} is empty", file.display());
        }
        return Ok(Zeroizing::new(line.to_string()));
    }
    password("TESSERA_BACKUP_PASSWORD", "Backup password: ", confirm)
}

fn read_backup(file: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let limit = backup::MAX_BACKUP_BYTES;
    let mut bytes = Zeroizing::new(Vec::new());
    let reader: Box<dyn Read> = if file == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        let opened =
            std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
        Box::new(opened)
    };
    // One byte over the cap is enough to know the file is too large.
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", file.display()))?;
    backup::check_size(bytes.len() as u64)?;
    Ok(bytes)
}

fn import(
    vault_path: &Path,
    file: &Path,
    format: Option<&str>,
    password_file: Option<&Path>,
) -> Result<Outcome> {
    let format = format.map(parse_format).transpose()?;
    let bytes = read_backup(file)?;
    let mut given = password_file
        .map(|p| backup_password(Some(p), false))
        .transpose()?;
    let imported = loop {
        match backup::import(&bytes, format, given.as_ref().map(|p| p.as_str())) {
            Err(BackupError::PasswordNeeded(_)) if given.is_none() => {
                given = Some(backup_password(None, false)?);
            }
            other => break other.with_context(|| format!("cannot import {}", file.display()))?,
        }
    };
    // Open the vault only now, so a bad backup never asks for the vault password.
    let mut vault = open(vault_path)?;
    let existing = vault.accounts();
    let now = now()?;
    let mut added = Vec::new();
    for entry in imported.entries.iter() {
        let twin = find_duplicate(entry, &existing)
            .or_else(|| find_duplicate(entry, &added))
            .map(|account| account.display_label());
        if let Some(twin) = twin {
            eprintln!(
                "tessera-cli: skipped {}: already in the vault as {twin}",
                entry.label()
            );
            continue;
        }
        added.push(entry.clone().into_account(now));
    }
    for unusable in &imported.unusable {
        eprintln!(
            "tessera-cli: not imported {}: {}",
            unusable.label, unusable.reason
        );
    }
    let found = imported.entries.len() + imported.unusable.len();
    eprintln!(
        "tessera-cli: {} backup: {} of {found} accounts added",
        imported.format.label(),
        added.len()
    );
    for account in &added {
        println!("{}\t{}\t{}", account.id, account.issuer, account.name);
    }
    let outcome = if found == 0 {
        Outcome::NothingFound
    } else {
        Outcome::Done
    };
    vault.add_accounts(added)?;
    Ok(outcome)
}

fn export(
    vault_path: &Path,
    format: &str,
    out: &Path,
    password_file: Option<&Path>,
    plain: bool,
    force: bool,
) -> Result<Outcome> {
    let format = parse_format(format)?;
    let exporter = backup::exporter(format)?;
    let to_stdout = out == Path::new("-");
    if !to_stdout && !force && out.exists() {
        bail!("{} exists: pass --force to replace it", out.display());
    }
    let password = match (exporter.encryption(), plain) {
        (Encryption::Always, true) => bail!("{} backups are always encrypted", format.label()),
        (Encryption::Never, true) => None,
        (Encryption::Optional, true) => None,
        (Encryption::Always | Encryption::Optional, false) => {
            Some(backup_password(password_file, true)?)
        }
        (Encryption::Never, false) => {
            if password_file.is_some() {
                bail!(
                    "{} files cannot be encrypted; drop --password-file",
                    format.label()
                );
            }
            None
        }
    };
    if password.is_none() {
        eprintln!(
            "tessera-cli: warning: this {} file holds your secrets in clear text; anyone who \
             reads it can make your codes",
            format.label()
        );
    }
    let vault = open(vault_path)?;
    let accounts = vault.accounts();
    let exported = exporter.export(&accounts, password.as_ref().map(|p| p.as_str()))?;
    for unusable in &exported.left_out {
        eprintln!(
            "tessera-cli: left out {}: {}",
            unusable.label, unusable.reason
        );
    }
    let bytes = exported.bytes;
    if to_stdout {
        std::io::stdout()
            .write_all(&bytes)
            .context("cannot write to standard output")?;
    } else {
        tessera_core::vault::write_private(out, &bytes)?;
    }
    eprintln!(
        "tessera-cli: {} of {} accounts written as {}",
        accounts.len() - exported.left_out.len(),
        accounts.len(),
        format.label()
    );
    Ok(Outcome::Done)
}
