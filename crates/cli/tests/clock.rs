//! `tessera-cli clock` against an NTP responder and an HTTP server on 127.0.0.1.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::{cli, text};

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// An NTP server whose clock runs `offset_s` ahead of ours.
fn ntp_responder(offset_s: f64) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut request = [0u8; 512];
        while let Ok((len, from)) = socket.recv_from(&mut request) {
            if len < 48 {
                continue;
            }
            let now = unix_now() + offset_s;
            let seconds = now.floor();
            let stamp = (((seconds as u64 + 2_208_988_800) << 32)
                | ((now - seconds) * 4_294_967_296.0) as u64)
                .to_be_bytes();
            let mut reply = [0u8; 48];
            reply[0] = (4 << 3) | 4;
            reply[1] = 3;
            reply[24..32].copy_from_slice(&request[40..48]);
            reply[32..40].copy_from_slice(&stamp);
            reply[40..48].copy_from_slice(&stamp);
            let _ = socket.send_to(&reply, from);
        }
    });
    addr
}

fn closed_udp_port() -> SocketAddr {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// Parses `offset_ms=F rtt_ms=F server=HOST:PORT`.
fn parse_line(line: &str) -> (f64, f64, String) {
    let fields: Vec<&str> = line.trim_end_matches('\n').split(' ').collect();
    assert_eq!(fields.len(), 3, "{line:?}");
    let value = |field: &str, key: &str| {
        field
            .strip_prefix(key)
            .unwrap_or_else(|| panic!("{line:?}"))
            .to_string()
    };
    (
        value(fields[0], "offset_ms=").parse().unwrap(),
        value(fields[1], "rtt_ms=").parse().unwrap(),
        value(fields[2], "server="),
    )
}

#[test]
fn prints_offset_rtt_and_server() {
    let server = ntp_responder(37.5);
    let output = cli(&["clock", "--server", &server.to_string()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let (offset, rtt, name) = parse_line(&stdout);
    assert!((offset - 37_500.0).abs() < 20.0, "{stdout}");
    assert!((0.0..50.0).contains(&rtt), "{stdout}");
    assert_eq!(name, server.to_string());
    assert!(
        text(&output.stderr).contains("clock is 37.5 s behind: 30-second codes will fail"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_dead_server_is_skipped() {
    let dead = closed_udp_port();
    let good = ntp_responder(-0.2);
    let output = cli(&[
        "clock",
        "--server",
        &dead.to_string(),
        "--server",
        &good.to_string(),
        "--timeout-ms",
        "300",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let (offset, _, name) = parse_line(&text(&output.stdout));
    assert!((offset + 200.0).abs() < 20.0);
    assert_eq!(name, good.to_string());
    assert!(text(&output.stderr).contains("codes are fine"));
}

#[test]
fn no_reachable_server_exits_2() {
    let dead = closed_udp_port();
    let output = cli(&[
        "clock",
        "--server",
        &dead.to_string(),
        "--timeout-ms",
        "200",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        format!(
            "tessera-cli: could not reach {dead}: connection refused: no NTP server on that port\n"
        )
    );
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["clock", "--server", "host:70000"][..],
        &[
            "clock",
            "--server",
            "127.0.0.1:9",
            "--https-url",
            "ftp://x/",
        ],
        &["clock", "--timeout-ms", "0"],
    ] {
        let output = cli(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&output.stdout), "");
    }
}

#[test]
fn falls_back_to_the_date_header() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let http = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            let date = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
            let reply = format!(
                "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    let dead = closed_udp_port();
    let url = format!("http://{http}/");
    let output = cli(&[
        "clock",
        "--server",
        &dead.to_string(),
        "--https-url",
        &url,
        "--timeout-ms",
        "500",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let (offset, _, name) = parse_line(&text(&output.stdout));
    assert!((offset + 3_600_000.0).abs() < 1_000.0, "{offset}");
    assert_eq!(name, http.to_string());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("from the Date header of {url}")),
        "{stderr}"
    );
    assert!(stderr.contains("1 h 0 min ahead"), "{stderr}");
}
