//! Time for codes: how far the system clock is off, one clock service that can correct it,
//! and which time step a code someone typed belongs to.
//!
//! - [`measure`] asks SNTP servers (RFC 4330) and, where UDP is blocked, falls back to the
//!   `Date` header of an HTTPS server; [`sntp`] and [`https_date`] are the two sources.
//! - [`Clock`] is "now" for every code and countdown, with an opt-in correction.
//! - [`Verdict`] and [`describe_offset`] say what an offset does to 30-second codes.
//! - [`verify`] finds the step (or HOTP counter) a typed code belongs to. It lives here rather
//!   than in `otp` because its answer is a statement about clocks: "that device is 60 s slow".

pub mod correction;
pub mod https_date;
mod packet;
mod service;
pub mod sntp;
mod verdict;
pub mod verify;

pub use packet::PacketError;
pub use service::Clock;
pub use verdict::{describe_offset, Verdict};

use serde::{Deserialize, Serialize};
use sntp::{ServerName, ServerReport, SntpError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The servers asked when none are configured.
pub const DEFAULT_SERVERS: &[&str] = &["pool.ntp.org"];

/// The web server whose Date header is read when no NTP server answers.
pub const DEFAULT_HTTPS_URL: &str = "https://www.google.com/";

/// Where a measurement came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Source {
    /// An NTP server, millisecond precision.
    Sntp {
        /// The server as HOST:PORT.
        server: String,
    },
    /// The Date header of a web server, one-second resolution.
    HttpsDate {
        /// The URL requested.
        url: String,
        /// Its server as HOST:PORT.
        server: String,
    },
}

impl Source {
    /// The server as HOST:PORT, whichever kind of source.
    pub fn server(&self) -> &str {
        match self {
            Source::Sntp { server } | Source::HttpsDate { server, .. } => server,
        }
    }
}

/// How far this computer's clock is off, and how sure we are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Reference time minus this computer's clock, in milliseconds: positive means this
    /// clock is behind (slow) and the correction adds this much.
    pub offset_ms: f64,
    /// The network round trip the figure was measured over, in milliseconds.
    pub rtt_ms: f64,
    /// Where the figure came from.
    pub source: Source,
    /// The error bound, ± milliseconds: half the round trip plus the server's own distance
    /// from its reference for NTP; half the round trip plus 0.5 s for a Date header.
    pub precision_ms: f64,
    /// Good samples behind the figure (their median is taken).
    pub samples: u32,
    /// When it was measured, in Unix milliseconds of this computer's uncorrected clock.
    pub measured_at: u64,
}

impl Measurement {
    /// The offset rounded to whole milliseconds, for [`Clock::set_correction`].
    pub fn correction_ms(&self) -> i64 {
        self.offset_ms.round() as i64
    }

    /// What this offset does to 30-second codes.
    pub fn verdict(&self) -> Verdict {
        Verdict::for_offset_ms(self.offset_ms)
    }
}

/// Which servers to ask and how long to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureConfig {
    /// NTP servers as HOST or HOST:PORT.
    pub servers: Vec<String>,
    /// The URL whose Date header is read if no NTP server answers; `None` for no fallback.
    pub https_url: Option<String>,
    /// How long to wait for one NTP reply.
    pub exchange_timeout: Duration,
    /// How long all NTP questions together may take.
    pub sntp_budget: Duration,
    /// Exchanges per NTP server.
    pub samples_per_server: u32,
    /// How long the HTTPS request may take, connection and TLS included.
    pub https_timeout: Duration,
}

impl Default for MeasureConfig {
    /// The pool, then the default HTTPS site: at most about 3 s of NTP and 2 s of HTTPS.
    fn default() -> Self {
        MeasureConfig {
            servers: DEFAULT_SERVERS.iter().map(|s| s.to_string()).collect(),
            https_url: Some(DEFAULT_HTTPS_URL.to_string()),
            exchange_timeout: Duration::from_secs(1),
            sntp_budget: Duration::from_secs(3),
            samples_per_server: 4,
            https_timeout: Duration::from_secs(2),
        }
    }
}

/// Why no measurement could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClockError {
    /// Neither servers nor a URL were given.
    #[error("no time server to ask")]
    NothingToAsk,
    /// A server name that cannot be used.
    #[error(transparent)]
    BadServer(SntpError),
    /// A URL that cannot be used.
    #[error(transparent)]
    BadUrl(https_date::HttpDateError),
    /// Every source failed; each entry says "could not reach SOURCE: cause".
    #[error("{}", .0.join("; "))]
    Unreachable(Vec<String>),
}

