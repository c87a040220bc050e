//! `otpauth://` URIs, the Key Uri Format that enrollment QR codes carry.
//!
//! Reading is lenient where real services differ and strict where a mistake would give wrong
//! codes:
//! - The scheme and the type (`totp`, `hotp`, `steam`) are case-insensitive, and so are
//!   parameter names and the algorithm.
//! - The label is `Issuer:account`; the separator may also be `%3A` when the label has no raw
//!   `:`. Spaces around issuer and account are trimmed. The `issuer` parameter, when present
//!   and not empty, takes precedence over the label's prefix.
//! - In the query, `+` means a space (form encoding, which many generators use); in the label it
//!   is a literal `+`. A `#` is an ordinary character: otpauth URIs have no fragment.
//! - The secret is read leniently (see [`Secret::parse_base32`]).
//! - HOTP without `counter` starts at 0, as most authenticators do.
//! - Steam Guard accounts are recognised by the type `steam`, by `encoder=steam`, or by a TOTP
//!   issuer `Steam` (any case) unless the URI asks for some other number of digits. Steam codes
//!   are always 5 characters of HMAC-SHA1, so `digits` and `algorithm` are not used for them.
//! - Unknown parameters are ignored; a known parameter given twice is rejected, since there is
//!   no telling which one the service meant.
//!
//! Writing is canonical: `otpauth://TYPE/ISSUER:NAME?secret=…&issuer=…&algorithm=…&digits=…&
//! period=…` (or `counter=…`), with everything outside RFC 3986's unreserved characters
//! percent-encoded, so that reading it back gives the same account.

use super::percent::{decode, encode_into, PercentError};
use crate::otp::{
    Algorithm, OtpError, OtpKind, OtpParams, Secret, SecretError, SecretWarning, DIGITS_RANGE,
    MAX_PERIOD, STEAM_CODE_LENGTH,
};
use zeroize::Zeroizing;

/// The longest URI accepted, far above any real one, so pasted junk is refused quickly.
pub const MAX_URI_LENGTH: usize = 64 * 1024;

const SCHEME: &str = "otpauth://";
const DEFAULT_PERIOD: u32 = 30;
const DEFAULT_DIGITS: u8 = 6;

/// Longest excerpt of a rejected value quoted in an error message.
const EXCERPT_CHARS: usize = 32;

/// An otpauth URI that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// The text exceeds [`MAX_URI_LENGTH`].
    #[error("the URI is {length} bytes long; at most {MAX_URI_LENGTH} are accepted")]
    TooLong {
        /// Its length in bytes.
        length: usize,
    },
    /// The text does not start with `otpauth://`.
    #[error("not an otpauth URI: it must start with otpauth://")]
    NotOtpauth,
    /// The type after `otpauth://` is not one Tessera knows.
    #[error("unknown code type {0:?}: expected totp, hotp or steam")]
    UnknownType(String),
    /// Neither the label nor the `issuer` parameter names the account.
    #[error("the URI names no account: its label is empty and it has no issuer")]
    MissingLabel,
    /// A `%` escape is not followed by two hexadecimal digits.
    #[error("bad percent-encoding in {part} at character {position}: '%' must be followed by two hexadecimal digits")]
    BadPercentEncoding {
        /// Which part of the URI, e.g. "the label" or "parameter \"issuer\"".
        part: String,
        /// Position of the `%` in the URI, counting characters from 1.
        position: usize,
    },
    /// Percent-decoding gives bytes that are not UTF-8 text.
    #[error("{part} is not UTF-8 text once percent-decoded")]
    InvalidUtf8 {
        /// Which part of the URI.
        part: String,
    },
    /// A known parameter appears more than once.
    #[error("parameter {0:?} appears more than once")]
    DuplicateParameter(String),
    /// There is no `secret` parameter.
    #[error("the URI has no secret parameter")]
    MissingSecret,
    /// The `secret` parameter is not a usable base32 key.
    #[error("bad secret: {0}")]
    BadSecret(#[from] SecretError),
    /// The `algorithm` parameter is not SHA1, SHA256 or SHA512.
    #[error("unknown algorithm {0:?}: expected SHA1, SHA256 or SHA512")]
    UnknownAlgorithm(String),
    /// The `digits` parameter is not a number from 6 to 10.
    #[error("digits={0:?} is not supported: codes have 6 to 10 digits")]
    DigitsOutOfRange(String),
    /// The `period` parameter is not a whole number of seconds from 1 to a day.
    #[error("period={0:?} is not supported: it must be a whole number of seconds from 1 to {MAX_PERIOD}")]
    BadPeriod(String),
    /// The `counter` parameter of an HOTP URI is not a whole number that fits 64 bits.
    #[error("counter={0:?} is not a valid counter: it must be a whole number from 0 to {max}", max = u64::MAX)]
    BadCounter(String),
    /// The parameters, each valid alone, cannot make codes together.
    #[error("the parameters cannot make codes: {0}")]
    Params(#[from] OtpError),
}

/// One account as an otpauth URI describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpAuthUri {
    /// The service, e.g. "MyKerio"; empty when the URI names none.
    pub issuer: String,
    /// The account at that service, usually an e-mail address.
    pub name: String,
    /// How its codes are computed.
    pub otp: OtpParams,
}

