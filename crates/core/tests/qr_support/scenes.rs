//! Synthetic screens with QR codes of known payloads: the truth beside each image. Shared by
//! the QR tests and the benchmark corpus generator (`examples/qr_bench.rs` includes this file).

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, Rgb, RgbImage};
use qrcode::{Color, EcLevel, QrCode};
use std::io::Cursor;

/// What a scene exercises; the benchmark reports recall per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One black-on-white code among UI chrome.
    Plain,
    /// Three codes on one screen.
    Several,
    /// A light code on a dark page.
    Inverted,
    /// Modules of 2 pixels.
    Small2,
    /// Modules of 3 pixels.
    Small3,
    /// Saved as JPEG at quality 30 to 50.
    Jpeg,
    /// Dark blue on light yellow.
    Coloured,
    /// A logo over the centre of an EC level H code.
    Logo,
    /// A 3840x2160 capture with a small code (HiDPI screen, 4 px modules).
    HiDpi,
    /// A phone screenshot (1080x2400) with status bar, buttons and text.
    Phone,
    /// Scaled by a fractional factor with smoothing (2.5 to 4.5 px modules), as display
    /// scaling at 125 % or 150 % draws codes.
    Scaled,
    /// Turned by 5 to 40 degrees, smoothed, as in a photo or a tilted picture on a page.
    Rotated,
    /// Dark gray on light gray: a faded code, half the usual contrast.
    LowContrast,
    /// 3 px modules saved as JPEG at quality 40.
    SmallJpeg,
    /// No code at all: any payload is a false positive.
    NoCode,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 15] = [
        Kind::Plain,
        Kind::Several,
        Kind::Inverted,
        Kind::Small2,
        Kind::Small3,
        Kind::Jpeg,
        Kind::Coloured,
        Kind::Logo,
        Kind::HiDpi,
        Kind::Phone,
        Kind::Scaled,
        Kind::Rotated,
        Kind::LowContrast,
        Kind::SmallJpeg,
        Kind::NoCode,
    ];

    /// A short name for tables and file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plain => "plain",
            Kind::Several => "several",
            Kind::Inverted => "inverted",
            Kind::Small2 => "small-2px",
            Kind::Small3 => "small-3px",
            Kind::Jpeg => "jpeg",
            Kind::Coloured => "coloured",
            Kind::Logo => "logo",
            Kind::HiDpi => "hidpi-4k",
            Kind::Phone => "phone",
            Kind::Scaled => "scaled",
            Kind::Rotated => "rotated",
            Kind::LowContrast => "low-contrast",
            Kind::SmallJpeg => "small-jpeg",
            Kind::NoCode => "no-code",
        }
    }
}

/// A rendered screen and the payloads it holds.
pub struct Scene {
    /// The pixels.
    pub image: RgbImage,
    /// The payloads of the codes drawn on it, in drawing order.
    pub payloads: Vec<String>,
    /// Set for scenes saved as JPEG, at this quality.
    pub jpeg_quality: Option<u8>,
}

impl Scene {
    /// The file bytes: PNG, or JPEG for JPEG scenes.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        match self.jpeg_quality {
            Some(quality) => self
                .image
                .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, quality))
                .expect("JPEG encoding into memory"),
            None => self
                .image
                .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
                .expect("PNG encoding into memory"),
        }
        bytes
    }

    /// The file extension matching [`Scene::encode`].
    pub fn extension(&self) -> &'static str {
        if self.jpeg_quality.is_some() {
            "jpg"
        } else {
            "png"
        }
    }
}

/// A small deterministic generator, so every run draws the same scenes.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    /// The next value in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

/// An enrollment URI like the ones services show, different for each seed.
pub fn payload(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const ISSUERS: [&str; 5] = ["GitHub", "ACME Corp", "Example", "Mastodon", "Proton"];
    let secret: String = (0..32)
        .map(|_| ALPHABET[rng.below(32) as usize] as char)
        .collect();
    let issuer = ISSUERS[rng.below(ISSUERS.len() as u64) as usize];
    let user = rng.below(100_000);
    format!(
        "otpauth://totp/{}:user{user}%40example.com?secret={secret}&issuer={}",
        issuer.replace(' ', "%20"),
        issuer.replace(' ', "%20")
    )
}

/// The modules of `payload` as rows of booleans (true = dark), with a 4-module quiet zone.
pub fn modules(payload: &str, level: EcLevel) -> Vec<Vec<bool>> {
    let code = QrCode::with_error_correction_level(payload, level).expect("payload fits a code");
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let side = width + 2 * quiet;
    (0..side)
        .map(|y| {
            (0..side)
                .map(|x| {
                    x >= quiet
                        && y >= quiet
                        && x < quiet + width
                        && y < quiet + width
                        && colors[(y - quiet) * width + (x - quiet)] == Color::Dark
                })
                .collect()
        })
        .collect()
}

