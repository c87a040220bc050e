//! `tessera-cli code`: the current (or any) code of an otpauth:// URI.

use crate::Outcome;
use anyhow::{Context, Result};
use std::time::{SystemTime, UNIX_EPOCH};

/// Print the one-time code of an otpauth:// URI.
#[derive(clap::Args)]
#[command(
    long_about = "Print the one-time code of an otpauth:// URI: the code for now, or for the \
                  time given with --at. For an HOTP URI it is the code at the URI's counter.\n\n\
                  Warnings about the secret (a short key, an impossible length) go to stderr.",
    after_help = "Example:\n  tessera-cli code --at 59 \\\n    --uri \
                  'otpauth://totp/ACME:jane?secret=JBSWY3DPEHPK3PXP&issuer=ACME'\n\n\
                  Pass --uri - to read the URI from standard input, which keeps the secret out \
                  of the process list."
)]
pub struct Args {
    /// The otpauth:// URI, or - to read it from standard input.
    #[arg(long, value_name = "URI")]
    uri: String,
    /// Compute the code for this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
}

/// Prints the code on stdout and the secret's warnings on stderr.
pub fn run(args: Args) -> Result<Outcome> {
    let parsed = crate::uri_arg::read(args.uri)?;
    let at = match args.at {
        Some(at) => at,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("the system clock is set before 1970")?
            .as_secs(),
    };
    println!("{}", parsed.otp.code_at(at));
    Ok(Outcome::Done)
}
