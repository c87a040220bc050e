//! The second decoder: `rxing` (a Rust port of ZXing) on the areas where finder patterns were
//! seen but rqrr read nothing.
//!
//! rqrr samples a code's grid from its three finders and one alignment pattern; on dense codes
//! (version 10 and above) at 2-3 pixels per module, on smoothed or JPEG-damaged modules and
//! on codes scaled by a fractional zoom, that grid drifts and the code is lost. ZXing's
//! detector fits the grid differently (finder centres estimated from cross checks, module size
//! from the finders, a search for the alignment pattern) and its hybrid binarizer works on
//! 8x8 blocks; on the browser-rendered pages corpus it reads codes rqrr misses, and rqrr
//! reads codes it misses (docs/benchmarks.md). It runs only on areas that need it: a screen
//! without finder patterns never reaches it.

use super::finders::Area;
use super::gray::Gray;
use super::QrWarning;
use rxing::{BarcodeFormat, DecodeHints};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What rxing read in one area: payloads, with the area each came from in full-resolution
/// pixels, and the warnings met.
#[derive(Default)]
pub(crate) struct Read {
    pub(crate) payloads: Vec<(String, Area)>,
    pub(crate) warnings: Vec<QrWarning>,
}

/// Runs rxing on `area` of `gray`, with dark and light swapped when `inverted` (ZXing reads
/// dark-on-light codes only).
pub(crate) fn read_area(gray: &Gray, area: Area, inverted: bool) -> Read {
    // Areas from a downscaled pass may reach past the image by a partial block.
    let area = Area {
        right: area.right.min(gray.width),
        bottom: area.bottom.min(gray.height),
        ..area
    };
    let (width, height) = area.size();
    let mut read = Read::default();
    if width < super::passes::MIN_SIDE || height < super::passes::MIN_SIDE {
        return read;
    }
    let mut luma = Vec::with_capacity(width * height);
    for y in area.top..area.bottom {
        let row = &gray.pixels[y * gray.width + area.left..y * gray.width + area.right];
        if inverted {
            luma.extend(row.iter().map(|&value| 255 - value));
        } else {
            luma.extend_from_slice(row);
        }
    }
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        let mut hints = DecodeHints {
            TryHarder: Some(true),
            PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
            ..DecodeHints::default()
        };
        rxing::helpers::detect_multiple_in_luma_with_hints(
            luma,
            width as u32,
            height as u32,
            &mut hints,
        )
    }));
    match decoded {
        Ok(Ok(results)) => {
            for result in results {
                read.payloads.push((
                    result.getText().to_owned(),
                    bounds(result.getPoints(), area),
                ));
            }
        }
        // "Not found" and damaged codes are the usual answers on areas without a code.
        Ok(Err(_)) => {}
        Err(panic) => read
            .warnings
            .push(QrWarning::DecoderPanic(super::passes::panic_message(
                panic.as_ref(),
            ))),
    }
    read
}

/// The box of a result's points (finder and alignment centres), grown by a finder's width,
/// as the code's modules reach beyond the centres; clipped to `area`.
fn bounds(points: &[rxing::Point], area: Area) -> Area {
    if points.is_empty() {
        return area;
    }
    let xs = points.iter().map(|p| p.x);
    let ys = points.iter().map(|p| p.y);
    let (left, right) = (xs.clone().fold(f32::MAX, f32::min), xs.fold(0.0, f32::max));
    let (top, bottom) = (ys.clone().fold(f32::MAX, f32::min), ys.fold(0.0, f32::max));
    let grow = ((right - left).max(bottom - top) / 6.0).max(4.0);
    let (width, height) = area.size();
    let clip = |value: f32, limit: usize| value.clamp(0.0, limit as f32) as usize;
    Area {
        left: area.left + clip(left - grow, width),
        top: area.top + clip(top - grow, height),
        right: area.left + clip(right + grow, width),
        bottom: area.top + clip(bottom + grow, height),
    }
}
