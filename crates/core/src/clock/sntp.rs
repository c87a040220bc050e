//! An SNTP client (RFC 4330, client mode of RFC 5905): a few quick exchanges with each server,
//! every reply checked before it is believed.

use super::packet::{self, NtpTimestamp, PacketError};
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// The NTP port, used when a server is given without one.
pub const NTP_PORT: u16 = 123;

/// Addresses of one name tried in turn, so that a pool name spreads its samples over servers.
const MAX_ADDRESSES: usize = 4;

/// After this many failed exchanges in a row a server is given up: it is unreachable or
/// broken, and waiting for it would spend the budget the other servers need.
const MAX_FAILURES_IN_A_ROW: u32 = 2;

/// A server's clock precision can make it claim it held a request slightly longer than our
/// whole round trip; up to this much (seconds) the delay is read as zero, beyond it the reply
/// is rejected.
const DELAY_SLACK: f64 = 0.001;

/// Why an exchange with a time server failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SntpError {
    /// The server is not written as HOST or HOST:PORT.
    #[error("{server:?} is not a server: {reason}")]
    BadServer {
        /// The text given.
        server: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The name did not resolve.
    #[error("could not resolve {host}: {cause}")]
    Resolve {
        /// The host name.
        host: String,
        /// The resolver's message.
        cause: String,
    },
    /// The resolver did not answer in time (the system resolver has no timeout of its own).
    #[error("could not resolve {host} within {waited_ms} ms")]
    ResolveTimeout {
        /// The host name.
        host: String,
        /// How long we waited.
        waited_ms: u64,
    },
    /// A local socket error: no route, no network interface, and the like.
    #[error("{0}")]
    Socket(String),
    /// Nothing usable came back in time.
    #[error("no reply within {waited_ms} ms")]
    Timeout {
        /// How long we waited.
        waited_ms: u64,
    },
    /// The host answered that nothing listens on that port.
    #[error("connection refused: no NTP server on that port")]
    Refused,
    /// A reply came but was rejected.
    #[error(transparent)]
    Packet(#[from] PacketError),
    /// The server claims it held the request longer than the whole round trip took.
    #[error("reply is impossible: the server held the request {held_ms:.1} ms of a {rtt_ms:.1} ms round trip")]
    NegativeDelay {
        /// T3 - T2 as the server reports it, in milliseconds.
        held_ms: f64,
        /// T4 - T1 as we measured it, in milliseconds.
        rtt_ms: f64,
    },
    /// The overall time budget ran out before this server was asked.
    #[error("the time budget ran out before this server could be asked")]
    BudgetSpent,
}

/// One good exchange.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Server time minus our time, in milliseconds: ((T2 - T1) + (T3 - T4)) / 2.
    pub offset_ms: f64,
    /// Network round trip: (T4 - T1) - (T3 - T2), in milliseconds.
    pub rtt_ms: f64,
    /// The error bound of the offset: half the round trip (the path may be lopsided) plus the
    /// server's own root distance, in milliseconds.
    pub precision_ms: f64,
}

/// What one server gave: its good samples and the reasons for the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerReport {
    /// The server as HOST:PORT.
    pub server: String,
    /// The exchanges that passed every check.
    pub samples: Vec<Sample>,
    /// Why the other exchanges failed, in order.
    pub errors: Vec<SntpError>,
}

/// A server name split into host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerName {
    /// Host name or IP address (without brackets).
    pub host: String,
    /// UDP port.
    pub port: u16,
}

impl ServerName {
    /// Reads `HOST`, `HOST:PORT`, `[IPV6]:PORT` or a bare IPv6 address.
    pub fn parse(text: &str) -> Result<Self, SntpError> {
        let bad = |reason| SntpError::BadServer {
            server: text.to_string(),
            reason,
        };
        let text_trimmed = text.trim();
        let (host, port) = if let Some(rest) = text_trimmed.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| bad("an opening [ without its ]"))?;
            match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None if after.is_empty() => (host, None),
                None => return Err(bad("unexpected text after ]")),
            }
        } else if text_trimmed.matches(':').count() == 1 {
            let (host, port) = text_trimmed.split_once(':').unwrap_or((text_trimmed, ""));
            (host, Some(port))
        } else {
            (text_trimmed, None)
        };
        if host.is_empty() {
            return Err(bad("the host is empty"));
        }
        let port = match port {
            None => NTP_PORT,
            Some(port) => match port.parse::<u16>() {
                Ok(0) | Err(_) => return Err(bad("the port must be a number from 1 to 65535")),
                Ok(port) => port,
            },
        };
        Ok(ServerName {
            host: host.to_string(),
            port,
        })
    }
}

