//! Base32 secrets as users paste them: any case, grouped with spaces or dashes, with or without
//! `=` padding.
//!
//! Lengths: every 8 characters make 5 bytes; a shorter tail makes as many whole bytes as its
//! bits allow and its spare bits are ignored, whatever their value, as other authenticators do.
//! A tail of 1, 3 or 6 characters cannot come out of a base32 encoder: its last character falls
//! entirely into the spare bits. Such keys are accepted like Google Authenticator accepts them
//! (the partial byte is dropped), with [`SecretWarning::IgnoredCharacter`] so the user can
//! check for a missing or extra character.

use super::Secret;
use zeroize::Zeroizing;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The fewest bits a key should have; shorter keys still work but are weak.
const RECOMMENDED_MIN_BITS: usize = 80;

/// The most key characters accepted (2560 bytes), far above any real key, so that pasted junk
/// cannot become an enormous secret.
pub const MAX_SECRET_CHARACTERS: usize = 4096;

/// A base32 secret that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// There are no key characters at all (empty, or only spaces, dashes and padding).
    #[error("the secret is empty")]
    Empty,
    /// A character that is neither base32 nor a separator.
    #[error(
        "invalid character {character:?} at position {position}: base32 keys use the letters \
         A–Z and digits 2–7{}",
        not_base32_hint(*character)
    )]
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its position in the text as given, counting characters from 1.
        position: usize,
    },
    /// Key characters follow `=` padding, which may only end a key.
    #[error("key character after '=' padding at position {position}: padding may only end a key")]
    DataAfterPadding {
        /// Position of the first key character after the padding, counting from 1.
        position: usize,
    },
    /// A single key character carries only 5 bits, not even one byte.
    #[error("the secret has only one base32 character; a key needs at least two")]
    TooShort,
    /// More key characters than any real key has.
    #[error("the secret has more than {MAX_SECRET_CHARACTERS} base32 characters")]
    TooLong,
}

/// Why a digit that is not base32 was probably typed, for the error message.
fn not_base32_hint(character: char) -> &'static str {
    match character {
        '0' => " (0 is not base32: did you mean the letter O?)",
        '1' => " (1 is not base32: did you mean the letter I or L?)",
        '8' => " (8 is not base32: did you mean the letter B?)",
        '9' => " (9 is not base32: check the key for a typing error)",
        _ => "",
    }
}

/// Something odd about a secret that was nonetheless accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretWarning {
    /// The key is shorter than 80 bits, so codes are easier to guess.
    #[error("the secret has only {bits} bits; at least 80 are recommended")]
    Short {
        /// The key's length in bits.
        bits: usize,
    },
    /// The key's length is impossible in base32, so its last character was not used.
    #[error(
        "a base32 key cannot have {characters} characters, so the last one was ignored; \
         check the key for a missing or extra character"
    )]
    IgnoredCharacter {
        /// Number of key characters found.
        characters: usize,
    },
}

/// A secret read from base32 text, with anything odd noticed on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSecret {
    /// The decoded key.
    pub secret: Secret,
    /// Accepted oddities the user should hear about.
    pub warnings: Vec<SecretWarning>,
}

fn is_separator(c: char) -> bool {
    c == '-' || c.is_whitespace()
}

