//! The vault commands: `init`, `add`, `list`, `notes`, `delete`, `deleted`, `restore`,
//! `passwd`, and `code QUERY`.
//!
//! The vault password comes from `TESSERA_PASSWORD` (scripts, tests) or a prompt without echo;
//! a new password for `passwd` from `TESSERA_NEW_PASSWORD` or a prompt asked twice. Each
//! command first merges the conflict copies a sync tool left beside the vault
//! ([`crate::merge_conflicts`]).

use crate::Outcome;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tessera_core::account::{Account, AccountId};
use tessera_core::enroll;
use tessera_core::otp::OtpKind;

use tessera_core::vault::{KdfParams, Vault, VaultError};
use zeroize::Zeroizing;

/// The vault commands.
#[derive(clap::Subcommand)]
pub enum VaultCommand {
    /// Create a new vault at --vault.
    Init {
        /// Use the format's minimum key derivation cost (64 MiB, 3 passes) instead of
        /// calibrating to about 0.5 s on this machine: for tests and very slow machines.
        #[arg(long)]
        kdf_minimum: bool,
    },
    /// Add the account of an otpauth:// URI (- reads it from standard input).
    Add {
        /// The otpauth:// URI, or - to read it from standard input.
        #[arg(long, value_name = "URI")]
        uri: String,
    },
    /// List the accounts: id, issuer and name, tab-separated, one per line.
    List,
    /// Describe the vault for support staff: its format version, key derivation and its
    /// parameters, its slots (kinds only), generation and key epoch, one `key=value` line each.
    Info,
    /// Set the notes of the account with this id (- reads them from standard input).
    Notes {
        /// The account's id, as `list` prints it.
        id: String,
        /// The new notes, or - to read them from standard input.
        text: String,
    },
    /// Delete the account with this id (it can be restored for 30 days).
    Delete {
        /// The account's id, as `list` prints it.
        id: String,
    },
    /// List the deleted accounts that can still be restored: id, issuer, name and the Unix
    /// time of the deletion, tab-separated, most recent first.
    Deleted,
    /// Restore a deleted account (as a new account; prints its new id).
    Restore {
        /// The deleted account's id, as `deleted` prints it.
        id: String,
    },
    /// Change the vault password (the vault key is replaced: the old password opens nothing
    /// saved afterwards).
    Passwd,
}

pub fn vault_path(vault: Option<&Path>) -> Result<&Path> {
    vault.context("no vault given: pass --vault PATH or set TESSERA_VAULT")
}

pub fn now() -> Result<u64> {
    Ok(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is set before 1970")?
        .as_secs())
}

/// The password from `var`, or asked for on the terminal (twice when `confirm`).
pub fn password(var: &str, prompt: &str, confirm: bool) -> Result<Zeroizing<String>> {
    if let Ok(value) = std::env::var(var) {
        return Ok(Zeroizing::new(value));
    }
    let first =
        Zeroizing::new(rpassword::prompt_password(prompt).context("cannot read the password")?);
    if confirm {
        let again = Zeroizing::new(
            rpassword::prompt_password("Repeat it: ").context("cannot read the password")?,
        );
        if *first != *again {
            bail!("the passwords differ");
        }
    }
    Ok(first)
}

/// Opens the vault with its password, after merging the conflict copies a sync tool left
/// beside it.
pub fn open(path: &Path) -> Result<Vault> {
    let mut vault = open_unmerged(path)?;
    crate::merge_conflicts::merge_before_use(&mut vault)?;
    Ok(vault)
}

/// Opens the vault with its password, leaving conflict copies alone.
pub fn open_unmerged(path: &Path) -> Result<Vault> {
    let password = password("TESSERA_PASSWORD", "Vault password: ", false)?;
    open_with(path, &password)
}

fn open_with(path: &Path, password: &str) -> Result<Vault> {
    Vault::open_with_password(path, password)
        .with_context(|| format!("cannot open {}", path.display()))
}

