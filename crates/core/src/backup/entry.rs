//! One account read from a backup, before the user has chosen to add it.

use crate::account::{Account, RecoveryCode};
use crate::otp::{OtpKind, OtpParams};
use crate::uri::OtpAuthUri;

/// An account as a backup holds it: what Tessera keeps, minus the vault's bookkeeping (id,
/// times, order), which is given when the entry is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The service, e.g. "MyKerio"; may be empty.
    pub issuer: String,
    /// The account at that service, e.g. an email address; may be empty.
    pub name: String,
    /// How the codes are computed, secret included.
    pub otp: OtpParams,
    /// Free text the other app kept with the account.
    pub notes: String,
    /// Backup codes the service handed out, if the format carries them.
    pub recovery_codes: Vec<RecoveryCode>,
    /// A folder or tag the other app filed the account under.
    pub group: String,
}

impl Entry {
    /// An entry with just the fields an otpauth URI carries.
    pub fn new(issuer: String, name: String, otp: OtpParams) -> Self {
        Entry {
            issuer,
            name,
            otp,
            notes: String::new(),
            recovery_codes: Vec::new(),
            group: String::new(),
        }
    }

    /// The account this entry becomes when added at `now` (Unix seconds).
    pub fn into_account(self, now: u64) -> Account {
        let mut account = Account::new(self.issuer, self.name, self.otp, now);
        account.notes = self.notes;
        account.recovery_codes = self.recovery_codes;
        account.group = self.group;
        account
    }

    /// The entry an existing account would export as.
    pub fn from_account(account: &Account) -> Self {
        Entry {
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            otp: account.otp.clone(),
            notes: account.notes.clone(),
            recovery_codes: account.recovery_codes.clone(),
            group: account.group.clone(),
        }
    }

    /// "Issuer (name)", or whichever of the two there is.
    pub fn label(&self) -> String {
        crate::account::label(&self.issuer, &self.name)
    }
}

/// The otpauth URI that carries `account`: what its QR code and an otpauth export hold.
pub fn uri_of(account: &Account) -> OtpAuthUri {
    OtpAuthUri {
        issuer: account.issuer.clone(),
        name: account.name.clone(),
        otp: account.otp.clone(),
    }
}

impl From<OtpAuthUri> for Entry {
    fn from(uri: OtpAuthUri) -> Self {
        Entry::new(uri.issuer, uri.name, uri.otp)
    }
}

/// An entry a backup holds that Tessera cannot use, reported instead of dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    /// What the other app called it ("Issuer (name)" where both are known).
    pub label: String,
    /// Why it was left out, e.g. "Yandex codes are not supported".
    pub reason: String,
}

/// The existing account `entry` would duplicate: the same kind of code from the same secret.
/// Labels are not compared, since people rename accounts and the codes stay the same.
pub fn find_duplicate<'a>(entry: &Entry, existing: &'a [Account]) -> Option<&'a Account> {
    existing
        .iter()
        .find(|account| same_codes(&account.otp, &entry.otp))
}

fn same_codes(a: &OtpParams, b: &OtpParams) -> bool {
    let same_kind = matches!(
        (a.kind, b.kind),
        (OtpKind::Totp { .. }, OtpKind::Totp { .. })
            | (OtpKind::Hotp { .. }, OtpKind::Hotp { .. })
            | (OtpKind::Steam { .. }, OtpKind::Steam { .. })
    );
    same_kind && a.secret == b.secret
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Secret};

    fn totp(secret: &[u8], period: u32) -> OtpParams {
        OtpParams::new(
            OtpKind::Totp { period },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(secret.to_vec()),
        )
        .expect("valid parameters")
    }

    #[test]
    fn a_renamed_account_with_the_same_secret_is_a_duplicate() {
        let existing =
            vec![Entry::new("Kayako".into(), "a".into(), totp(b"0123456789", 30)).into_account(1)];
        let renamed = Entry::new("Kayako Desk".into(), "b".into(), totp(b"0123456789", 30));
        assert_eq!(
            find_duplicate(&renamed, &existing).map(|a| a.id.clone()),
            Some(existing[0].id.clone())
        );
    }

    #[test]
    fn another_secret_or_kind_is_not_a_duplicate() {
        let existing =
            vec![Entry::new("Kayako".into(), "a".into(), totp(b"0123456789", 30)).into_account(1)];
        let other = Entry::new("Kayako".into(), "a".into(), totp(b"9876543210", 30));
        assert!(find_duplicate(&other, &existing).is_none());
        let hotp = OtpParams::new(
            OtpKind::Hotp { counter: 0 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(b"0123456789".to_vec()),
        )
        .expect("valid");
        let hotp = Entry::new("Kayako".into(), "a".into(), hotp);
        assert!(find_duplicate(&hotp, &existing).is_none());
    }

    #[test]
    fn an_entry_keeps_its_extras_when_added() {
        let mut entry = Entry::new("MyGlue".into(), "ops".into(), totp(b"0123456789", 30));
        entry.notes = "desk phone".into();
        entry.group = "Work".into();
        entry.recovery_codes = vec![RecoveryCode {
            code: "1111-2222".into(),
            used: false,
        }];
        let account = entry.clone().into_account(77);
        assert_eq!(account.created, 77);
        assert_eq!(Entry::from_account(&account), entry);
    }
}
