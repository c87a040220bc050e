//! A cheap look for finder patterns, so that rqrr runs only where it can find something.
//!
//! rqrr finds a code's three finder patterns by scanning each row of the thresholded image
//! for five runs, dark-light-dark-light-dark, in the proportions 1:1:3:1:1 (within a
//! tolerance of 3/4 of the average run). Without such a row it finds no finder, hence no code.
//! We scan the same rows of the same image with a slightly wider tolerance, so every row
//! rqrr would accept is found here too, and hand rqrr only the rectangle around these rows.
//! Skipping an image with no candidate, or cropping to them, therefore loses no code rqrr
//! would have found on the whole image: a code lies within the bounding box of its three
//! finders, and the margin keeps each finder's outer ring whole.

/// A rectangle of pixels, `left..right` x `top..bottom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Area {
    pub(crate) left: usize,
    pub(crate) top: usize,
    pub(crate) right: usize,
    pub(crate) bottom: usize,
}

impl Area {
    /// True when (x, y) lies inside.
    pub(crate) fn contains(&self, x: usize, y: usize) -> bool {
        (self.left..self.right).contains(&x) && (self.top..self.bottom).contains(&y)
    }

    /// Width and height.
    pub(crate) fn size(&self) -> (usize, usize) {
        (self.right - self.left, self.bottom - self.top)
    }
}

/// Tracks the last five runs of a row, as rqrr's line scanner does.
struct Runs {
    lengths: [usize; 5],
    current: usize,
    last: bool,
    changes: usize,
}

impl Runs {
    fn new(first: bool) -> Runs {
        Runs {
            lengths: [0; 5],
            current: 1,
            last: first,
            changes: 0,
        }
    }

    /// Adds one pixel (true = module); returns the width of a finder-like pattern that the
    /// previous pixel completed.
    fn push(&mut self, module: bool) -> Option<usize> {
        if module == self.last {
            self.current += 1;
            return None;
        }
        self.last = module;
        self.lengths.rotate_left(1);
        self.lengths[4] = self.current;
        self.current = 1;
        self.changes += 1;
        // The five runs end with a module run exactly when this pixel is background.
        if module || self.changes < 5 || !self.looks_like_finder() {
            return None;
        }
        Some(self.lengths.iter().sum())
    }

    fn looks_like_finder(&self) -> bool {
        const RATIOS: [usize; 5] = [1, 1, 3, 1, 1];
        let [a, b, _, d, e] = self.lengths;
        let average = (a + b + d + e) / 4;
        // rqrr allows 3/4 of the average; one pixel more keeps us its superset.
        let tolerance = average * 3 / 4 + 1;
        self.lengths.iter().zip(RATIOS).all(|(&run, ratio)| {
            run + tolerance >= ratio * average && run <= ratio * average + tolerance
        })
    }
}

/// The rectangle holding every finder-like row pattern outside `known` areas, widened by a
/// finder's width on each side, or `None` when there is none.
pub(crate) fn search_area(
    width: usize,
    height: usize,
    mut is_module: impl FnMut(usize, usize) -> bool,
    known: impl Fn(usize, usize) -> bool,
) -> Option<Area> {
    let mut found: Option<Area> = None;
    let mut widest = 0;
    for y in 0..height {
        let mut runs = Runs::new(is_module(0, y));
        for x in 1..=width {
            // A virtual background pixel ends the row, as in rqrr.
            let module = x < width && is_module(x, y);
            let Some(pattern) = runs.push(module) else {
                continue;
            };
            let left = x.saturating_sub(pattern);
            if known(left + pattern / 2, y) {
                continue;
            }
            widest = widest.max(pattern);
            let area = found.get_or_insert(Area {
                left,
                top: y,
                right: x,
                bottom: y + 1,
            });
            area.left = area.left.min(left);
            area.right = area.right.max(x);
            area.bottom = y + 1;
        }
    }
    found.map(|area| {
        // The finder's ring reaches 3.5 modules above and below the rows through its centre,
        // and a finder is 7 modules wide: one finder width around covers it with room left.
        let margin = widest + 8;
        Area {
            left: area.left.saturating_sub(margin),
            top: area.top.saturating_sub(margin),
            right: (area.right + margin).min(width),
            bottom: (area.bottom + margin).min(height),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_patterns(row: &[bool]) -> Vec<usize> {
        let mut runs = Runs::new(row[0]);
        (1..=row.len())
            .filter_map(|x| runs.push(x < row.len() && row[x]))
            .collect()
    }

    fn row(runs: &[(bool, usize)]) -> Vec<bool> {
        runs.iter()
            .flat_map(|&(module, length)| std::iter::repeat_n(module, length))
            .collect()
    }

    #[test]
    fn finds_one_to_three_patterns_at_any_scale() {
        for module in 1..6 {
            let pattern = row(&[
                (false, 4),
                (true, module),
                (false, module),
                (true, 3 * module),
                (false, module),
                (true, module),
                (false, 4),
            ]);
            assert_eq!(row_patterns(&pattern), [7 * module]);
        }
    }

    #[test]
    fn a_pattern_at_the_row_end_is_found() {
        let pattern = row(&[
            (false, 2),
            (true, 2),
            (false, 2),
            (true, 6),
            (false, 2),
            (true, 2),
        ]);
        assert_eq!(row_patterns(&pattern), [14]);
    }

    #[test]
    fn other_proportions_are_not() {
        let pattern = row(&[
            (false, 3),
            (true, 3),
            (false, 3),
            (true, 3),
            (false, 3),
            (true, 3),
            (false, 3),
        ]);
        assert!(row_patterns(&pattern).is_empty());
    }

    #[test]
    fn search_area_skips_known_areas() {
        let pattern = row(&[
            (false, 10),
            (true, 2),
            (false, 2),
            (true, 6),
            (false, 2),
            (true, 2),
            (false, 30),
        ]);
        let area = search_area(pattern.len(), 1, |x, _| pattern[x], |_, _| false).unwrap();
        assert_eq!((area.left, area.right), (0, pattern.len()));
        assert_eq!(
            search_area(pattern.len(), 1, |x, _| pattern[x], |_, _| true),
            None
        );
    }
}
