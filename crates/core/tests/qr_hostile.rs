//! Hostile images: each gets a clear error or an empty result, never a panic, and nothing is
//! decoded beyond the limits.

use std::io::Write;
use tessera_core::qr::{decode_file, decode_image_bytes, decode_rgba, QrError, MAX_FILE_BYTES};

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                crc >> 1 ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A PNG signature and IHDR claiming the given size, then an IDAT with almost nothing.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

fn encoded(format: image::ImageFormat) -> Vec<u8> {
    let image = image::RgbImage::from_fn(400, 300, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut bytes = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

#[test]
fn files_over_64_mib_are_not_read() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    // Sparse: the size is what is checked, before any byte is read.
    file.as_file().set_len(MAX_FILE_BYTES + 1).unwrap();
    file.write_all(b"\x89PNG").unwrap();
    match decode_file(file.path()) {
        Err(QrError::FileTooLarge { bytes }) => assert_eq!(bytes, MAX_FILE_BYTES + 1),
        other => panic!("expected FileTooLarge, got {other:?}"),
    }
}

#[test]
fn a_header_claiming_400_megapixels_is_refused_before_decoding() {
    match decode_image_bytes(&png_header(20_000, 20_000)) {
        Err(QrError::TooLarge { width, height }) => assert_eq!((width, height), (20_000, 20_000)),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn a_decompression_bomb_hits_the_memory_limit() {
    // 9000 x 8000 RGBA at 16 bits is 576 MB of pixels, under the pixel limit but over the
    // decoder's memory cap; its zeros compress to well under a megabyte.
    let (width, height) = (9000u32, 8000u32);
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Sixteen);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; width as usize * 8];
        for _ in 0..height {
            stream.write_all(&row).unwrap();
        }
        stream.finish().unwrap();
    }
    assert!(bytes.len() < 4 << 20, "the bomb is {} bytes", bytes.len());
    match decode_image_bytes(&bytes) {
        Err(QrError::MemoryLimit(_)) => {}
        other => panic!("expected MemoryLimit, got {other:?}"),
    }
}

#[test]
fn truncated_png_is_an_error() {
    let png = encoded(image::ImageFormat::Png);
    match decode_image_bytes(&png[..png.len() / 2]) {
        Err(QrError::Truncated(_)) => {}
        other => panic!("expected Truncated, got {other:?}"),
    }
    // Cut inside the header.
    match decode_image_bytes(&png[..20]) {
        Err(QrError::Truncated(_)) => {}
        other => panic!("expected Truncated, got {other:?}"),
    }
}

#[test]
fn truncated_jpeg_is_an_error_or_empty() {
    let jpeg = encoded(image::ImageFormat::Jpeg);
    match decode_image_bytes(&jpeg[..jpeg.len() / 2]) {
        Err(QrError::Truncated(_) | QrError::Corrupt(_)) => {}
        Ok(scan) => assert!(scan.payloads.is_empty()),
        other => panic!("expected an error or nothing, got {other:?}"),
    }
}

#[test]
fn a_text_file_named_png_is_not_an_image() {
    let mut file = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    file.write_all(b"otpauth://totp/not-an-image?secret=JBSWY3DPEHPK3PXP\n")
        .unwrap();
    match decode_file(file.path()) {
        Err(QrError::UnsupportedFormat(_)) => {}
        other => panic!("expected UnsupportedFormat, got {other:?}"),
    }
}

#[test]
fn an_empty_file_is_an_error() {
    let file = tempfile::NamedTempFile::new().unwrap();
    assert!(matches!(decode_file(file.path()), Err(QrError::Empty)));
}

#[test]
fn a_missing_file_names_itself() {
    let err = decode_file(std::path::Path::new("/nonexistent/qr.png")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/qr.png"), "{err}");
}

#[test]
fn a_one_pixel_image_holds_nothing() {
    let image = image::RgbImage::new(1, 1);
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    assert!(decode_image_bytes(&bytes).unwrap().payloads.is_empty());
    assert!(decode_rgba(1, 1, &[0, 0, 0, 255])
        .unwrap()
        .payloads
        .is_empty());
    assert!(decode_rgba(0, 0, &[]).unwrap().payloads.is_empty());
}

#[test]
fn rgba_buffers_must_match_their_size() {
    assert!(matches!(
        decode_rgba(10, 10, &[0; 399]),
        Err(QrError::BufferSize {
            expected: 400,
            actual: 399,
            ..
        })
    ));
    assert!(matches!(
        decode_rgba(20_000, 20_000, &[]),
        Err(QrError::TooLarge { .. })
    ));
}

#[test]
fn random_bytes_behind_image_signatures_never_panic() {
    let signatures: [&[u8]; 5] = [
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff\xe0",
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"BM",
        b"GIF89a",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for signature in signatures {
        for _ in 0..50 {
            let mut bytes = signature.to_vec();
            for _ in 0..200 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                bytes.push(state as u8);
            }
            // Any outcome but a panic is fine; errors must name a problem.
            if let Err(err) = decode_image_bytes(&bytes) {
                assert!(!err.to_string().is_empty());
            }
        }
    }
}
