//! Clipboard hygiene: a copied code leaves the clipboard after the chosen delay, or at once
//! when Tessera locks, but what the user copied meanwhile is left alone.

use super::*;

const URI: &str =
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";
const CLEAR_AFTER: Duration = Duration::from_secs(10);

/// Chooses "clear after 10 s" in Settings, as a user would with the select.
pub(crate) fn clear_after_ten_seconds(app: &App) {
    app.click(&app.wait_for("#settings", SHORT));
    let select = app.wait_for("#settings-clear", SHORT);
    app.wait_until("the copy settings are loaded", SHORT, || {
        app.find_all("#settings-clear option").len() > 1
    });
    app.execute(
        "arguments[0].value = '10'; arguments[0].dispatchEvent(new Event('change'));",
        json!([app.element_json(&select)]),
    )
    .expect("choose 10 s");
    app.wait_until("the setting is saved", SHORT, || {
        app.find_all("#toast")
            .first()
            .and_then(|t| app.try_text(t))
            .is_some_and(|t| t.contains("Copy settings saved"))
    });
    app.click(&app.wait_for("#settings-close", SHORT));
}

fn set_clipboard(text: &str) {
    let mut child = Command::new("xclip")
        .args(["-selection", "clipboard", "-i"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("run xclip");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write to xclip");
    child.wait().expect("xclip exits");
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_copied_code_is_cleared_but_the_users_own_copy_is_kept() {
    let (_dir, app) = open_app();
    add_by_uri(&app, URI);
    app.wait_until("the row appears", SHORT, || {
        row_for(&app, "MyKerio").is_some()
    });
    clear_after_ten_seconds(&app);
    let row = row_for(&app, "MyKerio").expect("row");

    // Left alone, the code is gone after the delay.
    let before = now();
    app.click(&in_row(&app, &row, ".code").expect("code"));
    wait_for_copied_toast(&app);
    let after = now();
    let copied = clipboard();
    assert!(
        expected_codes(URI, before, after).contains(&copied),
        "copied {copied:?}"
    );
    // Clipboard managers (Klipper, GNOME extensions) are told to keep it out of their history.
    let targets = Command::new("xclip")
        .args(["-o", "-selection", "clipboard", "-t", "TARGETS"])
        .output()
        .expect("run xclip");
    let targets = String::from_utf8_lossy(&targets.stdout).to_string();
    assert!(
        targets.lines().any(|t| t == "x-kde-passwordManagerHint"),
        "clipboard targets: {targets:?}"
    );
    let toast = app.text(&app.wait_for("#toast", SHORT));
    assert!(toast.contains("clears in 10 s"), "toast: {toast:?}");
    std::thread::sleep(CLEAR_AFTER + Duration::from_secs(2));
    assert_eq!(clipboard(), "", "the code must leave the clipboard");

    // Copied over by the user: their text stays.
    app.click(&in_row(&app, &row, ".code").expect("code"));
    wait_for_copied_toast(&app);
    set_clipboard("my own notes");
    std::thread::sleep(CLEAR_AFTER + Duration::from_secs(2));
    assert_eq!(clipboard(), "my own notes");
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn locking_takes_a_copied_code_off_the_clipboard_but_not_the_users_copy() {
    let (_dir, app) = open_app();
    add_by_uri(&app, URI);
    app.wait_until("the row appears", SHORT, || {
        row_for(&app, "MyKerio").is_some()
    });
    let copy_code = || {
        let row = row_for(&app, "MyKerio").expect("row");
        app.click(&in_row(&app, &row, ".code").expect("code"));
        wait_for_copied_toast(&app);
    };
    let lock = || {
        app.click(&app.wait_for("#lock", SHORT));
        app.wait_for("#unlock-password", SHORT);
    };

    // The user copies something of their own after the code: locking leaves it.
    copy_code();
    set_clipboard("my own notes");
    lock();
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(clipboard(), "my own notes");

    // The code itself leaves with the lock, long before its 30-second delay.
    vault::unlock_with_password(&app, PASSWORD);
    app.wait_for("li.account .code", SHORT);
    let before = now();
    copy_code();
    let after = now();
    assert!(expected_codes(URI, before, after).contains(&clipboard()));
    lock();
    app.wait_until("the code leaves the clipboard", SHORT, || {
        clipboard().is_empty()
    });
}