/// A parsed URI together with what the user should hear about its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUri {
    /// The account.
    pub uri: OtpAuthUri,
    /// Oddities of the secret that were accepted (a short key, an impossible length).
    pub warnings: Vec<SecretWarning>,
}

/// Reads an otpauth URI; see the module documentation for the rules.
pub fn parse(text: &str) -> Result<OtpAuthUri, UriError> {
    parse_with_warnings(text).map(|parsed| parsed.uri)
}

/// Reads an otpauth URI and reports oddities of its secret that were accepted.
pub fn parse_with_warnings(text: &str) -> Result<ParsedUri, UriError> {
    let text = text.trim();
    if text.len() > MAX_URI_LENGTH {
        return Err(UriError::TooLong { length: text.len() });
    }
    let rest = match text.get(..SCHEME.len()) {
        Some(scheme) if scheme.eq_ignore_ascii_case(SCHEME) => &text[SCHEME.len()..],
        _ => return Err(UriError::NotOtpauth),
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (kind_text, label) = path.split_once('/').unwrap_or((path, ""));
    let uri_type = UriType::parse(kind_text)?;

    let locate = Locator { uri: text };
    let (label_issuer, name) = split_label(label, &locate)?;
    let params = QueryParams::parse(query, &locate)?;

    let issuer = match &params.issuer {
        Some(issuer) if !issuer.trim().is_empty() => issuer.trim().to_string(),
        _ => label_issuer,
    };
    if issuer.is_empty() && name.is_empty() {
        return Err(UriError::MissingLabel);
    }

    let secret_text = params.secret.as_ref().ok_or(UriError::MissingSecret)?;
    let parsed_secret = Secret::parse_base32(secret_text)?;

    let algorithm = match &params.algorithm {
        Some(text) => parse_algorithm(text)?,
        None => Algorithm::Sha1,
    };
    let steam = match uri_type {
        UriType::Steam => true,
        UriType::Hotp => false,
        UriType::Totp => {
            params
                .encoder
                .as_deref()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("steam"))
                || (issuer.eq_ignore_ascii_case("steam")
                    && params
                        .digits
                        .as_deref()
                        .is_none_or(|d| d.trim() == STEAM_CODE_LENGTH.to_string()))
        }
    };

    let (kind, algorithm, digits) = if steam {
        let period = parse_period(params.period.as_deref())?;
        (
            OtpKind::Steam { period },
            Algorithm::Sha1,
            STEAM_CODE_LENGTH,
        )
    } else {
        let digits = parse_digits(params.digits.as_deref())?;
        let kind = match uri_type {
            UriType::Hotp => OtpKind::Hotp {
                counter: parse_counter(params.counter.as_deref())?,
            },
            UriType::Totp | UriType::Steam => OtpKind::Totp {
                period: parse_period(params.period.as_deref())?,
            },
        };
        (kind, algorithm, digits)
    };
    let otp = OtpParams::new(kind, algorithm, digits, parsed_secret.secret)?;
    Ok(ParsedUri {
        uri: OtpAuthUri { issuer, name, otp },
        warnings: parsed_secret.warnings,
    })
}

impl OtpAuthUri {
    /// The canonical URI of this account. It holds the secret, hence the zeroizing buffer.
    pub fn to_uri(&self) -> Zeroizing<String> {
        let (kind, moving_factor) = match self.otp.kind {
            OtpKind::Totp { period } => ("totp", format!("&period={period}")),
            OtpKind::Steam { period } => ("totp", format!("&period={period}&encoder=steam")),
            OtpKind::Hotp { counter } => ("hotp", format!("&counter={counter}")),
        };
        let mut head = format!("{SCHEME}{kind}/");
        // An empty issuer is written as a leading ':' only when the name itself holds a ':',
        // so the name's own (escaped) colon is not taken for the separator.
        if !self.issuer.is_empty() || self.name.contains(':') {
            encode_into(&mut head, &self.issuer);
            head.push(':');
        }
        encode_into(&mut head, &self.name);
        head.push_str("?secret=");

        let mut tail = String::new();
        if !self.issuer.is_empty() {
            tail.push_str("&issuer=");
            encode_into(&mut tail, &self.issuer);
        }
        let algorithm = match self.otp.algorithm {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        };
        tail.push_str(&format!(
            "&algorithm={algorithm}&digits={}",
            self.otp.digits
        ));
        tail.push_str(&moving_factor);

        let secret = self.otp.secret.to_base32();
        // Sized up front so the buffer holding the secret never reallocates.
        let mut uri = Zeroizing::new(String::with_capacity(
            head.len() + secret.len() + tail.len(),
        ));
        uri.push_str(&head);
        uri.push_str(&secret);
        uri.push_str(&tail);
        uri
    }
}

