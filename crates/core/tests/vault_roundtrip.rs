//! Any set of accounts survives a save and a reopen, every field intact.

mod vault_support;

use proptest::prelude::*;
use tessera_core::account::{Account, RecoveryCode};
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::vault::Vault;
use vault_support::{create, temp_dir};

fn any_account() -> impl Strategy<Value = Account> {
    let kind = prop_oneof![
        (1u32..=300).prop_map(|period| OtpKind::Totp { period }),
        (0u64..1 << 53).prop_map(|counter| OtpKind::Hotp { counter }),
        (1u32..=300).prop_map(|period| OtpKind::Steam { period }),
    ];
    let algorithm = prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ];
    let otp = (
        kind,
        algorithm,
        1u8..=10,
        proptest::collection::vec(any::<u8>(), 1..80),
    )
        .prop_map(|(kind, algorithm, digits, secret)| {
            // Steam codes are five characters of SHA-1, whatever the rest says.
            let steam = matches!(kind, OtpKind::Steam { .. });
            OtpParams {
                kind,
                algorithm: if steam { Algorithm::Sha1 } else { algorithm },
                digits: if steam { 5 } else { digits },
                secret: Secret::from_bytes(secret),
            }
        });
    // A list names each code once: the vault keeps used marks by code.
    let codes = proptest::collection::btree_map(".{0,12}", any::<bool>(), 0..4).prop_map(|map| {
        map.into_iter()
            .map(|(code, used)| RecoveryCode { code, used })
            .collect::<Vec<_>>()
    });
    (
        (".{0,20}", ".{0,20}", otp, ".{0,60}", codes),
        (
            ".{0,10}",
            any::<bool>(),
            any::<i64>(),
            any::<u64>(),
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (issuer, name, otp, notes, recovery_codes),
                (group, pinned, order, created, used),
            )| {
                let mut a = Account::new(issuer, name, otp, created);
                a.notes = notes;
                a.recovery_codes = recovery_codes;
                a.group = group;
                a.pinned = pinned;
                a.sort_order = order;
                a.last_used = used;
                a
            },
        )
}

#[test]
fn any_account_set_round_trips() {
    let dir = temp_dir();
    let (path, vault) = create(dir.path(), "prop.tessera");
    let key = vault.vault_key();
    // One vault for all cases: creating one per case would run the KDF each time.
    let vault = std::cell::RefCell::new(vault);
    let config = ProptestConfig {
        cases: 40,
        ..ProptestConfig::default()
    };
    proptest!(config, |(accounts in proptest::collection::vec(any_account(), 0..6))| {
        let mut vault = vault.borrow_mut();
        for old in vault.accounts() {
            vault.delete(&old.id).unwrap();
        }
        for a in &accounts {
            vault.add(a.clone()).unwrap();
        }
        let reopened = Vault::open_with_key(&path, &key).unwrap();
        prop_assert_eq!(reopened.accounts(), vault.accounts());
        for a in &accounts {
            let mut stored = reopened.get(&a.id).unwrap();
            // add() files the account after the others.
            stored.sort_order = a.sort_order;
            prop_assert_eq!(&stored, a);
        }
    });
}