impl Secret {
    /// Reads a base32 key as users paste it. Case, whitespace, dashes and `=` padding (missing,
    /// short or excessive) do not matter; see the module documentation for odd lengths.
    pub fn parse_base32(text: &str) -> Result<ParsedSecret, SecretError> {
        // Capacity is an upper bound on the output, so the buffer never reallocates and leaves
        // no stray copy of key bytes behind.
        let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() * 5 / 8 + 1));
        let mut buffer: u32 = 0;
        let mut bits: u32 = 0;
        let mut characters = 0usize;
        let mut padding_seen = false;
        for (index, c) in text.chars().enumerate() {
            let position = index + 1;
            if is_separator(c) {
                continue;
            }
            if c == '=' {
                padding_seen = true;
                continue;
            }
            let upper = c.to_ascii_uppercase();
            let Some(value) = ALPHABET.iter().position(|&a| char::from(a) == upper) else {
                return Err(SecretError::InvalidCharacter {
                    character: c,
                    position,
                });
            };
            if padding_seen {
                return Err(SecretError::DataAfterPadding { position });
            }
            characters += 1;
            if characters > MAX_SECRET_CHARACTERS {
                return Err(SecretError::TooLong);
            }
            buffer = (buffer << 5) | value as u32;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        match characters {
            0 => return Err(SecretError::Empty),
            1 => return Err(SecretError::TooShort),
            _ => {}
        }
        let mut warnings = Vec::new();
        if matches!(characters % 8, 1 | 3 | 6) {
            warnings.push(SecretWarning::IgnoredCharacter { characters });
        }
        let key_bits = bytes.len() * 8;
        if key_bits < RECOMMENDED_MIN_BITS {
            warnings.push(SecretWarning::Short { bits: key_bits });
        }
        Ok(ParsedSecret {
            secret: Secret(bytes),
            warnings,
        })
    }

    /// The key in canonical base32: uppercase, no padding, no separators.
    pub fn to_base32(&self) -> Zeroizing<String> {
        let bytes = self.as_bytes();
        let mut text = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(5) * 8));
        let mut buffer: u32 = 0;
        let mut bits: u32 = 0;
        for &byte in bytes {
            buffer = (buffer << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                text.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
            }
            buffer &= (1 << bits) - 1;
        }
        if bits > 0 {
            text.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<ParsedSecret, SecretError> {
        Secret::parse_base32(text)
    }

    fn bytes_of(text: &str) -> Vec<u8> {
        parse(text).unwrap().secret.as_bytes().to_vec()
    }

    #[test]
    fn rfc4648_vectors() {
        let cases: [(&str, &str); 6] = [
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ];
        for (plain, encoded) in cases {
            let secret = Secret::from_bytes(plain.as_bytes().to_vec());
            assert_eq!(secret.to_base32().as_str(), encoded);
            assert_eq!(bytes_of(encoded), plain.as_bytes());
            assert_eq!(bytes_of(&format!("{encoded}======")), plain.as_bytes());
        }
    }

    #[test]
    fn lenient_forms_decode_alike() {
        let canonical = bytes_of("JBSWY3DPEHPK3PXP");
        for text in [
            "jbswy3dpehpk3pxp",
            "JBSW Y3DP EHPK 3PXP",
            "jbsw-y3dp-ehpk-3pxp",
            "\tJBSWY3DP\u{a0}EHPK3PXP \n",
            "JBSWY3DPEHPK3PXP========",
            "JbSwY3dPeHpK3pXp=",
        ] {
            assert_eq!(bytes_of(text), canonical, "{text:?}");
        }
        assert_eq!(canonical, b"Hello!\xde\xad\xbe\xef");
    }

    #[test]
    fn eighty_bit_key_has_no_warning() {
        let parsed = parse("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(parsed.secret.as_bytes().len(), 10);
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn short_key_is_accepted_with_a_warning() {
        let parsed = parse("JBSWY3DP").unwrap();
        assert_eq!(parsed.secret.as_bytes(), b"Hello");
        assert_eq!(parsed.warnings, vec![SecretWarning::Short { bits: 40 }]);
    }

    #[test]
    fn spare_bits_are_ignored() {
        // 26 characters: 130 bits, 16 bytes and 2 spare bits, set here (D = 3 = 0b00011).
        let zeros = "A".repeat(25);
        assert_eq!(
            bytes_of(&format!("{zeros}D")),
            bytes_of(&format!("{zeros}A"))
        );
        assert_eq!(bytes_of(&format!("{zeros}D")).len(), 16);
        assert!(parse(&format!("{zeros}D")).unwrap().warnings.is_empty());
    }

    #[test]
    fn impossible_lengths_drop_the_last_character_with_a_warning() {
        for (characters, bytes) in [(17usize, 10usize), (19, 11), (22, 13)] {
            let text = "B".repeat(characters);
            let parsed = parse(&text).unwrap();
            assert_eq!(parsed.secret.as_bytes().len(), bytes);
            assert_eq!(
                parsed.secret.as_bytes(),
                parse(&text[..characters - 1]).unwrap().secret.as_bytes()
            );
            assert_eq!(
                parsed.warnings,
                vec![SecretWarning::IgnoredCharacter { characters }]
            );
        }
    }

    #[test]
    fn invalid_character_names_character_and_position() {
        let err = parse("JBSW1Y3DP").unwrap_err();
        assert_eq!(
            err,
            SecretError::InvalidCharacter {
                character: '1',
                position: 5
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid character '1' at position 5: base32 keys use the letters A–Z and digits \
             2–7 (1 is not base32: did you mean the letter I or L?)"
        );
        // Positions count characters of the original text, separators and non-ASCII included.
        let err = parse("ab-ü").unwrap_err();
        assert_eq!(
            err,
            SecretError::InvalidCharacter {
                character: 'ü',
                position: 4
            }
        );
        assert!(parse("O0")
            .unwrap_err()
            .to_string()
            .contains("did you mean the letter O?"));
        assert!(parse("AB8").unwrap_err().to_string().contains("letter B"));
        assert!(parse("9AB")
            .unwrap_err()
            .to_string()
            .contains("9 is not base32"));
        assert!(!parse("AB+")
            .unwrap_err()
            .to_string()
            .contains("not base32:"));
    }

    #[test]
    fn empty_and_single_character_keys_are_rejected() {
        for text in ["", "   ", "-- ==", "===="] {
            assert_eq!(parse(text).unwrap_err(), SecretError::Empty, "{text:?}");
        }
        assert_eq!(parse(" a=").unwrap_err(), SecretError::TooShort);
        assert_eq!(parse("").unwrap_err().to_string(), "the secret is empty");
    }

    #[test]
    fn data_after_padding_is_rejected() {
        assert_eq!(
            parse("MZXQ==MZXQ").unwrap_err(),
            SecretError::DataAfterPadding { position: 7 }
        );
    }

    #[test]
    fn overlong_key_is_rejected() {
        let text = "A".repeat(MAX_SECRET_CHARACTERS + 8);
        assert_eq!(parse(&text).unwrap_err(), SecretError::TooLong);
        assert!(parse(&"A".repeat(MAX_SECRET_CHARACTERS)).is_ok());
    }

    #[test]
    fn debug_output_hides_the_key() {
        let parsed = parse("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{parsed:?}");
        assert!(!shown.contains("72, 101"), "{shown}");
        assert!(shown.contains("10 bytes"), "{shown}");
    }

    proptest! {
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 1..80)) {
            let secret = Secret::from_bytes(bytes.clone());
            let text = secret.to_base32();
            let parsed = Secret::parse_base32(&text).unwrap();
            prop_assert_eq!(parsed.secret.as_bytes(), &bytes[..]);
            let ignored = parsed
                .warnings
                .iter()
                .any(|w| matches!(w, SecretWarning::IgnoredCharacter { .. }));
            prop_assert!(!ignored);
        }

        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = Secret::parse_base32(&text);
        }
    }
}
