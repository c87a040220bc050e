//! The review before anything is saved: accounts found by a QR scan or in a backup file wait
//! here (secrets stay in Rust) while the page shows their labels, marks duplicates and lets
//! the user pick. A Google transfer split over several codes gathers its parts here too.

use serde::Serialize;
use std::path::PathBuf;
use tessera_core::account::Account;
use tessera_core::backup::{find_duplicate, Entry, Unusable};
use tessera_core::otp::OtpKind;
use tessera_core::uri::BatchCollector;

/// Where the accounts under review came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where, for the dialog: "on the screen", "in shot.png", "in backup.json (Aegis)".
    pub label: String,
    /// An image file the user may want deleted afterwards, since it holds the secrets.
    pub image_file: Option<PathBuf>,
}

/// Accounts waiting for the user's choice.
#[derive(Default)]
pub struct Review {
    source: Option<Source>,
    entries: Vec<Entry>,
    unusable: Vec<Unusable>,
    /// Google transfer parts scanned so far; kept until the review ends.
    transfer: BatchCollector,
    /// A file that was added from and may be deleted on request.
    deletable: Option<PathBuf>,
}

/// One account in the review, as the page sees it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewItem {
    index: usize,
    issuer: String,
    name: String,
    kind: &'static str,
    digits: u8,
    /// The label of the existing account with the same secret, if any.
    duplicate_of: Option<String>,
}

/// An entry left out, by name.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    label: String,
    reason: String,
}

/// Progress of a Google transfer split over several codes.
#[derive(Debug, Clone, Serialize)]
pub struct TransferProgress {
    of: u32,
    missing: Vec<u32>,
}

/// The review as the page shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewView {
    source: String,
    items: Vec<ReviewItem>,
    unusable: Vec<LeftOut>,
    transfers: Vec<TransferProgress>,
}

fn kind_name(kind: &OtpKind) -> &'static str {
    match kind {
        OtpKind::Totp { .. } => "totp",
        OtpKind::Hotp { .. } => "hotp",
        OtpKind::Steam { .. } => "steam",
    }
}

impl Review {
    /// Starts a review of `entries` from `source`. Transfer parts gathered since the last
    /// review ended are kept, so a transfer can come in over several scans.
    pub fn start(&mut self, source: Source, entries: Vec<Entry>, unusable: Vec<Unusable>) {
        self.source = Some(source);
        self.entries = entries;
        self.unusable = unusable;
    }

    /// The collector of transfer parts, for a scan to add to.
    pub fn transfer(&mut self) -> &mut BatchCollector {
        &mut self.transfer
    }

    /// Whether anything waits for the user.
    pub fn is_open(&self) -> bool {
        self.source.is_some()
    }

    /// Every entry under review: the scan's own, then the accounts of transfer parts so far.
    fn all_entries(&self) -> Vec<Entry> {
        let (transferred, _) = self.transfer.accounts();
        self.entries
            .iter()
            .cloned()
            .chain(transferred.into_iter().map(Entry::from))
            .collect()
    }

    /// What the page shows, with duplicates of `existing` marked.
    pub fn view(&self, existing: &[Account]) -> Option<ReviewView> {
        let source = self.source.as_ref()?;
        let (_, skipped) = self.transfer.accounts();
        let items = self
            .all_entries()
            .iter()
            .enumerate()
            .map(|(index, entry)| ReviewItem {
                index,
                issuer: entry.issuer.clone(),
                name: entry.name.clone(),
                kind: kind_name(&entry.otp.kind),
                digits: entry.otp.digits,
                duplicate_of: find_duplicate(entry, existing).map(Account::display_label),
            })
            .collect();
        let unusable = self
            .unusable
            .iter()
            .map(|u| LeftOut {
                label: u.label.clone(),
                reason: u.reason.clone(),
            })
            .chain(skipped.iter().map(|s| LeftOut {
                label: tessera_core::account::label(&s.issuer, &s.name),
                reason: s.reason.to_string(),
            }))
            .collect();
        let transfers = self
            .transfer
            .pending_batches()
            .into_iter()
            .map(|(of, missing)| TransferProgress { of, missing })
            .collect();
        Some(ReviewView {
            source: source.label.clone(),
            items,
            unusable,
            transfers,
        })
    }

    /// The chosen entries, ending the review. The source image, if any, stays deletable.
    pub fn take(&mut self, chosen: &[usize]) -> Vec<Entry> {
        let all = self.all_entries();
        let picked = chosen
            .iter()
            .filter_map(|&index| all.get(index).cloned())
            .collect();
        self.deletable = self.source.take().and_then(|s| s.image_file);
        self.entries.clear();
        self.unusable.clear();
        self.transfer = BatchCollector::new();
        picked
    }

    /// Ends the review without adding anything.
    pub fn discard(&mut self) {
        *self = Review::default();
    }

    /// The image file added from, once; deleting is offered only right after adding.
    pub fn take_deletable(&mut self) -> Option<PathBuf> {
        self.deletable.take()
    }

    /// The image file offered for deletion, without taking it.
    pub fn deletable(&self) -> Option<&PathBuf> {
        self.deletable.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_core::otp::{Algorithm, OtpParams, Secret};

    fn entry(issuer: &str, secret: &[u8]) -> Entry {
        let otp = OtpParams::new(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(secret.to_vec()),
        )
        .expect("valid");
        Entry::new(issuer.into(), "jane".into(), otp)
    }

    fn source(file: Option<&str>) -> Source {
        Source {
            label: "on the screen".into(),
            image_file: file.map(PathBuf::from),
        }
    }

    #[test]
    fn duplicates_are_marked_and_only_chosen_entries_are_taken() {
        let existing = vec![entry("MyKerio", b"0123456789").into_account(1)];
        let mut review = Review::default();
        review.start(
            source(Some("shot.png")),
            vec![
                entry("MyKerio again", b"0123456789"),
                entry("Kayako", b"abcdefghij"),
            ],
            Vec::new(),
        );
        let view = review.view(&existing).expect("open");
        assert_eq!(
            view.items[0].duplicate_of.as_deref(),
            Some("MyKerio (jane)")
        );
        assert_eq!(view.items[1].duplicate_of, None);
        let taken = review.take(&[1, 7]);
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].issuer, "Kayako");
        assert!(!review.is_open());
        assert_eq!(review.take_deletable(), Some(PathBuf::from("shot.png")));
        assert_eq!(review.take_deletable(), None);
    }

    #[test]
    fn discarding_forgets_everything() {
        let mut review = Review::default();
        review.start(
            source(None),
            vec![entry("Kayako", b"abcdefghij")],
            Vec::new(),
        );
        review.discard();
        assert!(review.view(&[]).is_none());
        assert!(review.take(&[0]).is_empty());
    }
}
