//! Every main screen in the light and the dark theme, saved under target/e2e for people to
//! look at; each theme is checked to really be in force.

use super::*;

const URIS: &[&str] = &[
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio",
    "otpauth://totp/Kaspersky%20Business%20Hub:admin?secret=GEZDGNBVGY3TQOJQ&issuer=Kaspersky%20Business%20Hub",
    "otpauth://hotp/Kayako:support?secret=KUVJJOM753IHTNDSZVCNKL7GII&counter=12&issuer=Kayako",
];

fn background_is_dark(app: &App) -> bool {
    app.execute(
        "const c = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); \
         return (c[0] + c[1] + c[2]) / 3 < 100;",
        json!([]),
    )
    .ok()
    .and_then(|v| v.as_bool())
    .unwrap_or(false)
}

fn open_and_shoot(app: &App, open: &str, dialog: &str, close: &str, name: &str) {
    app.click(&app.wait_for(open, SHORT));
    app.wait_for(&format!("{dialog}[open]"), SHORT);
    std::thread::sleep(Duration::from_millis(400));
    screenshot(name);
    app.click(&app.wait_for(close, SHORT));
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn every_main_screen_in_both_themes() {
    for (theme, gtk, dark) in [("light", "Adwaita", false), ("dark", "Adwaita:dark", true)] {
        let dir = tempfile::tempdir().expect("temporary folder");
        let app = launch_with(&dir.path().join("vault.tessera"), &[("GTK_THEME", gtk)]);
        app.wait_for("#create-password", LAUNCH);
        assert_eq!(
            background_is_dark(&app),
            dark,
            "the {theme} theme is in force"
        );
        screenshot(&format!("{theme}-welcome.png"));
        create_vault(&app, false);
        for uri in URIS {
            add_by_uri(&app, uri);
        }
        app.wait_until("three rows", SHORT, || {
            app.find_all("li.account").len() == 3
        });
        screenshot(&format!("{theme}-list.png"));
        open_and_shoot(
            &app,
            "#add-account",
            "#add-dialog",
            "#add-dialog [data-close]",
            &format!("{theme}-add.png"),
        );
        open_and_shoot(
            &app,
            "#settings",
            "#settings-dialog",
            "#settings-close",
            &format!("{theme}-settings.png"),
        );
        open_and_shoot(
            &app,
            "#clock",
            "#clock-dialog",
            "#clock-close",
            &format!("{theme}-clock.png"),
        );
        open_and_shoot(
            &app,
            "#backup-banner-open",
            "#backup-dialog",
            "#backup-close",
            &format!("{theme}-backup.png"),
        );
        let row = row_for(&app, "MyKerio").expect("row");
        app.click(&in_row(&app, &row, ".details").expect("details"));
        app.wait_for("#details-dialog[open]", SHORT);
        std::thread::sleep(Duration::from_millis(400));
        screenshot(&format!("{theme}-details.png"));
        app.click(&app.wait_for("#details-close", SHORT));
        app.click(&app.wait_for("#lock", SHORT));
        app.wait_for("#unlock-password", SHORT);
        screenshot(&format!("{theme}-unlock.png"));
    }
}
