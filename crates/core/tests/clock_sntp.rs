//! The SNTP client against a scripted responder on 127.0.0.1: true offsets are measured
//! closely, and every kind of bad reply is named and skipped for the next server.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tessera_core::clock::sntp::{self, ServerName, SntpError};
use tessera_core::clock::{measure, ClockError, MeasureConfig, PacketError, Source};

/// How the responder answers each request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// A correct reply from a clock `offset_ms` ahead of ours, over a path of `delay_ms`
    /// round trip split evenly both ways.
    Honest { offset_ms: f64, delay_ms: u64 },
    /// A 47-byte reply.
    Short,
    /// A correct reply with mode 3 (client).
    WrongMode,
    /// A correct reply with a zero transmit timestamp.
    ZeroTransmit,
    /// A correct reply whose originate timestamp is not our transmit timestamp.
    WrongOriginate,
    /// A Kiss-o'-Death with this code.
    Kiss(&'static [u8; 4]),
    /// A correct reply with leap indicator 3.
    Unsynchronised,
    /// A correct reply sent only after this many milliseconds.
    Late(u64),
}

struct Responder {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl Responder {
    fn name(&self) -> String {
        self.addr.to_string()
    }
}

/// Unix time as an NTP timestamp, written here independently of the client's code.
fn ntp_timestamp(unix_seconds: f64) -> [u8; 8] {
    let seconds = unix_seconds.floor();
    let fraction = ((unix_seconds - seconds) * 4_294_967_296.0) as u64;
    let ntp_seconds = (seconds as i64 + 2_208_988_800) as u64 & 0xFFFF_FFFF;
    ((ntp_seconds << 32) | fraction).to_be_bytes()
}

fn now_plus(offset_ms: f64) -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        + offset_ms / 1000.0
}

fn spawn(behaviour: Behaviour) -> Responder {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    std::thread::spawn(move || {
        let mut buffer = [0u8; 512];
        loop {
            let Ok((len, from)) = socket.recv_from(&mut buffer) else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            if len < 48 {
                continue;
            }
            let mut transmit = [0u8; 8];
            transmit.copy_from_slice(&buffer[40..48]);
            let (offset_ms, half_delay) = match behaviour {
                Behaviour::Honest {
                    offset_ms,
                    delay_ms,
                } => (offset_ms, Duration::from_millis(delay_ms / 2)),
                _ => (0.0, Duration::ZERO),
            };
            std::thread::sleep(half_delay);
            let mut reply = [0u8; 48];
            reply[0] = (4 << 3) | 4;
            reply[1] = 2;
            reply[2] = 6;
            reply[3] = 0xEC; // precision 2^-20 s
            reply[12..16].copy_from_slice(b"TEST");
            reply[24..32].copy_from_slice(&transmit);
            let t2 = ntp_timestamp(now_plus(offset_ms));
            reply[16..24].copy_from_slice(&t2);
            reply[32..40].copy_from_slice(&t2);
            reply[40..48].copy_from_slice(&ntp_timestamp(now_plus(offset_ms)));
            match behaviour {
                Behaviour::Honest { .. } => {}
                Behaviour::Short => {
                    let _ = socket.send_to(&reply[..47], from);
                    continue;
                }
                Behaviour::WrongMode => reply[0] = (4 << 3) | 3,
                Behaviour::ZeroTransmit => reply[40..48].fill(0),
                Behaviour::WrongOriginate => reply[31] ^= 0x55,
                Behaviour::Kiss(code) => {
                    reply[0] = (3 << 6) | (4 << 3) | 4;
                    reply[1] = 0;
                    reply[12..16].copy_from_slice(code);
                }
                Behaviour::Unsynchronised => reply[0] |= 3 << 6,
                Behaviour::Late(ms) => std::thread::sleep(Duration::from_millis(ms)),
            }
            std::thread::sleep(half_delay);
            let _ = socket.send_to(&reply, from);
        }
    });
    Responder { addr, requests }
}

fn config(servers: &[&Responder], timeout_ms: u64) -> MeasureConfig {
    MeasureConfig {
        servers: servers.iter().map(|r| r.name()).collect(),
        https_url: None,
        exchange_timeout: Duration::from_millis(timeout_ms),
        sntp_budget: Duration::from_secs(5),
        samples_per_server: 3,
        https_timeout: Duration::from_secs(1),
    }
}

fn ask(responder: &Responder, samples: u32, timeout_ms: u64) -> sntp::ServerReport {
    let name = ServerName::parse(&responder.name()).unwrap();
    sntp::query_server(
        &name,
        samples,
        Duration::from_millis(timeout_ms),
        Instant::now() + Duration::from_secs(5),
    )
}

