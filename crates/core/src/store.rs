//! The order accounts are listed in: pinned first, then the user's own order or the alphabet.

use crate::account::{Account, AccountId};

/// Sorts accounts for display: pinned first, then manual order, then issuer and name.
pub fn sort_for_display(accounts: &mut [Account]) {
    accounts.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then(a.sort_order.cmp(&b.sort_order))
            .then_with(|| a.issuer.to_lowercase().cmp(&b.issuer.to_lowercase()))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
}

/// Sorts accounts by issuer, then name, ignoring case, pinned accounts first: the order for
/// people who prefer the alphabet to their own.
pub fn sort_alphabetically(accounts: &mut [Account]) {
    accounts.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then_with(|| a.issuer.to_lowercase().cmp(&b.issuer.to_lowercase()))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
}

/// The accounts whose `sort_order` changes when account `id` moves `offset` places in the
/// display order of `accounts` (which must be sorted for display), with their new orders.
/// Moves stay within the account's own part of the list (pinned or not); a move past either
/// end stops there.
pub fn moved(accounts: &[Account], id: &AccountId, offset: i64) -> Vec<(AccountId, i64)> {
    let Some(from) = accounts.iter().position(|a| &a.id == id) else {
        return Vec::new();
    };
    let pinned = accounts[from].pinned;
    let section: Vec<usize> = (0..accounts.len())
        .filter(|&i| accounts[i].pinned == pinned)
        .collect();
    let at = section.iter().position(|&i| i == from).unwrap_or(0);
    let last = section.len() as i64 - 1;
    let to = (at as i64 + offset).clamp(0, last) as usize;
    if to == at {
        return Vec::new();
    }
    let mut order: Vec<&Account> = section.iter().map(|&i| &accounts[i]).collect();
    let moving = order.remove(at);
    order.insert(to, moving);
    // Renumbering the section keeps the order total even where older numbers tied.
    order
        .iter()
        .enumerate()
        .filter(|(position, account)| account.sort_order != *position as i64)
        .map(|(position, account)| (account.id.clone(), position as i64))
        .collect()
}

#[cfg(test)]
mod order_tests {
    use super::*;
    use crate::backup::Entry;
    use crate::otp::{Algorithm, OtpKind, OtpParams, Secret};

    fn account(issuer: &str, order: i64, pinned: bool) -> Account {
        let otp = OtpParams::new(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(b"0123456789".to_vec()),
        )
        .unwrap();
        let mut account = Entry::new(issuer.into(), String::new(), otp).into_account(1);
        account.sort_order = order;
        account.pinned = pinned;
        account
    }

    fn apply(accounts: &mut [Account], changed: Vec<(AccountId, i64)>) {
        for (id, order) in changed {
            let slot = accounts.iter_mut().find(|a| a.id == id).unwrap();
            slot.sort_order = order;
        }
        sort_for_display(accounts);
    }

    fn issuers(accounts: &[Account]) -> Vec<&str> {
        accounts.iter().map(|a| a.issuer.as_str()).collect()
    }

    #[test]
    fn moving_down_and_up_within_the_unpinned_part() {
        let mut accounts = vec![
            account("Pinned", 0, true),
            account("A", 1, false),
            account("B", 2, false),
            account("C", 3, false),
        ];
        sort_for_display(&mut accounts);
        let a = accounts[1].id.clone();
        let changed = moved(&accounts, &a, 1);
        apply(&mut accounts, changed);
        assert_eq!(issuers(&accounts), ["Pinned", "B", "A", "C"]);
        let changed = moved(&accounts, &a, 5);
        apply(&mut accounts, changed);
        assert_eq!(issuers(&accounts), ["Pinned", "B", "C", "A"]);
        let changed = moved(&accounts, &a, -10);
        apply(&mut accounts, changed);
        assert_eq!(issuers(&accounts), ["Pinned", "A", "B", "C"]);
        // A pinned account cannot leave the pinned part.
        let pinned = accounts[0].id.clone();
        assert!(moved(&accounts, &pinned, 1).is_empty());
    }

    #[test]
    fn the_alphabet_ignores_case_and_keeps_pins_first() {
        let mut accounts = vec![
            account("kayako", 0, false),
            account("MyGlue", 1, true),
            account("Aegis", 2, false),
        ];
        sort_alphabetically(&mut accounts);
        assert_eq!(issuers(&accounts), ["MyGlue", "Aegis", "kayako"]);
    }
}
