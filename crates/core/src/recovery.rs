//! Recovery codes: the one-time backup codes a service hands out when two-step verification
//! is turned on, kept with the account so that losing this device is not losing the account.

use crate::account::RecoveryCode;

/// More codes than any service hands out; a longer paste is a mistake (a whole document).
pub const MAX_CODES: usize = 100;

/// Longer than any real code; a longer "code" is a paragraph pasted by mistake.
pub const MAX_CODE_CHARS: usize = 64;

/// Far more text than 100 codes with their headings; a longer paste is a whole document, and
/// reading it is not worth the time.
pub const MAX_TEXT_BYTES: usize = 32 * 1024;

/// Why a pasted list was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RecoveryError {
    /// The text is far longer than any list of codes.
    #[error("the text is {kib} KiB long: a list of recovery codes is a few lines")]
    TextTooLong {
        /// Its size, rounded up to KiB.
        kib: usize,
    },
    /// Nothing that looks like a code was found.
    #[error("no recovery codes found in the text")]
    Empty,
    /// More codes than any service hands out.
    #[error("{count} codes is more than the {MAX_CODES} any service hands out")]
    TooMany {
        /// How many were found.
        count: usize,
    },
    /// One line is far longer than a code.
    #[error("line {line} is {chars} characters long: recovery codes are at most {MAX_CODE_CHARS}")]
    TooLong {
        /// The 1-based line.
        line: usize,
        /// Its length in characters.
        chars: usize,
    },
    /// No code at this position.
    #[error("there is no recovery code number {0}")]
    NoSuchCode(usize),
}

/// Reads the codes out of text pasted from a service's page or a downloaded file.
///
/// Services lay their codes out differently: one per line, numbered ("1. 8f3k-2m9x"), in columns
/// ("abcde-12345  fghij-67890"), comma-separated, or as digit groups with an inner space
/// ("1234 5678", Google). So lines and commas always separate codes, list numbering and bullets
/// are dropped, and a line splits at spaces only when every piece is long enough to be a code of
/// its own. Repeats are kept once, in order.
pub fn parse_codes(text: &str) -> Result<Vec<String>, RecoveryError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(RecoveryError::TextTooLong {
            kib: text.len().div_ceil(1024),
        });
    }
    let mut codes: Vec<String> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for piece in line.split([',', ';']) {
            let piece = strip_marker(piece.trim());
            if piece.is_empty() || is_heading(piece) {
                continue;
            }
            let chars = piece.chars().count();
            let tokens: Vec<&str> = piece.split_whitespace().collect();
            let columns = tokens.len() > 1 && tokens.iter().all(|t| t.chars().count() >= 6);
            if !columns && chars > MAX_CODE_CHARS {
                return Err(RecoveryError::TooLong {
                    line: index + 1,
                    chars,
                });
            }
            let found: Vec<String> = if columns {
                tokens.iter().map(|t| t.to_string()).collect()
            } else {
                vec![tokens.join(" ")]
            };
            for code in found {
                if code.chars().count() > MAX_CODE_CHARS {
                    return Err(RecoveryError::TooLong {
                        line: index + 1,
                        chars: code.chars().count(),
                    });
                }
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
    }
    match codes.len() {
        0 => Err(RecoveryError::Empty),
        count if count > MAX_CODES => Err(RecoveryError::TooMany { count }),
        _ => Ok(codes),
    }
}

/// How many codes are still unused.
pub fn remaining(codes: &[RecoveryCode]) -> usize {
    codes.iter().filter(|code| !code.used).count()
}

/// "1.", "12)", "-", "*", "•" in front of a code.
fn strip_marker(piece: &str) -> &str {
    let without_bullet = piece.trim_start_matches(['-', '*', '•', '·']).trim_start();
    let digits = without_bullet
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    let rest = &without_bullet[digits..];
    if digits > 0 && digits <= 3 && (rest.starts_with(". ") || rest.starts_with(") ")) {
        rest[1..].trim_start()
    } else {
        without_bullet
    }
}

/// Lines such as "Backup codes:" or "Keep these codes safe" that services put above the list:
/// a colon at the end, or a phrase of several words (codes mix in digits; words do not).
fn is_heading(piece: &str) -> bool {
    let words = piece.split_whitespace();
    piece.ends_with(':')
        || (words.clone().count() >= 3
            && words.filter(|w| w.chars().all(char::is_alphabetic)).count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_code_per_line_with_numbers_and_a_heading() {
        let text = "Your backup codes:\n1. 8f3k-2m9x\n2. 7hq1-4zzp\n\n3. 0aa0-bb11\n";
        assert_eq!(
            parse_codes(text).unwrap(),
            ["8f3k-2m9x", "7hq1-4zzp", "0aa0-bb11"]
        );
    }

    #[test]
    fn digit_groups_with_an_inner_space_stay_whole() {
        let text = "1234 5678\n9012 3456";
        assert_eq!(parse_codes(text).unwrap(), ["1234 5678", "9012 3456"]);
    }

    #[test]
    fn columns_and_commas_split() {
        let text = "abcde-12345  fghij-67890\nklmno-13579, pqrst-24680";
        assert_eq!(
            parse_codes(text).unwrap(),
            ["abcde-12345", "fghij-67890", "klmno-13579", "pqrst-24680"]
        );
    }

    #[test]
    fn a_phrase_is_a_heading_but_digit_groups_are_a_code() {
        let text = "Keep these codes somewhere safe\n1234 5678 9012\n";
        assert_eq!(parse_codes(text).unwrap(), ["1234 5678 9012"]);
    }

    #[test]
    fn repeats_are_kept_once() {
        assert_eq!(parse_codes("aaaa1111\naaaa1111\n").unwrap(), ["aaaa1111"]);
    }

    #[test]
    fn nothing_too_long_or_too_many() {
        assert_eq!(parse_codes(" \n\n"), Err(RecoveryError::Empty));
        let long = "x".repeat(80);
        assert_eq!(
            parse_codes(&long),
            Err(RecoveryError::TooLong { line: 1, chars: 80 })
        );
        let many: String = (0..150).map(|i| format!("code{i:04}\n")).collect();
        assert_eq!(
            parse_codes(&many),
            Err(RecoveryError::TooMany { count: 150 })
        );
        let document = "1234\n".repeat(300_000);
        assert_eq!(
            parse_codes(&document),
            Err(RecoveryError::TextTooLong { kib: 1465 })
        );
    }
}
