//! Encrypted real exports ask for their password, and a wrong one is named as such: never an
//! import of garbage, never "not a backup". (The right passwords are checked by the CLI's
//! fixture test, which compares every account with the file's truth.)

use std::path::PathBuf;
use tessera_core::backup::{self, BackupError, Format};

fn fixture(file: &str) -> Vec<u8> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/imports"
    ))
    .join(file);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{} is missing ({err})", path.display()))
}

/// Encrypted exports and the format each is detected as. Ente's 1 GiB Argon2 export is left
/// out for its cost; its wrong password is tested beside its reader.
const ENCRYPTED: [(&str, Format); 8] = [
    ("stratum/backup.legacy.authpro", Format::AuthenticatorPro),
    ("stratum/backup.strong.authpro", Format::AuthenticatorPro),
    ("andotp/andotp.encrypted.bin", Format::AndOtp),
    (
        "bitwarden/bitwarden.encrypted.pbkdf2.json",
        Format::Bitwarden,
    ),
    (
        "bitwarden/bitwarden.encrypted.argon2id.json",
        Format::Bitwarden,
    ),
    (
        "totp-authenticator/totpauthenticator.encrypted.bin",
        Format::TotpAuthenticator,
    ),
    ("freeotp/freeotp.bin", Format::FreeOtp),
    ("2fas/twofas.encrypted.2fas", Format::TwoFas),
];

#[test]
fn encrypted_exports_need_a_password() {
    for (file, format) in ENCRYPTED {
        let bytes = fixture(file);
        let (importer, protection) = backup::detect(&bytes).expect("detected");
        assert_eq!(importer.format(), format, "{file}");
        assert_eq!(protection, backup::Protection::Encrypted, "{file}");
        match backup::import(&bytes, None, None) {
            Err(BackupError::PasswordNeeded(found)) => assert_eq!(found, format, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[test]
fn a_wrong_password_is_named_as_such() {
    for (file, format) in ENCRYPTED {
        match backup::import(&fixture(file), None, Some("not the password")) {
            Err(BackupError::WrongPassword(found)) => assert_eq!(found, format, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[test]
fn an_unrecognised_binary_file_is_tried_as_old_andotp_only_with_a_password() {
    // andOTP before 0.6.3 wrote a nonce and ciphertext and nothing else (the CLI tests' file).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/tests/data/imports/andotp_encrypted_old.bin"
    );
    let bytes = std::fs::read(path).expect("the old andOTP export");
    assert!(matches!(
        backup::import(&bytes, None, None),
        Err(BackupError::UnknownFormat)
    ));
    let imported = backup::import(&bytes, None, Some("test")).expect("it opens");
    assert_eq!(imported.format, Format::AndOtp);
    let err = backup::import(&bytes, None, Some("not it")).unwrap_err();
    assert!(matches!(err, BackupError::UnknownOrWrongPassword), "{err}");
    assert!(err.to_string().contains("andOTP"), "{err}");
    // Text is never ciphertext: it stays unknown whatever the password.
    assert!(matches!(
        backup::import(b"hello, world", None, Some("test")),
        Err(BackupError::UnknownFormat)
    ));
}
