//! Backups that come in containers (ZIP archives, KeePass databases, an SQLCipher database),
//! imported through the CLI into a fresh vault: each must come out as exactly the accounts its
//! `.expected.tsv` lists, unusable entries named, refused files refused with their reason and
//! nothing imported.

mod support;

use support::imports::{actual, assert_truth, check_in, fixtures, import};
use support::stderr;

fn check(file: &str, password: &str) {
    check_in(&fixtures(), file, Some(password), None);
}

/// Imports `file`, which the CLI must refuse (exit status 2) with a message containing `cause`,
/// leaving the vault empty.
fn refused(file: &str, password: Option<&str>, format: Option<&str>, cause: &str) {
    let imported = import(&fixtures(), file, password, format);
    let message = stderr(&imported.output);
    assert_eq!(imported.output.status.code(), Some(2), "{file}: {message}");
    assert!(message.contains(cause), "{file}: {message}");
    assert!(
        actual(&imported.vault).is_empty(),
        "{file} imported something"
    );
}

/// Imports `file`, which opens but holds no account (exit status 1, "nothing found").
fn holds_nothing(file: &str, password: &str) {
    let imported = import(&fixtures(), file, Some(password), None);
    let message = stderr(&imported.output);
    assert_eq!(imported.output.status.code(), Some(1), "{file}: {message}");
    assert_truth(&fixtures(), file, &imported.vault);
}

#[test]
fn winauth_encrypted_zip() {
    check("winauth/winauth.zip", "test");
}

#[test]
fn winauth_zip_with_a_wrong_password_is_refused() {
    refused(
        "winauth/winauth.zip",
        Some("not the password"),
        None,
        "the password is wrong",
    );
}

#[test]
fn an_empty_zip_is_refused_with_its_reason() {
    refused(
        "winauth/winauth.invalid.zip",
        Some("test"),
        None,
        "the ZIP archive holds no file at all",
    );
}

#[test]
fn raivo_otp_entries_with_impossible_seeds_are_named() {
    let file = "raivo-otp/raivootp.zip";
    let imported = import(&fixtures(), file, Some("RaivoTest123"), None);
    let message = stderr(&imported.output);
    assert!(imported.output.status.success(), "{message}");
    for (label, character) in [("Example A (mason)", "'8'"), ("Example B (james)", "'1'")] {
        let line = message
            .lines()
            .find(|line| line.contains(&format!("not imported {label}:")))
            .unwrap_or_else(|| panic!("{label} is not named: {message}"));
        assert!(line.contains(character), "{line}");
    }
    assert!(
        message.contains("Raivo OTP backup: 0 of 2 accounts added"),
        "{message}"
    );
    assert_truth(&fixtures(), file, &imported.vault);
}

#[test]
fn raivo_otp_with_a_wrong_password_is_refused() {
    refused(
        "raivo-otp/raivootp.zip",
        Some("RaivoTest124"),
        None,
        "the password is wrong",
    );
}

#[test]
fn keepassxc_aes_kdf() {
    check("keepass/keepass.aes256.aeskdf.kdbx", "test");
}

#[test]
fn keepassxc_argon2d() {
    check("keepass/keepass.aes256.argon2d.kdbx", "test");
}

#[test]
fn keepassxc_argon2id() {
    check("keepass/keepass.aes256.argon2id.kdbx", "test");
}

#[test]
fn keepassxc_chacha20() {
    check("keepass/keepass.chacha20.argon2d.kdbx", "test");
}

#[test]
fn keepassxc_twofish() {
    check("keepass/keepass.twofish.argon2d.kdbx", "test");
}

#[test]
fn keepassxc_big_attachment_over_several_hmac_blocks() {
    check("keepass/keepass.big.kdbx", "test");
}

#[test]
fn keepassxc_nested_groups() {
    check("keepass/keepass.groups.kdbx", "test");
}

#[test]
fn keepassxc_nocompression() {
    check("keepass/keepass.nocompression.kdbx", "test");
}

#[test]
fn keepassxc_without_recycle_bin() {
    check("keepass/keepass.norecyclebin.kdbx", "test");
}

#[test]
fn keepassxc_entries_in_the_recycle_bin_are_not_imported() {
    holds_nothing("keepass/keepass.recyclebin.kdbx", "test");
}

#[test]
fn keepass_kdbx_3_1_without_entries() {
    holds_nothing("keepass/keepass.kdbx3.kdbx", "test");
}

#[test]
fn keepass_with_a_wrong_password_is_refused() {
    refused(
        "keepass/keepass.aes256.aeskdf.kdbx",
        Some("tset"),
        None,
        "the password is wrong",
    );
}

#[test]
fn authenticator_plus_named_by_format() {
    check_in(
        &fixtures(),
        "authenticator-plus/authplus.db",
        Some("testtesttest"),
        Some("authenticator-plus"),
    );
}

#[test]
fn authenticator_plus_is_not_guessed() {
    refused(
        "authenticator-plus/authplus.db",
        Some("testtesttest"),
        None,
        "an Authenticator Plus backup cannot be recognised",
    );
}

#[test]
fn authenticator_plus_with_a_wrong_password_is_refused() {
    refused(
        "authenticator-plus/authplus.db",
        Some("testtesttes"),
        Some("authenticator-plus"),
        "the password is wrong",
    );
}
