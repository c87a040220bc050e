//! The QR codes Tessera draws (printable sheet, Google transfer codes) are read back: rendered
//! by an independent SVG renderer (rsvg-convert), decoded by Tessera's decoder, and compared.

use std::path::Path;
use std::process::Command;
use tessera_core::account::{Account, RecoveryCode};
use tessera_core::backup::google::transfer_codes;
use tessera_core::backup::{html, Entry};
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::qr::{decode_file, render};
use tessera_core::uri::{parse, parse_migration, BatchCollector};

fn account(issuer: &str, name: &str, seed: u8) -> Account {
    let secret: Vec<u8> = (0..20)
        .map(|i| seed.wrapping_mul(31).wrapping_add(i * 7))
        .collect();
    let otp = OtpParams::new(
        OtpKind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
        Secret::from_bytes(secret),
    )
    .expect("valid");
    Entry::new(issuer.into(), name.into(), otp).into_account(1_700_000_000)
}

/// The payloads a scanner finds in `svg`, rendered at `width` pixels by rsvg-convert.
fn scan_svg(dir: &Path, name: &str, svg: &str) -> Vec<String> {
    let svg_path = dir.join(format!("{name}.svg"));
    let png_path = dir.join(format!("{name}.png"));
    std::fs::write(&svg_path, svg).expect("write the SVG");
    let status = Command::new("rsvg-convert")
        .args(["-w", "480", "-o"])
        .arg(&png_path)
        .arg(&svg_path)
        .status()
        .expect("rsvg-convert (Debian librsvg2-bin, installed by cargo xtask test) runs");
    assert!(status.success(), "rsvg-convert failed on {name}");
    decode_file(&png_path).expect("decodes").payloads
}

#[test]
fn every_card_of_the_printable_sheet_scans_back_to_its_account() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut accounts = vec![
        account("MyKerio", "jane@example.com", 1),
        account(
            "\"><img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            2,
        ),
        account("Kaspersky Business Hub", "élodie", 3),
    ];
    accounts[0].recovery_codes = vec![
        RecoveryCode {
            code: "8f3k-2m9x".into(),
            used: true,
        },
        RecoveryCode {
            code: "<b>7hq1</b>".into(),
            used: false,
        },
    ];
    let sheet = html::sheet(&accounts, "2026-11-23").expect("sheet");
    assert!(!sheet.contains("<script"), "scripts must be escaped");
    assert!(
        !sheet.contains("<img"),
        "markup from labels must be escaped"
    );
    assert!(!sheet.contains("<b>"), "recovery codes are text");
    assert!(sheet.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(sheet.contains("8f3k-2m9x") && sheet.contains("class=\"used\""));

    let svgs: Vec<&str> = sheet
        .split("<svg ")
        .skip(1)
        .map(|rest| &rest[..rest.find("</svg>").expect("closed")])
        .collect();
    assert_eq!(svgs.len(), accounts.len());
    for (i, (svg, account)) in svgs.iter().zip(&accounts).enumerate() {
        let payloads = scan_svg(
            dir.path(),
            &format!("card{i}"),
            &format!("<svg {svg}</svg>"),
        );
        assert_eq!(payloads.len(), 1, "card {i}");
        let uri = parse(&payloads[0]).expect("an otpauth URI");
        assert_eq!(uri.issuer, account.issuer);
        assert_eq!(uri.name, account.name);
        assert_eq!(uri.otp, account.otp);
    }
}

#[test]
fn google_transfer_codes_scan_back_in_any_order() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let dir = std::mem::ManuallyDrop::new(dir);
    eprintln!("DIR {}", dir.path().display());
    let mut accounts: Vec<Account> = (0..23)
        .map(|i| account(&format!("Service {i}"), &format!("user{i}@example.com"), i))
        .collect();
    // Steam cannot travel to Google Authenticator: left out, by name.
    accounts[5].otp = OtpParams::new(
        OtpKind::Steam { period: 30 },
        Algorithm::Sha1,
        5,
        accounts[5].otp.secret.clone(),
    )
    .expect("valid");
    let (codes, left_out) = transfer_codes(&accounts).expect("codes");
    assert_eq!(left_out.len(), 1);
    assert_eq!(left_out[0].label, "Service 5 (user5@example.com)");
    assert_eq!(
        codes.iter().map(|c| (c.part, c.of)).collect::<Vec<_>>(),
        [(1, 3), (2, 3), (3, 3)]
    );

    let mut collector = BatchCollector::new();
    for code in codes.iter().rev() {
        let svg = render::svg(&code.uri, "transfer").expect("drawn");
        let payloads = scan_svg(dir.path(), &format!("part{}", code.part), &svg);
        assert_eq!(payloads.len(), 1, "part {}", code.part);
        collector
            .add(parse_migration(&payloads[0]).expect("a transfer link"))
            .expect("a part of the export");
    }
    assert!(collector.is_complete());
    let (scanned, skipped) = collector.accounts();
    assert!(skipped.is_empty());
    let expected: Vec<&Account> = accounts
        .iter()
        .filter(|a| a.issuer != "Service 5")
        .collect();
    assert_eq!(scanned.len(), expected.len());
    for (got, want) in scanned.iter().zip(expected) {
        assert_eq!(
            (&got.issuer, &got.name, &got.otp),
            (&want.issuer, &want.name, &want.otp)
        );
    }
}
