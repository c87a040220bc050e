//! Real exports of other authenticators, imported through the CLI into a fresh vault, must
//! come out as exactly the accounts their `.expected.tsv` lists.

mod support;

use support::imports::{check_in, fixtures, local_fixtures};

/// Imports `file` (relative to tests/fixtures/imports) into a new vault, with `password`
/// for an encrypted backup, and compares the vault with the file's truth.
fn check(file: &str, password: Option<&str>) {
    check_in(&fixtures(), file, password, None);
}

/// The same for the exports kept with these tests (tests/data/imports, see its README).
fn check_local(file: &str, password: Option<&str>) {
    check_in(&local_fixtures(), file, password, None);
}

/// A kept export whose format cannot be recognised from its bytes, imported as `format`.
fn check_local_as(file: &str, format: &str, password: &str) {
    check_in(&local_fixtures(), file, Some(password), Some(format));
}

#[test]
fn ente_auth_plain_text() {
    check("ente-auth/ente_auth.txt", None);
}

#[test]
fn aegis_plain() {
    check("aegis/aegis_plain.json", None);
}

#[test]
fn aegis_encrypted() {
    check("aegis/aegis_encrypted.json", Some("test"));
}

#[test]
fn twofas_plain() {
    check("2fas/2fas_authenticator_plain_v4.2fas", None);
}

#[test]
fn twofas_encrypted() {
    check("2fas/2fas_authenticator_encrypted_v4.2fas", Some("test"));
}

#[test]
fn andotp_plain() {
    check("andotp/andotp_plain.json", None);
}

#[test]
fn bitwarden_json() {
    check("bitwarden/bitwarden.json", None);
}

#[test]
fn freeotp_plus() {
    check("freeotp-plus/freeotp_plus.json", None);
}

#[test]
fn google_transfer_links() {
    check("google-migration/uris.txt", None);
}

#[test]
fn authenticator_pro_plain() {
    check_local("stratum_plain.json", None);
}

#[test]
fn authenticator_pro_encrypted() {
    check_local("stratum_encrypted.bin", Some("test"));
}

#[test]
fn andotp_encrypted() {
    check_local("andotp_encrypted.bin", Some("test"));
}

#[test]
fn andotp_encrypted_before_0_6_3() {
    // The old layout has no signature: the format is named, as a user would with --format.
    check_local_as("andotp_encrypted_old.bin", "andotp", "test");
}

#[test]
fn proton_authenticator() {
    check_local("proton_authenticator.json", None);
}

#[test]
fn bitwarden_csv() {
    check_local("bitwarden.csv", None);
}

#[test]
fn ente_auth_encrypted() {
    check_local("ente_encrypted.json", Some("test"));
}
