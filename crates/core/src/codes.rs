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
        match otp.kind {
            OtpKind::Hotp { counter } => CodeSnapshot {
                code: otp.code_at_step(counter),
                next_code: None,
                valid_from_ms: None,
                valid_until_ms: None,
            },
            OtpKind::Totp { period } | OtpKind::Steam { period } => {
                let period_ms = u64::from(period) * 1000;
                let step = now_ms / period_ms;
                CodeSnapshot {
                    code: otp.code_at_step(step),
                    next_code: Some(otp.code_at_step(step.saturating_add(1))),
                    valid_from_ms: Some(step * period_ms),
                    valid_until_ms: Some(step.saturating_add(1).saturating_mul(period_ms)),
                }
            }
        }
    }
}
