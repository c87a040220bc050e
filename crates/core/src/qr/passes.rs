//! The search: which images rqrr looks at, in which order, and what is kept.
//!
//! 1. A copy downscaled so its longest side is at most [`COARSE_SIDE`] (the image itself when
//!    it is smaller), thresholded against a large window (1/16 of its side): codes on screens
//!    are big, and their modules survive the downscaling.
//! 2. The full-resolution image against a small window ([`SMALL_RADIUS`]), for small codes
//!    (2-7 px modules), blurred or scaled ones, and faded ones: a small window keeps the
//!    threshold halfway between a code's own dark and light, where a large one takes in the
//!    page around the code.
//!
//! Each image is thresholded in both polarities, so light-on-dark codes are found too. rqrr
//! runs only around finder-like patterns not inside codes already decoded
//! ([`super::finders`]). All passes always run: a code found in one says nothing about a
//! smaller code elsewhere, so stopping early would lose codes.

use super::binarize::{LocalMeans, Polarity};
use super::finders::{search_areas, Area};
use super::gray::Gray;
use super::second;
use super::{QrScan, QrWarning};
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Longest side of the downscaled copy searched first.
const COARSE_SIDE: usize = 1000;
/// Window radius of the full-resolution pass. A finder's 3-module centre must not fill the
/// window, which holds for modules up to about 7 px; larger ones are the coarse pass's.
/// Chosen on the benchmark corpus: 8 and 16 found fewer codes.
const SMALL_RADIUS: usize = 12;
/// The smallest QR code (version 1) is 21 modules wide; nothing smaller can hold one.
pub(crate) const MIN_SIDE: usize = 21;
/// How far a pixel must stand out from its local mean to count as a module: above JPEG noise
/// in flat areas, well below the contrast of any readable code.
const MARGIN: u8 = 10;

/// What the passes found so far.
#[derive(Default)]
struct Found {
    scan: QrScan,
    /// Where decoded codes lie, in full-resolution pixels.
    codes: Vec<Area>,
    /// Areas with finder patterns where rqrr read nothing, in full-resolution pixels, and the
    /// polarity they were seen in: the second decoder's work.
    failed: Vec<(Area, Polarity)>,
}

/// Searches `gray` for QR codes; see the module documentation for the passes.
pub(crate) fn scan(gray: &Gray) -> QrScan {
    let mut found = Found::default();
    if gray.width < MIN_SIDE || gray.height < MIN_SIDE {
        return found.scan;
    }
    let factor = gray.width.max(gray.height).div_ceil(COARSE_SIDE);
    let coarse = gray.downscale(factor);
    let radius = (coarse.width.max(coarse.height) / 16).max(8);
    search(&coarse, factor, radius, &mut found);
    search(gray, 1, SMALL_RADIUS, &mut found);
    second_decoder(gray, &mut found);
    found.scan
}

/// Runs [`second::read_area`] on the areas rqrr failed on, merged where they overlap and left
/// out where a code was read since; on all cores, merged in the order of the areas.
fn second_decoder(gray: &Gray, found: &mut Found) {
    let mut areas: Vec<(Area, Polarity)> = Vec::new();
    for &(area, polarity) in &found.failed {
        if found.codes.iter().any(|code| code.overlaps(&area)) {
            continue;
        }
        match areas
            .iter_mut()
            .find(|(other, p)| *p == polarity && other.overlaps(&area))
        {
            Some((other, _)) => *other = other.union(&area),
            None => areas.push((area, polarity)),
        }
    }
    let reads: Vec<second::Read> = areas
        .par_iter()
        .map(|&(area, polarity)| second::read_area(gray, area, polarity == Polarity::LightOnDark))
        .collect();
    for read in reads {
        for (payload, area) in read.payloads {
            found.codes.push(area);
            keep(payload.into_bytes(), &mut found.scan);
        }
        for warning in read.warnings {
            if !found.scan.warnings.contains(&warning) {
                found.scan.warnings.push(warning);
            }
        }
    }
}

/// One pass over `gray`, an image `scale` times smaller than the original, thresholded
/// against the mean of a window of `radius` pixels around each pixel. The two polarities are
/// searched at once, on two cores when there are; what they find is merged in polarity order,
/// so the result does not depend on which finishes first.
fn search(gray: &Gray, scale: usize, radius: usize, found: &mut Found) {
    if gray.width < MIN_SIDE || gray.height < MIN_SIDE {
        return;
    }
    let means = LocalMeans::new(gray, radius);
    let known = &found.codes;
    let (dark, light) = rayon::join(
        || search_polarity(gray, &means, Polarity::DarkOnLight, scale, known),
        || search_polarity(gray, &means, Polarity::LightOnDark, scale, known),
    );
    for polarity in [dark, light] {
        found.codes.extend(polarity.codes);
        found.failed.extend(polarity.failed);
        for payload in polarity.scan.payloads {
            keep(payload.into_bytes(), &mut found.scan);
        }
        for warning in polarity.scan.warnings {
            if !found.scan.warnings.contains(&warning) {
                found.scan.warnings.push(warning);
            }
        }
    }
}

