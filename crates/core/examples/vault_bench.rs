//! Vault benchmark: unlock time at parameters calibrated on this machine, save and open time
//! without key derivation for growing vaults, and peak memory. Prints a Markdown table.
//!
//! Run in release: `cargo run --release -p tessera-core --example vault_bench`.

use std::time::{Duration, Instant};
use tessera_core::account::Account;
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::vault::{KdfParams, Vault};

const PASSWORD: &str = "benchmark password";
const REPEATS: u32 = 5;

fn account(i: usize) -> Account {
    let mut a = Account::new(
        format!("Service {i}"),
        format!("user{i}@example.com"),
        OtpParams {
            kind: OtpKind::Totp { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: 6,
            secret: Secret::from_bytes((0..20).map(|b| (b * 7 + i) as u8).collect()),
        },
        1_700_000_000,
    );
    a.notes = "Recovery e-mail on the work address.".to_string();
    a
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A memory figure of this process from /proc (`VmHWM` peak or `VmRSS` now), where it exists.
fn memory(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .map(|rest| rest.trim_start_matches(':').trim().to_string())
        })
        .unwrap_or_else(|| "n/a".to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir_in(".")?;
    println!("| measurement | result |");
    println!("| --- | --- |");

    for count in [10, 1_000, 10_000] {
        let path = dir.path().join(format!("v{count}.tessera"));
        let mut vault = Vault::create(&path, PASSWORD, KdfParams::minimum())?;
        // One save for all: adding one by one would save 10,000 times.
        vault.add_accounts((0..count).map(account).collect())?;
        let key = vault.vault_key();
        let mut save = Duration::ZERO;
        let mut open = Duration::ZERO;
        for i in 0..REPEATS {
            let started = Instant::now();
            vault.set_setting("bench", &i.to_string())?;
            save += started.elapsed();
            let started = Instant::now();
            let reopened = Vault::open_with_key(&path, &key)?;
            open += started.elapsed();
            assert_eq!(reopened.settings()["bench"], i.to_string());
        }
        let size = std::fs::metadata(&path)?.len();
        println!(
            "| {count} accounts ({} KiB): save / open without KDF | {} / {} |",
            size / 1024,
            ms(save / REPEATS),
            ms(open / REPEATS)
        );
    }
    // Creating each vault ran Argon2 at the minimum (64 MiB), which sets the peak so far;
    // the resident size now is what an open 10,000-account vault costs.
    println!(
        "| resident (VmRSS) with the 10,000-account vault open | {} |",
        memory("VmRSS")
    );
    println!(
        "| peak (VmHWM) so far, minimum-parameter KDF included | {} |",
        memory("VmHWM")
    );

    let started = Instant::now();
    let params = KdfParams::calibrate(Duration::from_millis(500))?;
    println!(
        "| calibration (target 0.5 s) | {} MiB, t={}, p={} in {} |",
        params.memory_kib / 1024,
        params.iterations,
        params.lanes,
        ms(started.elapsed())
    );
    let path = dir.path().join("calibrated.tessera");
    drop(Vault::create(&path, PASSWORD, params)?);
    let started = Instant::now();
    drop(Vault::open_with_password(&path, PASSWORD)?);
    println!("| unlock with password | {} |", ms(started.elapsed()));

    println!(
        "| peak (VmHWM) after calibrated unlock | {} |",
        memory("VmHWM")
    );
    Ok(())
}
