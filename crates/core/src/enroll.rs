//! Turning what a user gives us (an otpauth:// URI, or issuer, account and key typed by hand)
//! into a new account, with every problem named.

use crate::account::Account;
use crate::vault::AccountEdit;
use crate::otp::{Algorithm, OtpError, OtpKind, OtpParams, Secret, SecretError};
use crate::uri::{self, UriError};
use serde::Deserialize;
use zeroize::Zeroizing;

/// Longest issuer or account name accepted, in characters. Real labels are far shorter; the
/// cap keeps a pasted document from becoming a label.
pub const MAX_LABEL_CHARS: usize = 256;

/// Notes are a few lines (where the paper codes are, who else has access), not documents.
pub const MAX_NOTES_CHARS: usize = 10_000;

/// Errors of enrolment.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    /// The otpauth:// URI was refused.
    #[error(transparent)]
    Uri(#[from] UriError),
    /// The typed key is not valid base32.
    #[error("the key is not valid: {0}")]
    Secret(#[from] SecretError),
    /// Digits, period or counter out of range.
    #[error(transparent)]
    Params(#[from] OtpError),
    /// An issuer or account name longer than [`MAX_LABEL_CHARS`].
    #[error("the {field} is too long ({chars} characters, at most {MAX_LABEL_CHARS})")]
    LabelTooLong {
        /// "issuer" or "account name".
        field: &'static str,
        /// Its length in characters.
        chars: usize,
    },
    /// Notes longer than [`MAX_NOTES_CHARS`].
    #[error("the notes are too long ({chars} characters, at most {MAX_NOTES_CHARS})")]
    NotesTooLong {
        /// Their length in characters.
        chars: usize,
    },
    /// Neither an issuer nor an account name was given.
    #[error("give the issuer or the account name, so the account can be told apart")]
    Unlabelled,
}

/// The kind of codes chosen in the manual form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindChoice {
    /// Time-based (the default).
    #[default]
    Totp,
    /// Counter-based.
    Hotp,
    /// Steam Guard.
    Steam,
}

/// An account typed in by hand. Only issuer, name and key are required; the rest default to
/// what nearly every service uses (TOTP, SHA1, 6 digits, 30 seconds).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualEntry {
    /// The service.
    #[serde(default)]
    pub issuer: String,
    /// The account at that service.
    #[serde(default)]
    pub name: String,
    /// The key as the service shows it; spaces, dashes, lowercase and padding are fine.
    pub secret: Zeroizing<String>,
    /// Time-based, counter-based or Steam.
    #[serde(default)]
    pub kind: KindChoice,
    /// The HMAC hash.
    #[serde(default)]
    pub algorithm: Algorithm,
    /// Number of digits (6 when absent; Steam always has 5 characters).
    pub digits: Option<u8>,
    /// Seconds per code (30 when absent).
    pub period: Option<u32>,
    /// The HOTP counter (0 when absent).
    pub counter: Option<u64>,
}

/// A new account and the warnings the user should see about it.
#[derive(Debug)]
pub struct Enrolled {
    /// The account, with a fresh id.
    pub account: Account,
    /// Sentences such as "this key is only 40 bits long".
    pub warnings: Vec<String>,
}

/// Enrols the account an otpauth:// URI describes.
pub fn from_uri(text: &str, now: u64) -> Result<Enrolled, EnrollError> {
    let parsed = uri::parse_with_warnings(text)?;
    let warnings = parsed.warnings.iter().map(ToString::to_string).collect();
    let uri = parsed.uri;
    let account = labelled(uri.issuer, uri.name, uri.otp, now)?;
    Ok(Enrolled { account, warnings })
}

/// Enrols an account typed in by hand.
pub fn from_manual(entry: ManualEntry, now: u64) -> Result<Enrolled, EnrollError> {
    let parsed = Secret::parse_base32(&entry.secret)?;
    let kind = match entry.kind {
        KindChoice::Totp => OtpKind::Totp {
            period: entry.period.unwrap_or(30),
        },
        KindChoice::Steam => OtpKind::Steam {
            period: entry.period.unwrap_or(30),
        },
        KindChoice::Hotp => OtpKind::Hotp {
            counter: entry.counter.unwrap_or(0),
        },
    };
    let digits = match entry.kind {
        KindChoice::Steam => 5,
        _ => entry.digits.unwrap_or(6),
    };
    let otp = OtpParams::new(kind, entry.algorithm, digits, parsed.secret)?;
    let warnings = parsed.warnings.iter().map(ToString::to_string).collect();
    let account = labelled(entry.issuer, entry.name, otp, now)?;
    Ok(Enrolled { account, warnings })
}

/// What the user may change about an account after adding it.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Details {
    /// The service.
    pub issuer: String,
    /// The account at that service.
    pub name: String,
    /// Free text.
    pub notes: String,
    /// A folder to file the account under; empty for none.
    pub group: String,
}

/// Applies edited `details` to an account being changed, with the same checks as when
/// adding. Only fields that differ are changed (and stamped), so saving the details form does
/// not outrank another device's edit of a field the user did not touch.
pub fn edit(edit: &mut AccountEdit<'_>, details: Details) -> Result<(), EnrollError> {
    let details = details.checked()?;
    edit.set_issuer(details.issuer);
    edit.set_name(details.name);
    edit.set_group(details.group);
    edit.set_notes(details.notes);
    Ok(())
}

impl Details {
    /// The details trimmed, with the same checks as when adding.
    pub fn checked(self) -> Result<Details, EnrollError> {
        let issuer = checked_label(self.issuer, "issuer")?;
        let name = checked_label(self.name, "account name")?;
        if issuer.is_empty() && name.is_empty() {
            return Err(EnrollError::Unlabelled);
        }
        let group = checked_label(self.group, "group")?;
        let chars = self.notes.chars().count();
        if chars > MAX_NOTES_CHARS {
            return Err(EnrollError::NotesTooLong { chars });
        }
        Ok(Details {
            issuer,
            name,
            group,
            notes: self.notes.trim_end().to_string(),
        })
    }
}

