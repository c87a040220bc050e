//! Shared fixtures of the vault tests: accounts and vaults with the cheapest parameters the
//! format allows, so the suite stays fast.

#![allow(dead_code)] // Each test file uses its own subset of these fixtures.

use std::path::{Path, PathBuf};
use tessera_core::account::{Account, RecoveryCode};
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::vault::{KdfParams, Vault};

/// The password of every test vault.
pub const PASSWORD: &str = "correct horse battery staple";

/// A TOTP account named `name` with a secret derived from the name.
pub fn account(name: &str) -> Account {
    let mut a = Account::new(
        "Example".to_string(),
        name.to_string(),
        OtpParams {
            kind: OtpKind::Totp { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: 6,
            secret: Secret::from_bytes(name.bytes().chain(*b"0123456789").collect()),
        },
        1_700_000_000,
    );
    a.recovery_codes.push(RecoveryCode {
        code: format!("{name}-backup"),
        used: false,
    });
    a
}

/// A new vault file `name` in `dir` with the minimum KDF parameters.
pub fn create(dir: &Path, name: &str) -> (PathBuf, Vault) {
    let path = dir.join(name);
    let vault = Vault::create(&path, PASSWORD, KdfParams::minimum()).expect("create vault");
    (path, vault)
}

/// The account names of a vault, sorted.
pub fn names(vault: &Vault) -> Vec<String> {
    let mut names: Vec<String> = vault.accounts().into_iter().map(|a| a.name).collect();
    names.sort();
    names
}

/// A directory for test files on the same disk as the build, so fsync and rename behave as
/// on a user's machine (unlike a tmpfs).
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir")
}

/// Hex of a byte string, to hand a vault key to a child process.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Inverse of [`hex`].
pub fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A small deterministic generator for random moments and counts (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// Seeded from the clock; the seed is printed so a failure can be replayed.
    pub fn from_clock() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
            | 1;
        eprintln!("rng seed {seed}");
        Rng(seed)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound
    }
}
