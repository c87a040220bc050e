//! One-time password generation: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard codes, plus
//! the lenient parsing of the base32 secrets users paste from service pages.

mod hotp;
mod params;
mod secret;
mod steam;

pub use hotp::hotp;
pub use params::{OtpError, DIGITS_RANGE, MAX_PERIOD};
pub use secret::{ParsedSecret, SecretError, SecretWarning, MAX_SECRET_CHARACTERS};
pub use steam::{steam, STEAM_CODE_LENGTH};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The HMAC hash an account's codes are computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// HMAC-SHA1, what nearly every service uses.
    #[default]
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// How the moving factor of an account's codes is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum OtpKind {
    /// Time-based codes: the moving factor is `unix_time / period`.
    Totp {
        /// Length of one time step in seconds (30 by default, 60 seen in the wild).
        period: u32,
    },
    /// Counter-based codes: the moving factor is a counter the user advances.
    Hotp {
        /// The counter of the code shown now.
        counter: u64,
    },
    /// Steam Guard: TOTP with five characters from Steam's alphabet.
    Steam {
        /// Length of one time step in seconds (30 for Steam).
        period: u32,
    },
}

/// A shared secret. The bytes live in zeroizing memory and never appear in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({} bytes)", self.0.len())
    }
}

impl Secret {
    /// Wraps raw secret bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }

    /// The raw secret bytes, for the HMAC.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Everything needed to compute an account's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpParams {
    /// Time-based, counter-based or Steam.
    pub kind: OtpKind,
    /// The HMAC hash.
    pub algorithm: Algorithm,
    /// Number of digits (6 to 10); 5 characters for Steam.
    pub digits: u8,
    /// The shared secret.
    pub secret: Secret,
}
