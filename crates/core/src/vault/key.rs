//! The vault key and the one cipher of the format, XChaCha20-Poly1305, with the randomness it
//! needs. Every key lives in zeroizing memory and never appears in `Debug` output.

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// Length of an XChaCha20-Poly1305 nonce.
pub const NONCE_LEN: usize = 24;
/// Length of the Poly1305 tag appended to every ciphertext.
pub const TAG_LEN: usize = 16;

/// Errors of the cipher and of the system's random generator.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// Decryption failed: wrong key, or the ciphertext or its associated data were changed.
    #[error("authentication failed")]
    Authentication,
    /// The operating system's random generator failed.
    #[error("the system random generator failed: {0}")]
    Random(String),
}

/// The 256-bit key that encrypts a vault's content. It stays in memory while the vault is
/// unlocked, so reloads and merges need no password, and is wiped when dropped.
#[derive(Clone)]
pub struct VaultKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(..)")
    }
}

impl VaultKey {
    /// A fresh random key.
    pub(crate) fn random() -> Result<Self, CryptoError> {
        let mut key = Zeroizing::new([0u8; 32]);
        fill_random(key.as_mut())?;
        Ok(VaultKey(key))
    }

    /// Wraps raw key bytes, for a key handed over by a trusted process (e.g. a helper that
    /// received it through a pipe). Never build one from user input.
    pub fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> Self {
        VaultKey(bytes)
    }

    /// The raw key bytes, for handing the unlocked vault to a trusted process. Never log them.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Fills `buf` from the operating system's random generator.
pub fn fill_random(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(buf).map_err(|e| CryptoError::Random(e.to_string()))
}

/// A fresh random nonce.
pub fn random_nonce() -> Result<[u8; NONCE_LEN], CryptoError> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    Ok(nonce)
}

/// Encrypts `plaintext` in place (the tag is appended), binding `aad`.
pub fn seal_in_place(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> Result<(), CryptoError> {
    buffer.reserve_exact(TAG_LEN);
    XChaCha20Poly1305::new(Key::from_slice(key))
        .encrypt_in_place(XNonce::from_slice(nonce), aad, buffer)
        // Encryption fails only for messages beyond 256 GiB, which the format's caps rule out.
        .map_err(|_| CryptoError::Authentication)
}

/// Decrypts `ciphertext` (with its tag) into zeroizing memory, checking `aad`.
pub fn open(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    XChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt_in_place(XNonce::from_slice(nonce), aad, &mut *buffer)
        .map_err(|_| CryptoError::Authentication)?;
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips_and_binds_aad() {
        let key = VaultKey::random().unwrap();
        let nonce = random_nonce().unwrap();
        let mut buf = b"secret".to_vec();
        seal_in_place(key.as_bytes(), &nonce, b"header", &mut buf).unwrap();
        assert_eq!(buf.len(), 6 + TAG_LEN);
        let plain = open(key.as_bytes(), &nonce, b"header", &buf).unwrap();
        assert_eq!(&plain[..], b"secret");
        assert!(open(key.as_bytes(), &nonce, b"Header", &buf).is_err());
    }

    #[test]
    fn debug_hides_the_key() {
        let key = VaultKey::from_bytes(Zeroizing::new([7u8; 32]));
        assert_eq!(format!("{key:?}"), "VaultKey(..)");
    }
}
