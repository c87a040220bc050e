//! Which time step (or HOTP counter) a code someone typed belongs to: the support desk's
//! "is that phone's clock wrong, and by how much?".

use crate::otp::{OtpKind, OtpParams};
use serde::{Deserialize, Serialize};

/// The window searched when none is given: ±10 steps is ±5 minutes for 30-second codes.
pub const DEFAULT_WINDOW: u32 = 10;

/// The widest window accepted. Each step costs one HMAC, and beyond a few thousand steps a
/// six-digit code starts matching by chance anyway.
pub const MAX_WINDOW: u32 = 5_000;

/// Why a typed code cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Nothing but spaces and dashes was typed.
    #[error("the code is empty")]
    Empty,
    /// The code is not as long as this account's codes.
    #[error("the code has {typed} characters; this account's codes have {expected}")]
    WrongLength {
        /// Characters typed (spaces and dashes not counted).
        typed: usize,
        /// Characters in this account's codes.
        expected: usize,
    },
    /// A character that cannot appear in this account's codes.
    #[error("the code contains {found:?}; this account's codes are {allowed}")]
    BadCharacter {
        /// The first offending character.
        found: char,
        /// What the codes are made of.
        allowed: &'static str,
    },
    /// The window is wider than [`MAX_WINDOW`].
    #[error("a window of {window} steps is too wide (at most {MAX_WINDOW})")]
    WindowTooWide {
        /// The window asked for.
        window: u32,
    },
}

/// Where a typed code was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CodeMatch {
    /// A time-based code (TOTP or Steam).
    Time {
        /// Steps from the step at the given time: negative means the device that showed the
        /// code is behind (slow), positive that it is ahead (fast).
        steps: i64,
        /// `steps * period`: roughly how far that device's clock is off, in seconds.
        seconds: i64,
        /// The matching time step itself.
        step: u64,
    },
    /// A counter-based code.
    Counter {
        /// The counter the code belongs to; the next code is `counter + 1`, which is what
        /// the account should store.
        counter: u64,
        /// How many codes past the stored counter it is (0: the stored counter's own code).
        ahead: u64,
    },
}

impl std::fmt::Display for CodeMatch {
    /// A sentence for the user, such as "matches 2 steps earlier: that device is about 60 s
    /// slow".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            CodeMatch::Time { steps: 0, .. } => write!(
                f,
                "matches the current step: that device's clock agrees with this one to within a step"
            ),
            CodeMatch::Time { steps, seconds, .. } => {
                let count = steps.unsigned_abs();
                let plural = if count == 1 { "" } else { "s" };
                let (when, speed) = if steps < 0 {
                    ("earlier", "slow")
                } else {
                    ("later", "fast")
                };
                write!(
                    f,
                    "matches {count} step{plural} {when}: that device is about {} s {speed}",
                    seconds.unsigned_abs()
                )
            }
            CodeMatch::Counter { counter, ahead: 0 } => write!(
                f,
                "matches counter {counter}, the stored one: the next code is counter {}",
                counter.saturating_add(1)
            ),
            CodeMatch::Counter { counter, ahead } => write!(
                f,
                "matches counter {counter}, {ahead} ahead of the stored one: codes were used \
                 elsewhere; the next code is counter {}",
                counter.saturating_add(1)
            ),
        }
    }
}

/// Looks for `typed` among the codes within `window` steps of the step at `unix` seconds,
/// nearest first (and the earlier step first at equal distance). For HOTP, `unix` is ignored
/// and the counters from the stored one up to `window` ahead are tried: the look-ahead of
/// RFC 4226 resynchronisation, since a counter never goes back.
///
/// Spaces and dashes in `typed` are ignored; Steam codes are compared without regard to case.
/// `Ok(None)` means no code in the window matches.
pub fn verify(
    params: &OtpParams,
    typed: &str,
    unix: u64,
    window: u32,
) -> Result<Option<CodeMatch>, VerifyError> {
    if window > MAX_WINDOW {
        return Err(VerifyError::WindowTooWide { window });
    }
    let code = normalise(params, typed)?;
    let found = match params.kind {
        OtpKind::Hotp { counter } => (0..=u64::from(window))
            .filter_map(|ahead| Some((counter.checked_add(ahead)?, ahead)))
            .find(|&(candidate, _)| params.code_at_step(candidate) == code)
            .map(|(counter, ahead)| CodeMatch::Counter { counter, ahead }),
        OtpKind::Totp { period } | OtpKind::Steam { period } => {
            let now_step = params.step_at(unix).unwrap_or(0);
            nearest_first(window)
                .filter_map(|steps| Some((now_step.checked_add_signed(steps)?, steps)))
                .find(|&(step, _)| params.code_at_step(step) == code)
                .map(|(step, steps)| CodeMatch::Time {
                    steps,
                    seconds: steps * i64::from(period.max(1)),
                    step,
                })
        }
    };
    Ok(found)
}