/// Runs a vault command against the vault at `vault`.
pub fn run(command: VaultCommand, vault: Option<&Path>) -> Result<Outcome> {
    let path = vault_path(vault)?;
    match command {
        VaultCommand::Init { kdf_minimum } => {
            let password = password("TESSERA_PASSWORD", "New vault password: ", true)?;
            let params = if kdf_minimum {
                KdfParams::minimum()
            } else {
                KdfParams::calibrate(Duration::from_millis(500))?
            };
            Vault::create(path, &password, params)?;
        }
        VaultCommand::Add { uri } => {
            let text = crate::uri_arg::read_text(uri)?;
            let enrolled = enroll::from_uri(&text, now()?).context("bad --uri")?;
            for warning in &enrolled.warnings {
                eprintln!("tessera-cli: warning: {warning}");
            }
            let id = enrolled.account.id.clone();
            open(path)?.add(enrolled.account)?;
            println!("{id}");
        }
        VaultCommand::Info => {
            let vault = open(path)?;
            let kdf = vault.kdf_params();
            println!("format_version={}", vault.format_version());
            println!(
                "kdf=argon2id m_kib={} t={} p={}",
                kdf.memory_kib, kdf.iterations, kdf.lanes
            );
            println!("slots={}", vault.slot_kinds().join(","));
            println!("generation={}", vault.generation());
            println!("epoch={}", vault.epoch());
            println!("accounts={}", vault.len());
            println!("recently_deleted={}", vault.recently_deleted().len());
        }
        VaultCommand::List => {
            for account in open(path)?.accounts() {
                println!("{}\t{}\t{}", account.id, account.issuer, account.name);
            }
        }
        VaultCommand::Notes { id, text } => {
            let id = AccountId::parse(&id)?;
            let text = crate::uri_arg::read_text(text)?;
            let mut vault = open(path)?;
            match vault.modify(&id, |edit| {
                edit.set_notes(text.to_string());
                Ok::<_, VaultError>(())
            }) {
                Err(VaultError::AccountNotFound(_)) => return not_found(&id),
                other => other?,
            }
        }
        VaultCommand::Delete { id } => {
            let id = AccountId::parse(&id)?;
            match open(path)?.delete(&id) {
                Err(VaultError::AccountNotFound(_)) => return not_found(&id),
                other => {
                    other?;
                }
            }
        }
        VaultCommand::Deleted => {
            for gone in open(path)?.recently_deleted() {
                let a = &gone.account;
                println!("{}\t{}\t{}\t{}", a.id, a.issuer, a.name, gone.deleted);
            }
        }
        VaultCommand::Restore { id } => {
            let id = AccountId::parse(&id)?;
            match open(path)?.restore(&id) {
                Err(VaultError::AccountNotFound(_)) => return not_found(&id),
                other => println!("{}", other?.id),
            }
        }
        VaultCommand::Passwd => {
            let current = password("TESSERA_PASSWORD", "Vault password: ", false)?;
            let mut vault = open_with(path, &current)?;
            crate::merge_conflicts::merge_before_use(&mut vault)?;
            let new = password("TESSERA_NEW_PASSWORD", "New vault password: ", true)?;
            vault.change_password(&current, &new, None)?;
        }
    }
    Ok(Outcome::Done)
}

fn not_found(id: &AccountId) -> Result<Outcome> {
    eprintln!("tessera-cli: no account with id {id}");
    Ok(Outcome::NothingFound)
}

/// `code QUERY`: the code of the one account whose issuer or name contains QUERY (ignoring
/// case). An HOTP account's counter advances, so the next call shows the next code.
pub fn code(vault: Option<&Path>, query: &str, at: Option<u64>) -> Result<Outcome> {
    let path: PathBuf = vault_path(vault)?.to_path_buf();
    let mut vault = open(&path)?;
    let needle = query.to_lowercase();
    let matches: Vec<Account> = vault
        .accounts()
        .into_iter()
        .filter(|a| {
            a.issuer.to_lowercase().contains(&needle) || a.name.to_lowercase().contains(&needle)
        })
        .collect();
    let account = match matches.as_slice() {
        [] => {
            eprintln!("tessera-cli: no account matches {query:?}");
            return Ok(Outcome::NothingFound);
        }
        [one] => one.clone(),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|a| format!("  {}\t{}\t{}", a.id, a.issuer, a.name))
                .collect();
            bail!(
                "{query:?} matches {} accounts:\n{}",
                many.len(),
                list.join("\n")
            );
        }
    };
    let now = now()?;
    // The counter is taken under the vault's lock from the state just merged from disk, so a
    // code is never issued twice, whoever else issues codes at the same time.
    let code = vault.modify(&account.id, |edit| {
        let mut otp = edit.account().otp;
        if let Some(counter) = edit.issue_counter() {
            otp.kind = OtpKind::Hotp { counter };
        }
        edit.record_use(now);
        Ok::<_, VaultError>(otp.code_at(at.unwrap_or(now)))
    })?;
    println!("{code}");
    Ok(Outcome::Done)
}
