//! QR decoding of generated screens: each image is drawn from payloads we chose, and the
//! decoder must return exactly those payloads.

mod qr_support;

use image::{Rgb, RgbImage};
use qr_support::scenes::{chrome, draw_code, draw_code_smooth, payload, scene, Kind, Rng, Scene};
use qrcode::EcLevel;
use tessera_core::qr::{decode_image_bytes, decode_rgba};

fn sorted(mut payloads: Vec<String>) -> Vec<String> {
    payloads.sort();
    payloads
}

fn assert_decodes(scene: &Scene, what: &str) {
    let scan = decode_image_bytes(&scene.encode()).unwrap_or_else(|err| panic!("{what}: {err}"));
    assert_eq!(
        sorted(scan.payloads),
        sorted(scene.payloads.clone()),
        "{what}"
    );
    assert!(scan.warnings.is_empty(), "{what}: {:?}", scan.warnings);
}

fn check(kind: Kind, sizes: &[(u32, u32)]) {
    for (index, &(width, height)) in sizes.iter().enumerate() {
        let scene = scene(kind, width, height, 100 + index as u64);
        assert_decodes(&scene, &format!("{} at {width}x{height}", kind.name()));
    }
}

#[test]
fn plain_code() {
    check(Kind::Plain, &[(1366, 768), (1920, 1080)]);
}

#[test]
fn several_codes_in_one_image() {
    check(Kind::Several, &[(1920, 1080)]);
}

#[test]
fn light_on_dark_code() {
    check(Kind::Inverted, &[(1366, 768), (1920, 1080)]);
}

#[test]
fn two_pixel_modules() {
    check(Kind::Small2, &[(1366, 768), (1920, 1080)]);
}

#[test]
fn three_pixel_modules() {
    check(Kind::Small3, &[(1366, 768)]);
}

#[test]
fn jpeg_artefacts_at_quality_30_to_50() {
    for (seed, quality) in [(1, 30), (2, 40), (3, 50)] {
        let mut scene = scene(Kind::Jpeg, 1366, 768, seed);
        scene.jpeg_quality = Some(quality);
        assert_decodes(&scene, &format!("JPEG quality {quality}"));
    }
}

#[test]
fn dark_blue_on_light_yellow() {
    check(Kind::Coloured, &[(1366, 768)]);
}

#[test]
fn logo_over_an_ec_level_h_code() {
    check(Kind::Logo, &[(1366, 768), (1920, 1080)]);
}

#[test]
fn small_code_on_a_4k_capture() {
    check(Kind::HiDpi, &[(3840, 2160)]);
}

#[test]
fn phone_screenshot_with_ui_chrome() {
    check(Kind::Phone, &[(1080, 2400)]);
}

#[test]
fn screens_without_a_code_give_nothing() {
    for (seed, (width, height)) in [(1366, 768), (1920, 1080), (1080, 2400)]
        .into_iter()
        .enumerate()
    {
        let scene = scene(Kind::NoCode, width, height, seed as u64);
        assert!(scene.payloads.is_empty());
        assert_decodes(&scene, &format!("no code at {width}x{height}"));
    }
}

#[test]
fn rgba_captures_decode_like_files() {
    let scene = scene(Kind::Plain, 1366, 768, 5);
    let rgba = image::DynamicImage::ImageRgb8(scene.image.clone()).into_rgba8();
    let scan = decode_rgba(rgba.width(), rgba.height(), rgba.as_raw()).unwrap();
    assert_eq!(scan.payloads, scene.payloads);
}

#[test]
fn black_on_transparent_png() {
    let payload = "otpauth://totp/ACME:jane?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
    let mut drawn = RgbImage::from_pixel(300, 300, Rgb([255, 255, 255]));
    let (dark, light) = ([0, 0, 0], [255, 255, 255]);
    draw_code(&mut drawn, payload, EcLevel::M, (10, 10), 6, dark, light);
    // Dark modules opaque black, everything else transparent black: read naively as RGB the
    // whole image is black.
    let rgba = image::RgbaImage::from_fn(300, 300, |x, y| {
        let alpha = if drawn.get_pixel(x, y).0 == dark {
            255
        } else {
            0
        };
        image::Rgba([0, 0, 0, alpha])
    });
    let mut bytes = Vec::new();
    rgba.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    assert_eq!(decode_image_bytes(&bytes).unwrap().payloads, [payload]);
}

#[test]
fn faded_gray_code() {
    check(Kind::LowContrast, &[(1366, 768), (1920, 1080)]);
}

#[test]
fn code_scaled_by_a_fractional_factor() {
    // Display scaling of 125 % to 175 % applied to 2-pixel modules; smaller fractional
    // modules are left to the benchmark, which reports how many are read.
    for (seed, module) in [(1u64, 3.0), (2, 3.5), (3, 4.25)] {
        let text = payload(&mut Rng::new(seed));
        let mut image = RgbImage::from_pixel(1366, 768, Rgb([250, 250, 250]));
        chrome(&mut image, &mut Rng::new(seed), false);
        let (dark, light) = ([0, 0, 0], [255, 255, 255]);
        draw_code_smooth(
            &mut image,
            &text,
            EcLevel::M,
            (1000.0, 400.0),
            module,
            0.0,
            dark,
            light,
        );
        let scene = Scene {
            image,
            payloads: vec![text],
            jpeg_quality: None,
        };
        assert_decodes(&scene, &format!("{module} px modules"));
    }
}

#[test]
fn turned_code() {
    check(Kind::Rotated, &[(1366, 768)]);
}

#[test]
fn three_pixel_modules_in_a_jpeg() {
    check(Kind::SmallJpeg, &[(1920, 1080)]);
}
