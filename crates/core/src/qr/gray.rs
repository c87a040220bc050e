//! Grayscale images: the one pixel format the passes work on.

/// An 8-bit grayscale image, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gray {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) pixels: Vec<u8>,
}

/// Rec. 601 luma in 8-bit fixed point. Coloured codes keep their contrast: dark blue on light
/// yellow is roughly 20 on 240.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b)) >> 8) as u8
}

/// A gray value with `alpha` coverage, composed over white: screenshots and exported images
/// with transparency show their codes on a light page.
fn over_white(gray: u8, alpha: u8) -> u8 {
    let (y, a) = (u32::from(gray), u32::from(alpha));
    ((y * a + 255 * (255 - a)) / 255) as u8
}

impl Gray {
    /// Converts RGBA pixels, composing them over white: codes saved as black on transparent
    /// must not turn into black on black.
    pub(crate) fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Gray {
        let pixels = rgba
            .chunks_exact(4)
            .map(|p| over_white(luma(p[0], p[1], p[2]), p[3]))
            .collect();
        Gray {
            width,
            height,
            pixels,
        }
    }

    /// Converts RGB pixels.
    pub(crate) fn from_rgb(width: usize, height: usize, rgb: &[u8]) -> Gray {
        let pixels = rgb
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
        Gray {
            width,
            height,
            pixels,
        }
    }

    /// Converts gray-with-alpha pixels, composed over white.
    pub(crate) fn from_luma_alpha(width: usize, height: usize, la: &[u8]) -> Gray {
        let pixels = la.chunks_exact(2).map(|p| over_white(p[0], p[1])).collect();
        Gray {
            width,
            height,
            pixels,
        }
    }

    /// The `area` of the image at twice its size, interpolated. Modules of 3 to 4 pixels that
    /// alternate in width (a code scaled by a fractional factor) become 7 to 8 pixels with
    /// smooth edges, which rqrr samples reliably.
    pub(crate) fn doubled(&self, left: usize, top: usize, width: usize, height: usize) -> Gray {
        let (out_w, out_h) = (width * 2, height * 2);
        // Output pixel `o` sits at input coordinate o/2 - 1/4: between input pixels `a` and
        // `b`, with `b` weighing `w` quarters.
        let taps = |o: usize, start: usize, len: usize| {
            let k = start + o / 2;
            let (first, last) = (start, start + len - 1);
            if o.is_multiple_of(2) {
                (k.saturating_sub(1).max(first), k, 3u32)
            } else {
                (k, (k + 1).min(last), 1u32)
            }
        };
        let at = |x: usize, y: usize| u32::from(self.pixels[y * self.width + x]);
        let mut pixels = Vec::with_capacity(out_w * out_h);
        for oy in 0..out_h {
            let (y0, y1, wy) = taps(oy, top, height);
            for ox in 0..out_w {
                let (x0, x1, wx) = taps(ox, left, width);
                let upper = at(x0, y0) * (4 - wx) + at(x1, y0) * wx;
                let lower = at(x0, y1) * (4 - wx) + at(x1, y1) * wx;
                pixels.push(((upper * (4 - wy) + lower * wy + 8) / 16) as u8);
            }
        }
        Gray {
            width: out_w,
            height: out_h,
            pixels,
        }
    }

    /// Averages `factor` x `factor` blocks; the last row and column of blocks may be partial.
    pub(crate) fn downscale(&self, factor: usize) -> Gray {
        let factor = factor.max(1);
        let width = self.width.div_ceil(factor);
        let height = self.height.div_ceil(factor);
        let mut sums = vec![0u32; width];
        let mut pixels = Vec::with_capacity(width * height);
        for band in self.pixels.chunks(self.width * factor) {
            sums.fill(0);
            for row in band.chunks_exact(self.width) {
                for (sum, block) in sums.iter_mut().zip(row.chunks(factor)) {
                    *sum += block.iter().map(|&value| u32::from(value)).sum::<u32>();
                }
            }
            let rows = band.len() / self.width;
            let last = self.width - (width - 1) * factor;
            pixels.extend(sums.iter().enumerate().map(|(x, &sum)| {
                let columns = if x + 1 == width { last } else { factor };
                (sum / (rows * columns) as u32) as u8
            }));
        }
        Gray {
            width,
            height,
            pixels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_pixels_are_white() {
        let gray = Gray::from_rgba(2, 1, &[0, 0, 0, 0, 0, 0, 0, 255]);
        assert_eq!(gray.pixels, [255, 0]);
    }

    #[test]
    fn downscale_averages_partial_blocks() {
        let gray = Gray {
            width: 3,
            height: 1,
            pixels: vec![0, 100, 50],
        };
        assert_eq!(gray.downscale(2).pixels, [50, 50]);
    }
}