/// Draws `payload` with its top-left corner (quiet zone included) at (x, y); returns the side.
pub fn draw_code(
    image: &mut RgbImage,
    payload: &str,
    level: EcLevel,
    (x, y): (u32, u32),
    module: u32,
    dark: [u8; 3],
    light: [u8; 3],
) -> u32 {
    let modules = modules(payload, level);
    let side = modules.len() as u32 * module;
    for (row, line) in modules.iter().enumerate() {
        for (column, &is_dark) in line.iter().enumerate() {
            let color = if is_dark { dark } else { light };
            fill(
                image,
                x + column as u32 * module,
                y + row as u32 * module,
                module,
                module,
                color,
            );
        }
    }
    side
}

/// Draws `payload` centred on `centre`, with modules of `module` pixels (fractional allowed),
/// turned by `degrees`, each pixel coloured by how much of it 4x4 samples find dark: the
/// smoothing a scaler or a camera applies.
#[allow(clippy::too_many_arguments)]
pub fn draw_code_smooth(
    image: &mut RgbImage,
    payload: &str,
    level: EcLevel,
    centre: (f64, f64),
    module: f64,
    degrees: f64,
    dark: [u8; 3],
    light: [u8; 3],
) {
    let modules = modules(payload, level);
    let count = modules.len() as f64;
    let (sin, cos) = degrees.to_radians().sin_cos();
    let half = count * module / 2.0;
    // Every pixel within the rotated square's circumscribed circle.
    let reach = half * std::f64::consts::SQRT_2 + 2.0;
    let (x0, x1) = (
        (centre.0 - reach).max(0.0) as u32,
        (centre.0 + reach).min(image.width() as f64) as u32,
    );
    let (y0, y1) = (
        (centre.1 - reach).max(0.0) as u32,
        (centre.1 + reach).min(image.height() as f64) as u32,
    );
    for y in y0..y1 {
        for x in x0..x1 {
            let (mut inside, mut dark_samples) = (0, 0);
            for sy in 0..4 {
                for sx in 0..4 {
                    let px = x as f64 + (sx as f64 + 0.5) / 4.0 - centre.0;
                    let py = y as f64 + (sy as f64 + 0.5) / 4.0 - centre.1;
                    // Into the code's frame: undo the rotation, then find the module.
                    let u = (px * cos + py * sin + half) / module;
                    let v = (-px * sin + py * cos + half) / module;
                    if u < 0.0 || v < 0.0 || u >= count || v >= count {
                        continue;
                    }
                    inside += 1;
                    if modules[v as usize][u as usize] {
                        dark_samples += 1;
                    }
                }
            }
            if inside == 0 {
                continue;
            }
            let old = image.get_pixel(x, y).0;
            let mut color = [0u8; 3];
            for channel in 0..3 {
                let code = (f64::from(dark[channel]) * dark_samples as f64
                    + f64::from(light[channel]) * (inside - dark_samples) as f64)
                    / inside as f64;
                let outside = f64::from(old[channel]) * (16 - inside) as f64;
                color[channel] = ((code * inside as f64 + outside) / 16.0).round() as u8;
            }
            image.put_pixel(x, y, Rgb(color));
        }
    }
}

/// The side in pixels of `payload`'s code with `module`-pixel modules.
pub fn code_side(payload: &str, level: EcLevel, module: u32) -> u32 {
    modules(payload, level).len() as u32 * module
}

/// Fills a rectangle, clipped to the image.
pub fn fill(image: &mut RgbImage, x: u32, y: u32, width: u32, height: u32, color: [u8; 3]) {
    for yy in y..(y + height).min(image.height()) {
        for xx in x..(x + width).min(image.width()) {
            image.put_pixel(xx, yy, Rgb(color));
        }
    }
}

