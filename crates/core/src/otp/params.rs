//! Validated code parameters and the codes they produce at a given time.

use super::steam::STEAM_CODE_LENGTH;
use super::{hotp, steam, Algorithm, OtpKind, OtpParams, Secret};

/// The longest time step accepted, one day: longer periods are not seen in the wild and would
/// make a code valid for implausibly long.
pub const MAX_PERIOD: u32 = 86_400;

/// Code lengths accepted for TOTP and HOTP.
pub const DIGITS_RANGE: std::ops::RangeInclusive<u8> = 6..=10;

/// Parameters that cannot produce usable codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    /// TOTP and HOTP codes have 6 to 10 digits.
    #[error("{digits} digits is not supported: codes have 6 to 10 digits")]
    DigitsOutOfRange {
        /// The digit count asked for.
        digits: u8,
    },
    /// Steam Guard codes always have 5 characters.
    #[error("Steam Guard codes have 5 characters, not {digits}")]
    SteamDigits {
        /// The length asked for.
        digits: u8,
    },
    /// Steam Guard codes are always computed with HMAC-SHA1.
    #[error("Steam Guard codes use SHA1, not {algorithm:?}")]
    SteamAlgorithm {
        /// The algorithm asked for.
        algorithm: Algorithm,
    },
    /// The time step must be between 1 second and one day.
    #[error("a period of {period} seconds is not supported: it must be 1 to {MAX_PERIOD} seconds")]
    PeriodOutOfRange {
        /// The period asked for, in seconds.
        period: u32,
    },
    /// An empty key would make every account's codes the same.
    #[error("the secret is empty")]
    EmptySecret,
}

impl OtpParams {
    /// Checks and bundles the parameters of an account's codes.
    pub fn new(
        kind: OtpKind,
        algorithm: Algorithm,
        digits: u8,
        secret: Secret,
    ) -> Result<Self, OtpError> {
        match kind {
            OtpKind::Totp { period } | OtpKind::Steam { period }
                if period == 0 || period > MAX_PERIOD =>
            {
                return Err(OtpError::PeriodOutOfRange { period });
            }
            OtpKind::Steam { .. } if digits != STEAM_CODE_LENGTH => {
                return Err(OtpError::SteamDigits { digits });
            }
            OtpKind::Steam { .. } if algorithm != Algorithm::Sha1 => {
                return Err(OtpError::SteamAlgorithm { algorithm });
            }
            OtpKind::Totp { .. } | OtpKind::Hotp { .. } if !DIGITS_RANGE.contains(&digits) => {
                return Err(OtpError::DigitsOutOfRange { digits });
            }
            _ => {}
        }
        if secret.as_bytes().is_empty() {
            return Err(OtpError::EmptySecret);
        }
        Ok(OtpParams {
            kind,
            algorithm,
            digits,
            secret,
        })
    }

    /// The time step in seconds, or `None` for HOTP. The fields are public, so a zero period
    /// can arrive without [`OtpParams::new`]; it is read as 1 rather than divided by.
    fn period(&self) -> Option<u64> {
        match self.kind {
            OtpKind::Totp { period } | OtpKind::Steam { period } => Some(u64::from(period.max(1))),
            OtpKind::Hotp { .. } => None,
        }
    }

    /// The moving factor at `unix` seconds: `unix / period` for time-based codes, `None` for
    /// HOTP, whose counter does not depend on time.
    pub fn step_at(&self, unix: u64) -> Option<u64> {
        self.period().map(|period| unix / period)
    }

    /// The code shown at `unix` seconds; for HOTP, the code at the account's counter.
    pub fn code_at(&self, unix: u64) -> String {
        let step = match self.kind {
            OtpKind::Hotp { counter } => counter,
            OtpKind::Totp { .. } | OtpKind::Steam { .. } => self.step_at(unix).unwrap_or(0),
        };
        self.code_at_step(step)
    }

    /// The code for the moving factor `step` (a time step, or an HOTP counter).
    pub fn code_at_step(&self, step: u64) -> String {
        let key = self.secret.as_bytes();
        match self.kind {
            OtpKind::Steam { .. } => steam(key, step),
            OtpKind::Totp { .. } | OtpKind::Hotp { .. } => {
                hotp(key, self.algorithm, step, self.digits)
            }
        }
    }

