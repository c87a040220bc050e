//! Key changes (docs/vault-format.md, sections 11 and 12): what a password change or the removal
//! of keyring slots revokes, what it cannot, and how a device that still holds the old key
//! comes back without losing its changes. Two computers are two folders; a sync tool's delivery
//! is a copy renamed over the other folder's file.

mod vault_support;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use tessera_core::vault::{KekStore, KeyringError, Vault, VaultError};
use vault_support::{account, create, names, temp_dir, PASSWORD};
use zeroize::Zeroizing;

const NEW_PASSWORD: &str = "a new password, longer";

/// One computer's keyring.
#[derive(Default)]
struct Keyring(RefCell<HashMap<String, [u8; 32]>>);

impl KekStore for Keyring {
    fn store(&self, account: &str, kek: &[u8; 32]) -> Result<(), KeyringError> {
        self.0.borrow_mut().insert(account.to_string(), *kek);
        Ok(())
    }

    fn load(&self, account: &str) -> Result<Option<Zeroizing<[u8; 32]>>, KeyringError> {
        Ok(self.0.borrow().get(account).map(|k| Zeroizing::new(*k)))
    }

    fn delete(&self, account: &str) -> Result<(), KeyringError> {
        self.0.borrow_mut().remove(account);
        Ok(())
    }
}

/// What a sync tool does: the file of one computer replaces the other's, by a rename.
fn deliver(from: &Path, to: &Path) {
    let part = to.with_extension("syncing");
    fs::copy(from, &part).unwrap();
    fs::rename(&part, to).unwrap();
}

fn refused(path: &Path, password: &str) -> bool {
    matches!(
        Vault::open_with_password(path, password),
        Err(VaultError::WrongPasswordOrDamaged)
    )
}

#[test]
fn after_a_password_change_the_old_password_opens_nothing_written_later_but_old_copies_stay_open() {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "v.tessera");
    vault.add(account("alice")).unwrap();
    let old_key = vault.vault_key();
    let taken = dir.path().join("taken-before.tessera");
    fs::copy(&path, &taken).unwrap();

    vault.change_password(PASSWORD, NEW_PASSWORD, None).unwrap();
    assert_eq!(vault.epoch(), 1);
    vault.add(account("bob")).unwrap();

    let bak = Vault::backup_path(&path);
    for written_after in [&path, &bak] {
        assert!(
            refused(written_after, PASSWORD),
            "{}",
            written_after.display()
        );
        assert!(Vault::open_with_key(written_after, &old_key).is_err());
        assert!(Vault::open_with_password(written_after, NEW_PASSWORD).is_ok());
    }
    assert_eq!(
        names(&Vault::open_with_password(&path, NEW_PASSWORD).unwrap()),
        ["alice", "bob"]
    );
    // What cannot be revoked: a copy taken before the change keeps the old password, and holds
    // what the vault held then, nothing later.
    assert_eq!(
        names(&Vault::open_with_password(&taken, PASSWORD).unwrap()),
        ["alice"]
    );
}

#[test]
fn a_password_change_keeps_this_computers_keyring_slot_and_drops_the_others() {
    let dir = temp_dir();
    let (path, mut here) = create(dir.path(), "v.tessera");
    let (this_keyring, other_keyring) = (Keyring::default(), Keyring::default());
    here.enable_keyring_slot_in(&this_keyring).unwrap();
    let mut elsewhere = Vault::open_with_password(&path, PASSWORD).unwrap();
    elsewhere.enable_keyring_slot_in(&other_keyring).unwrap();
    assert!(Vault::open_with_kek_store(&path, &other_keyring).is_ok());

    here.change_password_in(PASSWORD, NEW_PASSWORD, None, &this_keyring)
        .unwrap();
    assert!(Vault::open_with_kek_store(&path, &this_keyring).is_ok());
    assert!(Vault::open_with_kek_store(&path, &other_keyring).is_err());
}

