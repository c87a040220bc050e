//! Search-as-you-type: typing narrows the list, Enter copies the best match, Esc brings every
//! account back. Group buttons narrow the list to one group.

use super::*;

const KERIO: &str =
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";
const KAYAKO: &str =
    "otpauth://totp/Kayako:ops%40example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Kayako";

fn visible_issuers(app: &App) -> Vec<String> {
    app.find_all("li.account")
        .iter()
        .filter_map(|row| app.attribute(row, "data-id"))
        .filter_map(|id| text_in(app, &id, ".issuer"))
        .collect()
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn typing_narrows_the_list_and_enter_copies_the_match() {
    let (_dir, app) = open_app();
    for uri in [KERIO, KAYAKO] {
        add_by_uri(&app, uri);
    }
    app.wait_until("both rows appear", SHORT, || {
        visible_issuers(&app).len() == 2
    });

    app.press_chord('\u{E009}', 'f'); // Ctrl+F, as a user reaches the box
    let search = app.wait_for("#search", SHORT);
    app.type_text(&search, "kay");
    app.wait_until("only Kayako is listed", SHORT, || {
        visible_issuers(&app) == ["Kayako"]
    });

    let before = now();
    app.press_keys("\u{E007}"); // Enter
    wait_for_copied_toast(&app);
    let after = now();
    assert!(expected_codes(KAYAKO, before, after).contains(&clipboard()));

    app.click(&search);
    app.type_text(&search, "zzz");
    let none = app.wait_for("#search-empty", SHORT);
    app.wait_until("the no-match line shows", SHORT, || {
        app.try_text(&none)
            .is_some_and(|t| t.contains("No account matches"))
    });
    screenshot("search-no-match.png");
    app.press_keys("\u{E00C}"); // Esc empties the box
    app.wait_until("both rows are back", SHORT, || {
        visible_issuers(&app).len() == 2
    });
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_group_button_shows_only_its_accounts() {
    let (dir, app) = open_app();
    for uri in [KERIO, KAYAKO] {
        add_by_uri(&app, uri);
    }
    app.wait_until("both rows appear", SHORT, || {
        visible_issuers(&app).len() == 2
    });
    assert!(
        app.find_all(".group-chip").is_empty(),
        "no group buttons while no account has a group"
    );

    let row = row_for(&app, "MyKerio").expect("row");
    app.click(&in_row(&app, &row, ".details").expect("details button"));
    let group = app.wait_for("#details-group", SHORT);
    app.type_text(&group, " Work ");
    app.click(&app.wait_for("#details-save", SHORT));
    app.wait_until("the group button is made", SHORT, || {
        !app.find_all(".group-chip[data-key=\"work\"]").is_empty()
    });
    app.click(&app.wait_for("#details-close", SHORT));

    let chip = app.wait_for("#group-filter .group-chip[data-key=\"work\"]", SHORT);
    app.wait_until("the group buttons show", SHORT, || app.is_displayed(&chip));
    assert!(
        app.text(&chip).starts_with("Work"),
        "the chip names the group"
    );
    screenshot("group-filter.png");
    app.click(&chip);
    app.wait_until("only the Work account is listed", SHORT, || {
        visible_issuers(&app) == ["MyKerio"]
    });

    app.click(&app.wait_for("#group-filter .group-chip[data-key=\"\"]", SHORT));
    app.wait_until("All lists both again", SHORT, || {
        visible_issuers(&app).len() == 2
    });

    let vault =
        tessera_core::vault::Vault::open_with_password(&dir.path().join("vault.tessera"), PASSWORD)
            .expect("the vault opens");
    let groups: Vec<(String, String)> = vault
        .accounts()
        .into_iter()
        .map(|a| (a.issuer.clone(), a.group.clone()))
        .collect();
    assert!(
        groups.contains(&("MyKerio".into(), "Work".into())),
        "{groups:?}"
    );
    assert!(
        groups.contains(&("Kayako".into(), String::new())),
        "{groups:?}"
    );
}
