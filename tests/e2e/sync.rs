//! The open app and other writers of the same vault: the CLI issuing HOTP codes, the CLI adding
//! an account, and a second copy of the vault renamed over the first (as a sync tool delivers
//! it). The app shows each change within two seconds and never writes back what it read before.

use super::*;
use std::path::PathBuf;
use tessera_core::otp::{hotp, Algorithm};
use tessera_core::vault::{Vault, VaultError};

/// How soon an outside change must show in the open app.
const LIVE: Duration = Duration::from_secs(2);

const HOTP_URI: &str =
    "otpauth://hotp/Kayako:support?secret=JBSWY3DPEHPK3PXP&issuer=Kayako&counter=0";
/// The secret of HOTP_URI.
const HOTP_SECRET: &[u8] = b"\x48\x65\x6c\x6c\x6f\x21\xde\xad\xbe\xef";

/// The CLI built beside the app by `cargo test --workspace`.
fn cli() -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_tessera")).with_file_name("tessera-cli");
    assert!(
        path.exists(),
        "{} is missing: build the workspace (cargo test --workspace builds it)",
        path.display()
    );
    path
}

/// Runs the CLI on `vault` and returns its standard output.
fn run_cli(vault: &Path, args: &[&str]) -> String {
    let out = Command::new(cli())
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("TESSERA_PASSWORD", PASSWORD)
        .output()
        .expect("run tessera-cli");
    assert!(
        out.status.success(),
        "tessera-cli {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// A fresh vault in the open app with one TOTP account (MyGlue), and the vault's path.
fn app_with_one_account() -> (tempfile::TempDir, App, PathBuf) {
    let (dir, app) = open_app();
    let vault = dir.path().join("vault.tessera");
    add_by_uri(
        &app,
        "otpauth://totp/MyGlue:ops?secret=GEZDGNBVGY3TQOJQ&issuer=MyGlue",
    );
    app.wait_until("the MyGlue row appears", SHORT, || {
        row_for(&app, "MyGlue").is_some()
    });
    (dir, app, vault)
}

/// The digits a row shows, without the grouping space.
fn row_code(app: &App, row: &str) -> Option<String> {
    text_in(app, row, ".code").map(|t| t.chars().filter(char::is_ascii_digit).collect())
}

fn hotp_code(counter: u64) -> String {
    hotp(HOTP_SECRET, Algorithm::Sha1, counter, 6)
}

fn stored_counter(vault: &Path) -> u64 {
    let vault = Vault::open_with_password(vault, PASSWORD).expect("the vault opens");
    match vault.accounts()[0].otp.kind {
        tessera_core::otp::OtpKind::Hotp { counter } => counter,
        other => panic!("not an HOTP account: {other:?}"),
    }
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn codes_the_cli_issued_are_never_issued_again_by_the_open_app() {
    let (dir, app) = open_app();
    let vault = dir.path().join("vault.tessera");
    add_by_uri(&app, HOTP_URI);
    app.wait_until("the row shows the code of counter 0", SHORT, || {
        row_for(&app, "Kayako").is_some_and(|row| row_code(&app, &row) == Some(hotp_code(0)))
    });
    let row = row_for(&app, "Kayako").expect("row");

    // Another writer hands out the codes of counters 0, 1 and 2 while the app is open.
    let issued: Vec<String> = (0..3)
        .map(|_| run_cli(&vault, &["code", "Kayako"]).trim().to_string())
        .collect();
    assert_eq!(issued, [hotp_code(0), hotp_code(1), hotp_code(2)]);
    assert_eq!(stored_counter(&vault), 3);

    // The app follows within two seconds, without being touched.
    app.wait_until("the open app shows the code of counter 3", LIVE, || {
        row_code(&app, &row) == Some(hotp_code(3))
    });
    app.click(&in_row(&app, &row, ".hotp-next").expect("next button"));
    app.wait_until("the next code is that of counter 4", SHORT, || {
        row_code(&app, &row) == Some(hotp_code(4))
    });
    let shown = row_code(&app, &row).expect("a code");
    assert!(!issued.contains(&shown), "the app handed out {shown} again");
    assert_eq!(stored_counter(&vault), 4, "the counter on disk went back");
    screenshot("sync-hotp.png");
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn an_account_the_cli_adds_shows_in_the_open_app() {
    let (_dir, app, vault) = app_with_one_account();
    let added = std::time::Instant::now();
    run_cli(
        &vault,
        &[
            "add",
            "--uri",
            "otpauth://totp/MyKerio:jane?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio",
        ],
    );
    app.wait_until("the account added by the CLI shows", LIVE, || {
        row_for(&app, "MyKerio").is_some()
    });
    eprintln!("shown {:?} after the CLI returned", added.elapsed());
    app.wait_until("the quiet note says where it came from", SHORT, || {
        app.find_all("#toast")
            .first()
            .and_then(|toast| app.try_text(toast))
            .is_some_and(|t| t.contains("another device"))
    });
    screenshot("sync-added-by-cli.png");
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn notes_from_a_copy_renamed_over_the_vault_survive_a_copy_in_the_app() {
    let (dir, app, vault) = app_with_one_account();
    let row = row_for(&app, "MyGlue").expect("row");

    // A second computer: its own copy of the file, changed there, then delivered by a sync
    // tool the way Syncthing does it (a temporary file renamed over the vault).
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("second folder");
    let copy = elsewhere.join("vault.tessera");
    std::fs::copy(&vault, &copy).expect("copy the vault");
    let mut other = Vault::open_with_password(&copy, PASSWORD).expect("the copy opens");
    let id = other.accounts()[0].id.clone();
    other
        .modify(&id, |edit| {
            edit.set_notes("spare key in the safe".into());
            Ok::<_, VaultError>(())
        })
        .expect("notes saved on the other computer");
    drop(other);
    let delivered = dir.path().join(".syncthing.vault.tessera.tmp");
    std::fs::copy(&copy, &delivered).expect("stage the delivery");
    std::fs::rename(&delivered, &vault).expect("deliver");

    // The app copies a code, which records the use: a write of the whole stale account would
    // wipe the notes.
    app.click(&in_row(&app, &row, ".code").expect("code"));
    wait_for_copied_toast(&app);
    let reread = Vault::open_with_password(&vault, PASSWORD).expect("the vault opens");
    let account = reread.get(&id).expect("the account");
    assert_eq!(account.notes, "spare key in the safe");
    assert!(account.last_used > 0, "the copy was recorded too");
}

/// The real-Syncthing harness of the CLI's tests: two instances on loopback sharing a folder.
#[path = "../../crates/cli/tests/support/syncthing.rs"]
#[allow(dead_code)]
mod syncthing;

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn an_account_that_arrives_through_syncthing_shows_in_the_open_app() {
    fn vault_files(name: &str) -> bool {
        name == "vault.tessera" || tessera_core::vault::is_conflict_copy("vault.tessera", name)
    }
    let root = tempfile::tempdir().expect("temporary folder");
    let pair = syncthing::Pair::start(root.path(), vault_files);
    let here = pair.a.folder.join("vault.tessera");
    let there = pair.b.folder.join("vault.tessera");
    let app = launch(&here);
    create_vault(&app, false);
    pair.wait_in_sync(Duration::from_secs(120));
    assert!(there.exists(), "Syncthing did not carry the new vault over");

    // The other computer adds an account; Syncthing brings the file here.
    let before = std::fs::read(&here).expect("the vault here");
    run_cli(
        &there,
        &[
            "add",
            "--uri",
            "otpauth://totp/Kaspersky:admin?secret=JBSWY3DPEHPK3PXP&issuer=Kaspersky",
        ],
    );
    let mut arrived = None;
    app.wait_until(
        "Syncthing delivers the file",
        Duration::from_secs(120),
        || {
            let changed = std::fs::read(&here).is_ok_and(|now| now != before);
            if changed && arrived.is_none() {
                arrived = Some(std::time::Instant::now());
            }
            changed
        },
    );
    app.wait_until("the account from the other computer shows", LIVE, || {
        row_for(&app, "Kaspersky").is_some()
    });
    eprintln!(
        "shown {:?} after the file arrived",
        arrived.map(|t| t.elapsed())
    );
    screenshot("sync-through-syncthing.png");
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_password_changed_elsewhere_is_asked_for_and_nothing_is_lost() {
    let (_dir, app, vault) = app_with_one_account();

    // Another writer changes the password: the vault gets a new key.
    let new_password = "a new password from the other laptop";
    let out = Command::new(cli())
        .arg("--vault")
        .arg(&vault)
        .arg("passwd")
        .env("TESSERA_PASSWORD", PASSWORD)
        .env("TESSERA_NEW_PASSWORD", new_password)
        .output()
        .expect("run tessera-cli passwd");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The open app stops writing and asks for the new password, saying why.
    let title = app.wait_for("#unlock-title", LIVE + SHORT);
    app.wait_until("the unlock screen says the password changed", SHORT, || {
        app.try_text(&title)
            .is_some_and(|t| t.contains("password was changed"))
    });
    screenshot("sync-password-changed.png");
    app.type_text(&app.wait_for("#unlock-password", SHORT), new_password);
    app.click(&app.wait_for("#unlock-submit", SHORT));
    app.wait_until("the account is back", SHORT, || {
        row_for(&app, "MyGlue").is_some()
    });
    assert!(
        Vault::open_with_password(&vault, PASSWORD).is_err(),
        "the old password still opens the vault"
    );
    assert!(Vault::open_with_password(&Vault::backup_path(&vault), PASSWORD).is_err());
    let reopened = Vault::open_with_password(&vault, new_password).expect("the new password");
    assert_eq!(reopened.accounts()[0].issuer, "MyGlue");
}
