//! HOTP (RFC 4226): an HMAC over the moving factor, dynamically truncated to a 31-bit number.
//! TOTP and Steam codes are this same computation with a time step as the moving factor.

use super::Algorithm;
use hmac::digest::core_api::BlockSizeUser;
use hmac::digest::Digest;
use hmac::{Mac, SimpleHmac};

/// The HMAC of `counter` (8 bytes, big-endian) under `secret`, dynamically truncated to the
/// 31-bit value that every kind of code is derived from.
pub(crate) fn truncated_value(secret: &[u8], algorithm: Algorithm, counter: u64) -> u32 {
    let message = counter.to_be_bytes();
    match algorithm {
        Algorithm::Sha1 => truncate(&mac::<sha1::Sha1>(secret, &message)),
        Algorithm::Sha256 => truncate(&mac::<sha2::Sha256>(secret, &message)),
        Algorithm::Sha512 => truncate(&mac::<sha2::Sha512>(secret, &message)),
    }
}

fn mac<D: Digest + BlockSizeUser>(secret: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC hashes keys longer than a block and pads shorter ones, so every key length is valid;
    // the constructor's length error cannot occur for HMAC.
    let mut mac =
        <SimpleHmac<D> as Mac>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// RFC 4226 section 5.3: the low nibble of the last byte picks four bytes, whose top bit is
/// dropped so the value reads the same as signed or unsigned.
fn truncate(digest: &[u8]) -> u32 {
    let offset = usize::from(digest.last().copied().unwrap_or(0) & 0x0f);
    let mut word = [0u8; 4];
    // SHA-1, the shortest digest, has 20 bytes, so offset + 4 <= 19 always fits.
    if let Some(bytes) = digest.get(offset..offset + 4) {
        word.copy_from_slice(bytes);
    }
    u32::from_be_bytes(word) & 0x7fff_ffff
}

/// The HOTP code for `counter`: `digits` decimal digits, zero-padded.
///
/// Any `digits` is computed by the same rule (the truncated value modulo 10^digits); for
/// 10 digits and more that is the whole 31-bit value, zero-padded, because 2^31 < 10^10.
/// [`OtpParams::new`](super::OtpParams::new) only admits 6 to 10 digits.
pub fn hotp(secret: &[u8], algorithm: Algorithm, counter: u64, digits: u8) -> String {
    if digits == 0 {
        // Formatting would print a lone "0" for a zero-width code.
        return String::new();
    }
    let value = u64::from(truncated_value(secret, algorithm, counter));
    let code = match 10u64.checked_pow(u32::from(digits)) {
        Some(modulus) => value % modulus,
        None => value,
    };
    format!("{code:0width$}", width = usize::from(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC4226_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc4226_appendix_d() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(
                hotp(RFC4226_SECRET, Algorithm::Sha1, counter as u64, 6),
                *code
            );
        }
    }

    #[test]
    fn rfc4226_appendix_d_truncated_values() {
        let expected: [u32; 10] = [
            1284755224, 1094287082, 137359152, 1726969429, 1640338314, 868254676, 1918287922,
            82162583, 673399871, 645520489,
        ];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(
                truncated_value(RFC4226_SECRET, Algorithm::Sha1, counter as u64),
                *value
            );
        }
    }

    #[test]
    fn ten_digits_is_the_zero_padded_value() {
        assert_eq!(hotp(RFC4226_SECRET, Algorithm::Sha1, 0, 10), "1284755224");
        assert_eq!(hotp(RFC4226_SECRET, Algorithm::Sha1, 2, 10), "0137359152");
        assert_eq!(hotp(RFC4226_SECRET, Algorithm::Sha1, 2, 9), "137359152");
        assert_eq!(hotp(RFC4226_SECRET, Algorithm::Sha1, 7, 12), "000082162583");
    }

    #[test]
    fn any_digit_count_is_safe() {
        for digits in [0u8, 1, 19, 20, 255] {
            let code = hotp(RFC4226_SECRET, Algorithm::Sha512, u64::MAX, digits);
            assert_eq!(code.len(), usize::from(digits));
        }
    }

    #[test]
    fn empty_and_long_keys_are_accepted() {
        assert_eq!(hotp(&[], Algorithm::Sha1, 0, 6).len(), 6);
        assert_eq!(hotp(&[7u8; 300], Algorithm::Sha256, 1, 8).len(), 8);
    }
}
