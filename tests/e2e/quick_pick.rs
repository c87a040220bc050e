//! Quick pick: the system-wide shortcut, pressed from outside the app, brings up the search
//! box; typing and Enter copy the code and the window steps back.

use super::*;

const KAYAKO: &str =
    "otpauth://totp/Kayako:ops%40example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Kayako";
const KERIO: &str =
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";

fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .expect("run xdotool");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn window_visible() -> bool {
    !xdotool(&["search", "--onlyvisible", "--name", "^Tessera$"]).is_empty()
}

fn search_focused(app: &App) -> bool {
    app.execute(
        "return document.activeElement && document.activeElement.id;",
        json!([]),
    )
    .ok()
    .and_then(|v| v.as_str().map(str::to_string))
    .is_some_and(|id| id == "search")
}

#[test]
#[ignore = "needs a display, xdotool and tauri-driver: run by cargo xtask test"]
fn the_shortcut_picks_and_copies_then_steps_back() {
    let (_dir, app) = open_app();
    for uri in [KAYAKO, KERIO] {
        add_by_uri(&app, uri);
    }
    app.wait_until("both rows", SHORT, || app.find_all("li.account").len() == 2);
    // Focus somewhere else first, as when another app is in front.
    app.click(&app.wait_for("#status", SHORT));
    assert!(!search_focused(&app));

    xdotool(&["key", "--clearmodifiers", "ctrl+shift+space"]);
    app.wait_until("the search box is ready", SHORT, || search_focused(&app));
    let search = app.wait_for("#search", SHORT);
    app.type_text(&search, "kerio");
    let before = now();
    app.press_keys("\u{E007}"); // Enter
    app.wait_until("the window steps back", SHORT, || !window_visible());
    let after = now();
    assert!(expected_codes(KERIO, before, after).contains(&clipboard()));

    // Pressed again, the window comes back with an empty box.
    xdotool(&["key", "--clearmodifiers", "ctrl+shift+space"]);
    app.wait_until("the window is back", SHORT, window_visible);
    app.wait_until("the search box is ready again", SHORT, || {
        search_focused(&app)
    });
}
