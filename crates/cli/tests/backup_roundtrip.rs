//! Exports written by the CLI come back through the CLI's import without losing anything, and
//! every kind of bad backup gives a clear error with nothing added.

mod support;

use std::path::{Path, PathBuf};
use support::{stderr, stdout, tessera_cli};
use tessera_core::account::{Account, RecoveryCode};
use tessera_core::otp::OtpKind;
use tessera_core::vault::{KdfParams, Vault};

const VAULT_PASSWORD: &str = "correct horse battery staple";
const BACKUP_PASSWORD: &str = "a different backup password";

/// Accounts of every kind, with the extras a Tessera backup must keep.
const URIS: &[&str] = &[
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio",
    "otpauth://totp/Kayako:ops?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&issuer=Kayako",
    "otpauth://totp/MyGlue:j.doe?secret=KUVJJOM753IHTNDSZVCNKL7GII&algorithm=SHA512&period=60&issuer=MyGlue",
    "otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&counter=42&issuer=Issuu",
    "otpauth://totp/Steam:jane?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Steam&encoder=steam",
    "otpauth://totp/Kaspersky%20Business%20Hub:%C3%A9lodie?secret=5VAML3X35THCEBVRLV24CGBKOY&issuer=Kaspersky%20Business%20Hub",
];

fn run(vault: &Path, args: &[&str]) -> std::process::Output {
    tessera_cli()
        .env("TESSERA_PASSWORD", VAULT_PASSWORD)
        .env_remove("TESSERA_BACKUP_PASSWORD")
        .arg("--vault")
        .arg(vault)
        .args(args)
        .output()
        .expect("the CLI runs")
}

fn new_vault(dir: &Path, name: &str) -> PathBuf {
    let vault = dir.join(name);
    Vault::create(&vault, VAULT_PASSWORD, KdfParams::minimum()).expect("create a vault");
    vault
}

fn source_vault(dir: &Path) -> PathBuf {
    let vault = new_vault(dir, "source.tessera");
    let mut open = Vault::open_with_password(&vault, VAULT_PASSWORD).expect("open");
    for (i, uri) in URIS.iter().enumerate() {
        let mut account = tessera_core::enroll::from_uri(uri, 1_700_000_000)
            .expect("test URI")
            .account;
        if i == 0 {
            account.notes = "paper copy in the safe".into();
            account.group = "Work".into();
            account.recovery_codes = vec![
                RecoveryCode {
                    code: "8f3k-2m9x".into(),
                    used: true,
                },
                RecoveryCode {
                    code: "7hq1-4zzp".into(),
                    used: false,
                },
            ];
        }
        open.add(account).expect("add");
    }
    vault
}

fn accounts(vault: &Path) -> Vec<Account> {
    let mut accounts = Vault::open_with_password(vault, VAULT_PASSWORD)
        .expect("open")
        .accounts();
    accounts.sort_by(|a, b| a.issuer.cmp(&b.issuer));
    accounts
}

/// What every format must keep: labels and everything that decides the codes.
fn essentials(accounts: &[Account]) -> Vec<(String, String, OtpKind, String, u8, Vec<u8>)> {
    accounts
        .iter()
        .map(|a| {
            (
                a.issuer.clone(),
                a.name.clone(),
                a.otp.kind,
                format!("{:?}", a.otp.algorithm),
                a.otp.digits,
                a.otp.secret.as_bytes().to_vec(),
            )
        })
        .collect()
}

/// Exports the source vault as `format` and imports the file into a fresh vault.
fn round_trip(format: &str, password: Option<&str>, keep: &[&str]) -> (Vec<Account>, Vec<Account>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let source = source_vault(dir.path());
    let file = dir.path().join(format!("export.{format}"));
    let password_file = dir.path().join("backup-password");
    let mut export = vec![
        "export",
        "--format",
        format,
        "--out",
        file.to_str().unwrap(),
    ];
    match password {
        Some(password) => {
            std::fs::write(&password_file, password).unwrap();
            export.extend(["--password-file", password_file.to_str().unwrap()]);
        }
        None if format == "aegis" => export.push("--plain"),
        None => {}
    }
    let out = run(&source, &export);
    assert!(out.status.success(), "export {format}: {}", stderr(&out));
    let target = new_vault(dir.path(), "target.tessera");
    let mut import = vec!["import", file.to_str().unwrap()];
    if password.is_some() {
        import.extend(["--password-file", password_file.to_str().unwrap()]);
    }
    let out = run(&target, &import);
    assert!(out.status.success(), "import {format}: {}", stderr(&out));
    for line in keep {
        assert!(stderr(&out).contains(line), "{format}: {}", stderr(&out));
    }
    (accounts(&source), accounts(&target))
}

