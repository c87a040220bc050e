//! `tessera-cli scan`, run as a user would run it, on images drawn from known payloads.

mod support;

use std::path::Path;
use std::process::Output;
use support::{stderr, stdout, tessera_cli};

fn scan(files: &[&Path]) -> Output {
    tessera_cli()
        .arg("scan")
        .args(files)
        .output()
        .expect("the tessera-cli binary runs")
}

/// Writes a PNG holding one QR code per payload, side by side, 4-pixel modules.
fn write_codes(path: &Path, payloads: &[&str]) {
    let codes: Vec<qrcode::QrCode> = payloads
        .iter()
        .map(|p| qrcode::QrCode::new(p).unwrap())
        .collect();
    let module = 4;
    let side = |code: &qrcode::QrCode| (code.width() as u32 + 8) * module;
    let width = codes.iter().map(side).sum::<u32>().max(100);
    let height = codes.iter().map(side).max().unwrap_or(100);
    let mut image = image::GrayImage::from_pixel(width, height, image::Luma([255]));
    let mut left = 0;
    for code in &codes {
        let colors = code.to_colors();
        for (index, color) in colors.iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (x, y) = (
                    (index % code.width()) as u32 + 4,
                    (index / code.width()) as u32 + 4,
                );
                for dy in 0..module {
                    for dx in 0..module {
                        image.put_pixel(left + x * module + dx, y * module + dy, image::Luma([0]));
                    }
                }
            }
        }
        left += side(code);
    }
    image.save(path).unwrap();
}

#[test]
fn prints_every_payload_once_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let first = "otpauth://totp/ACME:jane?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
    let second = "otpauth://hotp/Example:bob?secret=GEZDGNBVGY3TQOJQ&counter=3";
    let both = dir.path().join("both.png");
    write_codes(&both, &[first, second]);
    let output = scan(&[&both]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    lines.sort();
    assert_eq!(lines, [second, first]);
}

#[test]
fn nothing_found_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.png");
    write_codes(&blank, &[]);
    let output = scan(&[&blank]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
}

#[test]
fn unreadable_files_are_named_and_exit_2_when_nothing_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not an image").unwrap();
    let output = scan(&[&text]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("notes.png"), "{}", stderr(&output));
}

#[test]
fn a_bad_file_does_not_hide_the_codes_of_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let payload = "otpauth://totp/ACME:jane?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
    let good = dir.path().join("good.png");
    write_codes(&good, &[payload]);
    let missing = dir.path().join("missing.png");
    let output = scan(&[&missing, &good]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), format!("{payload}\n"));
    assert!(
        stderr(&output).contains("missing.png"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn control_characters_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escape.png");
    write_codes(&file, &["line one\nline two\u{1b}[31m"]);
    let output = scan(&[&file]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "line one\\nline two\\u{1b}[31m\n");
}
