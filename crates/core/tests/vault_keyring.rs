//! Keyring slots against a real OS keyring, and the clear error when there is none.
//!
//! The end-to-end test needs a Secret Service. On Linux (packages dbus-x11 and gnome-keyring),
//! run it inside a private D-Bus session with a throw-away, unlocked keyring. gnome-keyring
//! creates its default ("login") collection only when given a non-empty password, and
//! `XDG_DATA_HOME` keeps that collection out of the user's own keyrings:
//!
//! ```sh
//! dbus-run-session -- sh -c 'export XDG_DATA_HOME=$(mktemp -d); \
//!     echo -n tessera | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
//!     cargo test -p tessera-core -- --ignored keyring'
//! ```

mod vault_support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tessera_core::vault::{KeyringError, Vault, VaultError};
use vault_support::{account, create, names, temp_dir};

#[test]
#[ignore = "needs a Secret Service: run by cargo xtask test inside dbus-run-session"]
fn keyring_slot_end_to_end() {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "keyring.tessera");
    vault.add(account("alice")).unwrap();
    assert!(matches!(
        Vault::open_with_keyring(&path),
        Err(VaultError::NoKeyringSlot)
    ));
    vault.enable_keyring_slot().unwrap();
    vault.enable_keyring_slot().unwrap(); // already enabled here: no second slot
    assert!(vault.has_keyring_slot());
    drop(vault);

    let mut reopened = Vault::open_with_keyring(&path).unwrap();
    assert_eq!(names(&reopened), ["alice"]);
    reopened.disable_keyring_slot(vault_support::PASSWORD).unwrap();
    assert!(!reopened.has_keyring_slot());
    assert!(matches!(
        Vault::open_with_keyring(&path),
        Err(VaultError::NoKeyringSlot)
    ));
}

/// Child side of the test below: runs with no D-Bus session in its environment.
#[test]
fn keyring_child_without_dbus() {
    if std::env::var_os("KEYRING_CHILD").is_none() {
        return;
    }
    let dir = temp_dir();
    let (_path, mut vault) = create(dir.path(), "nobus.tessera");
    match vault.enable_keyring_slot() {
        Err(VaultError::Keyring(KeyringError::Unavailable(cause))) => {
            println!("UNAVAILABLE {cause}");
        }
        other => println!("UNEXPECTED {:?}", other.map_err(|e| e.to_string())),
    }
    assert!(!vault.has_keyring_slot());
}

#[test]
fn without_a_session_bus_the_keyring_is_reported_unavailable() {
    let runtime = temp_dir();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "keyring_child_without_dbus", "--nocapture"])
        .env("KEYRING_CHILD", "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", runtime.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A hang would be a bug too: the app must fall back to the password promptly.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the keyring call hung without a session bus");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("UNAVAILABLE") || l.starts_with("UNEXPECTED"))
        .unwrap_or_default();
    assert!(line.starts_with("UNAVAILABLE "), "{stdout}");
    let message = VaultError::Keyring(KeyringError::Unavailable(line[12..].to_string()));
    assert!(message.to_string().starts_with("OS keyring unavailable: "));
}
