//! A cheap look for finder patterns, so that rqrr runs only where it can find something.
//!
//! rqrr finds a code's three finder patterns by scanning each row of the thresholded image
//! for five runs, dark-light-dark-light-dark, in the proportions 1:1:3:1:1 (within a
//! tolerance of 3/4 of the average run). Without such a row it finds no finder, hence no code.
//! We scan the same rows of the same image with a slightly wider tolerance, so every row rqrr
//! would accept is seen here too. Each such row must also pass a column test (see
//! [`column_matches`]) that every real finder passes at any angle but lines of text do not:
//! text makes row patterns all over a screen, and without the test every screen with text
//! would be searched whole.
//!
//! The remaining rows are grouped by distance (the finders of one code are never further
//! apart than [`CODE_REACH`] pattern widths), and rqrr runs on a rectangle around each group.
//! A screen without a code thus costs one row scan per pass, and a screen with one code a row
//! scan plus rqrr on a few hundred pixels square.

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

    /// True when the two share a pixel.
    pub(crate) fn overlaps(&self, other: &Area) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    /// The smallest rectangle holding both.
    pub(crate) fn union(&self, other: &Area) -> Area {
        Area {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
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
    /// previous pixel completed, and the width of its centre run.
    fn push(&mut self, module: bool) -> Option<(usize, usize)> {
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
        Some((self.lengths.iter().sum(), self.lengths[2]))
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

/// Candidate finder rows of one code lie within this many pattern widths of each other: a
/// finder is 7 modules wide, and the finders of the largest code (version 40, 177 modules)
/// are 170 modules apart, which is under 25 widths; a tilted finder only looks wider.
const CODE_REACH: usize = 32;
/// Beyond this many groups the image is searched whole: the grouping is quadratic.
const MAX_GROUPS: usize = 256;

/// Finder-like rows near each other, the widest pattern among them, and the distinct
/// patterns they belong to.
#[derive(Debug, Clone)]
struct Group {
    area: Area,
    widest: usize,
    stones: Vec<Stone>,
}

/// The rows of one finder-like pattern: where its centre run is, and the last row it was seen
/// on.
#[derive(Debug, Clone, Copy)]
struct Stone {
    centre: usize,
    width: usize,
    bottom: usize,
}

impl Stone {
    /// True when a row pattern centred at `centre`, `width` wide, on row `y`, is this
    /// pattern seen again: centres within half a pattern, rows within one.
    fn continues(&self, centre: usize, width: usize, y: usize) -> bool {
        let reach = self.width.max(width) / 2 + 1;
        centre.abs_diff(self.centre) <= reach && y <= self.bottom + reach
    }
}

/// Distinct patterns kept per group: enough for the three finders of a code among a few
/// look-alikes (icons, letters), few enough that checking every triple stays cheap. A group
/// with more is busy (a dense or noisy code, where look-alikes in the data may come before
/// the third finder) and is searched without the check.
const MAX_STONES: usize = 16;

impl Group {
    /// True when a code could have finders in both groups.
    fn near(&self, other: &Group) -> bool {
        let reach = CODE_REACH * self.widest.max(other.widest);
        let gap_x = other.area.left.saturating_sub(self.area.right)
            + self.area.left.saturating_sub(other.area.right);
        let gap_y = other.area.top.saturating_sub(self.area.bottom)
            + self.area.top.saturating_sub(other.area.bottom);
        gap_x.max(gap_y) <= reach
    }

    fn merge(&mut self, other: &Group) {
        self.area.left = self.area.left.min(other.area.left);
        self.area.top = self.area.top.min(other.area.top);
        self.area.right = self.area.right.max(other.area.right);
        self.area.bottom = self.area.bottom.max(other.area.bottom);
        self.widest = self.widest.max(other.widest);
        for stone in &other.stones {
            self.add_stone(stone.centre, stone.width, stone.bottom);
        }
    }

    /// Counts a row pattern as a new finder-like pattern unless it continues one already
    /// seen; keeps at most [`MAX_STONES`].
    fn add_stone(&mut self, centre: usize, width: usize, y: usize) {
        if let Some(stone) = self
            .stones
            .iter_mut()
            .find(|stone| stone.continues(centre, width, y))
        {
            stone.bottom = stone.bottom.max(y);
        } else if self.stones.len() < MAX_STONES {
            self.stones.push(Stone {
                centre,
                width,
                bottom: y,
            });
        }
    }
}

/// True when the column through (x, y) looks like a finder too: the dark run at (x, y) is
/// about as tall as the row's centre run is wide (`stone`), and above and below it come a
/// light gap and dark again, each about a module. A finder is a square ring around a square,
/// so at any angle its vertical and horizontal chords through the centre are equally long;
/// the factor of 2 allowed leaves room for blur and perspective. Words of text, which make
/// many row patterns, fail this.
fn column_matches(
    is_module: &mut impl FnMut(usize, usize) -> bool,
    x: usize,
    y: usize,
    height: usize,
    stone: usize,
) -> bool {
    let module = stone / 3 + 1;
    let mut run = |up: bool, wanted: bool, start: usize, limit: usize| -> Option<(usize, usize)> {
        let mut row = start;
        let mut length = 0;
        loop {
            let next = if up {
                row.checked_sub(1)?
            } else {
                Some(row + 1).filter(|&r| r < height)?
            };
            if is_module(x, next) != wanted {
                return Some((length, row));
            }
            row = next;
            length += 1;
            if length > limit {
                return None;
            }
        }
    };
    let mut sides = [0usize; 2];
    for (index, up) in [true, false].into_iter().enumerate() {
        let Some((stone_part, edge)) = run(up, true, y, 2 * stone) else {
            return false;
        };
        let Some((gap, _)) = run(up, false, edge, 2 * module + 1) else {
            return false;
        };
        if gap == 0 {
            return false;
        }
        sides[index] = stone_part;
    }
    let tall = sides[0] + sides[1] + 1;
    2 * tall >= stone && tall <= 2 * stone
}

/// True when three of `stones` could be the finders of one code: of similar size (within a
/// factor of three: perspective, blur and faded modules change the width a row sees), and
/// apart from each other by at least a pattern width (the finders of the smallest code are
/// two widths apart, centre to centre). Look-alike patterns that touch, as in icons and
/// avatar grids, fail this.
fn could_be_a_code(stones: &[Stone]) -> bool {
    if stones.len() == MAX_STONES {
        return true;
    }
    let fit = |a: &Stone, b: &Stone| {
        let (small, large) = (a.width.min(b.width), a.width.max(b.width));
        let distance = a.centre.abs_diff(b.centre).max(a.bottom.abs_diff(b.bottom));
        large <= 3 * small && 2 * distance >= a.width + b.width
    };
    let n = stones.len();
    (0..n).any(|i| {
        (i + 1..n).any(|j| {
            fit(&stones[i], &stones[j])
                && (j + 1..n).any(|k| fit(&stones[i], &stones[k]) && fit(&stones[j], &stones[k]))
        })
    })
}

/// The rectangles in which rqrr can find a code: around each group of finder-like row
/// patterns outside `known` areas. Empty when there is no such pattern.
///
/// Each rectangle is widened by its own size and a finder width on every side: a code lies
/// within the box of its three finders except, when it is turned, the corner without one,
/// which sticks out by less than the box's own size.
///
/// `classify_row` fills a row's modules, `is_module` answers for single pixels; both describe
/// the same thresholded image.
pub(crate) fn search_areas(
    width: usize,
    height: usize,
    mut classify_row: impl FnMut(usize, &mut [bool]),
    mut is_module: impl FnMut(usize, usize) -> bool,
    known: impl Fn(usize, usize) -> bool,
) -> Vec<Area> {
    let mut groups: Vec<Group> = Vec::new();
    let mut whole = false;
    let mut row = vec![false; width];
    for y in 0..height {
        classify_row(y, &mut row);
        let mut runs = Runs::new(row[0]);
        // A virtual background pixel ends the row, as in rqrr.
        let pixels = row.iter().copied().chain([false]);
        for (x, module) in pixels.enumerate().skip(1) {
            let Some((pattern, stone)) = runs.push(module) else {
                continue;
            };
            let left = x.saturating_sub(pattern);
            let centre = left + pattern / 2;
            if whole
                || known(centre, y)
                || !column_matches(&mut is_module, centre, y, height, stone)
            {
                continue;
            }
            let found = Group {
                area: Area {
                    left,
                    top: y,
                    right: x,
                    bottom: y + 1,
                },
                widest: pattern,
                stones: vec![Stone {
                    centre,
                    width: pattern,
                    bottom: y,
                }],
            };
            if let Some(group) = groups.iter_mut().find(|group| group.near(&found)) {
                group.merge(&found);
                continue;
            }
            if groups.len() == MAX_GROUPS {
                // Text makes many groups. Those that rows from here on can no longer reach
                // are complete; the ones among them that cannot be a code are dropped.
                groups.retain(|group| {
                    let reach = CODE_REACH * group.widest;
                    y <= group.area.bottom + reach || could_be_a_code(&group.stones)
                });
            }
            if groups.len() == MAX_GROUPS {
                whole = true;
            } else {
                groups.push(found);
            }
        }
    }
    if whole {
        return vec![Area {
            left: 0,
            top: 0,
            right: width,
            bottom: height,
        }];
    }
    // Groups grown row by row may have come within reach of each other.
    let mut merged = true;
    while merged {
        merged = false;
        'outer: for i in 0..groups.len() {
            for j in i + 1..groups.len() {
                if groups[i].near(&groups[j]) {
                    let other = groups.swap_remove(j);
                    groups[i].merge(&other);
                    merged = true;
                    break 'outer;
                }
            }
        }
    }
    // Groups with fewer than three finder-like patterns hold no code: text, icons and
    // avatar grids make such groups all over a page.
    let mut areas: Vec<Area> = groups
        .iter()
        .filter(|group| could_be_a_code(&group.stones))
        .map(|group| {
            let (w, h) = group.area.size();
            let margin = w.max(h) + group.widest + 8;
            Area {
                left: group.area.left.saturating_sub(margin),
                top: group.area.top.saturating_sub(margin),
                right: (group.area.right + margin).min(width),
                bottom: (group.area.bottom + margin).min(height),
            }
        })
        .collect();
    // Widened rectangles that overlap are searched as one, so no code is cut in two.
    let mut merged = true;
    while merged {
        merged = false;
        'outer: for i in 0..areas.len() {
            for j in i + 1..areas.len() {
                if areas[i].overlaps(&areas[j]) {
                    let other = areas.swap_remove(j);
                    areas[i] = areas[i].union(&other);
                    merged = true;
                    break 'outer;
                }
            }
        }
    }
    areas
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_patterns(row: &[bool]) -> Vec<usize> {
        let mut runs = Runs::new(row[0]);
        (1..=row.len())
            .filter_map(|x| runs.push(x < row.len() && row[x]).map(|(width, _)| width))
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

    /// A `width` x `height` bitmap with a finder (7 modules of `module` px) at each corner.
    fn bitmap(width: usize, height: usize, finders: &[(usize, usize)], module: usize) -> Vec<bool> {
        let mut pixels = vec![false; width * height];
        for &(left, top) in finders {
            for y in 0..7 * module {
                for x in 0..7 * module {
                    let (u, v) = (x / module, y / module);
                    let ring = u == 0 || v == 0 || u == 6 || v == 6;
                    let stone = (2..=4).contains(&u) && (2..=4).contains(&v);
                    pixels[(top + y) * width + left + x] = ring || stone;
                }
            }
        }
        pixels
    }

    fn areas(
        width: usize,
        height: usize,
        pixels: &[bool],
        known: impl Fn(usize, usize) -> bool,
    ) -> Vec<Area> {
        search_areas(
            width,
            height,
            |y, out| out.copy_from_slice(&pixels[y * width..(y + 1) * width]),
            |x, y| pixels[y * width + x],
            known,
        )
    }

    /// The three finders of a code whose top left finder is at (left, top), `span` pixels
    /// between finders.
    fn code_finders(left: usize, top: usize, span: usize) -> [(usize, usize); 3] {
        [(left, top), (left + span, top), (left, top + span)]
    }

    #[test]
    fn three_finders_give_an_area_around_them() {
        let pixels = bitmap(300, 200, &code_finders(50, 30, 80), 3);
        let found = areas(300, 200, &pixels, |_, _| false);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains(50, 30) && found[0].contains(150, 130),
            "{found:?}"
        );
    }

    #[test]
    fn one_or_two_finders_are_no_code() {
        let one = bitmap(300, 200, &[(50, 30)], 3);
        assert!(areas(300, 200, &one, |_, _| false).is_empty());
        let two = bitmap(300, 200, &[(50, 30), (130, 30)], 3);
        assert!(areas(300, 200, &two, |_, _| false).is_empty());
    }

    #[test]
    fn far_apart_codes_are_searched_apart() {
        let mut finders = code_finders(10, 10, 40).to_vec();
        finders.extend(code_finders(1900, 10, 40));
        let pixels = bitmap(2000, 80, &finders, 2);
        assert_eq!(areas(2000, 80, &pixels, |_, _| false).len(), 2);
    }

    #[test]
    fn finders_inside_known_codes_are_skipped() {
        let pixels = bitmap(300, 200, &code_finders(50, 30, 80), 3);
        assert!(areas(300, 200, &pixels, |_, _| true).is_empty());
    }

    #[test]
    fn lines_of_text_are_not_finders() {
        // Bars of "words" whose row proportions are 1:1:3:1:1, stacked in lines.
        let (width, height) = (120, 60);
        let mut pixels = vec![false; width * height];
        for line in 0..5 {
            for y in line * 12 + 2..line * 12 + 8 {
                for (start, length) in [(10, 6), (22, 6), (34, 18), (58, 6), (70, 6)] {
                    for x in start..start + length {
                        pixels[y * width + x] = true;
                    }
                }
            }
        }
        assert!(areas(width, height, &pixels, |_, _| false).is_empty());
    }
}
