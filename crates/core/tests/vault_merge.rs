//! A vault changed underneath (by another process or a sync tool) is merged, not overwritten;
//! deletions on either side hold; conflict copies merge in; keys change only for the stronger.

mod vault_support;

use tessera_core::vault::{KdfError, KdfParams, Vault, VaultError};
use vault_support::{account, create, names, temp_dir, PASSWORD};

#[test]
fn a_file_replaced_by_a_sync_tool_is_merged_with_deletions_on_both_sides() {
    let dir = temp_dir();
    let (path, mut mine) = create(dir.path(), "v.tessera");
    let alice = account("alice");
    let bob = account("bob");
    mine.add(alice.clone()).unwrap();
    mine.add(bob.clone()).unwrap();

    // Another computer starts from this version: it deletes alice and adds carol.
    let staged = dir.path().join("staging.tessera");
    std::fs::copy(&path, &staged).unwrap();
    let mut theirs = Vault::open_with_key(&staged, &mine.vault_key()).unwrap();
    theirs.delete(&alice.id).unwrap();
    theirs.add(account("carol")).unwrap();
    let their_generation = theirs.generation();

    // Meanwhile this computer deletes bob; then the sync tool swaps in the other version.
    mine.delete(&bob.id).unwrap();
    std::fs::rename(&staged, &path).unwrap();
    mine.add(account("dave")).unwrap();

    assert_eq!(names(&mine), ["carol", "dave"]);
    let reopened = Vault::open_with_password(&path, PASSWORD).unwrap();
    assert_eq!(names(&reopened), ["carol", "dave"]);
    assert_eq!(reopened.generation(), mine.generation());
    assert!(mine.generation() > their_generation);
}

#[test]
fn reload_picks_up_another_process_without_a_password() {
    let dir = temp_dir();
    let (path, mut mine) = create(dir.path(), "v.tessera");
    let shared = account("shared");
    mine.add(shared.clone()).unwrap();
    let mut other = Vault::open_with_key(&path, &mine.vault_key()).unwrap();
    other.add(account("new")).unwrap();
    other
        .modify(&shared.id, |edit| {
            edit.set_issuer("Renamed".into());
            Ok::<_, VaultError>(())
        })
        .unwrap();

    let report = mine.reload().unwrap();
    assert_eq!((report.added, report.updated, report.removed), (1, 1, 0));
    assert_eq!(mine.get(&shared.id).unwrap().issuer, "Renamed");
    assert!(mine.reload().unwrap().is_empty());

    other.delete(&shared.id).unwrap();
    assert!(matches!(
        mine.modify(&shared.id, |edit| {
            edit.set_notes("too late".into());
            Ok::<_, VaultError>(())
        }),
        Err(VaultError::AccountNotFound(_))
    ));
    assert_eq!(names(&mine), ["new"]);
}

#[test]
fn a_later_edit_wins_over_an_older_one() {
    let dir = temp_dir();
    let (path, mut mine) = create(dir.path(), "v.tessera");
    let a = account("a");
    mine.add(a.clone()).unwrap();
    let mut other = Vault::open_with_key(&path, &mine.vault_key()).unwrap();
    mine.modify(&a.id, |edit| {
        edit.set_notes("first".into());
        Ok::<_, VaultError>(())
    })
    .unwrap();
    other
        .modify(&a.id, |edit| {
            edit.set_notes("second".into());
            Ok::<_, VaultError>(())
        })
        .unwrap();
    mine.reload().unwrap();
    assert_eq!(mine.get(&a.id).unwrap().notes, "second");
}

#[test]
fn conflict_copies_are_listed_and_merged() {
    let dir = temp_dir();
    let (path, mut mine) = create(dir.path(), "accounts.tessera");
    mine.add(account("alice")).unwrap();
    let copy = dir
        .path()
        .join("accounts.sync-conflict-20240101-120000-ABCDEFG.tessera");
    std::fs::copy(&path, &copy).unwrap();
    let mut theirs = Vault::open_with_key(&copy, &mine.vault_key()).unwrap();
    theirs.add(account("from-phone-sync")).unwrap();
    drop(theirs);
    std::fs::write(dir.path().join("accounts.tessera.notes.txt"), "x").unwrap();

    assert_eq!(mine.conflict_copies(), vec![copy.clone()]);
    let report = mine.merge_file(&copy, None).unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(names(&mine), ["alice", "from-phone-sync"]);

    // A copy with other keys (a vault made elsewhere) needs its own password.
    let (other_path, mut other) = create(dir.path(), "elsewhere.tessera");
    other.add(account("elsewhere")).unwrap();
    assert!(matches!(
        mine.merge_file(&other_path, None),
        Err(VaultError::PasswordNeeded)
    ));
    assert!(matches!(
        mine.merge_file(&other_path, Some("wrong")),
        Err(VaultError::WrongPasswordOrDamaged)
    ));
    mine.merge_file(&other_path, Some(PASSWORD)).unwrap();
    let reopened = Vault::open_with_key(&path, &mine.vault_key()).unwrap();
    assert_eq!(names(&reopened), ["alice", "elsewhere", "from-phone-sync"]);
}

