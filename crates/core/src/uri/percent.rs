//! Percent-encoding (RFC 3986) for otpauth labels and query values.

use zeroize::Zeroizing;

/// Text that cannot be percent-decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PercentError {
    /// A `%` not followed by two hexadecimal digits.
    #[error("'%' at byte {index} is not followed by two hexadecimal digits")]
    BadEscape {
        /// Byte offset of the `%` in the decoded text.
        index: usize,
    },
    /// The decoded bytes are not UTF-8.
    #[error("the decoded bytes are not UTF-8")]
    InvalidUtf8,
}

/// Decodes `%XX` escapes, and `+` as a space when `plus_is_space` (form encoding, used in query
/// strings). The result is zeroizing because query values include the secret.
pub(crate) fn decode(text: &str, plus_is_space: bool) -> Result<Zeroizing<String>, PercentError> {
    // Decoding never lengthens text, so this capacity avoids reallocation and stray copies.
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len()));
    let raw = text.as_bytes();
    let mut index = 0;
    while let Some(&byte) = raw.get(index) {
        match byte {
            b'%' => {
                let high = raw.get(index + 1).and_then(|&b| hex_value(b));
                let low = raw.get(index + 2).and_then(|&b| hex_value(b));
                let (Some(high), Some(low)) = (high, low) else {
                    return Err(PercentError::BadEscape { index });
                };
                bytes.push(high << 4 | low);
                index += 3;
            }
            b'+' if plus_is_space => {
                bytes.push(b' ');
                index += 1;
            }
            _ => {
                bytes.push(byte);
                index += 1;
            }
        }
    }
    if std::str::from_utf8(&bytes).is_err() {
        return Err(PercentError::InvalidUtf8);
    }
    let owned = std::mem::take(&mut *bytes);
    String::from_utf8(owned)
        .map(Zeroizing::new)
        .map_err(|_| PercentError::InvalidUtf8)
}

fn hex_value(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).map(|v| v as u8)
}

/// Appends `text` to `out`, escaping every byte outside RFC 3986's unreserved set
/// (`A–Z a–z 0–9 - . _ ~`), so the result is safe in a label and in a query value alike.
pub(crate) fn encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode(text: &str) -> String {
        let mut out = String::new();
        encode_into(&mut out, text);
        out
    }

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(
            decode("jane%40example.com", false).unwrap().as_str(),
            "jane@example.com"
        );
        assert_eq!(decode("%c3%9Cn", false).unwrap().as_str(), "Ün");
        assert_eq!(decode("a+b", false).unwrap().as_str(), "a+b");
        assert_eq!(decode("a+b", true).unwrap().as_str(), "a b");
        assert_eq!(decode("a%2Bb", true).unwrap().as_str(), "a+b");
    }

    #[test]
    fn rejects_bad_escapes_and_utf8() {
        assert_eq!(
            decode("ab%4", false),
            Err(PercentError::BadEscape { index: 2 })
        );
        assert_eq!(
            decode("%G0", false),
            Err(PercentError::BadEscape { index: 0 })
        );
        assert_eq!(
            decode("x%", true),
            Err(PercentError::BadEscape { index: 1 })
        );
        assert_eq!(decode("%FF", false), Err(PercentError::InvalidUtf8));
    }

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(encode("A b:c/%+&=?#"), "A%20b%3Ac%2F%25%2B%26%3D%3F%23");
        assert_eq!(encode("Ü"), "%C3%9C");
    }

    proptest! {
        #[test]
        fn round_trip(text in "\\PC*", plus in any::<bool>()) {
            let decoded = decode(&encode(&text), plus).unwrap();
            prop_assert_eq!(decoded.as_str(), text.as_str());
        }
    }
}
