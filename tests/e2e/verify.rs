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

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn an_hotp_code_used_elsewhere_resynchronises_the_counter() {
    let uri = "otpauth://hotp/MyKerio:vpn?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio&counter=5";
    let (_dir, app) = open_app();
    add_by_uri(&app, uri);
    app.wait_until("the row appears", SHORT, || {
        row_for(&app, "MyKerio").is_some()
    });
    let row = row_for(&app, "MyKerio").expect("row");
    app.click(&in_row(&app, &row, ".verify").expect("verify button"));
    // The code of counter 8: three codes were used on another device.
    let code = tessera_core::otp::hotp(
        b"\x48\x65\x6c\x6c\x6f\x21\xde\xad\xbe\xef",
        tessera_core::otp::Algorithm::Sha1,
        8,
        6,
    );
    app.type_text(&app.wait_for("#verify-code", SHORT), &code);
    app.click(&app.wait_for("#verify-submit", SHORT));
    let result = app.wait_for("#verify-result", SHORT);
    app.wait_until("the counter match is named", SHORT, || {
        app.try_text(&result)
            .is_some_and(|t| t.contains("counter 8") && t.contains("3 ahead"))
    });
    app.click(&app.wait_for("#verify-close", SHORT));
    app.wait_until("the row shows the resynchronised counter 9", SHORT, || {
        text_in(&app, &row, ".counter").is_some_and(|t| t.contains('9'))
    });
}
