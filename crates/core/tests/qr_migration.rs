//! Google Authenticator exports through rendered QR images and back.

mod qr_support;

use image::{Rgb, RgbImage};
use qr_support::scenes::{code_side, draw_code};
use qrcode::EcLevel;
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::qr::decode_image_bytes;
use tessera_core::uri::{parse_migration, BatchCollector, MigrationBatch, OtpAuthUri};

fn account(issuer: &str, name: &str, seed: u8) -> OtpAuthUri {
    OtpAuthUri {
        issuer: issuer.into(),
        name: name.into(),
        otp: OtpParams::new(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes((0..20).map(|i| i * 7 + seed).collect()),
        )
        .unwrap(),
    }
}

fn png(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[test]
fn a_two_part_export_survives_the_screen() {
    let parts: Vec<MigrationBatch> = (0..2u32)
        .map(|index| MigrationBatch {
            batch_id: -1_234_567,
            batch_index: index,
            batch_size: 2,
            version: 1,
            accounts: vec![
                account("GitHub", &format!("dev{index}@example.com"), index as u8),
                account("", &format!("user{index}"), 100 + index as u8),
            ],
            skipped: Vec::new(),
        })
        .collect();
    let uris: Vec<String> = parts
        .iter()
        .map(|p| p.to_uri().unwrap().to_string())
        .collect();

    // Both parts side by side on one screen, as a phone showing them would not, but a user
    // pasting two screenshots together might.
    let mut screen = RgbImage::from_pixel(1400, 800, Rgb([255, 255, 255]));
    let mut x = 40;
    for uri in &uris {
        draw_code(
            &mut screen,
            uri,
            EcLevel::M,
            (x, 40),
            5,
            [0, 0, 0],
            [255, 255, 255],
        );
        x += code_side(uri, EcLevel::M, 5) + 40;
    }
    let scan = decode_image_bytes(&png(&screen)).unwrap();
    assert_eq!(scan.payloads.len(), 2);

    let mut collector = BatchCollector::new();
    for payload in scan.payloads.iter().rev() {
        collector.add(parse_migration(payload).unwrap()).unwrap();
    }
    assert!(collector.is_complete());
    let (accounts, skipped) = collector.accounts();
    assert!(skipped.is_empty());
    let expected: Vec<OtpAuthUri> = parts.into_iter().flat_map(|p| p.accounts).collect();
    assert_eq!(accounts, expected);
}
