//! When a measured offset may correct every code: two measurements that agree, within an hour
//! unless the user confirmed a larger one, and only for a day. The correction belongs to one
//! computer (its clock), so it is kept in that computer's local settings, never in the vault.

use super::Measurement;
use serde::{Deserialize, Serialize};

/// Offsets beyond this (±1 h) are applied only when the user confirms them: a clock that far
/// off is more likely a wrong time zone or a broken measurement than drift.
pub const MAX_UNCONFIRMED_MS: i64 = 60 * 60 * 1000;
/// A correction expires after a day: clocks drift, and a stale figure does harm.
pub const LIFETIME_MS: u64 = 24 * 60 * 60 * 1000;
/// Two measurements agree when they differ by at most their error bounds and this much more.
pub const AGREEMENT_SLACK_MS: f64 = 250.0;

/// Why a measured offset is not applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CorrectionError {
    /// The two measurements differ by more than their error bounds allow.
    #[error("two measurements disagree ({first_ms:+.0} ms and {second_ms:+.0} ms): check the network and try again")]
    Disagree {
        /// The first offset.
        first_ms: f64,
        /// The second offset.
        second_ms: f64,
    },
    /// The offset is beyond an hour and the user has not confirmed it.
    #[error("this computer's clock is off by {minutes} minutes: confirm to apply a correction that large")]
    NeedsConfirmation {
        /// The offset in whole minutes.
        minutes: i64,
    },
}

/// A correction in force on this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Correction {
    /// Milliseconds added to the system clock.
    pub offset_ms: i64,
    /// When it was measured, in Unix milliseconds of the system clock.
    pub measured_at: u64,
}

impl Correction {
    /// The correction two measurements support: they must agree, and an offset beyond an
    /// hour needs `confirmed`. The later measurement's figure is used.
    pub fn from_measurements(
        first: &Measurement,
        second: &Measurement,
        confirmed: bool,
    ) -> Result<Correction, CorrectionError> {
        let bound = first.precision_ms + second.precision_ms + AGREEMENT_SLACK_MS;
        if (first.offset_ms - second.offset_ms).abs() > bound {
            return Err(CorrectionError::Disagree {
                first_ms: first.offset_ms,
                second_ms: second.offset_ms,
            });
        }
        let later = if second.measured_at >= first.measured_at {
            second
        } else {
            first
        };
        let offset_ms = later.correction_ms();
        if offset_ms.abs() > MAX_UNCONFIRMED_MS && !confirmed {
            return Err(CorrectionError::NeedsConfirmation {
                minutes: offset_ms / 60_000,
            });
        }
        Ok(Correction {
            offset_ms,
            measured_at: later.measured_at,
        })
    }

    /// Whether the correction still holds at `now_ms` (system clock): measured less than a
    /// day ago, and not in the future (a clock set back since then cannot be trusted with it).
    pub fn is_current(&self, now_ms: u64) -> bool {
        now_ms >= self.measured_at && now_ms - self.measured_at < LIFETIME_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Source;

    fn measured(offset_ms: f64, precision_ms: f64, measured_at: u64) -> Measurement {
        Measurement {
            offset_ms,
            rtt_ms: 20.0,
            source: Source::HttpsDate {
                url: "https://example.net/".into(),
                server: "example.net:443".into(),
            },
            precision_ms,
            samples: 4,
            measured_at,
        }
    }

    #[test]
    fn two_agreeing_measurements_make_a_correction_for_a_day() {
        let c = Correction::from_measurements(
            &measured(-1_500.0, 30.0, 1_000),
            &measured(-1_420.0, 30.0, 5_000),
            false,
        )
        .unwrap();
        assert_eq!(
            c,
            Correction {
                offset_ms: -1_420,
                measured_at: 5_000
            }
        );
        assert!(c.is_current(5_000 + LIFETIME_MS - 1));
        assert!(!c.is_current(5_000 + LIFETIME_MS));
        assert!(!c.is_current(4_999));
    }

    #[test]
    fn disagreeing_or_huge_offsets_are_refused() {
        assert!(matches!(
            Correction::from_measurements(
                &measured(0.0, 20.0, 1),
                &measured(2_000.0, 20.0, 2),
                false
            ),
            Err(CorrectionError::Disagree { .. })
        ));
        let two_hours = 2.0 * 3_600_000.0;
        let a = measured(two_hours, 500.0, 1);
        let b = measured(two_hours + 100.0, 500.0, 2);
        assert_eq!(
            Correction::from_measurements(&a, &b, false),
            Err(CorrectionError::NeedsConfirmation { minutes: 120 })
        );
        assert!(Correction::from_measurements(&a, &b, true).is_ok());
    }
}
