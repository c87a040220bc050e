//! Real exports of other authenticators, imported through the CLI into a fresh vault, must
//! come out as exactly the accounts their `.expected.tsv` lists.

mod support;

use std::path::{Path, PathBuf};
use support::{stderr, tessera_cli};
use tessera_core::otp::{Algorithm, OtpKind, Secret};
use tessera_core::vault::Vault;

const VAULT_PASSWORD: &str = "correct horse battery staple";

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/imports"
    ))
}

/// One line of a truth file, with `*` (any value) kept as it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    kind: String,
    issuer: String,
    name: String,
    secret: String,
    algorithm: String,
    digits: String,
    period: String,
    counter: String,
}

impl Row {
    fn matches(&self, other: &Row) -> bool {
        let field = |want: &str, got: &str| want == "*" || want == got;
        self.kind == other.kind
            && field(&self.issuer, &other.issuer)
            && field(&self.name, &other.name)
            && self.secret == other.secret
            && self.algorithm == other.algorithm
            && self.digits == other.digits
            && self.period == other.period
            && self.counter == other.counter
    }
}

fn expected(tsv: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(tsv)
        .unwrap_or_else(|err| panic!("the truth file {} is missing ({err})", tsv.display()));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("type\tissuer\tname\tsecret\talgorithm\tdigits\tperiod\tcounter"),
        "header of {}",
        tsv.display()
    );
    lines
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 8, "{line:?} in {}", tsv.display());
            Row {
                kind: f[0].into(),
                issuer: f[1].into(),
                name: f[2].into(),
                // Canonical base32 of the decoded bytes, so that padding or case cannot matter.
                secret: Secret::parse_base32(f[3])
                    .expect("truth secrets are base32")
                    .secret
                    .to_base32()
                    .to_string(),
                algorithm: f[4].into(),
                digits: f[5].into(),
                period: f[6].into(),
                counter: f[7].into(),
            }
        })
        .collect()
}

fn actual(vault: &Path) -> Vec<Row> {
    let vault = Vault::open_with_password(vault, VAULT_PASSWORD).expect("the vault opens");
    vault
        .accounts()
        .into_iter()
        .map(|account| {
            let (kind, period, counter) = match account.otp.kind {
                OtpKind::Totp { period } => ("totp", period.to_string(), "-".to_string()),
                OtpKind::Steam { period } => ("steam", period.to_string(), "-".to_string()),
                OtpKind::Hotp { counter } => ("hotp", "-".to_string(), counter.to_string()),
            };
            let algorithm = match account.otp.algorithm {
                Algorithm::Sha1 => "SHA1",
                Algorithm::Sha256 => "SHA256",
                Algorithm::Sha512 => "SHA512",
            };
            Row {
                kind: kind.into(),
                issuer: account.issuer.clone(),
                name: account.name.clone(),
                secret: account.otp.secret.to_base32().to_string(),
                algorithm: algorithm.into(),
                digits: account.otp.digits.to_string(),
                period,
                counter,
            }
        })
        .collect()
}

/// Imports `file` (relative to tests/fixtures/imports) into a new vault, with `password`
/// for an encrypted backup, and compares the vault with the file's truth.
fn check(file: &str, password: Option<&str>) {
    check_in(&fixtures(), file, password, None);
}

/// The same for the exports kept with these tests (tests/data/imports, see its README).
fn check_local(file: &str, password: Option<&str>) {
    let local = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/imports"));
    check_in(&local, file, password, None);
}

/// A kept export whose format cannot be recognised from its bytes, imported as `format`.
fn check_local_as(file: &str, format: &str, password: &str) {
    let local = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/imports"));
    check_in(&local, file, Some(password), Some(format));
}

fn check_in(folder: &Path, file: &str, password: Option<&str>, format: Option<&str>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let vault = dir.path().join("vault.tessera");
    let run = |args: &[&std::ffi::OsStr]| {
        tessera_cli()
            .env("TESSERA_PASSWORD", VAULT_PASSWORD)
            .env_remove("TESSERA_BACKUP_PASSWORD")
            .arg("--vault")
            .arg(&vault)
            .args(args)
            .output()
            .expect("the CLI runs")
    };
    let init = run(&["init".as_ref(), "--kdf-minimum".as_ref()]);
    assert!(init.status.success(), "init: {}", stderr(&init));

    let source = folder.join(file);
    let password_file = dir.path().join("password");
    let mut args: Vec<&std::ffi::OsStr> = vec!["import".as_ref(), source.as_os_str()];
    if let Some(password) = password {
        std::fs::write(&password_file, format!("{password}\n")).expect("password file");
        args.extend(["--password-file".as_ref(), password_file.as_os_str()]);
    }
    if let Some(format) = format {
        args.extend([
            std::ffi::OsStr::new("--format"),
            std::ffi::OsStr::new(format),
        ]);
    }
    let imported = run(&args);
    assert!(
        imported.status.success(),
        "import {file}: {}",
        stderr(&imported)
    );

    let mut want = expected(&folder.join(format!("{file}.expected.tsv")));
    let mut got = actual(&vault);
    assert_eq!(got.len(), want.len(), "{file}: {got:#?}");
    want.sort();
    got.sort();
    for row in &want {
        let at = got.iter().position(|g| row.matches(g));
        assert!(at.is_some(), "{file}: {row:?} not imported; got {got:#?}");
        got.remove(at.expect("checked"));
    }
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
