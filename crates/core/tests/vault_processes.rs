//! Several processes and sudden death: a writer killed with SIGKILL at random moments never
//! leaves a vault that fails to open or lost a save it reported, and two processes adding at
//! once lose nothing.
//!
//! The child processes are this test binary itself, started with `CHILD_MODE` set so that
//! `child_entry` (a no-op in a normal run) does the child's work.

mod vault_support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use tessera_core::vault::{Vault, VaultKey};
use vault_support::{account, create, hex, names, temp_dir, unhex, Rng};
use zeroize::Zeroizing;

fn key_from_env() -> VaultKey {
    let bytes = unhex(&std::env::var("CHILD_KEY").expect("CHILD_KEY"));
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&bytes);
    VaultKey::from_bytes(key)
}

/// The child side. `writer`: add one account per save, forever, reporting each save.
/// `adder TAG N`: add N accounts named `TAG-i`, then exit.
#[test]
fn child_entry() {
    let Ok(mode) = std::env::var("CHILD_MODE") else {
        return;
    };
    let path = PathBuf::from(std::env::var("CHILD_VAULT").expect("CHILD_VAULT"));
    let mut vault = Vault::open_with_key(&path, &key_from_env()).expect("child open");
    match mode.as_str() {
        "writer" => loop {
            let next = vault.accounts().len();
            vault.add(account(&format!("{next:05}"))).expect("save");
            println!("saved {}", next + 1);
        },
        "adder" => {
            let tag = std::env::var("CHILD_TAG").expect("CHILD_TAG");
            for i in 0..200 {
                vault.add(account(&format!("{tag}-{i:03}"))).expect("add");
            }
        }
        other => panic!("unknown child mode {other}"),
    }
}

fn spawn(mode: &str, path: &Path, key: &VaultKey, tag: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_entry", "--nocapture", "--test-threads=1"])
        .env("CHILD_MODE", mode)
        .env("CHILD_VAULT", path)
        .env("CHILD_KEY", hex(key.as_bytes()))
        .env("CHILD_TAG", tag)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn child")
}

fn expected_names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{i:05}")).collect()
}

/// Saves per vault file before the test starts a fresh one: saves cost more as the vault
/// grows, and a debug build must stay quick.
const SAVES_PER_VAULT: usize = 250;

#[test]
fn a_writer_killed_at_random_moments_never_loses_a_save() {
    let dir = temp_dir();
    let mut rng = Rng::from_clock();
    let mut kills = 0;
    let mut total_saves = 0;
    for round in 0..4 {
        let (path, vault) = create(dir.path(), &format!("killed-{round}.tessera"));
        let key = vault.vault_key();
        drop(vault);
        let mut reported = 0usize;
        while reported < SAVES_PER_VAULT {
            kills += 1;
            reported = kill_one_writer(&path, &key, &mut rng, reported, kills);
        }
        total_saves += reported;
    }
    eprintln!("{kills} kills over {total_saves} saves");
    assert!(total_saves >= 1000);
    assert!(kills >= 100);
}

/// Starts a writer, lets a few saves through, kills it somewhere inside the next one and
/// checks the vault and its backup. Returns the number of accounts now on disk.
fn kill_one_writer(path: &Path, key: &VaultKey, rng: &mut Rng, before: usize, kill: u32) -> usize {
    let mut reported = before;
    let mut child = spawn("writer", path, key, "");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let let_through = 1 + rng.below(8);
    let mut seen = 0;
    for line in lines.by_ref() {
        if let Some(n) = line.unwrap().strip_prefix("saved ") {
            reported = n.parse().unwrap();
            seen += 1;
            if seen == let_through {
                break;
            }
        }
    }
    // Land somewhere inside the next save: encoding, writing, fsync or the renames.
    std::thread::sleep(std::time::Duration::from_micros(rng.below(4000)));
    child.kill().unwrap();
    child.wait().unwrap();
    for line in lines {
        if let Some(n) = line.unwrap().strip_prefix("saved ") {
            reported = n.parse().unwrap();
        }
    }
    let reopened = Vault::open_with_key(path, key)
        .unwrap_or_else(|e| panic!("vault does not open after kill {kill}: {e}"));
    let on_disk = names(&reopened);
    // Either the state after the last reported save, or after the one that was cut off.
    assert!(
        on_disk == expected_names(reported) || on_disk == expected_names(reported + 1),
        "after kill {kill}: {} accounts on disk, {reported} reported",
        on_disk.len()
    );
    let backup = Vault::backup_path(path);
    if backup.exists() {
        let old = Vault::open_with_key(&backup, key).expect("backup opens");
        // A save cut off between its backup and its rename leaves both at one version.
        assert!(old.accounts().len() <= on_disk.len());
        assert_eq!(names(&old), expected_names(old.accounts().len()));
    }
    on_disk.len()
}

#[test]
fn two_processes_adding_at_once_lose_nothing() {
    let dir = temp_dir();
    let (path, vault) = create(dir.path(), "shared.tessera");
    let key = vault.vault_key();
    drop(vault);
    let mut first = spawn("adder", &path, &key, "a");
    let mut second = spawn("adder", &path, &key, "b");
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    let merged = Vault::open_with_key(&path, &key).unwrap();
    let all = names(&merged);
    assert_eq!(all.len(), 400);
    assert_eq!(all.iter().filter(|n| n.starts_with("a-")).count(), 200);
    assert!(merged.generation() >= 401);
}
