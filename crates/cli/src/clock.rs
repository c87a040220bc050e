//! `tessera-cli clock`: how far this computer's clock is off.

use crate::Outcome;
use anyhow::Result;
use std::time::Duration;
use tessera_core::clock::{self, describe_offset, MeasureConfig, Source};

/// Measure this computer's clock offset against NTP servers.
#[derive(clap::Args)]
#[command(
    long_about = "Measure how far this computer's clock is off. Asks the NTP servers (several \
                  samples each, the median is kept) and, if none answers, reads the Date header \
                  of an HTTPS server, which is accurate to about a second.\n\n\
                  Prints one line on stdout: offset_ms=F rtt_ms=F server=HOST:PORT, where a \
                  positive offset means this clock is behind. What the offset means for \
                  30-second codes goes to stderr.\n\n\
                  Without --server, asks pool.ntp.org and falls back to https://www.google.com/. \
                  With --server, the HTTPS fallback is used only if --https-url is given.",
    after_help = "Example:\n  tessera-cli clock --server time.cloudflare.com --server pool.ntp.org"
)]
pub struct Args {
    /// An NTP server as HOST or HOST:PORT; repeat the option to ask several.
    #[arg(long = "server", value_name = "HOST[:PORT]")]
    servers: Vec<String>,
    /// Read the Date header of this URL if no NTP server answers.
    #[arg(long, value_name = "URL")]
    https_url: Option<String>,
    /// Wait at most this many milliseconds for each NTP reply; the whole NTP part takes at
    /// most three times as long, the HTTPS request at most twice.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=60_000))]
    timeout_ms: u64,
}

/// Prints the best measurement, or fails with what each server did.
pub fn run(args: Args) -> Result<Outcome> {
    let defaults = MeasureConfig::default();
    let timeout = Duration::from_millis(args.timeout_ms);
    let (servers, https_url) = if args.servers.is_empty() {
        (defaults.servers, args.https_url.or(defaults.https_url))
    } else {
        (args.servers, args.https_url)
    };
    let config = MeasureConfig {
        servers,
        https_url,
        exchange_timeout: timeout,
        sntp_budget: timeout * 3,
        https_timeout: timeout * 2,
        ..defaults
    };
    let measurement = clock::measure(&config)?;
    println!(
        "offset_ms={:.1} rtt_ms={:.1} server={}",
        measurement.offset_ms,
        measurement.rtt_ms,
        measurement.source.server()
    );
    if let Source::HttpsDate { url, .. } = &measurement.source {
        eprintln!(
            "tessera-cli: no NTP server answered; from the Date header of {url}, \
             accurate to ±{:.0} ms",
            measurement.precision_ms
        );
    }
    eprintln!("{}", describe_offset(measurement.offset_ms));
    Ok(Outcome::Done)
}
