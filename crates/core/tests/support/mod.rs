//! Shared helpers for the cross-check tests.

/// A small deterministic generator (xorshift64*), so every run checks the same cases and a
/// failure can be reproduced.
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `low..=high`.
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() as u64 - 1) as usize]
    }

    /// Random bytes, `min..=max` of them.
    pub fn bytes(&mut self, min: u64, max: u64) -> Vec<u8> {
        let len = self.range(min, max);
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}
