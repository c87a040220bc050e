//! The HTTPS `Date` header as a coarse time source, for networks that block NTP (UDP port 123)
//! but let web traffic through.
//!
//! A Date header has a resolution of one second and is stamped somewhere while the server
//! handles the request, so the estimate is: the server's time was `Date + 0.5 s` at the
//! midpoint of our request, give or take half the round trip plus half a second.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use ureq::http::Uri;

/// Half the Date header's one-second resolution, in milliseconds.
const HALF_RESOLUTION_MS: f64 = 500.0;

/// Why the Date header of a web server could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpDateError {
    /// The URL cannot be requested.
    #[error("{url:?} is not a usable URL: {reason}")]
    BadUrl {
        /// The text given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No answer in time.
    #[error("no answer within {waited_ms} ms")]
    Timeout {
        /// How long we waited.
        waited_ms: u64,
    },
    /// The request failed: name resolution, connection, TLS or a broken reply.
    #[error("{0}")]
    Request(String),
    /// The reply has no Date header.
    #[error("the reply has no Date header")]
    MissingDate,
    /// The Date header is not an HTTP date.
    #[error("the Date header {value:?} is not an HTTP date")]
    BadDate {
        /// The header as received (non-UTF-8 bytes replaced).
        value: String,
    },
}

/// What one HEAD request told.
#[derive(Debug, Clone, PartialEq)]
pub struct DateReading {
    /// The server's time minus ours, in milliseconds.
    pub offset_ms: f64,
    /// The request's round trip (connection and TLS included), in milliseconds.
    pub rtt_ms: f64,
    /// The error bound: half the round trip plus half a second, in milliseconds.
    pub precision_ms: f64,
    /// The server as HOST:PORT, taken from the URL.
    pub server: String,
}

/// Checks that `url` is an http(s) URL with a host and returns that host as HOST:PORT.
pub fn server_of(url: &str) -> Result<String, HttpDateError> {
    let bad = |reason: &str| HttpDateError::BadUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let uri: Uri = url
        .parse()
        .map_err(|e: ureq::http::uri::InvalidUri| bad(&e.to_string()))?;
    let default_port = match uri.scheme_str() {
        Some("https") => 443,
        Some("http") => 80,
        _ => return Err(bad("it must start with https:// (or http://)")),
    };
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("it has no host"))?;
    Ok(format!("{host}:{}", uri.port_u16().unwrap_or(default_port)))
}

/// Sends a HEAD request to `url` and reads the offset from its Date header. Any status will
/// do, a redirect or an error page too: they carry a Date all the same.
pub fn read_date(url: &str, timeout: Duration) -> Result<DateReading, HttpDateError> {
    let server = server_of(url)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let sent_at = SystemTime::now();
    let started = Instant::now();
    let response = agent.head(url).call().map_err(|err| match err {
        ureq::Error::Timeout(_) => HttpDateError::Timeout {
            waited_ms: timeout.as_millis() as u64,
        },
        other => HttpDateError::Request(other.to_string()),
    })?;
    let rtt = started.elapsed();
    let value = response
        .headers()
        .get("date")
        .ok_or(HttpDateError::MissingDate)?;
    let date = parse_date(value.as_bytes())?;
    let (offset_ms, precision_ms) = offset_from_date(date, sent_at, rtt);
    Ok(DateReading {
        offset_ms,
        rtt_ms: rtt.as_secs_f64() * 1000.0,
        precision_ms,
        server,
    })
}

/// Reads a Date header in any of the three formats HTTP allows.
pub fn parse_date(value: &[u8]) -> Result<SystemTime, HttpDateError> {
    let bad = || HttpDateError::BadDate {
        value: String::from_utf8_lossy(value).chars().take(100).collect(),
    };
    let text = std::str::from_utf8(value).map_err(|_| bad())?;
    httpdate::parse_http_date(text.trim()).map_err(|_| bad())
}

/// The offset and its error bound, in milliseconds, from a Date header's second `date`, a
/// request sent at `sent_at` (our clock) and its round trip `rtt`.
pub fn offset_from_date(date: SystemTime, sent_at: SystemTime, rtt: Duration) -> (f64, f64) {
    let rtt_ms = rtt.as_secs_f64() * 1000.0;
    let midpoint_ms = unix_ms(sent_at) + rtt_ms / 2.0;
    let server_ms = unix_ms(date) + HALF_RESOLUTION_MS;
    (server_ms - midpoint_ms, rtt_ms / 2.0 + HALF_RESOLUTION_MS)
}

/// Milliseconds since 1970, negative before.
fn unix_ms(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs_f64() * 1000.0,
        Err(before) => -before.duration().as_secs_f64() * 1000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_is_measured_against_the_request_midpoint() {
        let sent = UNIX_EPOCH + Duration::from_millis(1_700_000_000_200);
        // The server's clock read 1_700_000_010.x, so about 10 s ahead.
        let date = UNIX_EPOCH + Duration::from_secs(1_700_000_010);
        let (offset, precision) = offset_from_date(date, sent, Duration::from_millis(200));
        // 1_700_000_010.5 - (1_700_000_000.2 + 0.1)
        assert!((offset - 10_200.0).abs() < 1e-3, "{offset}");
        assert!((precision - 600.0).abs() < 1e-9, "{precision}");
    }

    #[test]
    fn all_three_http_date_formats() {
        let expected = UNIX_EPOCH + Duration::from_secs(784_111_777);
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_date(text.as_bytes()).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn garbage_dates_are_named() {
        assert_eq!(
            parse_date(b"yesterday").unwrap_err().to_string(),
            "the Date header \"yesterday\" is not an HTTP date"
        );
        assert!(matches!(
            parse_date(b"\xff\xfe"),
            Err(HttpDateError::BadDate { .. })
        ));
    }

    #[test]
    fn urls_name_their_server() {
        assert_eq!(
            server_of("https://example.org/").unwrap(),
            "example.org:443"
        );
        assert_eq!(
            server_of("http://127.0.0.1:8080/x").unwrap(),
            "127.0.0.1:8080"
        );
        assert!(matches!(
            server_of("ftp://example.org/"),
            Err(HttpDateError::BadUrl { .. })
        ));
        assert!(matches!(
            server_of("not a url"),
            Err(HttpDateError::BadUrl { .. })
        ));
    }
}
