//! Steam Guard codes: the HOTP value of the time step, written as five characters of Steam's
//! own alphabet instead of decimal digits.

use super::hotp::truncated_value;
use super::Algorithm;

/// Steam's 26 characters: digits and consonants without look-alikes.
const ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// Characters in every Steam Guard code.
pub const STEAM_CODE_LENGTH: u8 = 5;

/// The Steam Guard code for the moving factor `step` (HMAC-SHA1, least significant
/// base-26 digit first).
pub fn steam(secret: &[u8], step: u64) -> String {
    let mut value = truncated_value(secret, Algorithm::Sha1, step);
    let mut code = String::with_capacity(usize::from(STEAM_CODE_LENGTH));
    for _ in 0..STEAM_CODE_LENGTH {
        code.push(char::from(ALPHABET[(value % 26) as usize]));
        value /= 26;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_only_the_steam_alphabet() {
        for step in 0..200 {
            let code = steam(b"steam secret", step);
            assert_eq!(code.len(), 5);
            assert!(code.bytes().all(|c| ALPHABET.contains(&c)), "{code}");
        }
    }

    #[test]
    fn digits_are_the_value_in_base_26_least_significant_first() {
        // RFC 4226 counter 0 truncates to 1284755224, whose base-26 digits from the least
        // significant are 12, 12, 3, 11, 3 (and 4, which five characters do not reach).
        assert_eq!(steam(b"12345678901234567890", 0), "GG5F5");
    }

    #[test]
    fn vector_confirmed_by_totp_rs() {
        // JBSWY3DPEHPK3PXP ("Hello!\xde\xad\xbe\xef") at T=59, i.e. step 1; the same value
        // comes from totp-rs in tests/totp_rs_crosscheck.rs.
        assert_eq!(steam(b"Hello!\xde\xad\xbe\xef", 1), "2YXGV");
    }
}
