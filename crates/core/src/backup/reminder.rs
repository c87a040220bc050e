//! When to remind people to back up: most lost-account stories end with "I had no backup".

use crate::account::Account;

/// Seconds in a day.
const DAY: u64 = 86_400;

/// Why a backup is due, or nothing when the last one covers every account and is recent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reminder {
    /// Accounts exist and none was ever exported.
    NeverBackedUp {
        /// How many accounts a lost device would take with it.
        accounts: usize,
    },
    /// Accounts were added after the last backup.
    AddedSince {
        /// How many.
        added: usize,
    },
    /// The last backup is older than the chosen interval.
    Stale {
        /// Its age in whole days.
        days: u64,
    },
}

impl std::fmt::Display for Reminder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let accounts = |n: usize| if n == 1 { "account" } else { "accounts" };
        match self {
            Reminder::NeverBackedUp { accounts: n } => write!(
                f,
                "Your {n} {} {} no backup: losing this computer would lock you out",
                accounts(*n),
                if *n == 1 { "has" } else { "have" }
            ),
            Reminder::AddedSince { added } => write!(
                f,
                "{added} {} added since your last backup",
                accounts(*added)
            ),
            Reminder::Stale { days } => write!(f, "Your last backup is {days} days old"),
        }
    }
}

/// Whether to remind, given the accounts, the time of the last backup (Unix seconds), the
/// interval in days after which a backup counts as old (0: never remind), and now.
pub fn due(
    accounts: &[Account],
    last_backup: Option<u64>,
    interval_days: u32,
    now: u64,
) -> Option<Reminder> {
    if accounts.is_empty() || interval_days == 0 {
        return None;
    }
    let Some(last) = last_backup else {
        return Some(Reminder::NeverBackedUp {
            accounts: accounts.len(),
        });
    };
    let added = accounts.iter().filter(|a| a.created > last).count();
    if added > 0 {
        return Some(Reminder::AddedSince { added });
    }
    let days = now.saturating_sub(last) / DAY;
    (days >= u64::from(interval_days)).then_some(Reminder::Stale { days })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::Entry;
    use crate::otp::{Algorithm, OtpKind, OtpParams, Secret};

    fn account(created: u64) -> Account {
        let otp = OtpParams::new(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(b"0123456789".to_vec()),
        )
        .expect("valid");
        Entry::new("MyKerio".into(), "jane".into(), otp).into_account(created)
    }

    #[test]
    fn nothing_to_lose_or_reminders_off_means_no_reminder() {
        assert_eq!(due(&[], None, 30, 1_000), None);
        assert_eq!(due(&[account(5)], None, 0, 1_000), None);
    }

    #[test]
    fn accounts_without_any_backup_are_named() {
        let reminder = due(&[account(5), account(6)], None, 30, 1_000);
        assert_eq!(reminder, Some(Reminder::NeverBackedUp { accounts: 2 }));
        assert_eq!(
            reminder.unwrap().to_string(),
            "Your 2 accounts have no backup: losing this computer would lock you out"
        );
    }

    #[test]
    fn accounts_added_after_the_backup_are_counted() {
        let accounts = [account(5), account(500), account(600)];
        assert_eq!(
            due(&accounts, Some(100), 30, 1_000),
            Some(Reminder::AddedSince { added: 2 })
        );
    }

    #[test]
    fn a_backup_older_than_the_interval_is_stale() {
        let accounts = [account(5)];
        assert_eq!(due(&accounts, Some(100), 30, 100 + 29 * DAY), None);
        assert_eq!(
            due(&accounts, Some(100), 30, 100 + 45 * DAY),
            Some(Reminder::Stale { days: 45 })
        );
    }
}
