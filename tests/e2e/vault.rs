//! The vault through the UI: it persists across restarts, locks, refuses a wrong password,
//! and unlocks from the OS keyring without typing.

use super::*;

const URI: &str = "otpauth://totp/MyGlue:sam%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyGlue";

pub(crate) fn unlock_with_password(session: &Session, password: &str) {
    let field = session.wait_for("#unlock-password", LAUNCH);
    session
        .execute(
            "arguments[0].value = '';",
            json!([session.element_json(&field)]),
        )
        .expect("clear the field");
    session.type_text(&field, password);
    session.click(&session.wait_for("#unlock-submit", SHORT));
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn accounts_persist_lock_and_unlock() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let vault = dir.path().join("vault.tessera");
    {
        let app = launch(&vault);
        create_vault(&app, false);
        add_by_uri(&app, URI);
        app.wait_until("the row appears", SHORT, || {
            row_for(&app, "MyGlue").is_some()
        });

        // Lock: the codes leave the screen and the unlock screen asks for the password.
        app.click(&app.wait_for("#lock", SHORT));
        app.wait_for("#unlock-password", SHORT);
        assert!(
            app.find_all("li.account")
                .iter()
                .all(|r| !app.is_displayed(r)),
            "no account may stay visible while locked"
        );
        let toast = app.find_all("#toast").pop().expect("toast element");
        assert!(
            app.try_text(&toast).unwrap_or_default().trim().is_empty(),
            "no message naming an account may stay on the locked screen"
        );
        screenshot("unlock.png");

        unlock_with_password(&app, "not the password");
        let error = app.wait_for("#unlock-error", SHORT);
        app.wait_until("the wrong password is named", SHORT, || {
            app.try_text(&error)
                .is_some_and(|t| t.to_lowercase().contains("wrong password"))
        });
        unlock_with_password(&app, PASSWORD);
        app.wait_until("the account is back", SHORT, || {
            row_for(&app, "MyGlue").is_some()
        });
    }
    assert!(vault.exists(), "the vault file was written");
    let on_disk = std::fs::read(&vault).expect("read the vault");
    assert!(
        !on_disk.windows(16).any(|w| w == b"JBSWY3DPEHPK3PXP")
            && !on_disk.windows(6).any(|w| w == b"MyGlue"),
        "neither the secret nor the labels are stored in clear"
    );

    // A second run of the app finds the vault locked, and the account after unlocking.
    let app = launch(&vault);
    unlock_with_password(&app, PASSWORD);
    app.wait_until("the account survived the restart", SHORT, || {
        row_for(&app, "MyGlue").is_some()
    });
    let row = row_for(&app, "MyGlue").expect("row");
    let before = before_reading_screen();
    let shown = text_in(&app, &row, ".code").expect("code");
    let after = now();
    let digits: String = shown.chars().filter(|c| c.is_ascii_digit()).collect();
    assert!(expected_codes(URI, before, after).contains(&digits));
}

#[test]
#[ignore = "needs a display, tauri-driver and a Secret Service: run by cargo xtask test"]
fn keyring_unlocks_without_typing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let vault = dir.path().join("vault.tessera");
    {
        let app = launch(&vault);
        create_vault(&app, true);
        add_by_uri(&app, URI);
        app.wait_until("the row appears", SHORT, || {
            row_for(&app, "MyGlue").is_some()
        });
        let status = app.text(&app.wait_for("#status", SHORT));
        assert!(
            !status.to_lowercase().contains("keyring is unavailable"),
            "keyring unlock was set up: {status:?}"
        );
    }
    // The unlock screen tries the keyring by itself: no password typed.
    let app = launch(&vault);
    app.wait_until("the keyring unlocked the vault", LAUNCH, || {
        row_for(&app, "MyGlue").is_some()
    });
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn settings_and_window_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let vault = dir.path().join("vault.tessera");
    {
        let app = launch(&vault);
        create_vault(&app, false);
        super::clipboard::clear_after_ten_seconds(&app);
        app.set_window_rect(60, 40, 520, 610);
        app.wait_until("the window takes the new size", SHORT, || {
            let (_, _, width, height) = app.window_rect();
            (width, height) == (520, 610)
        });
    }
    let app = launch(&vault);
    unlock_with_password(&app, PASSWORD);
    app.wait_for("#add-account", SHORT);
    let (_, _, width, height) = app.window_rect();
    assert_eq!(
        (width, height),
        (520, 610),
        "the window opens at its last size"
    );
    app.click(&app.wait_for("#settings", SHORT));
    app.wait_until("the copy setting is kept", SHORT, || {
        app.find_all("#settings-clear option:checked")
            .first()
            .and_then(|o| app.attribute(o, "value"))
            .is_some_and(|v| v == "10")
    });
}