impl std::fmt::Display for ServerName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Asks `server` for up to `samples` exchanges, each waiting at most `per_exchange`, all
/// finished by `deadline`. A Kiss-o'-Death or a refusal ends the questions to that server.
pub fn query_server(
    server: &ServerName,
    samples: u32,
    per_exchange: Duration,
    deadline: Instant,
) -> ServerReport {
    let mut report = ServerReport {
        server: server.to_string(),
        samples: Vec::new(),
        errors: Vec::new(),
    };
    let addresses = match resolve(server, deadline) {
        Ok(addresses) => addresses,
        Err(err) => {
            report.errors.push(err);
            return report;
        }
    };
    let mut failures_in_a_row = 0;
    for index in 0..samples as usize {
        let now = Instant::now();
        if now >= deadline {
            if report.samples.is_empty() {
                report.errors.push(SntpError::BudgetSpent);
            }
            break;
        }
        let wait = per_exchange.min(deadline - now);
        match exchange(addresses[index % addresses.len()], wait) {
            Ok(sample) => {
                report.samples.push(sample);
                failures_in_a_row = 0;
            }
            Err(err) => {
                let final_answer = matches!(
                    err,
                    SntpError::Refused | SntpError::Packet(PacketError::KissOfDeath { .. })
                );
                report.errors.push(err);
                failures_in_a_row += 1;
                if final_answer || failures_in_a_row >= MAX_FAILURES_IN_A_ROW {
                    break;
                }
            }
        }
    }
    report
}

/// The server's addresses. IP literals need no resolver; names are resolved on a thread of
/// their own so that a dead resolver cannot hold us past the deadline.
fn resolve(server: &ServerName, deadline: Instant) -> Result<Vec<SocketAddr>, SntpError> {
    if let Ok(ip) = server.host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, server.port)]);
    }
    let (send, receive) = mpsc::channel();
    let target = (server.host.clone(), server.port);
    std::thread::spawn(move || {
        // The receiver may be gone after a timeout; the answer is then simply dropped.
        let _ = send.send(target.to_socket_addrs().map(Iterator::collect::<Vec<_>>));
    });
    let wait = deadline.saturating_duration_since(Instant::now());
    let host = server.host.clone();
    match receive.recv_timeout(wait) {
        Ok(Ok(addresses)) if !addresses.is_empty() => {
            Ok(addresses.into_iter().take(MAX_ADDRESSES).collect())
        }
        Ok(Ok(_)) => Err(SntpError::Resolve {
            host,
            cause: "the name has no addresses".into(),
        }),
        Ok(Err(err)) => Err(SntpError::Resolve {
            host,
            cause: err.to_string(),
        }),
        Err(_) => Err(SntpError::ResolveTimeout {
            host,
            waited_ms: wait.as_millis() as u64,
        }),
    }
}

/// One request and its reply, from a fresh socket so that a late answer to an earlier request
/// cannot be taken for this one.
///
/// Datagrams that fail the checks are set aside and the wait goes on: a forger or a stale
/// reply must not hide the real answer. If no good reply comes, the last rejection is the
/// error, since it says more than a bare timeout.
fn exchange(address: SocketAddr, wait: Duration) -> Result<Sample, SntpError> {
    let local: SocketAddr = if address.is_ipv4() {
        (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local).map_err(|e| SntpError::Socket(e.to_string()))?;
    socket
        .connect(address)
        .map_err(|e| SntpError::Socket(e.to_string()))?;
    let nonce = NtpTimestamp(
        getrandom::u64().map_err(|e| SntpError::Socket(format!("no random numbers: {e}")))?,
    );
    let request = packet::request(nonce);

    let sent_at = SystemTime::now();
    let started = Instant::now();
    socket
        .send(&request)
        .map_err(|e| send_error(e.kind(), e.to_string()))?;
    let deadline = started + wait;
    let mut rejected = None;
    let mut buffer = [0u8; 512];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(rejected.unwrap_or(SntpError::Timeout {
                waited_ms: wait.as_millis() as u64,
            }));
        }
        socket
            .set_read_timeout(Some(left))
            .map_err(|e| SntpError::Socket(e.to_string()))?;
        let len = match socket.recv(&mut buffer) {
            Ok(len) => len,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(send_error(e.kind(), e.to_string())),
        };
        // The receive time comes from the monotonic clock, so that a step of the system
        // clock during the exchange cannot distort the round trip.
        let elapsed = started.elapsed();
        match packet::parse_reply(&buffer[..len], nonce) {
            Ok(reply) => {
                let t1 = NtpTimestamp::from_system(sent_at);
                let t4 = NtpTimestamp::from_system(sent_at + elapsed);
                return sample(t1, reply, t4);
            }
            Err(err) => rejected = Some(SntpError::Packet(err)),
        }
    }
}

fn send_error(kind: ErrorKind, text: String) -> SntpError {
    if kind == ErrorKind::ConnectionRefused {
        SntpError::Refused
    } else {
        SntpError::Socket(text)
    }
}

