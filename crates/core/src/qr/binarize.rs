//! Local-mean thresholding: each pixel is compared with the mean of a window around it, so
//! a code keeps its modules under uneven lighting, gradients, coloured backgrounds and JPEG
//! noise. The window is much larger than a module (an eighth of the image side by default):
//! a finder pattern's 3x3 centre must never fill it.
//!
//! The means vary slowly, so they are computed on a copy reduced by a step of several pixels
//! and looked up from there: the cost is one comparison per pixel at full resolution.

use super::gray::Gray;

/// Which modules are dark: ordinary codes, or light-on-dark (inverted) ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Polarity {
    /// Dark modules on a light background.
    DarkOnLight,
    /// Light modules on a dark background, as in dark-mode pages.
    LightOnDark,
}

/// The local means of an image, at a coarser resolution.
pub(crate) struct LocalMeans {
    step: usize,
    width: usize,
    means: Vec<u8>,
}

impl LocalMeans {
    /// Means over a window of about `2 * radius + 1` pixels per side.
    pub(crate) fn new(gray: &Gray, radius: usize) -> LocalMeans {
        // Four samples per window radius keep the window's reach while making it cheap.
        let step = (radius / 4).max(1);
        let coarse = gray.downscale(step);
        let radius = (radius / step).max(1);
        LocalMeans {
            step,
            width: coarse.width,
            means: box_mean(&coarse, radius),
        }
    }

    /// Classifies row `y` into `out` (one entry per pixel, true = module), as
    /// [`LocalMeans::classifier`] would pixel by pixel.
    pub(crate) fn classify_row(
        &self,
        gray: &Gray,
        y: usize,
        polarity: Polarity,
        margin: u8,
        out: &mut [bool],
    ) {
        let margin = i16::from(margin);
        let pixels = &gray.pixels[y * gray.width..(y + 1) * gray.width];
        let means = &self.means[(y / self.step) * self.width..][..self.width];
        // Blocks of `step` pixels share one mean, so the inner loop has no division.
        for ((out, pixels), &mean) in out
            .chunks_mut(self.step)
            .zip(pixels.chunks(self.step))
            .zip(means)
        {
            let mean = i16::from(mean);
            for (out, &pixel) in out.iter_mut().zip(pixels) {
                let pixel = i16::from(pixel);
                *out = match polarity {
                    Polarity::DarkOnLight => pixel + margin < mean,
                    Polarity::LightOnDark => pixel > mean + margin,
                };
            }
        }
    }

    /// Tells for (x, y) whether the pixel is a module of `polarity`: it differs from its local
    /// mean by more than `margin`, so flat areas and faint noise are background. Meant to be
    /// called row by row, as rqrr fills its image: the row's means are looked up once per row.
    pub(crate) fn classifier<'a>(
        &'a self,
        gray: &'a Gray,
        polarity: Polarity,
        margin: u8,
    ) -> impl FnMut(usize, usize) -> bool + 'a {
        let margin = i16::from(margin);
        // Which coarse column each pixel's mean comes from, computed once instead of per pixel.
        let columns: Vec<usize> = (0..gray.width).map(|x| x / self.step).collect();
        let mut row = (usize::MAX, 0, 0);
        move |x, y| {
            if row.0 != y {
                row = (y, y * gray.width, (y / self.step) * self.width);
            }
            let pixel = i16::from(gray.pixels[row.1 + x]);
            let mean = i16::from(self.means[row.2 + columns[x]]);
            match polarity {
                Polarity::DarkOnLight => pixel + margin < mean,
                Polarity::LightOnDark => pixel > mean + margin,
            }
        }
    }
}

/// The mean of a (2r+1)-square window around every pixel, clamped at the edges: a running
/// sum per column, then a running sum along each row. Memory is one row of column sums.
fn box_mean(gray: &Gray, radius: usize) -> Vec<u8> {
    let (width, height) = (gray.width, gray.height);
    let mut column_sums = vec![0u32; width];
    let mut means = Vec::with_capacity(width * height);
    // Rows 0..=radius form the window of row 0.
    for y in 0..=radius.min(height - 1) {
        add_row(&mut column_sums, gray, y, true);
    }
    for y in 0..height {
        let top = y.saturating_sub(radius);
        let bottom = (y + radius).min(height - 1);
        let rows = (bottom - top + 1) as u64;
        let mut sum: u64 = column_sums[..=radius.min(width - 1)]
            .iter()
            .map(|&s| u64::from(s))
            .sum();
        for x in 0..width {
            let left = x.saturating_sub(radius);
            let right = (x + radius).min(width - 1);
            let count = rows * (right - left + 1) as u64;
            means.push((sum / count) as u8);
            // Slide the window one column right.
            if x + radius + 1 < width {
                sum += u64::from(column_sums[x + radius + 1]);
            }
            if x >= radius {
                sum -= u64::from(column_sums[x - radius]);
            }
        }
        // Slide the window one row down.
        if y + radius + 1 < height {
            add_row(&mut column_sums, gray, y + radius + 1, true);
        }
        if y >= radius {
            add_row(&mut column_sums, gray, y - radius, false);
        }
    }
    means
}

fn add_row(column_sums: &mut [u32], gray: &Gray, y: usize, add: bool) {
    let row = &gray.pixels[y * gray.width..(y + 1) * gray.width];
    for (sum, &value) in column_sums.iter_mut().zip(row) {
        if add {
            *sum += u32::from(value);
        } else {
            *sum -= u32::from(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_mean(gray: &Gray, radius: usize, x: usize, y: usize) -> u8 {
        let (mut sum, mut count) = (0u64, 0u64);
        for yy in y.saturating_sub(radius)..=(y + radius).min(gray.height - 1) {
            for xx in x.saturating_sub(radius)..=(x + radius).min(gray.width - 1) {
                sum += u64::from(gray.pixels[yy * gray.width + xx]);
                count += 1;
            }
        }
        (sum / count) as u8
    }

    #[test]
    fn box_mean_matches_the_definition() {
        let (width, height) = (23, 17);
        let pixels = (0..width * height).map(|i| (i * 37 % 251) as u8).collect();
        let gray = Gray {
            width,
            height,
            pixels,
        };
        for radius in [1, 3, 8, 40] {
            let means = box_mean(&gray, radius);
            for y in 0..height {
                for x in 0..width {
                    assert_eq!(means[y * width + x], naive_mean(&gray, radius, x, y));
                }
            }
        }
    }

    #[test]
    fn flat_areas_have_no_modules_in_either_polarity() {
        let gray = Gray {
            width: 8,
            height: 8,
            pixels: vec![128; 64],
        };
        let means = LocalMeans::new(&gray, 3);
        for polarity in [Polarity::DarkOnLight, Polarity::LightOnDark] {
            let mut is_module = means.classifier(&gray, polarity, 8);
            assert!((0..64).all(|i| !is_module(i % 8, i / 8)));
        }
    }
}
