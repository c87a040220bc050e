//! `tessera-cli merge-conflicts`: conflict copies that a sync tool left beside the vault are
//! merged into it and removed; copies that do not open with the vault's key are kept.

mod support;

use std::path::Path;
use std::process::Output;
use support::{tessera_cli, text};

const URI_A: &str = "otpauth://totp/Before:a?secret=JBSWY3DPEHPK3PXP";
const URI_B: &str = "otpauth://totp/Here:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const URI_C: &str = "otpauth://hotp/There:c?secret=GEZDGNBVGY3TQOJQ&counter=0";

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

#[test]
fn copies_of_this_vault_are_merged_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("accounts.tessera");
    ok(cli(&vault, "pw", &["init", "--kdf-minimum"]));
    ok(cli(&vault, "pw", &["add", "--uri", URI_A]));
    // Two computers went on from the same version: one wrote the vault, the other a copy
    // that Syncthing and Dropbox then kept beside it under their conflict names.
    let syncthing = dir
        .path()
        .join("accounts.sync-conflict-20240101-120000-ABCDEFG.tessera");
    let dropbox = dir
        .path()
        .join("accounts (Bob's conflicted copy 2024-01-01).tessera");
    std::fs::copy(&vault, &syncthing).unwrap();
    std::fs::copy(&vault, &dropbox).unwrap();
    ok(cli(&vault, "pw", &["add", "--uri", URI_B]));
    ok(cli(&syncthing, "pw", &["add", "--uri", URI_C]));
    let id_a = ok(cli(&vault, "pw", &["list"]))
        .lines()
        .find(|line| line.ends_with("\ta"))
        .and_then(|line| line.split('\t').next())
        .unwrap()
        .to_string();
    ok(cli(&dropbox, "pw", &["delete", &id_a]));

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
    // The Dropbox copy never had c, so c stays; its deletion of a wins.
    assert_eq!(names(&vault), ["b", "c"]);

    assert_eq!(ok(cli(&vault, "pw", &["merge-conflicts"])), "");
}

#[test]
fn copies_that_do_not_open_are_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("accounts.tessera");
    ok(cli(&vault, "pw", &["init", "--kdf-minimum"]));
    ok(cli(&vault, "pw", &["add", "--uri", URI_A]));
    let stranger = dir
        .path()
        .join("accounts.sync-conflict-20240101-120000-STRANGE.tessera");
    ok(cli(&stranger, "other", &["init", "--kdf-minimum"]));
    ok(cli(&stranger, "other", &["add", "--uri", URI_B]));
    let damaged = dir
        .path()
        .join("accounts.sync-conflict-20240101-120001-DAMAGED.tessera");
    let mut bytes = std::fs::read(&vault).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&damaged, &bytes).unwrap();
    let mine = dir
        .path()
        .join("accounts.sync-conflict-20240101-120002-MINE.tessera");
    std::fs::copy(&vault, &mine).unwrap();
    ok(cli(&mine, "pw", &["add", "--uri", URI_C]));

    let out = cli(&vault, "pw", &["merge-conflicts"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), mine.display().to_string());
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("kept {}", stranger.display())),
        "{err}"
    );
    assert!(err.contains("password is needed"), "{err}");
    assert!(
        err.contains(&format!("kept {}", damaged.display())),
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