/// 0, -1, +1, -2, +2, … up to ±window.
fn nearest_first(window: u32) -> impl Iterator<Item = i64> {
    std::iter::once(0).chain((1..=i64::from(window)).flat_map(|k| [-k, k]))
}

/// The typed code without spaces and dashes, checked against the account's code shape, in
/// the case the generator produces.
fn normalise(params: &OtpParams, typed: &str) -> Result<String, VerifyError> {
    let steam = matches!(params.kind, OtpKind::Steam { .. });
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| if steam { c.to_ascii_uppercase() } else { c })
        .collect();
    if code.is_empty() {
        return Err(VerifyError::Empty);
    }
    let (valid, allowed): (fn(&char) -> bool, _) = if steam {
        (|c| c.is_ascii_alphanumeric(), "letters and digits")
    } else {
        (|c| c.is_ascii_digit(), "digits")
    };
    if let Some(found) = code.chars().find(|c| !valid(c)) {
        return Err(VerifyError::BadCharacter { found, allowed });
    }
    let expected = usize::from(params.digits);
    let typed_len = code.chars().count();
    if typed_len != expected {
        return Err(VerifyError::WrongLength {
            typed: typed_len,
            expected,
        });
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Secret};

    fn params(kind: OtpKind, digits: u8) -> OtpParams {
        OtpParams::new(
            kind,
            Algorithm::Sha1,
            digits,
            Secret::from_bytes(b"12345678901234567890".to_vec()),
        )
        .unwrap()
    }

    #[test]
    fn order_is_nearest_first() {
        assert_eq!(nearest_first(2).collect::<Vec<_>>(), [0, -1, 1, -2, 2]);
        assert_eq!(nearest_first(0).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn typed_codes_are_tidied_and_checked() {
        let totp = params(OtpKind::Totp { period: 30 }, 6);
        assert_eq!(normalise(&totp, " 123-456 ").unwrap(), "123456");
        assert_eq!(normalise(&totp, " - ").unwrap_err(), VerifyError::Empty);
        assert_eq!(
            normalise(&totp, "12345").unwrap_err(),
            VerifyError::WrongLength {
                typed: 5,
                expected: 6
            }
        );
        assert_eq!(
            normalise(&totp, "12a456").unwrap_err().to_string(),
            "the code contains 'a'; this account's codes are digits"
        );
        let steam = params(OtpKind::Steam { period: 30 }, 5);
        assert_eq!(normalise(&steam, "gg5-f5").unwrap(), "GG5F5");
        assert!(matches!(
            normalise(&steam, "GG5F!"),
            Err(VerifyError::BadCharacter { found: '!', .. })
        ));
    }

    #[test]
    fn steps_near_zero_do_not_underflow() {
        let totp = params(OtpKind::Totp { period: 30 }, 6);
        let code = totp.code_at_step(0);
        assert_eq!(
            verify(&totp, &code, 45, 10).unwrap(),
            Some(CodeMatch::Time {
                steps: -1,
                seconds: -30,
                step: 0
            })
        );
    }

    #[test]
    fn too_wide_a_window_is_refused() {
        let totp = params(OtpKind::Totp { period: 30 }, 6);
        assert_eq!(
            verify(&totp, "123456", 0, MAX_WINDOW + 1),
            Err(VerifyError::WindowTooWide {
                window: MAX_WINDOW + 1
            })
        );
    }

    #[test]
    fn sentences() {
        let time = |steps: i64| CodeMatch::Time {
            steps,
            seconds: steps * 30,
            step: 100,
        };
        assert_eq!(
            time(-2).to_string(),
            "matches 2 steps earlier: that device is about 60 s slow"
        );
        assert_eq!(
            time(1).to_string(),
            "matches 1 step later: that device is about 30 s fast"
        );
        assert!(time(0).to_string().starts_with("matches the current step"));
        assert_eq!(
            CodeMatch::Counter {
                counter: 7,
                ahead: 3
            }
            .to_string(),
            "matches counter 7, 3 ahead of the stored one: codes were used elsewhere; the next \
             code is counter 8"
        );
    }
}
