//! Image -> every QR code payload in it: screenshots, saved images, screen captures.
//!
//! Every image is hostile input. Files are size-checked before they are read, dimensions are
//! read from the header before any pixel is decoded, the decoder's allocations are capped, and
//! a panic inside the QR decoder is contained and reported as a warning.
//!
//! Decoding is `rqrr` behind thresholding of our own ([`binarize`]): rqrr's built-in
//! thresholding is slow on large captures and sees only dark-on-light codes. We look in both
//! polarities (on two cores), first on a downscaled copy (codes on screens are big), then at
//! full resolution for codes with 2-3 pixel modules, and dedupe what the passes find (see
//! [`passes`]). rqrr runs only around groups of three finder-like patterns ([`finders`]), so
//! a screen without a code costs the row scans alone.
//!
//! Where finder patterns were seen but rqrr read nothing, `rxing` (a port of ZXing) reads the
//! area ([`second`]). On browser-rendered setup pages rqrr alone read 114 of 160 codes that
//! zxing-cpp read 154 of; with rxing on its failures, 154 (docs/benchmarks.md). rxing's memory
//! is bounded by the area it is given, and its panics are caught like rqrr's.

mod binarize;
mod finders;
mod gray;
mod load;
mod passes;
pub mod render;
mod second;

pub use load::{MAX_FILE_BYTES, MAX_PIXELS};

use std::path::{Path, PathBuf};

/// An image that cannot be searched for QR codes.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("the file is {bytes} bytes; images over {} MiB are not read", MAX_FILE_BYTES >> 20)]
    FileTooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
    /// There are no bytes at all.
    #[error("the file is empty")]
    Empty,
    /// The bytes are not PNG, JPEG, WebP, BMP or GIF.
    #[error("not an image in a supported format (PNG, JPEG, WebP, BMP, GIF){0}")]
    UnsupportedFormat(String),
    /// The image has more than [`MAX_PIXELS`] pixels, or a side over the limit.
    #[error("the image is {width}x{height} pixels; at most {} megapixels are read", MAX_PIXELS / 1_000_000)]
    TooLarge {
        /// Width in pixels, as the header claims.
        width: u64,
        /// Height in pixels, as the header claims.
        height: u64,
    },
    /// Decoding would need more memory than allowed: a decompression bomb or a huge format.
    #[error("decoding the image would need more memory than allowed: {0}")]
    MemoryLimit(String),
    /// The file ends before the image does.
    #[error("the image is truncated: {0}")]
    Truncated(String),
    /// The image data is damaged.
    #[error("the image is damaged: {0}")]
    Corrupt(String),
    /// A pixel buffer does not match its stated dimensions.
    #[error("a {width}x{height} RGBA image needs {expected} bytes, not {actual}")]
    BufferSize {
        /// Stated width.
        width: u32,
        /// Stated height.
        height: u32,
        /// Bytes the dimensions need.
        expected: u64,
        /// Bytes given.
        actual: usize,
    },
}

/// Something the user should hear about a scan that still produced a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrWarning {
    /// The QR decoder crashed on part of the image; codes found elsewhere are still returned.
    DecoderPanic(String),
    /// A code holds bytes that are not UTF-8 text, so it cannot be an account URI.
    NotText {
        /// Its length in bytes.
        bytes: usize,
    },
}

impl std::fmt::Display for QrWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QrWarning::DecoderPanic(message) => {
                write!(f, "the QR decoder failed on part of the image: {message}")
            }
            QrWarning::NotText { bytes } => {
                write!(f, "a QR code holds {bytes} bytes of binary data, not text")
            }
        }
    }
}

/// What a scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QrScan {
    /// Every distinct payload, in the order found.
    pub payloads: Vec<String>,
    /// Problems met on the way.
    pub warnings: Vec<QrWarning>,
}

/// Finds the QR codes in an encoded image (PNG, JPEG, WebP, BMP or GIF).
pub fn decode_image_bytes(bytes: &[u8]) -> Result<QrScan, QrError> {
    let image = load::decode(bytes)?;
    Ok(passes::scan(&image))
}

/// [`decode_image_bytes`] refusing images over `max_pixels`.
pub(crate) fn decode_image_bytes_within(bytes: &[u8], max_pixels: u64) -> Result<QrScan, QrError> {
    let image = load::decode_within(bytes, max_pixels)?;
    Ok(passes::scan(&image))
}

/// Finds the QR codes in an RGBA buffer of `width` x `height` pixels, row by row, as screen
/// captures deliver them.
pub fn decode_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<QrScan, QrError> {
    let image = load::from_rgba(width, height, rgba)?;
    Ok(passes::scan(&image))
}

/// Finds the QR codes in an image file; its size is checked before it is read.
pub fn decode_file(path: &Path) -> Result<QrScan, QrError> {
    let bytes = load::read_file(path)?;
    decode_image_bytes(&bytes)
}
