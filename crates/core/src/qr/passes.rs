//! The search: which images rqrr looks at, in which order, and what is kept.
//!
//! 1. A copy downscaled so its longest side is at most [`COARSE_SIDE`]: codes on screens have
//!    modules of 4 px or more, which survive, and the search costs a fraction of full size.
//! 2. The full-resolution image, for small codes (2-3 px modules) that the copy blurs away.
//!
//! Each image is thresholded in both polarities. All passes always run: a code found in one
//! pass says nothing about a smaller code elsewhere, so stopping early would lose codes.

use super::binarize::{LocalMeans, Polarity};
use super::gray::Gray;
use super::{QrScan, QrWarning};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Longest side of the downscaled copy searched first.
const COARSE_SIDE: usize = 1000;
/// The smallest QR code (version 1) is 21 modules wide; nothing smaller can hold one.
const MIN_SIDE: usize = 21;
/// How far a pixel must stand out from its local mean to count as a module: above JPEG noise
/// in flat areas, well below the contrast of any readable code.
const MARGIN: u8 = 10;

/// Searches `gray` for QR codes; see the module documentation for the passes.
pub(crate) fn scan(gray: &Gray) -> QrScan {
    let mut scan = QrScan::default();
    if gray.width < MIN_SIDE || gray.height < MIN_SIDE {
        return scan;
    }
    let factor = gray.width.max(gray.height).div_ceil(COARSE_SIDE);
    if factor > 1 {
        search(&gray.downscale(factor), &mut scan);
    }
    search(gray, &mut scan);
    scan
}

fn search(gray: &Gray, scan: &mut QrScan) {
    if gray.width < MIN_SIDE || gray.height < MIN_SIDE {
        return;
    }
    let radius = (gray.width.max(gray.height) / 16).max(8);
    let means = LocalMeans::new(gray, radius);
    for polarity in [Polarity::DarkOnLight, Polarity::LightOnDark] {
        detect(gray, &means, polarity, scan);
    }
}

/// Runs rqrr on one thresholded image. Its panics are caught per stage, so a crash on one
/// grid does not lose the others.
fn detect(gray: &Gray, means: &LocalMeans, polarity: Polarity, scan: &mut QrScan) {
    let (width, height) = (gray.width, gray.height);
    let detected = catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| {
            means.is_module(gray, x, y, polarity, MARGIN)
        });
        let grids = prepared.detect_grids();
        grids
            .into_iter()
            .map(|grid| {
                catch_unwind(AssertUnwindSafe(|| {
                    let mut payload = Vec::new();
                    grid.decode_to(&mut payload).ok().map(|_| payload)
                }))
            })
            .collect::<Vec<_>>()
    }));
    let decoded = match detected {
        Ok(decoded) => decoded,
        Err(panic) => {
            scan.warnings
                .push(QrWarning::DecoderPanic(panic_message(panic.as_ref())));
            return;
        }
    };
    for result in decoded {
        match result {
            Ok(Some(payload)) => keep(payload, scan),
            Ok(None) => {}
            Err(panic) => scan
                .warnings
                .push(QrWarning::DecoderPanic(panic_message(panic.as_ref()))),
        }
    }
}

fn keep(payload: Vec<u8>, scan: &mut QrScan) {
    match String::from_utf8(payload) {
        Ok(text) => {
            if !scan.payloads.contains(&text) {
                scan.payloads.push(text);
            }
        }
        Err(err) => {
            let warning = QrWarning::NotText {
                bytes: err.as_bytes().len(),
            };
            if !scan.warnings.contains(&warning) {
                scan.warnings.push(warning);
            }
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
