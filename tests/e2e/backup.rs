//! Backups in the app: the reminder, transfer codes for a phone and one account's QR code,
//! each read back from the screen's image data by an independent renderer and the decoder.

use super::*;

const KERIO: &str =
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";
const STEAM: &str =
    "otpauth://totp/Steam:jane?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Steam&encoder=steam";

/// The payloads of the QR code an `<img>` shows: its SVG rendered by rsvg-convert, then
/// decoded by Tessera's decoder.
fn scan_img(app: &App, css: &str, dir: &Path, name: &str) -> Vec<String> {
    let img = app.wait_for(css, SHORT);
    let src = app.attribute(&img, "src").expect("the image has a source");
    let encoded = src
        .strip_prefix("data:image/svg+xml;charset=utf-8,")
        .expect("an inline SVG");
    let svg = percent_decode(encoded);
    let svg_path = dir.join(format!("{name}.svg"));
    let png_path = dir.join(format!("{name}.png"));
    std::fs::write(&svg_path, svg).expect("write");
    let status = Command::new("rsvg-convert")
        .args(["-w", "600", "-o"])
        .arg(&png_path)
        .arg(&svg_path)
        .status()
        .expect("run rsvg-convert");
    assert!(status.success());
    tessera_core::qr::decode_file(&png_path)
        .expect("decodes")
        .payloads
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn transfer_codes_and_an_account_code_scan_back() {
    let (dir, app) = open_app();
    for uri in [KERIO, STEAM] {
        add_by_uri(&app, uri);
    }
    app.wait_until("both rows", SHORT, || app.find_all("li.account").len() == 2);

    // The reminder asks for a backup of accounts that have none.
    let banner = app.wait_for("#backup-banner-text", SHORT);
    assert!(app.text(&banner).contains("2 accounts have no backup"));
    app.click(&app.wait_for("#backup-banner-open", SHORT));
    app.click(&app.wait_for("input[name=\"format\"][value=\"google\"]", SHORT));
    app.click(&app.wait_for("#backup-submit", SHORT));
    let title = app.wait_for("#backup-transfer-title", SHORT);
    assert_eq!(app.text(&title), "Code 1 of 1");
    let left_out = app.text(&app.wait_for("#backup-transfer-left-out", SHORT));
    assert!(left_out.contains("Steam (jane)"), "{left_out:?}");
    screenshot("transfer-code.png");
    let payloads = scan_img(&app, "#backup-transfer-code", dir.path(), "transfer");
    assert_eq!(payloads.len(), 1);
    let batch = tessera_core::uri::parse_migration(&payloads[0]).expect("a transfer link");
    assert_eq!(batch.accounts.len(), 1);
    let kerio = tessera_core::uri::parse(KERIO).expect("test URI");
    assert_eq!(batch.accounts[0].otp, kerio.otp);
    assert_eq!(batch.accounts[0].issuer, "MyKerio");
    app.click(&app.wait_for("#backup-close", SHORT));

    // One account's own code, from its details.
    let row = row_for(&app, "MyKerio").expect("row");
    app.click(&in_row(&app, &row, ".details").expect("details button"));
    app.click(&app.wait_for("#account-qr-toggle", SHORT));
    let payloads = scan_img(&app, "#account-qr-code", dir.path(), "account");
    let scanned = tessera_core::uri::parse(&payloads[0]).expect("an otpauth link");
    assert_eq!(
        (scanned.issuer.as_str(), &scanned.otp),
        ("MyKerio", &kerio.otp)
    );
}
