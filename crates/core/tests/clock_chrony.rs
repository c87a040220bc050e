//! Interoperability with a real NTP server: chrony's chronyd serving on a loopback port.
//!
//! chronyd runs with `local stratum 8` and `-x`: it never touches the system clock and serves
//! that very clock as its time. "Chrony's own view" of our offset is therefore zero: it reads
//! the same clock we do, so a correct client must measure an offset of about 0 ms from it.
//!
//! Run with `cargo test -p tessera-core --test clock_chrony -- --ignored` (needs the Debian
//! package chrony; `cargo xtask test` installs it).

use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tessera_core::clock::sntp::{self, ServerName};
use tessera_core::clock::{measure, MeasureConfig, Source};

/// Stops the chronyd this test started, whatever the outcome.
struct Chronyd(Child);

impl Drop for Chronyd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

fn start_chronyd(dir: &std::path::Path, port: u16) -> Chronyd {
    let conf = dir.join("chrony.conf");
    std::fs::write(
        &conf,
        format!(
            "port {port}\n\
             bindaddress 127.0.0.1\n\
             allow 127.0.0.1\n\
             local stratum 8\n\
             cmdport 0\n\
             pidfile {pid}\n\
             driftfile {drift}\n",
            pid = dir.join("chronyd.pid").display(),
            drift = dir.join("drift").display(),
        ),
    )
    .unwrap();
    let mut command = Command::new("chronyd");
    // -d: stay in the foreground, logging to stderr; -x: never adjust the system clock.
    command.arg("-f").arg(&conf).args(["-d", "-x"]);
    // As root chronyd would switch to its own user, who cannot write in our private
    // directory; as anyone else it refuses to start unless told that is intended.
    if running_as_root() {
        command.args(["-u", "root"]);
    } else {
        command.arg("-U");
    }
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chronyd not found: install the chrony package");
    Chronyd(child)
}

#[test]
#[ignore = "needs chronyd: run by cargo xtask test"]
fn agrees_with_chrony_serving_this_clock() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_udp_port();
    let mut chronyd = start_chronyd(dir.path(), port);
    let server = format!("127.0.0.1:{port}");

    // chronyd needs a moment before it answers; until then the port is closed.
    let name = ServerName::parse(&server).unwrap();
    let ready_by = Instant::now() + Duration::from_secs(10);
    loop {
        let report = sntp::query_server(
            &name,
            1,
            Duration::from_millis(200),
            Instant::now() + Duration::from_millis(300),
        );
        if !report.samples.is_empty() {
            break;
        }
        if let Ok(Some(status)) = chronyd.0.try_wait() {
            let mut log = String::new();
            if let Some(mut stderr) = chronyd.0.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut log);
            }
            panic!("chronyd exited with {status}:\n{log}");
        }
        assert!(
            Instant::now() < ready_by,
            "chronyd did not answer within 10 s: {:?}",
            report.errors
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let config = MeasureConfig {
        servers: vec![server.clone()],
        https_url: None,
        exchange_timeout: Duration::from_secs(1),
        sntp_budget: Duration::from_secs(3),
        samples_per_server: 4,
        https_timeout: Duration::from_secs(1),
    };
    let m = measure(&config).unwrap();
    assert_eq!(m.source, Source::Sntp { server });
    assert_eq!(m.samples, 4);
    assert!(
        m.offset_ms.abs() < 50.0,
        "chrony serves our own clock: {m:?}"
    );
    assert!(m.rtt_ms < 50.0, "loopback round trip: {m:?}");
    eprintln!("measured against chronyd: {m:?}");
}
