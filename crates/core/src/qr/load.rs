//! Turning untrusted files and buffers into grayscale pixels, within fixed limits.

use super::gray::Gray;
use super::QrError;
use image::error::ImageError;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use std::io::{Cursor, Read};
use std::path::Path;

/// Largest image file read: far above any screenshot, small enough to hold in memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// Most pixels decoded: a 100-megapixel image is larger than any screen (8K is 33 MP).
pub const MAX_PIXELS: u64 = 100_000_000;
/// Longest side accepted, so that a 1-pixel-high strip cannot reach [`MAX_PIXELS`].
const MAX_SIDE: u32 = 32_768;
/// Memory the image decoder may allocate, whatever the header claims about the pixel format.
const MAX_DECODER_BYTES: u64 = 512 << 20;

const FORMATS: [ImageFormat; 5] = [
    ImageFormat::Png,
    ImageFormat::Jpeg,
    ImageFormat::WebP,
    ImageFormat::Bmp,
    ImageFormat::Gif,
];

/// Reads a file of at most [`MAX_FILE_BYTES`], checking the size before reading, and again
/// while reading, in case the file grows in between.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, QrError> {
    let io = |source| QrError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(QrError::FileTooLarge { bytes: size });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(QrError::FileTooLarge {
            bytes: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

fn check_dimensions(width: u32, height: u32, max_pixels: u64) -> Result<(), QrError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels || width > MAX_SIDE || height > MAX_SIDE {
        return Err(QrError::TooLarge {
            width: width.into(),
            height: height.into(),
        });
    }
    Ok(())
}

/// Decodes an encoded image to grayscale after checking its size, format and dimensions.
pub(crate) fn decode(bytes: &[u8]) -> Result<Gray, QrError> {
    decode_within(bytes, MAX_PIXELS)
}

/// [`decode`] with a lower pixel limit: the fuzz target uses it so that each input takes
/// milliseconds, not the seconds a 100-megapixel header would.
pub(crate) fn decode_within(bytes: &[u8], max_pixels: u64) -> Result<Gray, QrError> {
    if bytes.is_empty() {
        return Err(QrError::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(QrError::FileTooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let reader = || -> Result<ImageReader<Cursor<&[u8]>>, QrError> {
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|err| QrError::Corrupt(err.to_string()))?;
        match reader.format() {
            Some(format) if FORMATS.contains(&format) => Ok(reader),
            Some(format) => Err(QrError::UnsupportedFormat(format!(
                ": it looks like {}",
                format.extensions_str().first().unwrap_or(&"another format")
            ))),
            None => Err(QrError::UnsupportedFormat(String::new())),
        }
    };
    let (width, height) = reader()?.into_dimensions().map_err(image_error)?;
    check_dimensions(width, height, max_pixels)?;

    let mut reader = reader()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODER_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(image_error)?;
    // A decoder could disagree with its own header; the limits above still bound memory.
    check_dimensions(image.width(), image.height(), max_pixels)?;
    Ok(to_gray(image))
}

/// Wraps an RGBA screen capture after checking that its size matches its dimensions.
pub(crate) fn from_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Gray, QrError> {
    check_dimensions(width, height, MAX_PIXELS)?;
    let expected = u64::from(width) * u64::from(height) * 4;
    if rgba.len() as u64 != expected {
        return Err(QrError::BufferSize {
            width,
            height,
            expected,
            actual: rgba.len(),
        });
    }
    Ok(Gray::from_rgba(width as usize, height as usize, rgba))
}

fn to_gray(image: DynamicImage) -> Gray {
    let (width, height) = (image.width() as usize, image.height() as usize);
    match image {
        DynamicImage::ImageLuma8(buffer) => Gray {
            width,
            height,
            pixels: buffer.into_raw(),
        },
        DynamicImage::ImageLumaA8(buffer) => Gray::from_luma_alpha(width, height, &buffer),
        DynamicImage::ImageRgb8(buffer) => Gray::from_rgb(width, height, &buffer),
        DynamicImage::ImageRgba8(buffer) => Gray::from_rgba(width, height, &buffer),
        // 16-bit and float images are rare in screenshots; one conversion keeps this short.
        other => Gray::from_rgba(width, height, &other.into_rgba8()),
    }
}

fn image_error(err: ImageError) -> QrError {
    match err {
        ImageError::Limits(limit) => QrError::MemoryLimit(limit.to_string()),
        ImageError::Unsupported(unsupported) => {
            QrError::UnsupportedFormat(format!(": {unsupported}"))
        }
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            QrError::Truncated(io.to_string())
        }
        ImageError::IoError(io) => QrError::Corrupt(io.to_string()),
        ImageError::Decoding(decoding) => {
            let message = decoding.to_string();
            let lower = message.to_ascii_lowercase();
            if lower.contains("eof") || lower.contains("end of") || lower.contains("truncat") {
                QrError::Truncated(message)
            } else {
                QrError::Corrupt(message)
            }
        }
        other => QrError::Corrupt(other.to_string()),
    }
}