#[test]
fn tessera_backup_keeps_everything() {
    let (source, target) = round_trip("tessera", Some(BACKUP_PASSWORD), &["Tessera backup"]);
    assert_eq!(essentials(&source), essentials(&target));
    let kept = target
        .iter()
        .find(|a| a.issuer == "MyKerio")
        .expect("MyKerio");
    assert_eq!(kept.notes, "paper copy in the safe");
    assert_eq!(kept.group, "Work");
    assert_eq!(kept.recovery_codes.len(), 2);
    assert!(kept.recovery_codes[0].used && !kept.recovery_codes[1].used);
}

#[test]
fn aegis_encrypted_round_trip() {
    let (source, target) = round_trip("aegis", Some(BACKUP_PASSWORD), &["Aegis"]);
    assert_eq!(essentials(&source), essentials(&target));
    let kept = target
        .iter()
        .find(|a| a.issuer == "MyKerio")
        .expect("MyKerio");
    assert_eq!(
        (kept.notes.as_str(), kept.group.as_str()),
        ("paper copy in the safe", "Work")
    );
}

#[test]
fn aegis_plain_round_trip() {
    let (source, target) = round_trip("aegis", None, &["Aegis"]);
    assert_eq!(essentials(&source), essentials(&target));
}

#[test]
fn otpauth_list_round_trip() {
    let (source, target) = round_trip("otpauth", None, &["otpauth URI list"]);
    assert_eq!(essentials(&source), essentials(&target));
}

#[test]
fn google_transfer_round_trip_leaves_out_what_google_cannot_hold() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let source = source_vault(dir.path());
    let file = dir.path().join("google.txt");
    let out = run(
        &source,
        &[
            "export",
            "--format",
            "google",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Steam and the 60-second account cannot travel; they are named, not silently dropped.
    assert!(
        stderr(&out).contains("left out Steam (jane)"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("left out MyGlue (j.doe)"),
        "{}",
        stderr(&out)
    );
    let target = new_vault(dir.path(), "target.tessera");
    let out = run(&target, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let travelled: Vec<Account> = accounts(&source)
        .into_iter()
        .filter(|a| a.issuer != "Steam" && a.issuer != "MyGlue")
        .collect();
    assert_eq!(essentials(&travelled), essentials(&accounts(&target)));
}

#[test]
fn importing_twice_skips_the_duplicates() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let target = new_vault(dir.path(), "target.tessera");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/imports/aegis/aegis_plain.json"
    );
    let first = run(&target, &["import", fixture]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(stdout(&first).lines().count(), 7);
    let second = run(&target, &["import", fixture]);
    assert!(second.status.success());
    assert_eq!(stdout(&second), "");
    assert!(stderr(&second).contains("skipped Deno (Mason): already in the vault"));
    assert_eq!(accounts(&target).len(), 7);
}

/// Runs an import expected to fail; returns its message and checks the vault stayed empty.
fn failed_import(file: &Path, args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temporary folder");
    let target = new_vault(dir.path(), "target.tessera");
    let mut all = vec!["import", file.to_str().unwrap()];
    all.extend(args);
    let out = run(&target, &all);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(accounts(&target).is_empty(), "nothing may be half-imported");
    stderr(&out)
}

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/imports")
        .join(path)
}

#[test]
fn bad_backups_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "not the password\n").unwrap();
    let message = failed_import(
        &fixture("aegis/aegis_encrypted.json"),
        &["--password-file", wrong.to_str().unwrap()],
    );
    assert!(message.contains("password is wrong"), "{message}");

    let message = failed_import(
        &fixture("2fas/2fas_authenticator_encrypted_v4.2fas"),
        &["--password-file", wrong.to_str().unwrap()],
    );
    assert!(message.contains("password is wrong"), "{message}");

    let full = std::fs::read(fixture("aegis/aegis_encrypted.json")).unwrap();
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    let message = failed_import(&truncated, &[]);
    assert!(
        message.contains("not a backup Tessera can read"),
        "{message}"
    );
    let message = failed_import(&truncated, &["--format", "aegis"]);
    assert!(message.contains("not a valid Aegis backup"), "{message}");

    let message = failed_import(
        &fixture("2fas/2fas_authenticator_plain_v4.2fas"),
        &["--format", "aegis"],
    );
    assert!(message.contains("not a valid Aegis backup"), "{message}");

    let absurd = String::from_utf8(full)
        .unwrap()
        .replace("\"n\": 32768", "\"n\": 1099511627776");
    assert!(
        absurd.contains("1099511627776"),
        "the fixture spells n as expected"
    );
    let absurd_file = dir.path().join("absurd.json");
    std::fs::write(&absurd_file, absurd).unwrap();
    let password = dir.path().join("password");
    std::fs::write(&password, "test").unwrap();
    let message = failed_import(
        &absurd_file,
        &["--password-file", password.to_str().unwrap()],
    );
    assert!(message.contains("scrypt"), "{message}");

    let vault_as_backup = new_vault(dir.path(), "other.tessera");
    let message = failed_import(
        &vault_as_backup,
        &["--password-file", wrong.to_str().unwrap()],
    );
    assert!(message.contains("password is wrong"), "{message}");
}
