//! Causal stamps of a hybrid logical clock (format spec, section 8): every field of the vault
//! carries the stamp of the change that wrote it, and merges keep the field with the larger
//! stamp.
//!
//! A stamp is `(wall_ms, counter, node)`. A new stamp is after every stamp this writer has
//! seen, whatever its own clock says: a change made after reading another device's change
//! always wins over it, even when the other device's clock runs hours ahead. Only changes made
//! without knowledge of each other are ordered by their wall clocks.

use std::cmp::Ordering;

/// One change's position in the vault's causal order. Ordered by wall time, then counter,
/// then node, so two stamps are equal only when they name the same change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stamp {
    /// Milliseconds since the Unix epoch, at least the largest wall time seen before.
    pub wall_ms: u64,
    /// Orders changes within one millisecond.
    pub counter: u32,
    /// The writer that made the change: a random number per open vault, so that stamps of
    /// two devices never collide.
    pub node: u32,
}

impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.wall_ms, self.counter, self.node).cmp(&(other.wall_ms, other.counter, other.node))
    }
}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Stamp {
    /// The stamp given to values of a version 1 file, which carried only whole seconds.
    pub fn from_seconds(seconds: u64) -> Stamp {
        Stamp {
            wall_ms: seconds.saturating_mul(1000),
            counter: 0,
            node: 0,
        }
    }

    /// The wall time in whole seconds.
    pub fn seconds(&self) -> u64 {
        self.wall_ms / 1000
    }
}

/// The clock of one writer: it remembers the largest stamp seen and hands out later ones.
#[derive(Debug, Clone)]
pub struct Hlc {
    latest: Stamp,
    node: u32,
}

impl Hlc {
    /// A clock for writer `node` that has seen nothing yet.
    pub fn new(node: u32) -> Hlc {
        Hlc {
            latest: Stamp::default(),
            node,
        }
    }

    /// Records a stamp read from a file, so later stamps come after it.
    pub fn observe(&mut self, seen: Stamp) {
        self.latest = self.latest.max(seen);
    }

    /// A fresh stamp: after everything observed, and at the wall time `now_ms` when that is
    /// later still.
    pub fn tick(&mut self, now_ms: u64) -> Stamp {
        let next = if now_ms > self.latest.wall_ms {
            Stamp {
                wall_ms: now_ms,
                counter: 0,
                node: self.node,
            }
        } else if self.latest.counter < u32::MAX {
            Stamp {
                wall_ms: self.latest.wall_ms,
                counter: self.latest.counter + 1,
                node: self.node,
            }
        } else {
            // Four billion changes within one millisecond cannot happen; stepping the wall
            // time keeps the order total if it ever did.
            Stamp {
                wall_ms: self.latest.wall_ms.saturating_add(1),
                counter: 0,
                node: self.node,
            }
        };
        self.latest = next;
        next
    }

    /// The largest stamp seen or made.
    #[cfg(test)]
    pub fn latest(&self) -> Stamp {
        self.latest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_clock_still_stamps_after_what_it_has_seen() {
        let mut fast = Hlc::new(1);
        let ahead = fast.tick(10_000_000); // hours ahead of the other device
        let mut slow = Hlc::new(2);
        slow.observe(ahead);
        let later = slow.tick(1_000);
        assert!(later > ahead);
        assert_eq!(later.wall_ms, ahead.wall_ms);
        assert!(slow.tick(1_000) > later);
    }

    #[test]
    fn wall_time_moves_the_clock_forward() {
        let mut clock = Hlc::new(7);
        let first = clock.tick(5_000);
        let second = clock.tick(6_000);
        assert_eq!(
            second,
            Stamp {
                wall_ms: 6_000,
                counter: 0,
                node: 7
            }
        );
        assert!(second > first);
    }

    #[test]
    fn node_breaks_ties_between_writers() {
        let a = Stamp {
            wall_ms: 1,
            counter: 0,
            node: 1,
        };
        let b = Stamp { node: 2, ..a };
        assert!(b > a);
    }
}
