//! `tessera-cli scan`: every QR code payload in image files.

use crate::Outcome;
use anyhow::{bail, Result};
use std::path::PathBuf;

/// Print the payload of every QR code found in image files.
#[derive(clap::Args)]
#[command(
    long_about = "Print the payload of every QR code found in image files (PNG, JPEG, WebP, \
                  BMP, GIF), one per line, each payload once per file. Control characters in \
                  a payload are printed escaped (\\n, \\u{1b}) so that a hostile image cannot \
                  split lines or drive the terminal.\n\n\
                  Problems with a file go to stderr with its name, and the other files are \
                  still scanned. Exit status: 0 when a code was found, 1 when none was, 2 when \
                  none was and a file could not be read.",
    after_help = "Example:\n  tessera-cli scan screenshot.png"
)]
pub struct Args {
    /// The image files.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

/// Scans each file in turn; see the command's help for what is printed and the exit status.
pub fn run(args: Args) -> Result<Outcome> {
    let mut found = 0usize;
    let mut unreadable = 0usize;
    for file in &args.files {
        match tessera_core::qr::decode_file(file) {
            Ok(scan) => {
                for warning in &scan.warnings {
                    eprintln!("tessera-cli: {}: {warning}", file.display());
                }
                for payload in &scan.payloads {
                    println!("{}", escape_controls(payload));
                }
                found += scan.payloads.len();
            }
            Err(err) => {
                eprintln!("tessera-cli: {}: {err}", file.display());
                unreadable += 1;
            }
        }
    }
    match (found, unreadable) {
        (0, 0) => Ok(Outcome::NothingFound),
        (0, _) => bail!(
            "no QR code found; {unreadable} of {} files could not be read",
            args.files.len()
        ),
        _ => Ok(Outcome::Done),
    }
}

fn escape_controls(payload: &str) -> String {
    payload
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
