//! Account URIs: `otpauth://` as enrollment QR codes carry it.

mod otpauth;
mod percent;

pub use otpauth::{parse, parse_with_warnings, OtpAuthUri, ParsedUri, UriError, MAX_URI_LENGTH};
