//! Verifying a code seen on another device, through the UI: the step it belongs to is named.

use super::*;

const URI: &str = "otpauth://totp/Kayako:agent%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kayako";

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_code_from_a_slow_device_is_placed_two_steps_back() {
    let (_dir, app) = open_app();
    add_by_uri(&app, URI);
    app.wait_until("the row appears", SHORT, || {
        row_for(&app, "Kayako").is_some()
    });
    let row = row_for(&app, "Kayako").expect("row");
    app.click(&in_row(&app, &row, ".verify").expect("verify button"));
    app.wait_for("#verify-dialog", SHORT);

    // The code a device 60 s slow shows, unless a step boundary passes meanwhile: then the
    // answer may be one step off, which the retry absorbs.
    let parsed = tessera_core::uri::parse(URI).expect("test URI");
    let mut last = String::new();
    for _ in 0..3 {
        let code = parsed.otp.code_at(now() - 60);
        let field = app.wait_for("#verify-code", SHORT);
        app.execute(
            "arguments[0].value = '';",
            json!([app.element_json(&field)]),
        )
        .expect("clear the field");
        app.type_text(&field, &code);
        app.click(&app.wait_for("#verify-submit", SHORT));
        let result = app.wait_for("#verify-result", SHORT);
        app.wait_until("a verdict appears", SHORT, || {
            app.try_text(&result).is_some_and(|t| !t.trim().is_empty())
        });
        last = app.text(&result);
        if last.contains("2 steps earlier") {
            break;
        }
    }
    assert!(
        last.contains("2 steps earlier") && last.contains("60 s slow"),
        "verify result: {last:?}"
    );
    let current = app.text(&app.wait_for("#verify-current", SHORT));
    let current: String = current.chars().filter(|c| c.is_ascii_digit()).collect();
    assert!(expected_codes(URI, now() - 2, now()).contains(&current));
    screenshot("verify.png");
}
