//! Enrolling from QR codes: a code shown on the screen, an image on the clipboard, and a Google
//! transfer split over two codes scanned one after the other, all through the review step.

use super::*;
use tessera_core::backup::google::transfer_codes;
use tessera_core::backup::Entry;
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};

const KERIO: &str =
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";

/// `payload` as a PNG QR code, drawn by Tessera and rendered by rsvg-convert.
fn qr_png(dir: &Path, name: &str, payload: &str) -> PathBuf {
    let svg = tessera_core::qr::render::svg(payload, name).expect("a QR code");
    let svg_path = dir.join(format!("{name}.svg"));
    let png_path = dir.join(format!("{name}.png"));
    std::fs::write(&svg_path, svg).expect("write the SVG");
    let status = Command::new("rsvg-convert")
        .args(["-w", "330", "-o"])
        .arg(&png_path)
        .arg(&svg_path)
        .status()
        .expect("run rsvg-convert");
    assert!(status.success());
    png_path
}

/// Shows `png` on the X screen beside the app's window, as a web page would show a code.
struct Shown(Child);

impl Shown {
    fn new(png: &Path) -> Shown {
        let child = Command::new("display")
            .args(["-geometry", "+880+120", "-title", "service page"])
            .arg(png)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run display (imagemagick)");
        // The window needs a moment to map and paint.
        std::thread::sleep(Duration::from_millis(1500));
        Shown(child)
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn review_issuers(app: &App) -> Vec<String> {
    app.find_all("#review-list .review-issuer")
        .iter()
        .filter_map(|e| app.try_text(e))
        .collect()
}

fn open_add_dialog_and(app: &App, button: &str) {
    app.click(&app.wait_for("#add-account", SHORT));
    app.click(&app.wait_for(button, SHORT));
    app.wait_for("#review-dialog[open]", LAUNCH);
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_code_on_the_screen_is_reviewed_and_added() {
    let (dir, app) = open_app();
    let png = qr_png(dir.path(), "kerio", KERIO);
    let _shown = Shown::new(&png);
    open_add_dialog_and(&app, "#scan-screen");
    app.wait_until("the account is listed for review", SHORT, || {
        review_issuers(&app) == ["MyKerio"]
    });
    screenshot("review-screen-scan.png");
    app.click(&app.wait_for("#review-add", SHORT));
    app.wait_until("the row appears", SHORT, || {
        row_for(&app, "MyKerio").is_some()
    });
    let row = row_for(&app, "MyKerio").expect("row");
    let before = before_reading_screen();
    let shown = text_in(&app, &row, ".code").expect("code");
    let after = now();
    let digits: String = shown.chars().filter(|c| c.is_ascii_digit()).collect();
    assert!(expected_codes(KERIO, before, after).contains(&digits));
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_pasted_image_of_a_known_account_is_marked_as_a_duplicate() {
    let (dir, app) = open_app();
    add_by_uri(&app, KERIO);
    app.wait_until("the row appears", SHORT, || {
        row_for(&app, "MyKerio").is_some()
    });
    let png = qr_png(dir.path(), "kerio", KERIO);
    let status = Command::new("xclip")
        .args(["-selection", "clipboard", "-t", "image/png", "-i"])
        .arg(&png)
        .status()
        .expect("run xclip");
    assert!(status.success());
    open_add_dialog_and(&app, "#scan-paste");
    let item = app.wait_for("#review-list .review-item", SHORT);
    assert_eq!(
        app.attribute(&item, "data-duplicate").as_deref(),
        Some("true")
    );
    let duplicate = app.text(&app.wait_for("#review-list .review-duplicate", SHORT));
    assert!(
        duplicate.contains("MyKerio (jane@example.com)"),
        "{duplicate:?}"
    );
    let pick = app.wait_for("#review-list .review-pick", SHORT);
    assert_eq!(
        app.execute(
            "return arguments[0].checked;",
            json!([app.element_json(&pick)])
        )
        .ok()
        .and_then(|v| v.as_bool()),
        Some(false),
        "a duplicate starts unticked"
    );
    let add = app.wait_for("#review-add", SHORT);
    assert!(app.attribute(&add, "disabled").is_some(), "nothing to add");
    screenshot("review-duplicate.png");
}

fn transfer_accounts() -> Vec<tessera_core::account::Account> {
    (0..12u8)
        .map(|i| {
            let secret: Vec<u8> = (0..20)
                .map(|j| i.wrapping_mul(17).wrapping_add(j))
                .collect();
            let otp = OtpParams::new(
                OtpKind::Totp { period: 30 },
                Algorithm::Sha1,
                6,
                Secret::from_bytes(secret),
            )
            .expect("valid");
            Entry::new(format!("Service {i:02}"), format!("user{i}"), otp).into_account(1)
        })
        .collect()
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn a_transfer_in_two_parts_is_gathered_across_scans() {
    let (dir, app) = open_app();
    let (codes, left_out) = transfer_codes(&transfer_accounts()).expect("transfer codes");
    assert!(left_out.is_empty());
    assert_eq!(codes.len(), 2);
    let part = |i: usize| qr_png(dir.path(), &format!("part{}", i + 1), &codes[i].uri);

    // Part 2 first: the order does not matter.
    {
        let _shown = Shown::new(&part(1));
        open_add_dialog_and(&app, "#scan-screen");
        let progress = app.wait_for("#review-transfer .verdict-title", SHORT);
        app.wait_until("the progress says 1 of 2", SHORT, || {
            app.try_text(&progress)
                .is_some_and(|t| t.contains("1 of 2 parts scanned"))
        });
        assert_eq!(review_issuers(&app).len(), 2, "part 2 holds two accounts");
        screenshot("review-transfer-part.png");
    }
    {
        let _shown = Shown::new(&part(0));
        app.click(&app.wait_for("#review-scan-more", SHORT));
        app.wait_until("all twelve accounts are listed", SHORT, || {
            review_issuers(&app).len() == 12
        });
        let transfer = app.find_all("#review-transfer");
        assert!(
            transfer.iter().all(|t| !app.is_displayed(t)),
            "the transfer is complete: no progress shown"
        );
    }
    app.click(&app.wait_for("#review-add", SHORT));
    app.wait_until("twelve rows", SHORT, || {
        app.find_all("li.account").len() == 12
    });
}
