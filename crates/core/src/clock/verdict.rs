//! What a clock offset means for 30-second codes, in words a user can act on.

use serde::{Deserialize, Serialize};

/// Below this offset (ms) codes work. A code is typed some 5–15 s after it is shown, and
/// services accept the current step and usually one step either side; 5 s of skew plus the
/// typing delay stays well inside the neighbouring step, even at a service that accepts only
/// the step before the current one.
const FINE_BELOW_MS: f64 = 5_000.0;

/// From this offset (ms) codes fail. At 15 s half of all codes are shown from the neighbouring
/// step, and with the typing delay added a slow clock's code lands two steps behind, outside
/// the usual ±1 step acceptance; a fast clock's code is a step ahead half the time, which
/// services that accept only current and past steps reject.
const FAILS_FROM_MS: f64 = 15_000.0;

/// How a clock offset affects 30-second codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Under 5 s: codes work.
    Fine,
    /// 5 to 15 s: codes shown near the end of their 30 s are often rejected.
    AtRisk,
    /// 15 s or more (or an offset that is not a number): most codes will be rejected.
    WillFail,
}

impl Verdict {
    /// The verdict for an offset in milliseconds (either sign).
    pub fn for_offset_ms(offset_ms: f64) -> Verdict {
        let skew = offset_ms.abs();
        if skew < FINE_BELOW_MS {
            Verdict::Fine
        } else if skew < FAILS_FROM_MS {
            Verdict::AtRisk
        } else {
            // NaN lands here too: an offset we cannot read is no reason for comfort.
            Verdict::WillFail
        }
    }
}

/// A sentence for the user about an offset (reference minus this computer, in ms): which way
/// the clock is off, by how much, and what it does to 30-second codes.
pub fn describe_offset(offset_ms: f64) -> String {
    let seconds = offset_ms.abs() / 1000.0;
    let direction = if offset_ms > 0.0 { "behind" } else { "ahead" };
    let state = if seconds < 0.05 {
        "This computer's clock is right".to_string()
    } else {
        format!("This computer's clock is {} {direction}", human(seconds))
    };
    let effect = match Verdict::for_offset_ms(offset_ms) {
        Verdict::Fine => "30-second codes are fine.",
        Verdict::AtRisk => {
            "30-second codes are at risk: codes typed near the end of their 30 s may be rejected."
        }
        Verdict::WillFail => {
            "30-second codes will fail: set the clock right, or turn on the time correction."
        }
    };
    format!("{state}: {effect}")
}

/// Seconds as "0.3 s", "37.5 s", "2 min 5 s" or "2 h 0 min". The unit is chosen after
/// rounding, so that 3599.6 s reads "1 h 0 min" rather than "60 min 0 s".
fn human(seconds: f64) -> String {
    if !(seconds.is_finite() && seconds < 1e12) {
        return "impossibly far".to_string();
    }
    if seconds < 59.95 {
        return format!("{seconds:.1} s");
    }
    let whole = seconds.round() as u64;
    if whole < 3_600 {
        format!("{} min {} s", whole / 60, whole % 60)
    } else {
        let minutes = (seconds / 60.0).round() as u64;
        format!("{} h {} min", minutes / 60, minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(Verdict::for_offset_ms(0.0), Verdict::Fine);
        assert_eq!(Verdict::for_offset_ms(-4_999.0), Verdict::Fine);
        assert_eq!(Verdict::for_offset_ms(5_000.0), Verdict::AtRisk);
        assert_eq!(Verdict::for_offset_ms(-14_999.0), Verdict::AtRisk);
        assert_eq!(Verdict::for_offset_ms(15_000.0), Verdict::WillFail);
        assert_eq!(Verdict::for_offset_ms(f64::NAN), Verdict::WillFail);
    }

    #[test]
    fn sentences() {
        assert_eq!(
            describe_offset(37_500.0),
            "This computer's clock is 37.5 s behind: 30-second codes will fail: set the clock \
             right, or turn on the time correction."
        );
        assert_eq!(
            describe_offset(-7_200_000.0),
            "This computer's clock is 2 h 0 min ahead: 30-second codes will fail: set the clock \
             right, or turn on the time correction."
        );
        assert_eq!(
            describe_offset(200.0),
            "This computer's clock is 0.2 s behind: 30-second codes are fine."
        );
        assert_eq!(
            describe_offset(-10.0),
            "This computer's clock is right: 30-second codes are fine."
        );
        assert!(describe_offset(-125_000.0).starts_with("This computer's clock is 2 min 5 s ahead"));
        assert!(describe_offset(-8_000.0).contains("at risk"));
        assert!(describe_offset(f64::INFINITY).contains("impossibly far"));
        assert!(describe_offset(-3_599_600.0).contains(" 1 h 0 min ahead"));
        assert!(describe_offset(59_970.0).contains(" 1 min 0 s behind"));
        assert!(describe_offset(59_940.0).contains(" 59.9 s behind"));
    }
}