/// The standard four-timestamp arithmetic (RFC 5905 section 8).
/// Reads `datagram` as the reply to the request it claims to answer (its originate field),
/// sent at that time and received a second later, and computes the sample. For fuzzing.
pub(crate) fn read_untrusted_reply(datagram: &[u8]) {
    let Some(originate) = datagram.get(24..32) else {
        return;
    };
    let nonce = NtpTimestamp(u64::from_be_bytes(originate.try_into().expect("8 bytes")));
    if let Ok(reply) = packet::parse_reply(datagram, nonce) {
        let received = NtpTimestamp(nonce.0.wrapping_add(1 << 32));
        let _ = sample(nonce, reply, received);
    }
}

fn sample(t1: NtpTimestamp, reply: packet::Reply, t4: NtpTimestamp) -> Result<Sample, SntpError> {
    let (t2, t3) = (reply.receive, reply.transmit);
    let offset = (t2.seconds_since(t1) + t3.seconds_since(t4)) / 2.0;
    let held = t3.seconds_since(t2);
    let round_trip = t4.seconds_since(t1);
    let mut delay = round_trip - held;
    if delay < 0.0 {
        if delay < -DELAY_SLACK {
            return Err(SntpError::NegativeDelay {
                held_ms: held * 1000.0,
                rtt_ms: round_trip * 1000.0,
            });
        }
        delay = 0.0;
    }
    Ok(Sample {
        offset_ms: offset * 1000.0,
        rtt_ms: delay * 1000.0,
        precision_ms: (delay / 2.0 + reply.root_distance) * 1000.0,
    })
}

/// The median of the samples' offsets and of their round trips; `None` without samples.
pub fn median(samples: &[Sample]) -> Option<Sample> {
    let pick = |field: fn(&Sample) -> f64| {
        let mut values: Vec<f64> = samples.iter().map(field).collect();
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        match values.len() {
            0 => None,
            n if n % 2 == 1 => Some(values[mid]),
            _ => Some((values[mid - 1] + values[mid]) / 2.0),
        }
    };
    Some(Sample {
        offset_ms: pick(|s| s.offset_ms)?,
        rtt_ms: pick(|s| s.rtt_ms)?,
        precision_ms: pick(|s| s.precision_ms)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names() {
        let parse = |text| ServerName::parse(text).map(|s| s.to_string());
        assert_eq!(parse("pool.ntp.org").unwrap(), "pool.ntp.org:123");
        assert_eq!(parse("127.0.0.1:11123").unwrap(), "127.0.0.1:11123");
        assert_eq!(parse("[::1]:5000").unwrap(), "[::1]:5000");
        assert_eq!(parse("::1").unwrap(), "[::1]:123");
        assert_eq!(parse("[::1]").unwrap(), "[::1]:123");
        assert!(matches!(
            ServerName::parse("host:0"),
            Err(SntpError::BadServer { .. })
        ));
        assert!(matches!(
            ServerName::parse(":123"),
            Err(SntpError::BadServer { .. })
        ));
        assert!(matches!(
            ServerName::parse("[::1"),
            Err(SntpError::BadServer { .. })
        ));
        assert_eq!(
            ServerName::parse("host:x").unwrap_err().to_string(),
            "\"host:x\" is not a server: the port must be a number from 1 to 65535"
        );
    }

    #[test]
    fn four_timestamp_formulas() {
        let at = |secs: f64| NtpTimestamp(((1u64 << 32) as f64 * (3_900_000_000.0 + secs)) as u64);
        // Server 10 s ahead, 40 ms each way, 5 ms inside the server.
        let reply = packet::Reply {
            stratum: 2,
            receive: at(10.040),
            transmit: at(10.045),
            root_distance: 0.010,
        };
        let s = sample(at(0.0), reply, at(0.085)).unwrap();
        assert!((s.offset_ms - 10_000.0).abs() < 0.01, "{s:?}");
        assert!((s.rtt_ms - 80.0).abs() < 0.01, "{s:?}");
        assert!((s.precision_ms - 50.0).abs() < 0.01, "{s:?}");
    }

    #[test]
    fn impossible_delay_is_rejected() {
        let at = |secs: f64| NtpTimestamp(((1u64 << 32) as f64 * (3_900_000_000.0 + secs)) as u64);
        let reply = packet::Reply {
            stratum: 2,
            receive: at(0.0),
            transmit: at(0.5),
            root_distance: 0.0,
        };
        assert!(matches!(
            sample(at(0.0), reply, at(0.1)),
            Err(SntpError::NegativeDelay { .. })
        ));
    }

    #[test]
    fn medians() {
        let s = |offset_ms, rtt_ms| Sample {
            offset_ms,
            rtt_ms,
            precision_ms: rtt_ms / 2.0,
        };
        assert_eq!(median(&[]), None);
        let odd = median(&[s(5.0, 1.0), s(-100.0, 9.0), s(7.0, 3.0)]).unwrap();
        assert_eq!((odd.offset_ms, odd.rtt_ms), (5.0, 3.0));
        let even = median(&[s(1.0, 2.0), s(3.0, 4.0)]).unwrap();
        assert_eq!((even.offset_ms, even.rtt_ms), (2.0, 3.0));
    }
}
