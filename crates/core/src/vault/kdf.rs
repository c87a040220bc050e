//! Argon2id parameters of the password slot: the bounds a file may carry, calibration on the
//! user's machine, and the derivation of a key-encryption key from a password.

use argon2::{Algorithm, Argon2, Params, Version};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Errors of key derivation.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KdfError {
    /// The parameters lie outside the bounds of the vault format (read from a damaged or
    /// hostile file, or asked for by a caller).
    #[error("key derivation parameters out of range")]
    OutOfRange,
    /// New parameters would make the password easier to guess than the current ones.
    #[error("the new key derivation parameters are weaker than the current ones")]
    Weaker,
    /// The Argon2 implementation refused to run (for example, memory could not be allocated).
    #[error("key derivation failed: {0}")]
    Failed(String),
}

/// Argon2id cost parameters of a password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes over the memory.
    pub iterations: u32,
    /// Degree of parallelism.
    pub lanes: u32,
}

/// Smallest memory a vault may use: 64 MiB.
pub const MIN_MEMORY_KIB: u32 = 64 * 1024;
/// Largest memory a vault may ask for: 1 GiB, so a hostile file cannot exhaust memory.
pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
/// Fewest passes a vault may use.
pub const MIN_ITERATIONS: u32 = 3;
/// Most passes a vault may ask for.
pub const MAX_ITERATIONS: u32 = 64;
/// Most lanes a vault may ask for.
pub const MAX_LANES: u32 = 16;
/// Bound on memory × passes, so a hostile file cannot make unlocking take minutes even with
/// each parameter in range.
pub const MAX_WORK: u64 = 8 * 1024 * 1024;
/// Calibration stops growing memory here and raises the passes instead: more memory than this
/// would crowd out the rest of a desktop for little gain.
const CALIBRATION_MAX_MEMORY_KIB: u32 = 256 * 1024;

impl KdfParams {
    /// The weakest parameters the format allows (64 MiB, 3 passes, 1 lane); for tests and for
    /// machines where calibration lands below them.
    pub fn minimum() -> Self {
        KdfParams {
            memory_kib: MIN_MEMORY_KIB,
            iterations: MIN_ITERATIONS,
            lanes: 1,
        }
    }

    /// Checks the bounds of the vault format. Runs before any memory is reserved for the
    /// derivation, so absurd values read from a file cost nothing.
    pub fn validate(&self) -> Result<(), KdfError> {
        let in_range = (MIN_MEMORY_KIB..=MAX_MEMORY_KIB).contains(&self.memory_kib)
            && (MIN_ITERATIONS..=MAX_ITERATIONS).contains(&self.iterations)
            && (1..=MAX_LANES).contains(&self.lanes)
            && self.work() <= MAX_WORK;
        if in_range {
            Ok(())
        } else {
            Err(KdfError::OutOfRange)
        }
    }

    /// Memory × passes: what an attacker pays per guess, used to compare parameter sets.
    pub fn work(&self) -> u64 {
        u64::from(self.memory_kib) * u64::from(self.iterations)
    }

    /// Whether these parameters cost at least as much per guess as `current`.
    pub fn at_least(&self, current: &KdfParams) -> bool {
        self.work() >= current.work()
    }

    /// Measures this machine and returns parameters for which one derivation takes about
    /// `target`, never below [`KdfParams::minimum`] and never beyond the format's bounds.
    /// Takes a few times `target` to run.
    pub fn calibrate(target: Duration) -> Result<Self, KdfError> {
        let mut params = KdfParams::minimum();
        let mut elapsed = params.time_one()?;
        while elapsed * 2 < target && params.memory_kib < CALIBRATION_MAX_MEMORY_KIB {
            params.memory_kib *= 2;
            elapsed = params.time_one()?;
        }
        if elapsed < target && !elapsed.is_zero() {
            let scale = target.as_secs_f64() / elapsed.as_secs_f64();
            let wanted = (f64::from(params.iterations) * scale).round() as u64;
            let by_work = MAX_WORK / u64::from(params.memory_kib);
            let capped = wanted.min(by_work).min(u64::from(MAX_ITERATIONS));
            params.iterations = u32::try_from(capped)
                .unwrap_or(MAX_ITERATIONS)
                .max(MIN_ITERATIONS);
        }
        params.validate()?;
        Ok(params)
    }

    fn time_one(&self) -> Result<Duration, KdfError> {
        let start = Instant::now();
        derive(self, b"calibration", &[0u8; 32])?;
        Ok(start.elapsed())
    }
}

/// Derives a 32-byte key-encryption key from a password. Checks the bounds first.
pub fn derive(
    params: &KdfParams,
    password: &[u8],
    salt: &[u8; 32],
) -> Result<Zeroizing<[u8; 32]>, KdfError> {
    params.validate()?;
    let argon_params = Params::new(params.memory_kib, params.iterations, params.lanes, Some(32))
        .map_err(|e| KdfError::Failed(e.to_string()))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password, salt, out.as_mut())
        .map_err(|e| KdfError::Failed(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_parameters_are_refused_before_derivation() {
        let hostile = KdfParams {
            memory_kib: 1 << 30,
            iterations: 1 << 31,
            lanes: 1,
        };
        assert_eq!(hostile.validate(), Err(KdfError::OutOfRange));
        assert_eq!(
            derive(&hostile, b"pw", &[0; 32]).unwrap_err(),
            KdfError::OutOfRange
        );
    }

    #[test]
    fn bounds_are_enforced_one_by_one() {
        let min = KdfParams::minimum();
        assert!(min.validate().is_ok());
        for bad in [
            KdfParams {
                memory_kib: MIN_MEMORY_KIB - 1,
                ..min
            },
            KdfParams {
                memory_kib: MAX_MEMORY_KIB + 1,
                ..min
            },
            KdfParams {
                iterations: 2,
                ..min
            },
            KdfParams {
                iterations: MAX_ITERATIONS + 1,
                ..min
            },
            KdfParams { lanes: 0, ..min },
            KdfParams { lanes: 17, ..min },
            KdfParams {
                memory_kib: MAX_MEMORY_KIB,
                iterations: 9,
                lanes: 1,
            },
        ] {
            assert_eq!(bad.validate(), Err(KdfError::OutOfRange), "{bad:?}");
        }
    }

    #[test]
    fn work_compares_parameter_sets() {
        let min = KdfParams::minimum();
        let more_memory = KdfParams {
            memory_kib: 2 * MIN_MEMORY_KIB,
            ..min
        };
        assert!(more_memory.at_least(&min));
        assert!(!min.at_least(&more_memory));
    }
}
