//! Google Authenticator exports: the published fixture must come out exactly as its TSV says.

use proptest::prelude::*;
use std::path::PathBuf;
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::uri::{parse_migration, BatchCollector, MigrationBatch, OtpAuthUri};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/imports/google-migration/"
    ))
    .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("the import fixture {} is missing ({err})", path.display()))
}

fn expected_line(account: &OtpAuthUri) -> Vec<String> {
    let (kind, period, counter) = match account.otp.kind {
        OtpKind::Totp { period } => ("totp", period.to_string(), "-".to_owned()),
        OtpKind::Steam { period } => ("steam", period.to_string(), "-".to_owned()),
        OtpKind::Hotp { counter } => ("hotp", "-".to_owned(), counter.to_string()),
    };
    let algorithm = match account.otp.algorithm {
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
    };
    vec![
        kind.to_owned(),
        account.issuer.clone(),
        account.name.clone(),
        algorithm.to_owned(),
        account.otp.digits.to_string(),
        period,
        counter,
    ]
}

#[test]
fn every_account_of_the_fixture_comes_out_exactly() {
    let uris = fixture("uris.txt");
    let tsv = fixture("uris.txt.expected.tsv");
    let mut collector = BatchCollector::new();
    for line in uris.lines().filter(|line| !line.trim().is_empty()) {
        let batch = parse_migration(line).unwrap_or_else(|err| panic!("{line}: {err}"));
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        collector.add(batch).unwrap();
    }
    assert!(collector.is_complete());
    let (accounts, skipped) = collector.accounts();
    assert!(skipped.is_empty());

    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(accounts.len(), rows.len());
    // The collector orders exports by batch_id, so match rows by secret, then compare all.
    for row in &rows {
        let secret = Secret::parse_base32(row[3]).unwrap().secret;
        let account = accounts
            .iter()
            .find(|account| account.otp.secret.as_bytes() == secret.as_bytes())
            .unwrap_or_else(|| panic!("no account with the secret of {row:?}"));
        let want: Vec<String> = [0, 1, 2, 4, 5, 6, 7]
            .iter()
            .map(|&column| row[column].to_owned())
            .collect();
        assert_eq!(expected_line(account), want, "{row:?}");
    }
}

#[test]
fn the_split_export_reports_its_parts() {
    let uris = fixture("uris.txt");
    let batches: Vec<_> = uris
        .lines()
        .map(|line| parse_migration(line).unwrap())
        .filter(|batch| batch.batch_size == 2)
        .collect();
    assert_eq!(batches.len(), 2);
    let mut collector = BatchCollector::new();
    let first = collector.add(batches[1].clone()).unwrap();
    assert_eq!(first.to_string(), "part 2 of 2; still missing part 1");
    assert!(collector.add(batches[1].clone()).unwrap().duplicate);
    let second = collector.add(batches[0].clone()).unwrap();
    assert_eq!(second.to_string(), "part 1 of 2; all parts scanned");
}

#[test]
fn fixture_batches_survive_a_round_trip() {
    for line in fixture("uris.txt").lines() {
        let batch = parse_migration(line).unwrap();
        let again = parse_migration(&batch.to_uri().unwrap()).unwrap();
        assert_eq!(again, batch);
    }
}

/// Issuers and names as exports hold them: trimmed, often with ':' (the label convention).
fn label_text() -> impl Strategy<Value = String> {
    "[a-z: @.]{0,12}".prop_map(|text| text.trim().to_owned())
}

proptest! {
    #[test]
    fn written_accounts_read_back(
        labels in proptest::collection::vec((label_text(), label_text()), 1..6),
        counter in any::<u64>(),
    ) {
        let accounts: Vec<OtpAuthUri> = labels
            .into_iter()
            .map(|(issuer, name)| OtpAuthUri {
                issuer,
                name,
                otp: OtpParams::new(
                    OtpKind::Hotp { counter },
                    Algorithm::Sha1,
                    6,
                    Secret::from_bytes(vec![7; 10]),
                )
                .unwrap(),
            })
            .collect();
        let written = MigrationBatch::single(1, accounts.clone()).to_uri().unwrap();
        prop_assert_eq!(parse_migration(&written).unwrap().accounts, accounts);
    }
}
