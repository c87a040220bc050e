//! An account's details dialog: recovery codes pasted as a service lists them, one copied (and
//! so marked used), and the vault on disk holding exactly that.

use super::*;

const URI: &str = "otpauth://totp/Kayako:ops%40example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Kayako";

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn recovery_codes_are_kept_copied_and_counted() {
    let (dir, app) = open_app();
    add_by_uri(&app, URI);
    app.wait_until("the Kayako row appears", SHORT, || {
        row_for(&app, "Kayako").is_some()
    });
    let row = row_for(&app, "Kayako").expect("row");
    app.click(&in_row(&app, &row, ".details").expect("details button"));
    app.wait_for("#details-dialog[open]", SHORT);
    let summary = app.wait_for("#recovery-summary", SHORT);
    assert!(app.text(&summary).contains("No recovery codes"));

    // As a service's page lists them: a heading, numbered lines.
    let paste = app.wait_for("#recovery-paste", SHORT);
    app.execute(
        "arguments[0].value = arguments[1];",
        json!([
            app.element_json(&paste),
            "Your backup codes:\n1. 8f3k-2m9x\n2. 7hq1-4zzp\n3. 0aa0-bb11\n"
        ]),
    )
    .expect("fill the paste box");
    screenshot("details-before-save.png");
    app.click(&app.wait_for("#recovery-save", SHORT));
    app.wait_until("three codes are listed", SHORT, || {
        app.find_all("#recovery-list .recovery-code").len() == 3
    });

    app.click(&app.wait_for(
        "#recovery-list .recovery-code[data-index=\"1\"] .recovery-copy",
        SHORT,
    ));
    app.wait_until("the copy is counted", SHORT, || {
        app.try_text(&app.wait_for("#recovery-summary", SHORT))
            .is_some_and(|t| t.contains("2 of 3 recovery codes left"))
    });
    assert_eq!(clipboard(), "7hq1-4zzp");
    screenshot("details-recovery.png");

    let vault =
        tessera_core::vault::Vault::open_with_password(&dir.path().join("vault.tessera"), PASSWORD)
            .expect("the vault opens");
    let account = vault.accounts().into_iter().next().expect("the account");
    let kept: Vec<(String, bool)> = account
        .recovery_codes
        .iter()
        .map(|c| (c.code.clone(), c.used))
        .collect();
    assert_eq!(
        kept,
        [
            ("8f3k-2m9x".to_string(), false),
            ("7hq1-4zzp".to_string(), true),
            ("0aa0-bb11".to_string(), false),
        ]
    );

    // Closing the dialog takes the codes off the page.
    app.click(&app.wait_for("#details-close", SHORT));
    app.wait_until("the list is emptied", SHORT, || {
        app.find_all("#recovery-list .recovery-code").is_empty()
    });
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_pinned_account_leads_the_list() {
    let (_dir, app) = open_app();
    let later = "otpauth://totp/Zendesk:ops%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Zendesk";
    for uri in [URI, later] {
        add_by_uri(&app, uri);
    }
    let first_issuer = || {
        app.find_all("li.account")
            .first()
            .and_then(|row| app.attribute(row, "data-id"))
            .and_then(|id| text_in(&app, &id, ".issuer"))
    };
    app.wait_until("both rows, in name order", SHORT, || {
        app.find_all("li.account").len() == 2 && first_issuer().as_deref() == Some("Kayako")
    });
    let row = row_for(&app, "Zendesk").expect("row");
    app.click(&in_row(&app, &row, ".details").expect("details button"));
    app.click(&app.wait_for("#details-pinned", SHORT));
    app.click(&app.wait_for("#details-close", SHORT));
    app.wait_until("the pinned account comes first", SHORT, || {
        first_issuer().as_deref() == Some("Zendesk")
    });
    let pinned = in_row(&app, &row, ".pinned-text").expect("pinned words");
    assert_eq!(
        app.attribute(&pinned, "hidden"),
        None,
        "screen readers hear it"
    );
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn alt_arrows_move_an_account_and_the_order_survives() {
    let (dir, app) = open_app();
    let second = "otpauth://totp/Zendesk:ops%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Zendesk";
    for uri in [URI, second] {
        add_by_uri(&app, uri);
    }
    let issuers = || -> Vec<String> {
        app.find_all("li.account")
            .iter()
            .filter_map(|row| app.attribute(row, "data-id"))
            .filter_map(|id| text_in(&app, &id, ".issuer"))
            .collect()
    };
    app.wait_until("both rows in the order added", SHORT, || {
        issuers() == ["Kayako", "Zendesk"]
    });
    let row = row_for(&app, "Kayako").expect("row");
    app.execute(
        "document.querySelector(`li.account[data-id=\"${arguments[0]}\"] .code`).focus();",
        json!([row]),
    )
    .expect("focus the row");
    app.press_chord('\u{E00A}', '\u{E015}'); // Alt+ArrowDown
    app.wait_until("Kayako moved below Zendesk", SHORT, || {
        issuers() == ["Zendesk", "Kayako"]
    });
    let vault =
        tessera_core::vault::Vault::open_with_password(&dir.path().join("vault.tessera"), PASSWORD)
            .expect("the vault opens");
    let saved: Vec<String> = vault.accounts().into_iter().map(|a| a.issuer).collect();
    assert_eq!(
        saved,
        ["Zendesk", "Kayako"],
        "the order is saved in the vault"
    );
}
