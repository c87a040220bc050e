//! What QR codes hold, sorted for the review before adding: accounts from `otpauth://` codes,
//! accounts and progress from Google transfer codes (whose parts may come in several scans),
//! and anything else named as not an account.

use super::{Entry, Unusable};
use crate::uri::{parse_migration, parse_with_warnings, BatchCollector, PartAdded};

/// The accounts found in one scan.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Accounts of `otpauth://` codes.
    pub entries: Vec<Entry>,
    /// Codes that claim to be accounts but cannot be used, with the reason.
    pub unusable: Vec<Unusable>,
    /// Google transfer parts added by this scan.
    pub parts: Vec<PartAdded>,
    /// Codes that are not authenticator codes at all (a web address, a Wi-Fi code...).
    pub other: usize,
}

/// Sorts `payloads`; transfer parts go into `collector`, which keeps them across scans.
pub fn from_payloads(payloads: &[String], collector: &mut BatchCollector) -> Scanned {
    let mut scanned = Scanned::default();
    for payload in payloads {
        let lower = payload.get(..22).unwrap_or(payload).to_ascii_lowercase();
        if lower.starts_with("otpauth-migration://") {
            match parse_migration(payload).and_then(|batch| collector.add(batch)) {
                Ok(part) => scanned.parts.push(part),
                Err(err) => scanned.unusable.push(Unusable {
                    label: "Google Authenticator transfer code".into(),
                    reason: err.to_string(),
                }),
            }
        } else if lower.starts_with("otpauth://") {
            match parse_with_warnings(payload) {
                Ok(parsed) => scanned.entries.push(parsed.uri.into()),
                Err(err) => scanned.unusable.push(Unusable {
                    label: "QR code".into(),
                    reason: err.to_string(),
                }),
            }
        } else {
            scanned.other += 1;
        }
    }
    scanned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_by_what_they_hold() {
        let payloads = vec![
            "otpauth://totp/MyKerio:jane?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio".to_string(),
            "otpauth://totp/Broken?secret=not-base32!".to_string(),
            "https://example.com/".to_string(),
        ];
        let mut collector = BatchCollector::new();
        let scanned = from_payloads(&payloads, &mut collector);
        assert_eq!(scanned.entries.len(), 1);
        assert_eq!(scanned.entries[0].issuer, "MyKerio");
        assert_eq!(scanned.unusable.len(), 1);
        assert_eq!(scanned.other, 1);
        assert!(scanned.parts.is_empty());
    }
}