#[test]
fn true_offsets_are_measured_within_20_ms() {
    // The last one puts the server past 2036-02-07, where NTP seconds wrap to a new era.
    for offset_ms in [37_500.0, -7_200_000.0, 200.0, 0.0, 331_000_000_000.0] {
        let responder = spawn(Behaviour::Honest {
            offset_ms,
            delay_ms: 40,
        });
        let m = measure(&config(&[&responder], 1_000)).unwrap();
        assert!(
            (m.offset_ms - offset_ms).abs() < 20.0,
            "true {offset_ms} ms, measured {m:?}"
        );
        assert!(m.rtt_ms >= 35.0 && m.rtt_ms < 200.0, "{m:?}");
        assert!(m.precision_ms >= m.rtt_ms / 2.0, "{m:?}");
        assert_eq!(m.samples, 3);
        assert_eq!(
            m.source,
            Source::Sntp {
                server: responder.name()
            }
        );
        assert_eq!(responder.requests.load(Ordering::SeqCst), 3);
    }
}

#[test]
fn malformed_replies_are_named() {
    let cases: [(Behaviour, PacketError); 5] = [
        (Behaviour::Short, PacketError::TooShort { len: 47 }),
        (Behaviour::WrongMode, PacketError::WrongMode { mode: 3 }),
        (Behaviour::ZeroTransmit, PacketError::ZeroTransmit),
        (Behaviour::WrongOriginate, PacketError::OriginateMismatch),
        (Behaviour::Unsynchronised, PacketError::Unsynchronised),
    ];
    for (behaviour, expected) in cases {
        let responder = spawn(behaviour);
        let report = ask(&responder, 3, 150);
        assert!(report.samples.is_empty());
        // Two failures in a row and the server is given up.
        assert_eq!(report.errors, vec![SntpError::Packet(expected.clone()); 2]);
        assert_eq!(responder.requests.load(Ordering::SeqCst), 2);
    }
}

#[test]
fn kiss_of_death_stops_the_questions_to_that_server() {
    for code in [b"RATE", b"DENY"] {
        let responder = spawn(Behaviour::Kiss(code));
        let report = ask(&responder, 4, 500);
        let expected = String::from_utf8(code.to_vec()).unwrap();
        assert_eq!(
            report.errors,
            [SntpError::Packet(PacketError::KissOfDeath {
                code: expected
            })]
        );
        assert_eq!(responder.requests.load(Ordering::SeqCst), 1);
    }
}

#[test]
fn late_replies_time_out() {
    let responder = spawn(Behaviour::Late(400));
    let started = Instant::now();
    let report = ask(&responder, 3, 150);
    assert_eq!(
        report.errors,
        vec![SntpError::Timeout { waited_ms: 150 }; 2]
    );
    assert!(started.elapsed() < Duration::from_millis(1_000));
}

#[test]
fn a_closed_port_is_refused_at_once() {
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let name = ServerName::parse(&format!("127.0.0.1:{port}")).unwrap();
    let started = Instant::now();
    let report = sntp::query_server(
        &name,
        3,
        Duration::from_secs(1),
        Instant::now() + Duration::from_secs(3),
    );
    assert_eq!(report.errors, [SntpError::Refused]);
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[test]
fn bad_servers_are_passed_over_for_good_ones() {
    let bad = [
        spawn(Behaviour::Kiss(b"RATE")),
        spawn(Behaviour::Short),
        spawn(Behaviour::WrongOriginate),
        spawn(Behaviour::Late(500)),
    ];
    let good = spawn(Behaviour::Honest {
        offset_ms: -4_321.0,
        delay_ms: 10,
    });
    let mut servers: Vec<&Responder> = bad.iter().collect();
    servers.push(&good);
    let m = measure(&config(&servers, 150)).unwrap();
    assert_eq!(m.source.server(), good.name());
    assert!((m.offset_ms + 4_321.0).abs() < 20.0, "{m:?}");
}

#[test]
fn a_wrong_server_is_outvoted() {
    let honest_a = spawn(Behaviour::Honest {
        offset_ms: 5_000.0,
        delay_ms: 10,
    });
    let liar = spawn(Behaviour::Honest {
        offset_ms: 3_600_000.0,
        delay_ms: 2,
    });
    let honest_b = spawn(Behaviour::Honest {
        offset_ms: 5_010.0,
        delay_ms: 10,
    });
    let m = measure(&config(&[&liar, &honest_a, &honest_b], 500)).unwrap();
    assert!((m.offset_ms - 5_010.0).abs() < 20.0, "{m:?}");
    assert_ne!(m.source.server(), liar.name());
}

#[test]
fn nothing_reachable_is_a_clear_error() {
    let kiss = spawn(Behaviour::Kiss(b"DENY"));
    let late = spawn(Behaviour::Late(1_000));
    let err = measure(&config(&[&kiss, &late], 100)).unwrap_err();
    let ClockError::Unreachable(failures) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(failures.len(), 2);
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "could not reach {}: server sent a Kiss-o'-Death (DENY)",
            kiss.name()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "could not reach {}: no reply within 100 ms",
            late.name()
        )),
        "{text}"
    );
}

#[test]
fn the_budget_bounds_the_whole_measurement() {
    let silent: Vec<Responder> = (0..4).map(|_| spawn(Behaviour::Late(5_000))).collect();
    let mut config = config(&silent.iter().collect::<Vec<_>>(), 1_000);
    config.sntp_budget = Duration::from_millis(600);
    let started = Instant::now();
    assert!(measure(&config).is_err());
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}