#[derive(Debug, Clone, Copy)]
enum UriType {
    Totp,
    Hotp,
    Steam,
}

impl UriType {
    fn parse(text: &str) -> Result<Self, UriError> {
        match text.to_ascii_lowercase().as_str() {
            "totp" => Ok(UriType::Totp),
            "hotp" => Ok(UriType::Hotp),
            "steam" => Ok(UriType::Steam),
            _ => Err(UriError::UnknownType(excerpt(text))),
        }
    }
}

/// Turns decoding errors into messages that point into the URI.
struct Locator<'a> {
    uri: &'a str,
}

impl Locator<'_> {
    /// Decodes `part`, a slice of the URI, naming `what` it is if that fails.
    fn decode(
        &self,
        part: &str,
        plus_is_space: bool,
        what: impl Fn() -> String,
    ) -> Result<Zeroizing<String>, UriError> {
        decode(part, plus_is_space).map_err(|err| match err {
            PercentError::BadEscape { index } => UriError::BadPercentEncoding {
                part: what(),
                position: self.char_position(part, index),
            },
            PercentError::InvalidUtf8 => UriError::InvalidUtf8 { part: what() },
        })
    }

    /// The 1-based character position in the URI of byte `index` of `part`.
    fn char_position(&self, part: &str, index: usize) -> usize {
        let part_start = (part.as_ptr() as usize).saturating_sub(self.uri.as_ptr() as usize);
        let byte = part_start.saturating_add(index);
        self.uri
            .char_indices()
            .take_while(|(at, _)| *at < byte)
            .count()
            + 1
    }
}

/// Splits the label into (issuer prefix, account name), both decoded and trimmed.
fn split_label(label: &str, locate: &Locator) -> Result<(String, String), UriError> {
    let split = label.split_once(':').or_else(|| {
        let lower = label.to_ascii_lowercase();
        lower.find("%3a").map(|at| (&label[..at], &label[at + 3..]))
    });
    let what = || "the label".to_string();
    let decode_trimmed = |part: &str| -> Result<String, UriError> {
        Ok(locate.decode(part, false, what)?.trim().to_string())
    };
    match split {
        Some((issuer, name)) => Ok((decode_trimmed(issuer)?, decode_trimmed(name)?)),
        None => Ok((String::new(), decode_trimmed(label)?)),
    }
}

/// The query parameters Tessera reads, decoded.
#[derive(Default)]
struct QueryParams {
    secret: Option<Zeroizing<String>>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    counter: Option<String>,
    encoder: Option<String>,
}

impl QueryParams {
    fn parse(query: &str, locate: &Locator) -> Result<Self, UriError> {
        let mut params = QueryParams::default();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            // A key that does not decode cannot be one Tessera reads; unknown keys are ignored.
            let Ok(key) = decode(raw_key, true) else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let what = || format!("parameter {key:?}");
            let slot = match key.as_str() {
                "secret" => {
                    if params.secret.is_some() {
                        return Err(UriError::DuplicateParameter(key));
                    }
                    params.secret = Some(locate.decode(raw_value, true, what)?);
                    continue;
                }
                "issuer" => &mut params.issuer,
                "algorithm" => &mut params.algorithm,
                "digits" => &mut params.digits,
                "period" => &mut params.period,
                "counter" => &mut params.counter,
                "encoder" => &mut params.encoder,
                _ => continue,
            };
            if slot.is_some() {
                return Err(UriError::DuplicateParameter(key));
            }
            *slot = Some(locate.decode(raw_value, true, what)?.to_string());
        }
        Ok(params)
    }
}

fn parse_algorithm(text: &str) -> Result<Algorithm, UriError> {
    let normal: String = text.trim().to_ascii_uppercase().replace('-', "");
    match normal.as_str() {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(UriError::UnknownAlgorithm(excerpt(text))),
    }
}

fn parse_digits(text: Option<&str>) -> Result<u8, UriError> {
    let Some(text) = text else {
        return Ok(DEFAULT_DIGITS);
    };
    match text.trim().parse::<u8>() {
        Ok(digits) if DIGITS_RANGE.contains(&digits) => Ok(digits),
        _ => Err(UriError::DigitsOutOfRange(excerpt(text))),
    }
}

fn parse_period(text: Option<&str>) -> Result<u32, UriError> {
    let Some(text) = text else {
        return Ok(DEFAULT_PERIOD);
    };
    match text.trim().parse::<u32>() {
        Ok(period) if (1..=MAX_PERIOD).contains(&period) => Ok(period),
        _ => Err(UriError::BadPeriod(excerpt(text))),
    }
}

fn parse_counter(text: Option<&str>) -> Result<u64, UriError> {
    match text {
        None => Ok(0),
        Some(text) => text
            .trim()
            .parse::<u64>()
            .map_err(|_| UriError::BadCounter(excerpt(text))),
    }
}

/// The start of a rejected value, short enough for an error message.
fn excerpt(text: &str) -> String {
    let mut short: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        short.push('…');
    }
    short
}
