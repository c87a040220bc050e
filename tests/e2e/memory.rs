//! Secrets in the running app's memory: core dumps are off, and once the vault is locked the
//! raw bytes of an account's secret are found nowhere in the process's writable memory.

use super::*;

/// The RFC 6238 test key "12345678901234567890", whose raw bytes are easy to search for.
const SECRET_BYTES: &[u8] = b"12345678901234567890";
const URI: &str =
    "otpauth://totp/Kayako:ops%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kayako";

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn no_core_dumps_and_no_secret_left_in_memory_after_locking() {
    let (dir, app) = open_app();
    let pid = app_pid(&dir.path().join("vault.tessera"));

    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("limits");
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("core limit line");
    assert_eq!(
        core.split_whitespace().collect::<Vec<_>>()[4..6],
        ["0", "0"],
        "the app must not be able to dump core: {core}"
    );

    add_by_uri(&app, URI);
    app.wait_until("the Kayako row appears", SHORT, || {
        row_for(&app, "Kayako").is_some()
    });
    // While unlocked the secret is in memory, where codes are made from it: this is what
    // shows the search below can find it.
    assert!(
        writable_memory_holds(pid, SECRET_BYTES),
        "the unlocked app holds the secret"
    );

    app.click(&app.wait_for("#lock", SHORT));
    app.wait_for("#unlock-password", SHORT);
    assert!(
        !writable_memory_holds(pid, SECRET_BYTES),
        "after locking, the secret's bytes are still in the app's memory"
    );
}

/// The pid of the app started for `vault` (its environment names the vault).
fn app_pid(vault: &Path) -> u32 {
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_tessera")).expect("app binary");
    let wanted = format!("TESSERA_VAULT={}", vault.display());
    let found: Vec<u32> = std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|pid: &u32| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe)
                && std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| {
                    env.split(|b| *b == 0)
                        .any(|entry| entry == wanted.as_bytes())
                })
        })
        .collect();
    assert_eq!(found.len(), 1, "one app process for this vault: {found:?}");
    found[0]
}

/// Whether any writable mapping of process `pid` contains `needle`.
fn writable_memory_holds(pid: u32, needle: &[u8]) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("maps");
    let mut mem = std::fs::File::open(format!("/proc/{pid}/mem")).expect("mem");
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !perms.starts_with("rw") {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        // Reserved address space (allocator arenas, GPU heaps) can be huge and mostly empty.
        if end - start > 1 << 30 {
            continue;
        }
        let mut region = vec![0u8; (end - start) as usize];
        if mem.seek(SeekFrom::Start(start)).is_err() || mem.read_exact(&mut region).is_err() {
            continue;
        }
        if region.windows(needle.len()).any(|w| w == needle) {
            return true;
        }
    }
    false
}