    /// When the code shown at `unix_ms` milliseconds became valid and when it stops being
    /// valid (exclusive), in Unix milliseconds; `None` for HOTP.
    pub fn window_at(&self, unix_ms: u64) -> Option<(u64, u64)> {
        let period_ms = self.period()? * 1000;
        let start = unix_ms - unix_ms % period_ms;
        Some((start, start.saturating_add(period_ms)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_SHA1: &[u8] = b"12345678901234567890";
    const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
    const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    fn totp(seed: &[u8], algorithm: Algorithm, digits: u8, period: u32) -> OtpParams {
        OtpParams::new(
            OtpKind::Totp { period },
            algorithm,
            digits,
            Secret::from_bytes(seed.to_vec()),
        )
        .unwrap()
    }

    #[test]
    fn rfc6238_appendix_b() {
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        let sha1 = totp(SEED_SHA1, Algorithm::Sha1, 8, 30);
        let sha256 = totp(SEED_SHA256, Algorithm::Sha256, 8, 30);
        let sha512 = totp(SEED_SHA512, Algorithm::Sha512, 8, 30);
        for (time, c1, c256, c512) in table {
            assert_eq!(sha1.code_at(time), c1, "SHA1 at {time}");
            assert_eq!(sha256.code_at(time), c256, "SHA256 at {time}");
            assert_eq!(sha512.code_at(time), c512, "SHA512 at {time}");
        }
    }

    #[test]
    fn steps_and_windows() {
        let params = totp(SEED_SHA1, Algorithm::Sha1, 6, 30);
        assert_eq!(params.step_at(59), Some(1));
        assert_eq!(params.step_at(60), Some(2));
        assert_eq!(params.code_at(59), params.code_at_step(1));
        assert_eq!(params.window_at(59_999), Some((30_000, 60_000)));
        assert_eq!(params.window_at(60_000), Some((60_000, 90_000)));
        assert_eq!(
            params.window_at(u64::MAX),
            Some((u64::MAX - u64::MAX % 30_000, u64::MAX))
        );
        let one_second = totp(SEED_SHA1, Algorithm::Sha1, 6, 1);
        assert_eq!(one_second.step_at(1234), Some(1234));
    }

    #[test]
    fn hotp_uses_its_counter_whatever_the_time() {
        let params = OtpParams::new(
            OtpKind::Hotp { counter: 3 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(SEED_SHA1.to_vec()),
        )
        .unwrap();
        assert_eq!(params.code_at(0), "969429");
        assert_eq!(params.code_at(1_700_000_000), "969429");
        assert_eq!(params.code_at_step(9), "520489");
        assert_eq!(params.step_at(100), None);
        assert_eq!(params.window_at(100_000), None);
    }

    #[test]
    fn steam_codes_are_five_characters() {
        let params = OtpParams::new(
            OtpKind::Steam { period: 30 },
            Algorithm::Sha1,
            5,
            Secret::from_bytes(SEED_SHA1.to_vec()),
        )
        .unwrap();
        assert_eq!(params.code_at(59), steam(SEED_SHA1, 1));
        assert_eq!(params.code_at(59).len(), 5);
    }

    #[test]
    fn validation_names_the_problem() {
        let key = || Secret::from_bytes(SEED_SHA1.to_vec());
        let totp30 = OtpKind::Totp { period: 30 };
        let steam30 = OtpKind::Steam { period: 30 };
        let cases = [
            (
                OtpParams::new(totp30, Algorithm::Sha1, 5, key()),
                OtpError::DigitsOutOfRange { digits: 5 },
            ),
            (
                OtpParams::new(OtpKind::Hotp { counter: 0 }, Algorithm::Sha1, 11, key()),
                OtpError::DigitsOutOfRange { digits: 11 },
            ),
            (
                OtpParams::new(steam30, Algorithm::Sha1, 6, key()),
                OtpError::SteamDigits { digits: 6 },
            ),
            (
                OtpParams::new(steam30, Algorithm::Sha256, 5, key()),
                OtpError::SteamAlgorithm {
                    algorithm: Algorithm::Sha256,
                },
            ),
            (
                OtpParams::new(OtpKind::Totp { period: 0 }, Algorithm::Sha1, 6, key()),
                OtpError::PeriodOutOfRange { period: 0 },
            ),
            (
                OtpParams::new(OtpKind::Steam { period: 86_401 }, Algorithm::Sha1, 5, key()),
                OtpError::PeriodOutOfRange { period: 86_401 },
            ),
            (
                OtpParams::new(totp30, Algorithm::Sha1, 6, Secret::from_bytes(Vec::new())),
                OtpError::EmptySecret,
            ),
        ];
        for (result, expected) in cases {
            assert_eq!(result.unwrap_err(), expected);
        }
        assert_eq!(
            OtpError::DigitsOutOfRange { digits: 5 }.to_string(),
            "5 digits is not supported: codes have 6 to 10 digits"
        );
        assert_eq!(
            OtpError::PeriodOutOfRange { period: 0 }.to_string(),
            "a period of 0 seconds is not supported: it must be 1 to 86400 seconds"
        );
    }

    #[test]
    fn unvalidated_zero_period_does_not_panic() {
        let params = OtpParams {
            kind: OtpKind::Totp { period: 0 },
            algorithm: Algorithm::Sha1,
            digits: 6,
            secret: Secret::from_bytes(SEED_SHA1.to_vec()),
        };
        assert_eq!(params.step_at(77), Some(77));
        assert_eq!(params.window_at(77_500), Some((77_000, 78_000)));
        assert_eq!(params.code_at(u64::MAX).len(), 6);
    }
}
