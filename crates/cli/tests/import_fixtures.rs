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

/// What one import through the CLI left: its exit status, its report and the vault.
struct Run {
    success: bool,
    code: Option<i32>,
    report: String,
    accounts: Vec<Row>,
}

/// Imports `file` of `folder` into a new vault, with `password` for an encrypted backup and
/// `format` when the format is named rather than detected.
fn run_import(folder: &Path, file: &str, password: Option<&str>, format: Option<&str>) -> Run {
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
    assert!(
        source.is_file(),
        "the fixture {} is missing",
        source.display()
    );
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
    Run {
        success: imported.status.success(),
        code: imported.status.code(),
        report: stderr(&imported),
        accounts: actual(&vault),
    }
}

/// The labels the CLI's report names after `prefix` ("not imported ", "skipped "), each with
/// the rest of its line.
fn reported<'a>(report: &'a str, prefix: &str) -> Vec<(&'a str, &'a str)> {
    let prefix = format!("tessera-cli: {prefix}");
    report
        .lines()
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .map(|rest| rest.split_once(": ").unwrap_or((rest, "")))
        .collect()
}

/// How the CLI names an account in its report.
fn label_of(row: &Row) -> String {
    match (row.issuer.is_empty(), row.name.is_empty()) {
        (false, false) => format!("{} ({})", row.issuer, row.name),
        (false, true) => row.issuer.clone(),
        (true, false) => row.name.clone(),
        (true, true) => "unnamed account".into(),
    }
}

/// Imports `file` (relative to tests/fixtures/imports) into a new vault, with `password`
/// for an encrypted backup, and compares the vault with the file's truth.
fn check(file: &str, password: Option<&str>) {
    check_reporting(file, password, &[]);
}

/// The same, and the report must name exactly the entries of `unusable`: each is the label
/// the CLI prints and a word its reason must contain.
fn check_reporting(file: &str, password: Option<&str>, unusable: &[(&str, &str)]) {
    check_in(&fixtures(), file, password, None, unusable);
}

/// The same for the exports kept with these tests (tests/data/imports, see its README).
fn check_local(file: &str, password: Option<&str>) {
    let local = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/imports"));
    check_in(&local, file, password, None, &[]);
}

/// A file every importer must refuse: the CLI fails with a message containing `reason` (and
/// neither a wrong password nor an unknown format), and the vault stays empty.
fn refused(file: &str, password: Option<&str>, reason: &str) {
    let run = run_import(&fixtures(), file, password, None);
    assert!(!run.success, "{file} was imported: {}", run.report);
    assert_eq!(run.code, Some(2), "{file}: {}", run.report);
    assert!(run.report.contains(reason), "{file}: {}", run.report);
    assert!(!run.report.contains("password is wrong"), "{}", run.report);
    assert!(
        !run.report.contains("not a backup Tessera can read"),
        "{}",
        run.report
    );
    assert!(run.accounts.is_empty(), "{file}: {:#?}", run.accounts);
}

