//! The fields every authenticator stores in its own spelling (type, algorithm, digits, period,
//! counter, secret), turned into [`OtpParams`]. One entry with a value Tessera cannot use is
//! reported by name; it never aborts the rest of the import.

use super::{Entry, Format, Imported, Unusable};
use crate::account;
use crate::otp::{Algorithm, OtpKind, OtpParams, Secret, SecretWarning, STEAM_CODE_LENGTH};
use crate::uri::parse_with_warnings;

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
    /// The entry with the secret given as base32 text. The kind is checked first, so that an
    /// entry of a kind Tessera does not read is reported as such whatever its secret holds.
    ///
    /// Spare bits of the last character are dropped whatever their value, as the apps that
    /// wrote such secrets do; a text whose length no base32 encoder writes (1, 3 or 6
    /// characters past a multiple of 8) is refused, since its last character would be lost.
    pub fn with_base32(self, secret: &str) -> Checked {
        if let Err(reason) = supported_kind(self.kind) {
            return Err(self.unusable(reason));
        }
        match Secret::parse_base32(secret) {
            Ok(parsed) => match impossible_length(&parsed.warnings) {
                Some(reason) => Err(self.unusable(reason)),
                None => self.with_secret(parsed.secret),
            },
            Err(err) => Err(self.unusable(format!("its secret is not valid base32: {err}"))),
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
            _ => {
                let reason = supported_kind(self.kind).err().unwrap_or_default();
                return Err(self.unusable(reason));
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

/// Why a secret read with these warnings cannot be imported: a length no base32 encoder
/// writes, whose last character would be lost.
fn impossible_length(warnings: &[SecretWarning]) -> Option<String> {
    warnings.iter().find_map(|warning| match warning {
        SecretWarning::IgnoredCharacter { characters } => Some(format!(
            "its secret is not base32: no base32 text has {characters} characters"
        )),
        SecretWarning::Short { .. } => None,
    })
}

/// The entry an otpauth URI found in a backup describes. `fallback` names the entry in the
/// report when the URI cannot be used (it is never used for the account itself). `motp://`
/// URIs and otpauth types Tessera does not compute (`yaotp`, `motp`) are named as such.
pub fn from_uri(uri: &str, fallback: &RawEntry) -> Checked {
    let uri = uri.trim();
    let scheme_end = uri.find("://").unwrap_or(0);
    let scheme = uri[..scheme_end].to_ascii_lowercase();
    let kind = match scheme.as_str() {
        "otpauth" => {
            let rest = &uri[scheme_end + 3..];
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            &rest[..end]
        }
        "motp" => "motp",
        _ => "",
    };
    if !kind.is_empty() {
        supported_kind(kind).map_err(|reason| fallback.unusable(reason))?;
    }
    match parse_with_warnings(uri) {
        Ok(parsed) => match impossible_length(&parsed.warnings) {
            Some(reason) => Err(fallback.unusable(reason)),
            None => Ok(parsed.uri.into()),
        },
        Err(err) => Err(fallback.unusable(err.to_string())),
    }
}

/// Whether `kind` (as an app spells it) is one Tessera computes; if not, why, naming the kind
/// as people know it.
fn supported_kind(kind: &str) -> Result<(), String> {
    let kind = kind.trim();
    let name = match kind.to_ascii_lowercase().as_str() {
        "totp" | "hotp" | "steam" => return Ok(()),
        "motp" => "mOTP",
        "yandex" | "yaotp" => "Yandex",
        "" => "untyped",
        _ => kind,
    };
    Err(format!("{name} codes are not supported"))
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
        assert!(err.reason.contains("Yandex"), "{}", err.reason);
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
    fn spare_bits_are_dropped_but_impossible_lengths_refused() {
        // Seven characters carry 35 bits, 32 of them key: `S` (10010) ends the key with its
        // first two bits and its last three are spare, so the key is that of `Q` (10000).
        let lenient = raw("totp").with_base32("ASKDJKS").unwrap();
        let canonical = raw("totp").with_base32("ASKDJKQ").unwrap();
        assert_eq!(lenient.otp.secret, canonical.otp.secret);
        for impossible in ["POAKSPDOASKDOS", "OIDJAOSIJDOASIJDS", "ABC"] {
            let err = raw("totp").with_base32(impossible).unwrap_err();
            assert!(err.reason.contains("not base32"), "{}", err.reason);
        }
    }

    #[test]
    fn an_unsupported_kind_is_named_before_its_secret_is_read() {
        let err = raw("MOTP").with_base32("7ac61d4736f51a2b").unwrap_err();
        assert_eq!(err.reason, "mOTP codes are not supported");
        let err = raw("Yandex").with_base32("!").unwrap_err();
        assert_eq!(err.reason, "Yandex codes are not supported");
    }

    #[test]
    fn uris_of_kinds_tessera_does_not_compute_are_named() {
        let fallback = raw("");
        let cases = [
            ("motp://MOTP:Username?secret=7ac61d4736f51a2b", "mOTP"),
            (
                "otpauth://yaotp/Yandex%3AUser?secret=AAAAAAVSVVVVVVVV",
                "Yandex",
            ),
            ("otpauth://motp/A?secret=7ac61d4736f51a2b", "mOTP"),
            ("otpauth://totp/A?secret=ABC", "not base32"),
            ("https://example.com/", "otpauth"),
        ];
        for (uri, reason) in cases {
            let err = from_uri(uri, &fallback).unwrap_err();
            assert_eq!(err.label, "Deno (Mason)");
            assert!(err.reason.contains(reason), "{uri}: {}", err.reason);
        }
        let entry = from_uri(
            "otpauth://totp/Sha%3A256?secret=RJNZJM7P&issuer=Sha",
            &fallback,
        );
        assert_eq!(entry.unwrap().label(), "Sha (256)");
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