#[test]
fn removing_keyring_slots_revokes_an_entry_kept_on_another_computer() {
    let dir = temp_dir();
    let (path, mut here) = create(dir.path(), "v.tessera");
    let other_keyring = Keyring::default();
    let mut elsewhere = Vault::open_with_password(&path, PASSWORD).unwrap();
    elsewhere.enable_keyring_slot_in(&other_keyring).unwrap();
    let before = dir.path().join("before.tessera");
    fs::copy(&path, &before).unwrap();

    here.reload().unwrap();
    here.disable_keyring_slot_in(PASSWORD, &Keyring::default())
        .unwrap();
    here.add(account("after")).unwrap();
    assert_eq!(here.epoch(), 1);
    assert!(matches!(
        Vault::open_with_kek_store(&path, &other_keyring),
        Err(VaultError::NoKeyringSlot)
    ));
    // The entry still opens the copy taken before, and the key it yields opens nothing
    // written since: neither the vault nor its backup.
    let old_key = Vault::open_with_kek_store(&before, &other_keyring)
        .unwrap()
        .vault_key();
    assert!(Vault::open_with_key(&path, &old_key).is_err());
    assert!(Vault::open_with_key(&Vault::backup_path(&path), &old_key).is_err());
    assert!(Vault::open_with_password(&path, PASSWORD).is_ok());
}

#[test]
fn a_device_with_the_old_key_stops_then_rejoins_and_keeps_what_it_wrote_meanwhile() {
    let (one, two) = (temp_dir(), temp_dir());
    let (path1, mut first) = create(one.path(), "v.tessera");
    first.add(account("alice")).unwrap();
    let path2 = two.path().join("v.tessera");
    fs::copy(&path1, &path2).unwrap();
    let mut second = Vault::open_with_password(&path2, PASSWORD).unwrap();

    // At once: the first computer changes the password, the second adds an account.
    first.change_password(PASSWORD, NEW_PASSWORD, None).unwrap();
    second.add(account("bob")).unwrap();
    let seconds_old_epoch_file = two.path().join("kept.tessera");
    fs::copy(&path2, &seconds_old_epoch_file).unwrap();

    // The sync tool brings the first computer's file to the second, over its own.
    deliver(&path1, &path2);
    assert!(matches!(second.reload(), Err(VaultError::Rotated)));
    assert!(matches!(
        second.add(account("carol")),
        Err(VaultError::Rotated)
    ));
    assert!(
        refused(&path2, PASSWORD),
        "nothing written under the old key"
    );
    second.rejoin(NEW_PASSWORD).unwrap();
    assert_eq!(second.epoch(), 1);
    assert_eq!(names(&second), ["alice", "bob"]);
    second.add(account("carol")).unwrap();

    // The second computer's file of the old epoch, delivered late to the first, is merged
    // with the old key the first still holds; so is the rejoined file.
    deliver(&seconds_old_epoch_file, &path1);
    first.reload().unwrap();
    assert_eq!(names(&first), ["alice", "bob"]);
    // Its slots, which wrap the old key, do not come back with it.
    first.add(account("dave")).unwrap();
    assert!(refused(&path1, PASSWORD));
    assert_eq!(first.epoch(), 1);
    deliver(&path2, &path1);
    first.reload().unwrap();
    assert_eq!(names(&first), ["alice", "bob", "carol", "dave"]);
    assert!(refused(&path1, PASSWORD));
}

#[test]
fn a_file_of_an_earlier_epoch_whose_key_is_not_held_is_set_aside_not_overwritten() {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "v.tessera");
    vault.add(account("alice")).unwrap();
    let old = dir.path().join("old-copy.tessera");
    let mut stale = {
        fs::copy(&path, &old).unwrap();
        Vault::open_with_password(&old, PASSWORD).unwrap()
    };
    stale.add(account("written-with-the-old-key")).unwrap();
    vault.change_password(PASSWORD, NEW_PASSWORD, None).unwrap();
    drop(vault);

    // A device that opened the vault after the change holds only the new key.
    let mut fresh = Vault::open_with_password(&path, NEW_PASSWORD).unwrap();
    deliver(&old, &path);
    fresh.add(account("new")).unwrap();

    let copies = fresh.conflict_copies();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let aside = &copies[0];
    let name = aside.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("v.unmerged-") && name.ends_with(".tessera"),
        "{name}"
    );
    assert_eq!(
        names(&Vault::open_with_password(aside, PASSWORD).unwrap()),
        ["alice", "written-with-the-old-key"]
    );
    let merge = fresh.merge_conflict_copies().unwrap();
    assert_eq!(merge.unopened, copies, "the old key is needed to open it");
    fresh.merge_file(aside, Some(PASSWORD)).unwrap();
    assert_eq!(names(&fresh), ["alice", "new", "written-with-the-old-key"]);
    assert!(refused(&path, PASSWORD));
}

