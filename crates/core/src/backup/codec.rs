//! Byte encodings backups use for keys, salts and ciphertexts, with the key derivations and
//! ciphers shared by several formats.

use super::{BackupError, Format};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use zeroize::Zeroizing;

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes of hex text (either case); `what` names the field for the error.
pub fn from_hex(format: Format, what: &str, text: &str) -> Result<Vec<u8>, BackupError> {
    let bad = || BackupError::malformed(format, format!("{what} is not hexadecimal"));
    if !text.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(bad)
        })
        .collect()
}

/// Bytes of standard base64 text; `what` names the field for the error.
pub fn from_base64(format: Format, what: &str, text: &str) -> Result<Vec<u8>, BackupError> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| BackupError::malformed(format, format!("{what} is not base64")))
}

/// Standard base64 of `bytes`.
pub fn to_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Fresh random bytes for keys, salts and nonces.
pub fn random<const N: usize>(format: Format) -> Result<Zeroizing<[u8; N]>, BackupError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut()).map_err(|err| BackupError::Export {
        format,
        detail: format!("the system has no random numbers: {err}"),
    })?;
    Ok(bytes)
}

/// Opens AES-256-GCM `ciphertext` (the tag appended). A failure is reported as a wrong
/// password: to authenticated encryption, a wrong key and a changed file look the same.
pub fn aes_gcm_open(
    format: Format,
    key: &[u8],
    nonce: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    aes_gcm_open_with(format, key, nonce, ciphertext, &[])
}

/// [`aes_gcm_open`] with additional authenticated data.
pub fn aes_gcm_open_with(
    format: Format,
    key: &[u8],
    nonce: &[u8],
    ciphertext: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if key.len() != 32 || nonce.len() != 12 {
        return Err(BackupError::malformed(
            format,
            "its key or nonce has the wrong length",
        ));
    }
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| BackupError::malformed(format, "its key has the wrong length"))?;
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| BackupError::WrongPassword(format))
}

/// AES-256-GCM of `plaintext` under `key` and `nonce`: the ciphertext with the tag appended.
pub fn aes_gcm_seal(
    format: Format,
    key: &[u8],
    nonce: &[u8; 12],
    plaintext: &[u8],
) -> Result<Vec<u8>, BackupError> {
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| BackupError::Export {
        format,
        detail: "the key has the wrong length".into(),
    })?;
    cipher
        .encrypt(Nonce::from_slice(nonce), plaintext)
        .map_err(|_| BackupError::Export {
            format,
            detail: "encryption failed".into(),
        })
}

/// Opens AES-256-CBC `ciphertext` with PKCS#7 padding. CBC carries no tag, so bad padding is
/// the only sign of a wrong key: it is reported as a wrong password (callers with a MAC check
/// it before calling).
pub fn aes_cbc_open(
    format: Format,
    key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
        .map_err(|_| BackupError::malformed(format, "its key or IV has the wrong length"))?;
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
        return Err(BackupError::malformed(
            format,
            "its ciphertext is not a whole number of AES blocks",
        ));
    }
    decryptor
        .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
        .map(Zeroizing::new)
        .map_err(|_| BackupError::WrongPassword(format))
}

/// PBKDF2-HMAC-SHA256, capped so that a hostile file cannot make it run for hours.
pub fn pbkdf2_sha256(
    format: Format,
    password: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    capped(format, iterations, |key| {
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, iterations, key)
    })
}

/// PBKDF2-HMAC-SHA512, capped likewise.
pub fn pbkdf2_sha512(
    format: Format,
    password: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    capped(format, iterations, |key| {
        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password.as_bytes(), salt, iterations, key)
    })
}

/// PBKDF2-HMAC-SHA1, capped likewise.
pub fn pbkdf2_sha1(
    format: Format,
    password: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    capped(format, iterations, |key| {
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, iterations, key)
    })
}

/// Runs `derive` into a fresh key once the iteration count is known to be sane.
fn capped(
    format: Format,
    iterations: u32,
    derive: impl FnOnce(&mut [u8]),
) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    check_iterations(format, iterations)?;
    let mut key = Zeroizing::new([0u8; 32]);
    derive(key.as_mut());
    Ok(key)
}

/// More PBKDF2 rounds than any app uses (they use 10 000 to a few hundred thousand).
const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

fn check_iterations(format: Format, iterations: u32) -> Result<(), BackupError> {
    if iterations == 0 || iterations > MAX_PBKDF2_ITERATIONS {
        return Err(BackupError::malformed(
            format,
            format!(
                "it asks for {iterations} PBKDF2 iterations; 1 to {MAX_PBKDF2_ITERATIONS} are accepted"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_garbage() {
        assert_eq!(to_hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(
            from_hex(Format::Aegis, "salt", "00AB10").unwrap(),
            [0, 0xab, 0x10]
        );
        assert!(from_hex(Format::Aegis, "salt", "0g").is_err());
        assert!(from_hex(Format::Aegis, "salt", "abc").is_err());
        assert!(from_hex(Format::Aegis, "salt", "éé").is_err());
    }

    #[test]
    fn aes_cbc_matches_nist_sp_800_38a_and_checks_padding() {
        // SP 800-38A F.2.5 (CBC-AES256.Encrypt), first block; a padding block is appended
        // by encrypting 16 bytes of 0x10 chained on that ciphertext block.
        use cbc::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
        let key = from_hex(
            Format::Bitwarden,
            "key",
            "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        )
        .unwrap();
        let iv = from_hex(Format::Bitwarden, "iv", "000102030405060708090a0b0c0d0e0f").unwrap();
        let plain = from_hex(Format::Bitwarden, "p", "6bc1bee22e409f96e93d7e117393172a").unwrap();
        let sealed = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded_vec_mut::<Pkcs7>(&plain);
        assert_eq!(to_hex(&sealed[..16]), "f58c4c04d6e5f1ba779eabfb5f7bfbd6");
        let opened = aes_cbc_open(Format::Bitwarden, &key, &iv, &sealed).unwrap();
        assert_eq!(opened.as_slice(), plain.as_slice());
        let mut wrong_key = key.clone();
        wrong_key[0] ^= 1;
        assert!(aes_cbc_open(Format::Bitwarden, &wrong_key, &iv, &sealed).is_err());
        assert!(aes_cbc_open(Format::Bitwarden, &key, &iv, &sealed[..20]).is_err());
        assert!(aes_cbc_open(Format::Bitwarden, &key, &iv[..8], &sealed).is_err());
    }

    #[test]
    fn pbkdf2_matches_rfc_7914_vector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256("passwd", "salt", 1) begins 55 ac 04 6e.
        let key = pbkdf2_sha256(Format::TwoFas, "passwd", b"salt", 1).unwrap();
        assert_eq!(to_hex(&key[..4]), "55ac046e");
        assert!(pbkdf2_sha256(Format::TwoFas, "x", b"s", 0).is_err());
        assert!(pbkdf2_sha256(Format::TwoFas, "x", b"s", u32::MAX).is_err());
    }
}
