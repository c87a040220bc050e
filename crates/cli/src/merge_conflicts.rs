//! `tessera-cli merge-conflicts`: merges the conflict copies that sync tools (Syncthing,
//! Dropbox) left beside the vault when two computers saved it while apart.
//!
//! Each copy that opens with this vault's key is merged under the vault's lock, then removed,
//! so what either computer wrote is kept. A copy that cannot be opened (another vault, another
//! password, a damaged file) is kept untouched and named on stderr.

use crate::vault_cmd::{open, vault_path};
use crate::Outcome;
use anyhow::{bail, Context, Result};
use std::io::ErrorKind;
use std::path::Path;

/// Merge the conflict copies beside the vault into it, and remove the merged ones.
#[derive(clap::Args)]
#[command(
    long_about = "Merge the conflict copies that sync tools left beside the vault \
                  (Syncthing's <name>.sync-conflict-<date>-<time>-<device>.<ext>, Dropbox's \
                  \"conflicted copy\") into the vault, and remove each merged copy. Prints the \
                  path of each merged copy, one per line.\n\n\
                  A copy that does not open with the vault's key is kept and named on stderr; \
                  the exit status is then 2."
)]
pub struct Args {}

/// Merges every conflict copy of the vault at `vault`; fails, after merging the others, if
/// any copy had to be kept.
pub fn run(_args: Args, vault: Option<&Path>) -> Result<Outcome> {
    let path = vault_path(vault)?;
    let mut vault = open(path)?;
    let mut kept = 0usize;
    for copy in vault.conflict_copies() {
        match vault.merge_file(&copy, None) {
            Ok(_) => {
                match std::fs::remove_file(&copy) {
                    Ok(()) => {}
                    // The sync tool removed it meanwhile: another computer merged it too.
                    Err(e) if e.kind() == ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(e).with_context(|| {
                            format!("merged {} but could not remove it", copy.display())
                        })
                    }
                }
                println!("{}", copy.display());
            }
            Err(err) => {
                eprintln!("tessera-cli: kept {}: {err}", copy.display());
                kept += 1;
            }
        }
    }
    if kept > 0 {
        bail!("{kept} conflict copies could not be merged and were kept");
    }
    Ok(Outcome::Done)
}