/// Window-manager-like chrome: a title bar, a side bar, buttons and lines of "words".
pub fn chrome(image: &mut RgbImage, rng: &mut Rng, dark_mode: bool) {
    let (width, height) = image.dimensions();
    let (bar, ink) = if dark_mode {
        ([45, 45, 50], [200, 200, 205])
    } else {
        ([225, 228, 232], [40, 40, 45])
    };
    fill(image, 0, 0, width, height / 24 + 8, bar);
    fill(image, 0, 0, width / 6, height, bar);
    for button in 0..4 {
        let x = width / 6 + 20 + button * (width / 10);
        fill(
            image,
            x,
            height / 12,
            width / 12,
            height / 30,
            [60, 110, 220],
        );
    }
    // Text: words of random length in lines, in the left half and the bottom band.
    let line_height = (height / 60).max(8);
    let mut y = height / 6;
    while y + line_height < height - 10 {
        let mut x = width / 6 + 20;
        while x < width / 2 {
            let word = (rng.below(8) as u32 + 2) * line_height / 2;
            fill(image, x, y, word, line_height * 2 / 3, ink);
            x += word + line_height / 2;
        }
        y += line_height * 2;
    }
}

fn background(width: u32, height: u32, color: [u8; 3]) -> RgbImage {
    RgbImage::from_pixel(width, height, Rgb(color))
}

/// Places a code of `module`-pixel modules at a random spot of the right half of the screen.
fn place(
    image: &mut RgbImage,
    rng: &mut Rng,
    payload: &str,
    level: EcLevel,
    module: u32,
    colors: ([u8; 3], [u8; 3]),
) -> (u32, u32, u32) {
    let side = code_side(payload, level, module);
    let (width, height) = image.dimensions();
    let span_x = (width / 2).saturating_sub(side + 10).max(1);
    let span_y = height.saturating_sub(side + height / 8 + 10).max(1);
    let x = width / 2 + rng.below(u64::from(span_x)) as u32;
    let y = height / 8 + rng.below(u64::from(span_y)) as u32;
    draw_code(image, payload, level, (x, y), module, colors.0, colors.1);
    (x, y, side)
}

