//! Conflict copies that a sync tool left beside the vault are merged into it and removed, by
//! `tessera-cli merge-conflicts` and before every vault command; copies that do not open with
//! the vault's key are kept.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;
use support::{tessera_cli, text};

const URI_A: &str = "otpauth://totp/Before:a?secret=JBSWY3DPEHPK3PXP";
const URI_B: &str = "otpauth://totp/Here:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// RFC 4226's test secret, so the codes are the RFC's.
const URI_C: &str = "otpauth://hotp/There:c?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0";

fn cli(vault: &Path, password: &str, args: &[&str]) -> Output {
    tessera_cli()
        .args(args)
        .arg("--vault")
        .arg(vault)
        .env("TESSERA_PASSWORD", password)
        .env_remove("TESSERA_VAULT")
        .output()
        .expect("the tessera-cli binary runs")
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

fn names(vault: &Path) -> Vec<String> {
    let mut names: Vec<String> = ok(cli(vault, "pw", &["list"]))
        .lines()
        .map(|line| line.rsplit('\t').next().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

/// Another computer's copy of `vault`, as it was synced there: `<dir>/<computer>/<name>`.
fn elsewhere(vault: &Path, computer: &str) -> PathBuf {
    let dir = vault.parent().unwrap().join(computer);
    std::fs::create_dir(&dir).unwrap();
    let copy = dir.join(vault.file_name().unwrap());
    std::fs::copy(vault, &copy).unwrap();
    copy
}

/// What a sync tool does with a version that lost: parks it beside the vault as `name`.
fn park(version: &Path, vault: &Path, name: &str) -> PathBuf {
    let parked = vault.with_file_name(name);
    std::fs::copy(version, &parked).unwrap();
    parked
}

#[test]
fn copies_of_this_vault_are_merged_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("accounts.tessera");
    ok(cli(&vault, "pw", &["init", "--kdf-minimum"]));
    ok(cli(&vault, "pw", &["add", "--uri", URI_A]));
    let id_a = ok(cli(&vault, "pw", &["list"]))
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    // Two computers went on from this version while apart from this one.
    let bob = elsewhere(&vault, "bob");
    let carol = elsewhere(&vault, "carol");
    ok(cli(&vault, "pw", &["add", "--uri", URI_B]));
    ok(cli(&bob, "pw", &["add", "--uri", URI_C]));
    ok(cli(&carol, "pw", &["delete", &id_a]));
    let syncthing = park(
        &bob,
        &vault,
        "accounts.sync-conflict-20240101-120000-ABCDEFG.tessera",
    );
    let dropbox = park(
        &carol,
        &vault,
        "accounts (Carol's conflicted copy 2024-01-01).tessera",
    );

    let merged = ok(cli(&vault, "pw", &["merge-conflicts"]));
    let mut printed: Vec<&str> = merged.lines().collect();
    printed.sort();
    let mut expected = vec![
        dropbox.display().to_string(),
        syncthing.display().to_string(),
    ];
    expected.sort();
    assert_eq!(printed, expected);
    assert!(!syncthing.exists() && !dropbox.exists());
    // Carol's copy never had c, so c stays; her deletion of a wins.
    assert_eq!(names(&vault), ["b", "c"]);

    assert_eq!(ok(cli(&vault, "pw", &["merge-conflicts"])), "");
}

#[test]
fn copies_that_do_not_open_are_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("accounts.tessera");
    ok(cli(&vault, "pw", &["init", "--kdf-minimum"]));
    ok(cli(&vault, "pw", &["add", "--uri", URI_A]));
    let stranger = dir.path().join("stranger.tessera");
    ok(cli(&stranger, "other", &["init", "--kdf-minimum"]));
    ok(cli(&stranger, "other", &["add", "--uri", URI_B]));
    let stranger = park(
        &stranger,
        &vault,
        "accounts.sync-conflict-20240101-120000-STRANGE.tessera",
    );
    let mut bytes = std::fs::read(&vault).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let damaged = vault.with_file_name("accounts.sync-conflict-20240101-120001-DAMAGED.tessera");
    std::fs::write(&damaged, &bytes).unwrap();
    let mine = elsewhere(&vault, "bob");
    ok(cli(&mine, "pw", &["add", "--uri", URI_C]));
    let mine = park(
        &mine,
        &vault,
        "accounts.sync-conflict-20240101-120002-MINE.tessera",
    );

    let out = cli(&vault, "pw", &["merge-conflicts"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), mine.display().to_string());
    let err = text(&out.stderr);
    for kept in [&stranger, &damaged] {
        assert!(
            err.contains(&format!("kept conflict copy {}", kept.display())),
            "{err}"
        );
    }
    assert!(
        err.contains("does not open with this vault's keys"),
        "{err}"
    );
    assert!(
        err.contains("2 conflict copies could not be merged"),
        "{err}"
    );
    assert!(stranger.exists() && damaged.exists() && !mine.exists());
    assert_eq!(std::fs::read(&damaged).unwrap(), bytes);
    assert_eq!(names(&vault), ["a", "c"]);
}

#[test]
fn a_command_merges_the_copies_before_it_uses_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("accounts.tessera");
    ok(cli(&vault, "pw", &["init", "--kdf-minimum"]));
    ok(cli(&vault, "pw", &["add", "--uri", URI_C]));
    // The other computer issued the code of counter 0, and the sync tool parked its version
    // beside the vault: the next code here is that of counter 1.
    let bob = elsewhere(&vault, "bob");
    assert_eq!(ok(cli(&bob, "pw", &["code", "there"])), "755224\n");
    let copy = park(
        &bob,
        &vault,
        "accounts.sync-conflict-20240101-120000-ABCDEFG.tessera",
    );
    let stranger = vault.with_file_name("accounts.sync-conflict-20240101-120001-STRANGE.tessera");
    ok(cli(&stranger, "other", &["init", "--kdf-minimum"]));

    let out = cli(&vault, "pw", &["code", "there"]);
    assert_eq!(text(&out.stdout), "287082\n", "{}", text(&out.stderr));
    assert!(out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "merged and removed conflict copy {}",
            copy.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("kept conflict copy {}", stranger.display())),
        "{err}"
    );
    assert!(!copy.exists() && stranger.exists());
}