fn labelled(
    issuer: String,
    name: String,
    otp: OtpParams,
    now: u64,
) -> Result<Account, EnrollError> {
    let issuer = checked_label(issuer, "issuer")?;
    let name = checked_label(name, "account name")?;
    if issuer.is_empty() && name.is_empty() {
        return Err(EnrollError::Unlabelled);
    }
    Ok(Account::new(issuer, name, otp, now))
}

fn checked_label(text: String, field: &'static str) -> Result<String, EnrollError> {
    let trimmed = text.trim();
    let chars = trimmed.chars().count();
    if chars > MAX_LABEL_CHARS {
        return Err(EnrollError::LabelTooLong { field, chars });
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpKind;

    fn manual(issuer: &str, name: &str, secret: &str) -> ManualEntry {
        ManualEntry {
            issuer: issuer.into(),
            name: name.into(),
            secret: Zeroizing::new(secret.into()),
            kind: KindChoice::Totp,
            algorithm: Algorithm::Sha1,
            digits: None,
            period: None,
            counter: None,
        }
    }

    #[test]
    fn typed_key_as_services_show_it_gives_the_uri_codes() {
        let typed = from_manual(
            manual(" MyKerio ", "jane@example.com", "jbsw y3dp-ehpk 3pxp"),
            7,
        )
        .expect("accepted");
        let from_link = from_uri(
            "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio",
            7,
        )
        .expect("accepted");
        assert_eq!(typed.account.issuer, "MyKerio");
        assert_eq!(typed.account.otp, from_link.account.otp);
        assert_eq!(typed.account.created, 7);
        assert!(typed.warnings.is_empty());
        assert_eq!(typed.account.otp.kind, OtpKind::Totp { period: 30 });
    }

    #[test]
    fn short_keys_are_accepted_with_a_warning() {
        let enrolled = from_manual(manual("Kayako", "", "JBSWY3DP"), 0).expect("accepted");
        assert_eq!(enrolled.warnings.len(), 1);
        assert!(
            enrolled.warnings[0].contains("40 bits"),
            "{:?}",
            enrolled.warnings
        );
    }

    #[test]
    fn steam_is_always_five_characters() {
        let mut entry = manual("Steam", "gamer", "JBSWY3DPEHPK3PXP");
        entry.kind = KindChoice::Steam;
        entry.digits = Some(8);
        let enrolled = from_manual(entry, 0).expect("accepted");
        assert_eq!(enrolled.account.otp.digits, 5);
        assert_eq!(enrolled.account.otp.code_at(59), "2YXGV");
    }

    #[test]
    fn each_refusal_names_the_problem() {
        let bad_key = from_manual(manual("MyGlue", "", "JBSW1Y3DP"), 0).unwrap_err();
        assert!(
            bad_key.to_string().contains("'1' at position 5"),
            "{bad_key}"
        );

        let unlabelled = from_manual(manual("  ", "", "JBSWY3DPEHPK3PXP"), 0).unwrap_err();
        assert!(matches!(unlabelled, EnrollError::Unlabelled));

        let long = "x".repeat(MAX_LABEL_CHARS + 1);
        let too_long = from_manual(manual(&long, "", "JBSWY3DPEHPK3PXP"), 0).unwrap_err();
        assert!(
            too_long.to_string().contains("issuer is too long"),
            "{too_long}"
        );

        let mut digits = manual("MyGlue", "", "JBSWY3DPEHPK3PXP");
        digits.digits = Some(11);
        assert!(matches!(
            from_manual(digits, 0).unwrap_err(),
            EnrollError::Params(_)
        ));

        assert!(matches!(
            from_uri("https://example.com", 0).unwrap_err(),
            EnrollError::Uri(_)
        ));
    }

    #[test]
    fn ipc_payload_with_unknown_fields_is_refused() {
        let json = r#"{"issuer":"A","name":"b","secret":"JBSWY3DPEHPK3PXP","evil":1}"#;
        assert!(serde_json::from_str::<ManualEntry>(json).is_err());
        let json = r#"{"issuer":"A","secret":"JBSWY3DPEHPK3PXP","kind":"hotp","counter":5}"#;
        let entry: ManualEntry = serde_json::from_str(json).expect("valid payload");
        let enrolled = from_manual(entry, 0).expect("accepted");
        assert_eq!(enrolled.account.otp.kind, OtpKind::Hotp { counter: 5 });
    }

    fn details(issuer: &str, name: &str, notes: &str) -> Details {
        Details {
            issuer: issuer.into(),
            name: name.into(),
            notes: notes.into(),
            group: " Work ".into(),
        }
    }

    #[test]
    fn edited_details_are_trimmed() {
        let checked = details(" MyGlue ", "ops", "paper copy in the safe\n")
            .checked()
            .expect("ok");
        assert_eq!(
            (
                checked.issuer.as_str(),
                checked.name.as_str(),
                checked.group.as_str(),
                checked.notes.as_str()
            ),
            ("MyGlue", "ops", "Work", "paper copy in the safe")
        );
    }

    #[test]
    fn editing_refuses_what_adding_refuses() {
        assert!(matches!(
            details("", " ", "").checked(),
            Err(EnrollError::Unlabelled)
        ));
        let long = "n".repeat(MAX_NOTES_CHARS + 1);
        assert!(matches!(
            details("A", "b", &long).checked(),
            Err(EnrollError::NotesTooLong { .. })
        ));
    }
}