/// A scene of `kind` at `width` x `height` (HiDpi and Phone scenes pick their own size).
pub fn scene(kind: Kind, width: u32, height: u32, seed: u64) -> Scene {
    let mut rng = Rng::new(seed);
    let (width, height) = match kind {
        Kind::HiDpi => (3840, 2160),
        Kind::Phone => (1080, 2400),
        _ => (width, height),
    };
    const BLACK: [u8; 3] = [0, 0, 0];
    const WHITE: [u8; 3] = [255, 255, 255];
    let dark_mode = kind == Kind::Inverted;
    let mut image = background(
        width,
        height,
        if dark_mode {
            [30, 30, 34]
        } else {
            [250, 250, 250]
        },
    );
    if kind != Kind::Phone {
        chrome(&mut image, &mut rng, dark_mode);
    }
    // Screens show codes with modules from 4 to 10 pixels, more on large screens.
    let screen_module = (width.min(height) / 180).max(4) + rng.below(3) as u32;
    let mut payloads = Vec::new();
    let mut jpeg_quality = None;
    match kind {
        Kind::Plain | Kind::Jpeg => {
            let text = payload(&mut rng);
            place(
                &mut image,
                &mut rng,
                &text,
                EcLevel::M,
                screen_module,
                (BLACK, WHITE),
            );
            payloads.push(text);
            if kind == Kind::Jpeg {
                jpeg_quality = Some(30 + rng.below(21) as u8);
            }
        }
        Kind::Several => {
            let module = (width.min(height) / 300).max(3);
            let mut x = width / 6 + 30;
            for _ in 0..3 {
                let text = payload(&mut rng);
                let side = code_side(&text, EcLevel::M, module);
                let y = height / 5 + rng.below(u64::from(height / 3)) as u32;
                draw_code(&mut image, &text, EcLevel::M, (x, y), module, BLACK, WHITE);
                x += side + 20 + rng.below(40) as u32;
                payloads.push(text);
            }
        }
        Kind::Inverted => {
            let text = payload(&mut rng);
            let colors = ([235, 235, 235], [30, 30, 34]);
            place(
                &mut image,
                &mut rng,
                &text,
                EcLevel::M,
                screen_module,
                colors,
            );
            payloads.push(text);
        }
        Kind::Small2 | Kind::Small3 => {
            let module = if kind == Kind::Small2 { 2 } else { 3 };
            let text = payload(&mut rng);
            place(
                &mut image,
                &mut rng,
                &text,
                EcLevel::M,
                module,
                (BLACK, WHITE),
            );
            payloads.push(text);
        }
        Kind::Coloured => {
            let text = payload(&mut rng);
            let colors = ([20, 30, 120], [255, 250, 200]);
            place(
                &mut image,
                &mut rng,
                &text,
                EcLevel::M,
                screen_module,
                colors,
            );
            payloads.push(text);
        }
        Kind::Logo => {
            let text = payload(&mut rng);
            let (x, y, side) = place(
                &mut image,
                &mut rng,
                &text,
                EcLevel::H,
                screen_module,
                (BLACK, WHITE),
            );
            // About 6 % of the code's area, well inside what level H restores.
            let logo = side / 5;
            let (lx, ly) = (x + (side - logo) / 2, y + (side - logo) / 2);
            fill(&mut image, lx, ly, logo, logo, [255, 255, 255]);
            fill(
                &mut image,
                lx + logo / 8,
                ly + logo / 8,
                logo * 3 / 4,
                logo * 3 / 4,
                [220, 60, 40],
            );
            payloads.push(text);
        }
        Kind::HiDpi => {
            let text = payload(&mut rng);
            place(&mut image, &mut rng, &text, EcLevel::M, 4, (BLACK, WHITE));
            payloads.push(text);
        }
        Kind::Phone => {
            phone_chrome(&mut image, &mut rng);
            let text = payload(&mut rng);
            let module = 8 + rng.below(5) as u32;
            let side = code_side(&text, EcLevel::M, module);
            let x = (width - side) / 2;
            let y = height / 4 + rng.below(u64::from(height / 5)) as u32;
            draw_code(&mut image, &text, EcLevel::M, (x, y), module, BLACK, WHITE);
            payloads.push(text);
        }
        Kind::Scaled | Kind::Rotated => {
            let text = payload(&mut rng);
            let (module, degrees) = if kind == Kind::Scaled {
                (2.5 + rng.below(9) as f64 / 4.0, 0.0)
            } else {
                (4.0 + rng.below(9) as f64 / 4.0, 5.0 + rng.below(36) as f64)
            };
            let side = modules(&text, EcLevel::M).len() as f64 * module * 1.5;
            let span_x = (f64::from(width) / 2.0 - side).max(1.0);
            let span_y = (f64::from(height) * 0.8 - side).max(1.0);
            let centre = (
                f64::from(width) / 2.0 + side / 2.0 + rng.below(span_x as u64) as f64,
                f64::from(height) / 8.0 + side / 2.0 + rng.below(span_y as u64) as f64,
            );
            draw_code_smooth(
                &mut image,
                &text,
                EcLevel::M,
                centre,
                module,
                degrees,
                BLACK,
                WHITE,
            );
            payloads.push(text);
        }
        Kind::LowContrast => {
            let text = payload(&mut rng);
            let colors = ([110, 110, 110], [200, 200, 200]);
            place(
                &mut image,
                &mut rng,
                &text,
                EcLevel::M,
                screen_module,
                colors,
            );
            payloads.push(text);
        }
        Kind::SmallJpeg => {
            let text = payload(&mut rng);
            place(&mut image, &mut rng, &text, EcLevel::M, 3, (BLACK, WHITE));
            payloads.push(text);
            jpeg_quality = Some(40);
        }
        Kind::NoCode => {
            // Checkerboards and stripes: patterns a careless detector might read as finders.
            let cell = 4 + rng.below(6) as u32;
            for row in 0..20 {
                for column in 0..20 {
                    if (row + column) % 2 == 0 {
                        fill(
                            &mut image,
                            width / 2 + column * cell,
                            height / 3 + row * cell,
                            cell,
                            cell,
                            BLACK,
                        );
                    }
                }
            }
            for stripe in 0..12 {
                fill(
                    &mut image,
                    width / 2,
                    height * 2 / 3 + stripe * 6,
                    width / 3,
                    3,
                    BLACK,
                );
            }
        }
    }
    Scene {
        image,
        payloads,
        jpeg_quality,
    }
}

/// A phone app screen: status bar, header, list rows and a bottom button.
fn phone_chrome(image: &mut RgbImage, rng: &mut Rng) {
    let (width, height) = image.dimensions();
    fill(image, 0, 0, width, 90, [20, 20, 20]);
    for icon in 0..4 {
        fill(image, width - 60 - icon * 50, 30, 30, 30, [230, 230, 230]);
    }
    fill(image, 0, 90, width, 170, [30, 90, 200]);
    fill(image, 60, 150, 400, 50, [255, 255, 255]);
    for row in 0..4 {
        let y = height * 2 / 3 + row * 120;
        fill(image, 60, y, 80, 80, [200, 200, 210]);
        fill(
            image,
            180,
            y + 10,
            300 + rng.below(400) as u32,
            30,
            [60, 60, 60],
        );
        fill(
            image,
            180,
            y + 55,
            200 + rng.below(300) as u32,
            20,
            [150, 150, 150],
        );
    }
    fill(image, 100, height - 220, width - 200, 120, [30, 90, 200]);
}
