//! The fields every authenticator stores in its own spelling (type, algorithm, digits, period,
//! counter, secret), turned into [`OtpParams`]. One entry with a value Tessera cannot use is
//! reported by name; it never aborts the rest of the import.

use super::{Entry, Format, Imported, Unusable};
use crate::account;
use crate::otp::{Algorithm, OtpKind, OtpParams, Secret, STEAM_CODE_LENGTH};

/// An entry as a backup spells it, before checking.
#[derive(Debug, Default, Clone)]
pub struct RawEntry<'a> {
    /// `totp`, `hotp` or `steam` (any case); other kinds are reported as unusable.
    pub kind: &'a str,
    pub issuer: String,
    pub name: String,
    /// `SHA1`, `SHA256`, `SHA512` (any case, with or without the dash); absent means SHA1.
    pub algorithm: Option<&'a str>,
    /// Absent means 6 (5 for Steam).
    pub digits: Option<u64>,
    /// Seconds; absent means 30.
    pub period: Option<u64>,
    /// The counter of the next HOTP code; absent means 0.
    pub counter: Option<u64>,
}

/// The result for one entry: an account, or the reason it cannot be one.
pub type Checked = Result<Entry, Unusable>;

impl RawEntry<'_> {
    /// The entry with the secret given as base32 text.
    pub fn with_base32(self, secret: &str) -> Checked {
        match Secret::parse_base32(secret) {
            Ok(parsed) => self.with_secret(parsed.secret),
            Err(err) => Err(self.unusable(format!("its secret is not valid: {err}"))),
        }
    }

    /// The entry with the secret given as bytes.
    pub fn with_secret(self, secret: Secret) -> Checked {
        let kind = self.kind.trim().to_ascii_lowercase();
        let period = self.period.unwrap_or(30);
        let period = match u32::try_from(period) {
            Ok(period) => period,
            Err(_) => return Err(self.unusable(format!("a period of {period} s is not supported"))),
        };
        let (kind, default_digits) = match kind.as_str() {
            "totp" => (OtpKind::Totp { period }, 6),
            "hotp" => (
                OtpKind::Hotp {
                    counter: self.counter.unwrap_or(0),
                },
                6,
            ),
            "steam" => (OtpKind::Steam { period }, u64::from(STEAM_CODE_LENGTH)),
            other => {
                return Err(self.unusable(format!(
                    "{} codes are not supported",
                    if other.is_empty() { "untyped" } else { other }
                )))
            }
        };
        let algorithm = match self.algorithm.map(parse_algorithm) {
            None => Algorithm::Sha1,
            Some(Some(algorithm)) => algorithm,
            Some(None) => {
                let name = self.algorithm.unwrap_or_default().to_string();
                return Err(self.unusable(format!("the {name:?} algorithm is not supported")));
            }
        };
        let digits = match u8::try_from(self.digits.unwrap_or(default_digits)) {
            Ok(digits) => digits,
            Err(_) => return Err(self.unusable("its digit count is out of range")),
        };
        // Steam accounts are SHA1 with 5 characters whatever an app wrote beside them.
        let (algorithm, digits) = match kind {
            OtpKind::Steam { .. } => (Algorithm::Sha1, STEAM_CODE_LENGTH),
            _ => (algorithm, digits),
        };
        match OtpParams::new(kind, algorithm, digits, secret) {
            Ok(otp) => Ok(Entry::new(self.issuer, self.name, otp)),
            Err(err) => Err(self.unusable(err.to_string())),
        }
    }

    /// An [`Unusable`] naming this entry.
    pub fn unusable(&self, reason: impl Into<String>) -> Unusable {
        Unusable {
            label: account::label(&self.issuer, &self.name),
            reason: reason.into(),
        }
    }
}

/// The text field `key` of a JSON object, or empty when it is absent or not text: backups
/// leave out empty labels in every way JSON allows.
pub fn text_of(object: &serde_json::Value, key: &str) -> String {
    object
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// `SHA1`, `sha-256`, `HmacSHA512`... as Tessera's algorithms.
pub fn parse_algorithm(text: &str) -> Option<Algorithm> {
    let folded: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    match folded.trim_start_matches("HMAC") {
        "SHA1" => Some(Algorithm::Sha1),
        "SHA256" => Some(Algorithm::Sha256),
        "SHA512" => Some(Algorithm::Sha512),
        _ => None,
    }
}

/// The import of `format` made of `checked` entries.
pub fn imported(format: Format, checked: impl IntoIterator<Item = Checked>) -> Imported {
    let (entries, unusable) = collect(checked);
    Imported {
        format,
        entries,
        unusable,
    }
}

/// Sorts checked entries into the import's two lists.
pub fn collect(checked: impl IntoIterator<Item = Checked>) -> (Vec<Entry>, Vec<Unusable>) {
    let mut entries = Vec::new();
    let mut unusable = Vec::new();
    for item in checked {
        match item {
            Ok(entry) => entries.push(entry),
            Err(skip) => unusable.push(skip),
        }
    }
    (entries, unusable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(kind: &str) -> RawEntry<'_> {
        RawEntry {
            kind,
            issuer: "Deno".into(),
            name: "Mason".into(),
            ..RawEntry::default()
        }
    }

    #[test]
    fn defaults_are_those_of_otpauth() {
        let entry = raw("TOTP")
            .with_base32("4SJHB4GSD43FZBAI7C2HLRJGPQ")
            .unwrap();
        assert_eq!(entry.otp.kind, OtpKind::Totp { period: 30 });
        assert_eq!(
            (entry.otp.algorithm, entry.otp.digits),
            (Algorithm::Sha1, 6)
        );
    }

    #[test]
    fn unknown_kinds_and_bad_values_are_named_not_fatal() {
        let err = raw("yandex").with_base32("4SJHB4GSD43FZBAI").unwrap_err();
        assert_eq!(err.label, "Deno (Mason)");
        assert!(err.reason.contains("yandex"), "{}", err.reason);
        let mut bad = raw("totp");
        bad.digits = Some(300);
        assert!(bad.with_base32("4SJHB4GSD43FZBAI").is_err());
        let mut bad = raw("totp");
        bad.algorithm = Some("MD5");
        assert!(bad
            .with_base32("4SJHB4GSD43FZBAI")
            .unwrap_err()
            .reason
            .contains("MD5"));
        assert!(raw("totp").with_base32("not base32!").is_err());
    }

    #[test]
    fn algorithm_spellings() {
        for (text, want) in [
            ("SHA1", Algorithm::Sha1),
            ("sha-256", Algorithm::Sha256),
            ("HmacSHA512", Algorithm::Sha512),
        ] {
            assert_eq!(parse_algorithm(text), Some(want));
        }
        assert_eq!(parse_algorithm("MD5"), None);
    }
}