/// Measures the system clock's offset: the NTP servers first, each asked a few times, and
/// the HTTPS Date header if none of them answered.
///
/// With several servers answering, the one whose median offset is the median of all is
/// reported, so that a single wrong server cannot pull the figure; between two, the one with
/// the shorter round trip.
pub fn measure(config: &MeasureConfig) -> Result<Measurement, ClockError> {
    let names = config
        .servers
        .iter()
        .map(|s| ServerName::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ClockError::BadServer)?;
    if let Some(url) = &config.https_url {
        https_date::server_of(url).map_err(ClockError::BadUrl)?;
    }
    if names.is_empty() && config.https_url.is_none() {
        return Err(ClockError::NothingToAsk);
    }

    let started = Instant::now();
    let mut failures = Vec::new();
    let mut answered = Vec::new();
    for (index, name) in names.iter().enumerate() {
        // Each server may use an equal share of what is left, so that a dead first server
        // cannot starve the others.
        let left = config.sntp_budget.saturating_sub(started.elapsed());
        let share = left / (names.len() - index) as u32;
        let report = sntp::query_server(
            name,
            config.samples_per_server,
            config.exchange_timeout,
            Instant::now() + share,
        );
        match sntp::median(&report.samples) {
            Some(estimate) => answered.push((report, estimate)),
            None => failures.push(unreachable(&report)),
        }
    }
    if let Some((report, estimate)) = pick_server(answered) {
        return Ok(Measurement {
            offset_ms: estimate.offset_ms,
            rtt_ms: estimate.rtt_ms,
            source: Source::Sntp {
                server: report.server,
            },
            precision_ms: estimate.precision_ms,
            samples: report.samples.len() as u32,
            measured_at: unix_now_ms(),
        });
    }

    if let Some(url) = &config.https_url {
        match https_date::read_date(url, config.https_timeout) {
            Ok(reading) => {
                return Ok(Measurement {
                    offset_ms: reading.offset_ms,
                    rtt_ms: reading.rtt_ms,
                    source: Source::HttpsDate {
                        url: url.clone(),
                        server: reading.server,
                    },
                    precision_ms: reading.precision_ms,
                    samples: 1,
                    measured_at: unix_now_ms(),
                })
            }
            Err(err) => failures.push(format!("could not reach {url}: {err}")),
        }
    }
    Err(ClockError::Unreachable(failures))
}

/// "could not reach HOST:PORT: cause", with the last error (the one that made us give up).
fn unreachable(report: &ServerReport) -> String {
    match report.errors.last() {
        Some(err) => format!("could not reach {}: {err}", report.server),
        None => format!("could not reach {}: no exchange was made", report.server),
    }
}

/// The server whose offset is the median among those that answered.
fn pick_server(
    mut answered: Vec<(ServerReport, sntp::Sample)>,
) -> Option<(ServerReport, sntp::Sample)> {
    answered.sort_by(|a, b| a.1.offset_ms.total_cmp(&b.1.offset_ms));
    let count = answered.len();
    if count == 0 {
        return None;
    }
    let mut index = (count - 1) / 2;
    if count.is_multiple_of(2) && answered[index + 1].1.rtt_ms < answered[index].1.rtt_ms {
        index += 1;
    }
    Some(answered.swap_remove(index))
}

fn unix_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sntp::Sample;

    fn answer(server: &str, offset_ms: f64, rtt_ms: f64) -> (ServerReport, Sample) {
        let sample = Sample {
            offset_ms,
            rtt_ms,
            precision_ms: rtt_ms / 2.0,
        };
        let report = ServerReport {
            server: server.into(),
            samples: vec![sample],
            errors: Vec::new(),
        };
        (report, sample)
    }

    #[test]
    fn the_median_server_wins() {
        let picked = pick_server(vec![
            answer("a", 900_000.0, 5.0),
            answer("b", 10.0, 50.0),
            answer("c", 12.0, 40.0),
        ])
        .unwrap();
        assert_eq!(picked.0.server, "c");
        let of_two = pick_server(vec![answer("a", 10.0, 80.0), answer("b", 12.0, 20.0)]).unwrap();
        assert_eq!(of_two.0.server, "b");
        assert!(pick_server(Vec::new()).is_none());
    }

    #[test]
    fn configuration_is_checked_before_any_traffic() {
        let config = MeasureConfig {
            servers: vec!["host:99999".into()],
            https_url: None,
            ..MeasureConfig::default()
        };
        assert!(matches!(measure(&config), Err(ClockError::BadServer(_))));
        let config = MeasureConfig {
            servers: Vec::new(),
            https_url: Some("gopher://x".into()),
            ..MeasureConfig::default()
        };
        assert!(matches!(measure(&config), Err(ClockError::BadUrl(_))));
        let config = MeasureConfig {
            servers: Vec::new(),
            https_url: None,
            ..MeasureConfig::default()
        };
        assert_eq!(measure(&config), Err(ClockError::NothingToAsk));
    }

    #[test]
    fn measurements_round_and_judge() {
        let m = Measurement {
            offset_ms: -37_500.4,
            rtt_ms: 1.0,
            source: Source::HttpsDate {
                url: "https://example.org/".into(),
                server: "example.org:443".into(),
            },
            precision_ms: 500.5,
            samples: 1,
            measured_at: 0,
        };
        assert_eq!(m.correction_ms(), -37_500);
        assert_eq!(m.verdict(), Verdict::WillFail);
        assert_eq!(m.source.server(), "example.org:443");
    }
}
