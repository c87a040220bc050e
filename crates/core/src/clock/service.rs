//! The one clock every code is computed from: the system clock, plus a measured correction
//! when the user opted in.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Stands for "no correction" in the atomic, so that reading the clock takes no lock.
/// A real correction of i64::MIN ms (292 million years) cannot be meant; it is saturated away.
const NO_CORRECTION: i64 = i64::MIN;

/// "Now" for codes and countdowns. Clones share one correction, so setting it on any clone
/// applies everywhere; reading is a single atomic load.
#[derive(Debug, Clone)]
pub struct Clock {
    correction_ms: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

impl Clock {
    /// The system clock, uncorrected.
    pub fn new() -> Self {
        Clock {
            correction_ms: Arc::new(AtomicI64::new(NO_CORRECTION)),
        }
    }

    /// Adds `offset_ms` (a measured offset: reference minus system clock) to every reading
    /// from now on, or removes the correction with `None`.
    pub fn set_correction(&self, offset_ms: Option<i64>) {
        let stored = match offset_ms {
            Some(ms) => ms.max(NO_CORRECTION + 1),
            None => NO_CORRECTION,
        };
        self.correction_ms.store(stored, Ordering::Relaxed);
    }

    /// The correction in force, in milliseconds.
    pub fn correction_ms(&self) -> Option<i64> {
        match self.correction_ms.load(Ordering::Relaxed) {
            NO_CORRECTION => None,
            ms => Some(ms),
        }
    }

    /// Unix milliseconds now, corrected. A clock set before 1970 reads as 0 unless the
    /// correction brings it forward.
    pub fn now_ms(&self) -> u64 {
        self.at_system_ms(system_now_ms())
    }

    /// Unix seconds now, corrected: what a TOTP step is computed from.
    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// The corrected reading for a system time of `system_ms` Unix milliseconds.
    fn at_system_ms(&self, system_ms: i128) -> u64 {
        let corrected = system_ms + i128::from(self.correction_ms().unwrap_or(0));
        corrected.clamp(0, i128::from(u64::MAX)) as u64
    }
}

/// The system clock in Unix milliseconds, negative before 1970.
fn system_now_ms() -> i128 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_millis() as i128,
        Err(before) => -(before.duration().as_millis() as i128),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correction_is_opt_in_and_shared() {
        let clock = Clock::new();
        assert_eq!(clock.correction_ms(), None);
        let other = clock.clone();
        other.set_correction(Some(-2_500));
        assert_eq!(clock.correction_ms(), Some(-2_500));
        assert_eq!(clock.at_system_ms(10_000), 7_500);
        clock.set_correction(None);
        assert_eq!(other.correction_ms(), None);
        assert_eq!(other.at_system_ms(10_000), 10_000);
    }

    #[test]
    fn readings_follow_the_system_clock() {
        let clock = Clock::new();
        let before = system_now_ms() as u64;
        let now = clock.now_ms();
        assert!(now >= before && now - before < 1_000);
        clock.set_correction(Some(3_600_000));
        let ahead = clock.now_secs();
        assert!(ahead >= before / 1000 + 3_600 && ahead <= before / 1000 + 3_601);
    }

    #[test]
    fn extremes_saturate() {
        let clock = Clock::new();
        clock.set_correction(Some(i64::MIN));
        assert_eq!(clock.correction_ms(), Some(i64::MIN + 1));
        assert_eq!(clock.at_system_ms(5), 0);
        clock.set_correction(Some(i64::MAX));
        assert_eq!(clock.at_system_ms(-5), i64::MAX as u64 - 5);
        clock.set_correction(Some(1_000));
        assert_eq!(clock.at_system_ms(-500), 500);
    }

    #[test]
    fn shared_across_threads() {
        let clock = Clock::new();
        let setter = clock.clone();
        std::thread::spawn(move || setter.set_correction(Some(42)))
            .join()
            .unwrap();
        assert_eq!(clock.correction_ms(), Some(42));
    }
}