#[test]
fn a_vault_replaced_by_another_is_not_overwritten() {
    let dir = temp_dir();
    let (path, mut mine) = create(dir.path(), "v.tessera");
    let (other_path, _other) = create(dir.path(), "other.tessera");
    std::fs::rename(&other_path, &path).unwrap();
    assert!(matches!(mine.add(account("x")), Err(VaultError::Replaced)));
    assert!(matches!(mine.reload(), Err(VaultError::Replaced)));
}

#[test]
fn passwords_change_only_to_parameters_at_least_as_strong() {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "v.tessera");
    vault.add(account("alice")).unwrap();
    assert!(matches!(
        Vault::create(&path, PASSWORD, KdfParams::minimum()),
        Err(VaultError::AlreadyExists(_))
    ));
    let weaker = KdfParams {
        memory_kib: 32 * 1024,
        ..KdfParams::minimum()
    };
    assert!(matches!(
        vault.change_password(PASSWORD, "new", Some(weaker)),
        Err(VaultError::Kdf(KdfError::OutOfRange))
    ));
    assert!(matches!(
        vault.change_password("not it", "new", None),
        Err(VaultError::WrongPasswordOrDamaged)
    ));
    let stronger = KdfParams {
        iterations: 4,
        ..KdfParams::minimum()
    };
    vault
        .change_password(PASSWORD, "new", Some(stronger))
        .unwrap();
    let back_to_minimum = KdfParams::minimum();
    assert!(matches!(
        vault.change_password("new", "newer", Some(back_to_minimum)),
        Err(VaultError::Kdf(KdfError::Weaker))
    ));
    assert!(Vault::open_with_password(&path, PASSWORD).is_err());
    let reopened = Vault::open_with_password(&path, "new").unwrap();
    assert_eq!(reopened.kdf_params(), stronger);
    assert_eq!(names(&reopened), ["alice"]);
    // The backup beside it was rewritten under the new key: the old password opens nothing.
    assert!(Vault::open_with_password(&Vault::backup_path(&path), PASSWORD).is_err());
    let backup = Vault::open_with_password(&Vault::backup_path(&path), "new").unwrap();
    assert_eq!(names(&backup), ["alice"]);
}

#[test]
fn settings_survive_and_merge() {
    let dir = temp_dir();
    let (path, mut mine) = create(dir.path(), "v.tessera");
    mine.set_setting("theme", "dark").unwrap();
    let mut other = Vault::open_with_key(&path, &mine.vault_key()).unwrap();
    other.set_setting("theme", "light").unwrap();
    other.set_setting("lock_after", "300").unwrap();
    mine.set_setting("language", "de").unwrap();
    let reopened = Vault::open_with_key(&path, &mine.vault_key()).unwrap();
    let settings = reopened.settings();
    assert_eq!(settings["theme"], "light");
    assert_eq!(settings["lock_after"], "300");
    assert_eq!(settings["language"], "de");
}

#[test]
fn a_bulk_add_is_all_or_nothing() {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "v.tessera");
    let existing = account("existing");
    vault.add(existing.clone()).unwrap();
    let generation = vault.generation();
    assert!(matches!(
        vault.add_accounts(vec![account("new"), existing.clone()]),
        Err(VaultError::AccountExists(id)) if id == existing.id
    ));
    assert_eq!(vault.generation(), generation);
    vault
        .add_accounts(vec![account("b"), account("c")])
        .unwrap();
    let reopened = Vault::open_with_key(&path, &vault.vault_key()).unwrap();
    assert_eq!(names(&reopened), ["b", "c", "existing"]);
    let orders: Vec<i64> = reopened.accounts().iter().map(|a| a.sort_order).collect();
    assert_eq!(orders, [0, 1, 2]);
}

#[test]
fn a_reload_writes_back_what_an_older_file_put_over_the_vault_lacks() {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "v.tessera");
    vault.add(account("a")).unwrap();
    let older = std::fs::read(&path).unwrap();
    vault.add(account("b")).unwrap();

    // A sync tool delivers a version from before "b" over the vault; the app reloads.
    std::fs::write(&path, older).unwrap();
    vault.reload().unwrap();
    assert_eq!(names(&vault), ["a", "b"]);

    // "b" is on disk again, not only in the memory of this process.
    let key = vault.vault_key();
    vault.lock();
    assert_eq!(
        names(&Vault::open_with_key(&path, &key).unwrap()),
        ["a", "b"]
    );
}