fn check_in(
    folder: &Path,
    file: &str,
    password: Option<&str>,
    format: Option<&str>,
    unusable: &[(&str, &str)],
) {
    let run = run_import(folder, file, password, format);
    assert!(run.success, "import {file}: {}", run.report);

    let mut not_imported = reported(&run.report, "not imported ");
    for (label, reason) in unusable {
        let at = not_imported.iter().position(|(l, _)| l == label);
        let Some(at) = at else {
            panic!(
                "{file}: {label} is not named as not imported: {}",
                run.report
            );
        };
        let (_, why) = not_imported.remove(at);
        assert!(
            why.contains(reason),
            "{file}: {label} is not imported because {why:?}, not for {reason:?}"
        );
    }
    assert!(
        not_imported.is_empty(),
        "{file}: entries left out unexpectedly: {not_imported:?}"
    );

    let mut want = expected(&folder.join(format!("{file}.expected.tsv")));
    let mut got = run.accounts;
    // An entry with the secret of one already added (some files hold the same account twice)
    // is named as skipped; it counts as read when its twin in the vault has its secret.
    for (label, twin) in reported(&run.report, "skipped ") {
        let twin = twin
            .strip_prefix("already in the vault as ")
            .unwrap_or_else(|| panic!("{file}: odd skip report {twin:?}"));
        let at = want
            .iter()
            .position(|row| {
                label_of(row) == label
                    && got
                        .iter()
                        .any(|g| label_of(g) == twin && g.secret == row.secret)
            })
            .unwrap_or_else(|| panic!("{file}: {label} was skipped, but not as a twin of {twin}"));
        want.remove(at);
    }
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
    // The old layout has no signature: a file no importer recognises is tried as andOTP
    // when a password is given, and it still opens when the format is named.
    check_local("andotp_encrypted_old.bin", Some("test"));
    let local = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/imports"));
    check_in(
        &local,
        "andotp_encrypted_old.bin",
        Some("test"),
        Some("andotp"),
        &[],
    );
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

#[test]
fn aegis_issuer_from_name() {
    check("aegis/aegis_issuer_from_name.json", None);
}

#[test]
fn twofas_schema_3_plain() {
    check("2fas/twofas.unencrypted.2fas", None);
}

#[test]
fn twofas_schema_3_encrypted() {
    check("2fas/twofas.encrypted.2fas", Some("test"));
}

#[test]
fn ente_auth_plain_text_of_stratum() {
    check("ente-auth/ente.unencrypted.txt", None);
}

#[test]
fn ente_auth_encrypted_of_stratum() {
    check("ente-auth/ente.encrypted.json", Some("test"));
}

#[test]
fn andotp_encrypted_with_motp() {
    check_reporting(
        "andotp/andotp.encrypted.bin",
        Some("testtest"),
        &[("Motp (motp)", "mOTP")],
    );
}

#[test]
fn andotp_encrypted_of_gnome() {
    check("andotp/andotp_enc.json.aes", Some("123456"));
}

#[test]
fn freeotp_plus_of_stratum() {
    check("freeotp-plus/freeotpplus.json", None);
}

#[test]
fn google_authenticator_own_export() {
    check("google-migration/googleauthenticator.txt", None);
}

#[test]
fn uri_list() {
    check("uri-list/urilist.txt", None);
}

#[test]
fn proton_authenticator_with_steam() {
    check("proton-authenticator/protonauthenticator.json", None);
}

#[test]
fn stratum_plain_with_motp_and_bad_secrets() {
    check_reporting(
        "stratum/backup.unencrypted.authpro",
        None,
        &[
            ("Company VPN (john@example.com)", "mOTP"),
            ("Epic Games (john@example.com)", "base32"),
            ("Blizzard (example)", "base32"),
        ],
    );
}

#[test]
fn stratum_strong() {
    check("stratum/backup.strong.authpro", Some("test"));
}

#[test]
fn stratum_legacy() {
    check("stratum/backup.legacy.authpro", Some("test"));
}

#[test]
fn stratum_html() {
    check_reporting(
        "stratum/backup.html",
        None,
        &[("MOTP (Username)", "mOTP"), ("Yandex (Username)", "Yandex")],
    );
}

#[test]
fn bitwarden_encrypted_pbkdf2() {
    check(
        "bitwarden/bitwarden.encrypted.pbkdf2.json",
        Some("rud9^5S6$^Ewmr%d"),
    );
}

#[test]
fn bitwarden_encrypted_argon2id() {
    check(
        "bitwarden/bitwarden.encrypted.argon2id.json",
        Some("rud9^5S6$^Ewmr%d"),
    );
}

#[test]
fn bitwarden_account_restricted_is_refused() {
    refused(
        "bitwarden/bitwarden.encrypted.accountrestricted.json",
        None,
        "account restricted",
    );
}

#[test]
fn bitwarden_authenticator() {
    check("bitwarden-authenticator/bitwardenauthenticator.json", None);
}

#[test]
fn lastpass_authenticator() {
    check("lastpass/lastpass.json", None);
}

#[test]
fn totp_authenticator_encrypted() {
    check(
        "totp-authenticator/totpauthenticator.encrypted.bin",
        Some("Testtest1"),
    );
}

#[test]
fn freeotp_2_backup() {
    check("freeotp/freeotp.bin", Some("test"));
}