/// What one polarity of a pass finds outside the `known` codes.
fn search_polarity(
    gray: &Gray,
    means: &LocalMeans,
    polarity: Polarity,
    scale: usize,
    known: &[Area],
) -> Found {
    let mut found = Found::default();
    let is_known =
        |x: usize, y: usize| known.iter().any(|code| code.contains(x * scale, y * scale));
    let classifier = means.classifier(gray, polarity, MARGIN);
    let rows = |y: usize, out: &mut [bool]| means.classify_row(gray, y, polarity, MARGIN, out);
    let areas = search_areas(gray.width, gray.height, rows, classifier, is_known);
    for area in areas {
        detect(gray, means, polarity, area, scale, &mut found);
    }
    found
}

/// Runs rqrr on `area` of one thresholded image. Its panics are caught per stage, so a crash
/// on one grid does not lose the others.
fn detect(
    gray: &Gray,
    means: &LocalMeans,
    polarity: Polarity,
    area: Area,
    scale: usize,
    found: &mut Found,
) {
    let before = found.scan.payloads.len() + found.codes.len();
    detect_once_scaled(gray, means, polarity, area, scale, found);
    let (width, height) = area.size();
    let any = found.scan.payloads.len() + found.codes.len() > before;
    if !any && scale == 1 && width * height <= MAX_DOUBLED_AREA {
        detect_doubled(gray, polarity, area, found);
    }
    if found.scan.payloads.len() + found.codes.len() == before {
        let full = Area {
            left: area.left * scale,
            top: area.top * scale,
            right: area.right * scale,
            bottom: area.bottom * scale,
        };
        found.failed.push((full, polarity));
    }
}

/// [`detect_once_scaled`] at full resolution.
fn detect_once(gray: &Gray, means: &LocalMeans, polarity: Polarity, area: Area, found: &mut Found) {
    detect_once_scaled(gray, means, polarity, area, 1, found);
}

/// rqrr over one area of one thresholded image.
fn detect_once_scaled(
    gray: &Gray,
    means: &LocalMeans,
    polarity: Polarity,
    area: Area,
    scale: usize,
    found: &mut Found,
) {
    let (width, height) = area.size();
    let detected = catch_unwind(AssertUnwindSafe(|| {
        let mut is_module = means.classifier(gray, polarity, MARGIN);
        let mut prepared = rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| {
            is_module(x + area.left, y + area.top)
        });
        let grids = prepared.detect_grids();
        grids
            .into_iter()
            .map(|grid| {
                let bounds = grid.bounds;
                let payload = catch_unwind(AssertUnwindSafe(|| {
                    let mut payload = Vec::new();
                    grid.decode_to(&mut payload).ok().map(|_| payload)
                }));
                (bounds, payload)
            })
            .collect::<Vec<_>>()
    }));
    let decoded = match detected {
        Ok(decoded) => decoded,
        Err(panic) => {
            found
                .scan
                .warnings
                .push(QrWarning::DecoderPanic(panic_message(panic.as_ref())));
            return;
        }
    };
    for (bounds, result) in decoded {
        match result {
            Ok(Some(payload)) => {
                found.codes.push(full_size(&bounds, area, scale));
                keep(payload, &mut found.scan);
            }
            Ok(None) => {}
            Err(panic) => found
                .scan
                .warnings
                .push(QrWarning::DecoderPanic(panic_message(panic.as_ref()))),
        }
    }
}

/// Areas larger than this are not retried doubled: the cost grows fourfold, and a code that
/// large has modules big enough for the first tries.
const MAX_DOUBLED_AREA: usize = 1200 * 1200;

/// Retries an area where finder patterns were seen but nothing decoded, at twice the size:
/// modules of a fractional pixel width (3.84 px: columns of 3 and 4 alternating) misplace
/// rqrr's sampling grid, and become even enough once doubled.
fn detect_doubled(gray: &Gray, polarity: Polarity, area: Area, found: &mut Found) {
    let (width, height) = area.size();
    let doubled = gray.doubled(area.left, area.top, width, height);
    let whole = Area {
        left: 0,
        top: 0,
        right: doubled.width,
        bottom: doubled.height,
    };
    let mut inner = Found::default();
    // A window of a sixteenth of the code, as the coarse pass uses for large codes.
    let radius = (doubled.width.max(doubled.height) / 16).max(SMALL_RADIUS);
    let means = LocalMeans::new(&doubled, radius);
    detect_once(&doubled, &means, polarity, whole, &mut inner);
    for code in inner.codes {
        found.codes.push(Area {
            left: area.left + code.left / 2,
            top: area.top + code.top / 2,
            right: area.left + code.right.div_ceil(2),
            bottom: area.top + code.bottom.div_ceil(2),
        });
    }
    for payload in inner.scan.payloads {
        keep(payload.into_bytes(), &mut found.scan);
    }
    found.scan.warnings.extend(inner.scan.warnings);
}

/// The bounding box of a grid's corners, in full-resolution pixels.
fn full_size(corners: &[rqrr::Point; 4], area: Area, scale: usize) -> Area {
    let xs = corners.iter().map(|p| p.x.max(0) as usize + area.left);
    let ys = corners.iter().map(|p| p.y.max(0) as usize + area.top);
    Area {
        left: xs.clone().min().unwrap_or(0) * scale,
        right: (xs.max().unwrap_or(0) + 1) * scale,
        top: ys.clone().min().unwrap_or(0) * scale,
        bottom: (ys.max().unwrap_or(0) + 1) * scale,
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

pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
