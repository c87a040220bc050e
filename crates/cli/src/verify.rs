//! `tessera-cli verify`: which time step (or HOTP counter) a code belongs to.

use crate::Outcome;
use anyhow::{Context, Result};
use tessera_core::clock::verify::{verify, CodeMatch, DEFAULT_WINDOW, MAX_WINDOW};
use tessera_core::clock::Clock;
use tessera_core::otp::OtpKind;

/// Find which time step a code someone typed belongs to.
#[derive(clap::Args)]
#[command(
    long_about = "Find which time step a code from another device belongs to, nearest first \
                  within ±N steps, and so how far that device's clock is off.\n\n\
                  Prints `match steps=K seconds=S` (K negative: that device is behind) and \
                  exits 0, or prints `no match` and exits 1. For an HOTP URI it prints \
                  `match counter=C ahead=A next=C+1`, searching the URI's counter and the N \
                  after it; the account should then store counter C+1.\n\n\
                  Spaces and dashes in the code are ignored; Steam codes in any case.",
    after_help = "Example:\n  tessera-cli verify --code '287 082' --at 89 \\\n    --uri \
                  'otpauth://totp/ACME:jane?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'"
)]
pub struct Args {
    /// The otpauth:// URI, or - to read it from standard input.
    #[arg(long, value_name = "URI")]
    uri: String,
    /// The code as typed.
    #[arg(long, value_name = "CODE")]
    code: String,
    /// How many steps (or HOTP counters) to search on each side.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_WINDOW,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_WINDOW)))]
    window: u32,
    /// Check against this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
}

/// Prints the match on stdout and its meaning on stderr.
pub fn run(args: Args) -> Result<Outcome> {
    let uri = crate::uri_arg::read(args.uri)?;
    let at = args.at.unwrap_or_else(|| Clock::new().now_secs());
    let found = verify(&uri.otp, &args.code, at, args.window).context("bad --code")?;
    match found {
        Some(found @ CodeMatch::Time { steps, seconds, .. }) => {
            println!("match steps={steps} seconds={seconds}");
            eprintln!("{found}");
            Ok(Outcome::Done)
        }
        Some(found @ CodeMatch::Counter { counter, ahead }) => {
            let next = counter.saturating_add(1);
            println!("match counter={counter} ahead={ahead} next={next}");
            eprintln!("{found}");
            Ok(Outcome::Done)
        }
        None => {
            println!("no match");
            let searched = match uri.otp.kind {
                OtpKind::Hotp { counter } => format!(
                    "counters {counter} to {}",
                    counter.saturating_add(u64::from(args.window))
                ),
                OtpKind::Totp { period } | OtpKind::Steam { period } => format!(
                    "±{} steps (±{} s) around {at}",
                    args.window,
                    u64::from(args.window) * u64::from(period)
                ),
            };
            eprintln!("tessera-cli: the code matches none of {searched}");
            Ok(Outcome::NothingFound)
        }
    }
}
