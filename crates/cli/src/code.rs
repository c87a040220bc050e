//! `tessera-cli code`: the current (or any) code of an otpauth:// URI.

use crate::Outcome;
use anyhow::{Context, Result};
use std::path::Path;
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
    #[arg(
        long,
        value_name = "URI",
        required_unless_present = "query",
        conflicts_with = "query"
    )]
    uri: Option<String>,
    /// With --vault: the account whose issuer or name contains this text (ignoring case).
    #[arg(value_name = "QUERY")]
    query: Option<String>,
    /// Compute the code for this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
}

/// Prints the code on stdout and the secret's warnings on stderr; with a QUERY, the code of
/// a vault account.
pub fn run(args: Args, vault: Option<&Path>) -> Result<Outcome> {
    let Some(uri_arg) = args.uri else {
        let query = args.query.unwrap_or_default();
        return crate::vault_cmd::code(vault, &query, args.at);
    };
    let parsed = crate::uri_arg::read(uri_arg)?;
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