#[test]
fn conflict_copies_that_open_with_the_vaults_keys_are_merged_and_removed() {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "accounts.tessera");
    vault.add(account("alice")).unwrap();
    let key = vault.vault_key();
    let names_of_copies = [
        "accounts.sync-conflict-20260101-120000-ABCDEFG.tessera",
        "accounts (Alice's conflicted copy 2026-01-01).tessera",
        "accounts (conflicted copy 2026-01-01 120000).tessera",
    ];
    for (i, copy_name) in names_of_copies.iter().enumerate() {
        let copy = dir.path().join(copy_name);
        fs::copy(&path, &copy).unwrap();
        let mut other = Vault::open_with_key(&copy, &key).unwrap();
        other.add(account(&format!("copy-{i}"))).unwrap();
    }
    let (foreign, _) = create(dir.path(), "elsewhere.tessera");
    let foreign_copy = dir
        .path()
        .join("accounts.sync-conflict-20260102-120000-HIJKLMN.tessera");
    fs::rename(&foreign, &foreign_copy).unwrap();

    let merge = vault.merge_conflict_copies().unwrap();
    assert_eq!(merge.report.added, 3);
    assert_eq!(merge.merged.len(), 3);
    assert_eq!(merge.unopened, vec![foreign_copy.clone()]);
    for copy_name in names_of_copies {
        assert!(!dir.path().join(copy_name).exists(), "{copy_name} removed");
    }
    assert!(foreign_copy.exists());
    assert_eq!(
        names(&Vault::open_with_password(&path, PASSWORD).unwrap()),
        ["alice", "copy-0", "copy-1", "copy-2"]
    );
}

/// Two computers change the key at once: one the password, the other turns keyring unlock off.
/// Whichever meets the other's file first, both revocations hold in the end: the old password
/// opens nothing, the keyring entry opens nothing, and both computers hold one key.
#[test]
fn two_key_changes_at_once_both_hold_whichever_side_settles_them() {
    for password_side_settles in [false, true] {
        let (one, two) = (temp_dir(), temp_dir());
        let (path1, mut first) = create(one.path(), "v.tessera");
        first.add(account("alice")).unwrap();
        let keyring = Keyring::default();
        let path2 = two.path().join("v.tessera");
        fs::copy(&path1, &path2).unwrap();
        let mut second = Vault::open_with_password(&path2, PASSWORD).unwrap();
        second.enable_keyring_slot_in(&keyring).unwrap();
        deliver(&path2, &path1);
        first.reload().unwrap();
        assert!(first.has_keyring_slot());

        first
            .change_password_in(PASSWORD, NEW_PASSWORD, None, &Keyring::default())
            .unwrap();
        first.add(account("bob")).unwrap();
        second.disable_keyring_slot_in(PASSWORD, &keyring).unwrap();
        second.add(account("carol")).unwrap();
        assert_eq!((first.epoch(), second.epoch()), (1, 1));

        if password_side_settles {
            // The second computer's file reaches the first, which was given its password.
            deliver(&path2, &path1);
            assert!(matches!(first.reload(), Err(VaultError::Rotated)));
            first.rejoin(PASSWORD).unwrap();
            deliver(&path1, &path2);
            assert!(matches!(second.reload(), Err(VaultError::Rotated)));
            second.rejoin(NEW_PASSWORD).unwrap();
        } else {
            deliver(&path1, &path2);
            assert!(matches!(second.reload(), Err(VaultError::Rotated)));
            second.rejoin(NEW_PASSWORD).unwrap();
            // The settled file is under the first computer's own key: no password needed.
            deliver(&path2, &path1);
            first.reload().unwrap();
        }
        assert_eq!(first.epoch(), second.epoch());
        for (path, vault) in [(&path1, &first), (&path2, &second)] {
            assert_eq!(names(vault), ["alice", "bob", "carol"]);
            assert!(
                !vault.has_keyring_slot(),
                "a removed keyring slot came back"
            );
            assert!(
                refused(path, PASSWORD),
                "the replaced password still opens it"
            );
            assert!(refused(&Vault::backup_path(path), PASSWORD));
            assert!(Vault::open_with_password(path, NEW_PASSWORD).is_ok());
            assert!(matches!(
                Vault::open_with_kek_store(path, &keyring),
                Err(VaultError::NoKeyringSlot)
            ));
        }
    }
}
