//! Vault benchmark: unlock time at parameters calibrated on this machine, save and open time
//! without key derivation for growing vaults, the reload and merge of a 10,000-account vault
//! another writer changed, the CPU a file watcher on the vault's folder costs at rest, and peak
//! memory. Prints a Markdown table.
//!
//! Run in release: `cargo run --release -p tessera-core --example vault_bench`.

use std::time::{Duration, Instant};
use tessera_core::account::Account;
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::vault::{KdfParams, Vault, VaultError};

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

/// Another writer (the CLI, a second computer through a sync tool) changes the notes of 10
/// accounts and adds one; the open vault then reloads: read, decrypt, decode and merge field by
/// field, what the app does when its watcher sees the file change.
fn reload_after_another_writer(
    path: &std::path::Path,
    key: &tessera_core::vault::VaultKey,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut mine = Vault::open_with_key(path, key)?;
    let mut reload = Duration::ZERO;
    for round in 0..REPEATS {
        let mut other = Vault::open_with_key(path, key)?;
        let ids: Vec<_> = other
            .accounts()
            .iter()
            .take(10)
            .map(|a| a.id.clone())
            .collect();
        for id in &ids {
            other.modify(id, |edit| {
                edit.set_notes(format!("changed elsewhere, round {round}"));
                Ok::<_, VaultError>(())
            })?;
        }
        other.add(account(100_000 + round as usize))?;
        let started = Instant::now();
        let report = mine.reload()?;
        reload += started.elapsed();
        assert_eq!((report.added, report.updated), (1, 10));
    }
    println!(
        "| 10,000 accounts: reload and merge after another writer changed 10 and added 1 | {} |",
        ms(reload / REPEATS)
    );
    Ok(())
}

/// CPU time of this process while a watcher on a folder (as the app keeps on the vault's)
/// waits 10 s with nothing changing.
fn watcher_at_rest(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })?;
    watcher.watch(dir, notify::RecursiveMode::NonRecursive)?;
    let before = cpu_ticks();
    let wall = Duration::from_secs(10);
    let events = rx.recv_timeout(wall).map(|_| 1).unwrap_or(0);
    let after = cpu_ticks();
    println!(
        "| file watcher at rest for {} s: CPU time, events | {} clock ticks (1 tick = 10 ms), {events} |",
        wall.as_secs(),
        match (before, after) {
            (Some(b), Some(a)) => (a - b).to_string(),
            _ => "n/a".into(),
        }
    );
    Ok(())
}

/// User plus system time of this process in clock ticks, from /proc.
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
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
        if count == 10_000 {
            reload_after_another_writer(&path, &key)?;
        }
    }
    watcher_at_rest(dir.path())?;

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
