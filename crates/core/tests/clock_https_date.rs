//! The HTTPS Date fallback against a plain-HTTP server on 127.0.0.1 (the transport differs
//! from production, the header parsing and the offset arithmetic do not).

use std::io::{Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::time::{Duration, Instant, SystemTime};
use tessera_core::clock::https_date::{read_date, HttpDateError};
use tessera_core::clock::{measure, ClockError, MeasureConfig, Source};

/// Serves every connection with `status` and the header block `headers` (each line ending in
/// CRLF); `hold` keeps the connection silent instead.
fn serve(
    status: &'static str,
    headers: impl Fn() -> String + Send + 'static,
    hold: bool,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte) {
                    Ok(1) => request.push(byte[0]),
                    _ => break,
                }
            }
            if hold {
                std::thread::sleep(Duration::from_secs(3));
                continue;
            }
            let reply = format!(
                "HTTP/1.1 {status}\r\n{}Content-Length: 0\r\nConnection: close\r\n\r\n",
                headers()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    url
}

fn date_line(offset: Duration, ahead: bool) -> String {
    let now = SystemTime::now();
    let shown = if ahead { now + offset } else { now - offset };
    format!("Date: {}\r\n", httpdate::fmt_http_date(shown))
}

#[test]
fn offsets_are_within_a_second_of_the_truth() {
    for (offset_ms, ahead) in [
        (37_500u64, true),
        (7_200_000, false),
        (200, true),
        (0, true),
    ] {
        let url = serve(
            "200 OK",
            move || date_line(Duration::from_millis(offset_ms), ahead),
            false,
        );
        let truth = if ahead {
            offset_ms as f64
        } else {
            -(offset_ms as f64)
        };
        let reading = read_date(&url, Duration::from_secs(2)).unwrap();
        assert!(
            (reading.offset_ms - truth).abs() <= reading.precision_ms,
            "true {truth} ms, read {reading:?}"
        );
        assert!((reading.offset_ms - truth).abs() < 1_000.0, "{reading:?}");
        assert!(reading.precision_ms >= 500.0, "{reading:?}");
        assert_eq!(
            reading.server,
            url.trim_start_matches("http://").trim_end_matches('/')
        );
    }
}

#[test]
fn any_status_carries_a_date() {
    for status in ["302 Found", "404 Not Found", "503 Service Unavailable"] {
        let url = serve(status, || date_line(Duration::from_secs(90), true), false);
        let reading = read_date(&url, Duration::from_secs(2)).unwrap();
        assert!(
            (reading.offset_ms - 90_000.0).abs() < 1_000.0,
            "{status}: {reading:?}"
        );
    }
}

#[test]
fn missing_and_garbage_dates_are_named() {
    let url = serve("200 OK", String::new, false);
    let err = read_date(&url, Duration::from_secs(2)).unwrap_err();
    assert_eq!(err, HttpDateError::MissingDate);
    assert_eq!(err.to_string(), "the reply has no Date header");

    let url = serve("200 OK", || "Date: half past nine\r\n".into(), false);
    let err = read_date(&url, Duration::from_secs(2)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the Date header \"half past nine\" is not an HTTP date"
    );
}

#[test]
fn a_silent_server_times_out() {
    let url = serve("200 OK", String::new, true);
    let started = Instant::now();
    let err = read_date(&url, Duration::from_millis(300)).unwrap_err();
    assert_eq!(err, HttpDateError::Timeout { waited_ms: 300 });
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_closed_port_is_a_request_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = read_date(&format!("http://127.0.0.1:{port}/"), Duration::from_secs(1)).unwrap_err();
    assert!(matches!(err, HttpDateError::Request(_)), "{err:?}");
}

#[test]
fn measure_falls_back_when_ntp_is_blocked() {
    let closed_udp = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = serve(
        "200 OK",
        || date_line(Duration::from_secs(20), false),
        false,
    );
    let config = MeasureConfig {
        servers: vec![closed_udp.to_string()],
        https_url: Some(url.clone()),
        exchange_timeout: Duration::from_millis(300),
        sntp_budget: Duration::from_secs(1),
        samples_per_server: 2,
        https_timeout: Duration::from_secs(2),
    };
    let m = measure(&config).unwrap();
    assert!((m.offset_ms + 20_000.0).abs() < 1_000.0, "{m:?}");
    let Source::HttpsDate { url: used, .. } = &m.source else {
        panic!("{m:?}");
    };
    assert_eq!(used, &url);

    let broken = serve("200 OK", String::new, false);
    let err = measure(&MeasureConfig {
        https_url: Some(broken.clone()),
        ..config
    })
    .unwrap_err();
    let ClockError::Unreachable(failures) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        failures,
        &[
            format!("could not reach {closed_udp}: connection refused: no NTP server on that port"),
            format!("could not reach {broken}: the reply has no Date header"),
        ]
    );
}
