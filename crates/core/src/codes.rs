//! What is on screen for an account at a given instant: the code, the next one, and when the
//! current one stops being valid.

use crate::otp::{OtpKind, OtpParams};

/// The code of an account at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSnapshot {
    /// The code valid now (for HOTP: at the current counter).
    pub code: String,
    /// The code of the next time step; `None` for counter-based accounts.
    pub next_code: Option<String>,
    /// Start of the current time step in Unix milliseconds; `None` for counter-based accounts.
    pub valid_from_ms: Option<u64>,
    /// End of the current time step in Unix milliseconds; `None` for counter-based accounts.
    pub valid_until_ms: Option<u64>,
}

impl CodeSnapshot {
    /// The snapshot of `otp` at `now_ms` (Unix milliseconds).
    pub fn at(otp: &OtpParams, now_ms: u64) -> Self {
        match (otp.step_at(now_ms / 1000), otp.window_at(now_ms)) {
            (Some(step), Some((from, until))) => CodeSnapshot {
                code: otp.code_at_step(step),
                next_code: Some(otp.code_at_step(step.saturating_add(1))),
                valid_from_ms: Some(from),
                valid_until_ms: Some(until),
            },
            _ => CodeSnapshot {
                code: otp.code_at(now_ms / 1000),
                next_code: None,
                valid_from_ms: None,
                valid_until_ms: None,
            },
        }
    }
}

/// The parameters of a counter-based account moved on to its next code; `None` for
/// time-based accounts, and at the counter's end (which no real account reaches).
pub fn advance_counter(otp: &OtpParams) -> Option<OtpParams> {
    match otp.kind {
        OtpKind::Hotp { counter } => Some(OtpParams {
            kind: OtpKind::Hotp {
                counter: counter.checked_add(1)?,
            },
            ..otp.clone()
        }),
        OtpKind::Totp { .. } | OtpKind::Steam { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Secret};

    fn params(kind: OtpKind) -> OtpParams {
        OtpParams::new(
            kind,
            Algorithm::Sha1,
            8,
            Secret::from_bytes(b"12345678901234567890".to_vec()),
        )
        .expect("valid parameters")
    }

    #[test]
    fn totp_snapshot_at_rfc6238_time_59() {
        let snapshot = CodeSnapshot::at(&params(OtpKind::Totp { period: 30 }), 59_000);
        assert_eq!(snapshot.code, "94287082");
        assert_eq!(snapshot.valid_from_ms, Some(30_000));
        assert_eq!(snapshot.valid_until_ms, Some(60_000));
        // RFC 4226's HOTP value for counter 2, i.e. TOTP step 2, truncated to 8 digits.
        assert_eq!(snapshot.next_code.as_deref(), Some("37359152"));
    }

    #[test]
    fn hotp_snapshot_uses_the_counter_and_advances() {
        let otp = params(OtpKind::Hotp { counter: 0 });
        // RFC 4226 Appendix D, counters 0 and 1, as 8-digit values of the same HOTP values.
        assert_eq!(CodeSnapshot::at(&otp, 123_456_000).code, "84755224");
        let next = advance_counter(&otp).expect("counter-based");
        assert_eq!(next.kind, OtpKind::Hotp { counter: 1 });
        assert_eq!(CodeSnapshot::at(&next, 0).code, "94287082");
        assert!(CodeSnapshot::at(&next, 0).valid_until_ms.is_none());
        assert!(advance_counter(&params(OtpKind::Totp { period: 30 })).is_none());
    }
}
