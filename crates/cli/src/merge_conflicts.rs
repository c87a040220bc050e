//! Conflict copies that sync tools (Syncthing, Dropbox) left beside the vault when two
//! computers saved it while apart.
//!
//! Every vault command first merges the copies that open with this vault's key, under the
//! vault's lock, and removes them, so a command never works from a version that lacks what
//! the other computer wrote (an HOTP counter it advanced, an account it deleted). A copy that
//! cannot be opened (another vault, another password, a damaged file) is kept untouched and
//! named on stderr. `tessera-cli merge-conflicts` does the same on its own and fails when a
//! copy had to be kept.

use crate::vault_cmd::{open_unmerged, vault_path};
use crate::Outcome;
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use tessera_core::vault::Vault;

/// Merge the conflict copies beside the vault into it, and remove the merged ones.
#[derive(clap::Args)]
#[command(
    long_about = "Merge the conflict copies that sync tools left beside the vault \
                  (Syncthing's <name>.sync-conflict-<date>-<time>-<device>.<ext>, Dropbox's \
                  \"conflicted copy\") into the vault, and remove each merged copy. Prints the \
                  path of each merged copy, one per line. Every vault command does this first; \
                  this command only merges.\n\n\
                  A copy that does not open with the vault's key is kept and named on stderr; \
                  the exit status is then 2."
)]
pub struct Args {}

/// What [`merge_all`] did.
pub struct Merged {
    /// The copies merged and removed.
    pub merged: Vec<PathBuf>,
    /// How many copies were kept; each was named on stderr.
    pub kept: usize,
}

/// Merges every conflict copy of `vault` that opens with its keys and removes it; names each
/// copy it keeps on stderr.
pub fn merge_all(vault: &mut Vault) -> Result<Merged> {
    let outcome = vault.merge_conflict_copies()?;
    for copy in &outcome.unopened {
        eprintln!(
            "tessera-cli: kept conflict copy {}: it does not open with this vault's keys",
            copy.display()
        );
    }
    Ok(Merged {
        merged: outcome.merged,
        kept: outcome.unopened.len(),
    })
}

/// Merges the conflict copies before a vault command uses the vault, with a note on stderr
/// for each copy merged.
pub fn merge_before_use(vault: &mut Vault) -> Result<()> {
    for copy in merge_all(vault)?.merged {
        eprintln!(
            "tessera-cli: merged and removed conflict copy {}",
            copy.display()
        );
    }
    Ok(())
}

/// `merge-conflicts`: merges every conflict copy of the vault at `vault`; fails, after
/// merging the others, if any copy had to be kept.
pub fn run(_args: Args, vault: Option<&Path>) -> Result<Outcome> {
    let mut vault = open_unmerged(vault_path(vault)?)?;
    let done = merge_all(&mut vault)?;
    for copy in &done.merged {
        println!("{}", copy.display());
    }
    if done.kept > 0 {
        bail!(
            "{} conflict copies could not be merged and were kept",
            done.kept
        );
    }
    Ok(Outcome::Done)
}
