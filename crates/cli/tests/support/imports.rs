//! Importing real exports of other apps through the CLI into a fresh vault, and comparing the
//! vault with the export's `.expected.tsv` truth (its rules: tests/fixtures/imports/README.md).

use super::{stderr, tessera_cli};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;
use tessera_core::otp::{Algorithm, OtpKind, Secret};
use tessera_core::vault::Vault;

/// The password of every vault these tests make.
pub const VAULT_PASSWORD: &str = "correct horse battery staple";

/// The repository's folder of real exports.
pub fn fixtures() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/imports"
    ))
}

/// The exports kept with the CLI's tests (tests/data/imports, see its README).
pub fn local_fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/imports"))
}

/// One line of a truth file, with `*` (any value) kept as it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub kind: String,
    pub issuer: String,
    pub name: String,
    pub secret: String,
    pub algorithm: String,
    pub digits: String,
    pub period: String,
    pub counter: String,
}

impl Row {
    /// Whether `other` (from the vault) is this row of the truth.
    pub fn matches(&self, other: &Row) -> bool {
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

/// The rows of the truth file `tsv`.
pub fn expected(tsv: &Path) -> Vec<Row> {
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

/// The accounts of the vault at `vault`, as truth rows.
pub fn actual(vault: &Path) -> Vec<Row> {
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

/// A fresh vault and the outcome of one `import` into it.
pub struct Import {
    /// What the CLI printed and how it exited.
    pub output: Output,
    /// The vault it imported into.
    pub vault: PathBuf,
    // Keeps the vault's folder until the test is done with it.
    _dir: tempfile::TempDir,
}

/// Makes a vault and imports `folder/file` into it, with `password` in a password file for an
/// encrypted backup and `--format format` when given.
pub fn import(folder: &Path, file: &str, password: Option<&str>, format: Option<&str>) -> Import {
    let dir = tempfile::tempdir().expect("temporary folder");
    let vault = dir.path().join("vault.tessera");
    let run = |args: &[&OsStr]| {
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
    let mut args: Vec<&OsStr> = vec!["import".as_ref(), source.as_os_str()];
    if let Some(password) = password {
        std::fs::write(&password_file, format!("{password}\n")).expect("password file");
        args.extend(["--password-file".as_ref(), password_file.as_os_str()]);
    }
    if let Some(format) = format {
        args.extend([OsStr::new("--format"), OsStr::new(format)]);
    }
    let output = run(&args);
    Import {
        output,
        vault,
        _dir: dir,
    }
}

/// Asserts that the vault holds exactly the accounts of `folder/file`'s truth.
pub fn assert_truth(folder: &Path, file: &str, vault: &Path) {
    let mut want = expected(&folder.join(format!("{file}.expected.tsv")));
    let mut got = actual(vault);
    assert_eq!(got.len(), want.len(), "{file}: {got:#?}");
    want.sort();
    got.sort();
    for row in &want {
        let at = got.iter().position(|g| row.matches(g));
        assert!(at.is_some(), "{file}: {row:?} not imported; got {got:#?}");
        got.remove(at.expect("checked"));
    }
}

/// Imports `folder/file` into a new vault, which must succeed, and compares the vault with the
/// file's truth.
pub fn check_in(folder: &Path, file: &str, password: Option<&str>, format: Option<&str>) {
    let imported = import(folder, file, password, format);
    assert!(
        imported.output.status.success(),
        "import {file}: {}",
        stderr(&imported.output)
    );
    assert_truth(folder, file, &imported.vault);
}
