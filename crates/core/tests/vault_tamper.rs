//! Damaged and hostile vault files: every variant is refused with an error, never a panic and
//! never a different account set.

mod vault_support;

use std::time::Instant;
use tessera_core::vault::{Vault, VaultError};
use vault_support::{account, create, temp_dir, PASSWORD};

/// Offset of the first slot's KDF parameters: magic, version, vault id, generation, slot
/// count, then the slot's type and length.
const PARAMS_AT: usize = 8 + 2 + 16 + 8 + 1 + 1 + 2;
/// End of the header of a vault with only its password slot.
const HEADER_LEN: usize = PARAMS_AT + 116;

fn small_vault() -> (tempfile::TempDir, std::path::PathBuf, Vault) {
    let dir = temp_dir();
    let (path, mut vault) = create(dir.path(), "small.tessera");
    vault.add(account("alice")).unwrap();
    vault.add(account("bob")).unwrap();
    (dir, path, vault)
}

#[test]
fn every_flipped_truncated_or_extended_file_is_refused_by_the_vault_key() {
    let (dir, path, vault) = small_vault();
    let key = vault.vault_key();
    let good = std::fs::read(&path).unwrap();
    let probe = dir.path().join("probe.tessera");
    let mut refused = 0;
    let mut check = |bytes: &[u8], what: &str| {
        std::fs::write(&probe, bytes).unwrap();
        match Vault::open_with_key(&probe, &key) {
            Ok(v) => panic!("{what} opened with {} accounts", v.accounts().len()),
            Err(_) => refused += 1,
        }
    };
    for at in 0..good.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[at] ^= mask;
            check(&bytes, &format!("byte {at} ^ {mask:#x}"));
        }
    }
    for len in 0..good.len() {
        check(&good[..len], &format!("truncation to {len}"));
    }
    for extra in [&[0u8][..], b"x", &[0; 16], &good[..]] {
        let mut bytes = good.clone();
        bytes.extend_from_slice(extra);
        check(&bytes, &format!("{} appended bytes", extra.len()));
    }
    assert_eq!(refused, good.len() * 4 + 4);
    // The untouched file still opens, with the same accounts.
    let reopened = Vault::open_with_key(&path, &key).unwrap();
    assert_eq!(reopened.accounts(), vault.accounts());
}

#[test]
fn every_flipped_header_byte_is_refused_by_the_password_with_the_same_message() {
    let (dir, path, _vault) = small_vault();
    let good = std::fs::read(&path).unwrap();
    let probe = dir.path().join("probe.tessera");
    let wrong = Vault::open_with_password(&path, "wrong password").unwrap_err();
    assert_eq!(wrong.to_string(), "wrong password or damaged vault file");
    for at in 0..HEADER_LEN {
        let mut bytes = good.clone();
        bytes[at] ^= 0x01;
        std::fs::write(&probe, &bytes).unwrap();
        let err = Vault::open_with_password(&probe, PASSWORD).unwrap_err();
        // Only the magic and version bytes may say something more specific.
        if at >= 10 {
            assert!(
                matches!(err, VaultError::WrongPasswordOrDamaged),
                "byte {at}: {err}"
            );
            assert_eq!(err.to_string(), wrong.to_string());
        }
    }
}

#[test]
fn absurd_kdf_parameters_are_refused_before_any_work() {
    let (dir, path, _vault) = small_vault();
    let good = std::fs::read(&path).unwrap();
    let probe = dir.path().join("hostile.tessera");
    let hostile: [(u32, u32, u32); 4] = [
        (1 << 30, 1 << 31, 1),    // 1 TiB, 2^31 passes
        (u32::MAX, 3, 1),         // 4 TiB
        (64 * 1024, u32::MAX, 1), // endless passes
        (64 * 1024, 3, 1 << 24),  // absurd lanes
    ];
    for (memory, iterations, lanes) in hostile {
        let mut bytes = good.clone();
        bytes[PARAMS_AT..PARAMS_AT + 4].copy_from_slice(&memory.to_le_bytes());
        bytes[PARAMS_AT + 4..PARAMS_AT + 8].copy_from_slice(&iterations.to_le_bytes());
        bytes[PARAMS_AT + 8..PARAMS_AT + 12].copy_from_slice(&lanes.to_le_bytes());
        std::fs::write(&probe, &bytes).unwrap();
        let started = Instant::now();
        let err = Vault::open_with_password(&probe, PASSWORD).unwrap_err();
        assert!(matches!(err, VaultError::WrongPasswordOrDamaged), "{err}");
        // Running Argon2 at these sizes would take hours; refusing takes microseconds.
        assert!(started.elapsed().as_secs() < 5);
    }
}

#[test]
fn foreign_and_future_files_are_named() {
    let (dir, path, _vault) = small_vault();
    let probe = dir.path().join("other");
    std::fs::write(&probe, b"PK\x03\x04 not a vault").unwrap();
    assert!(matches!(
        Vault::open_with_password(&probe, PASSWORD),
        Err(VaultError::NotAVault)
    ));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8] = 9;
    std::fs::write(&probe, &bytes).unwrap();
    assert!(matches!(
        Vault::open_with_password(&probe, PASSWORD),
        Err(VaultError::UnsupportedVersion(9))
    ));
    assert!(matches!(
        Vault::open_with_password(&dir.path().join("missing"), PASSWORD),
        Err(VaultError::NotFound(_))
    ));
}
