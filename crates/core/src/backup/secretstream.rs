//! The reading side of libsodium's `crypto_secretstream_xchacha20poly1305`, as far as a backup
//! needs it: messages pulled in order from one stream. Ente Auth encrypts its exports with it.
//!
//! Per stream: subkey = HChaCha20(key, header[..16]); nonce = counter (4 bytes LE, from 1) then
//! header[16..24]. Per message: the Poly1305 key is ChaCha20 block 0; the tag byte travels
//! encrypted at the start of block 1; the message is encrypted from block 2; the MAC covers
//! the additional data, the whole 64-byte block 1 and the ciphertext, padded and with both
//! lengths, as in RFC 8439. After each message the nonce's tail is XORed with the MAC and the
//! counter increments.

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use chacha20::ChaCha20;
use poly1305::universal_hash::KeyInit;
use poly1305::Poly1305;
use zeroize::Zeroizing;

/// The stream header's length.
pub const HEADER_LEN: usize = 24;
/// A message's overhead: the encrypted tag byte and the 16-byte MAC.
pub const OVERHEAD: usize = 17;
/// The tag of an ordinary message.
pub const TAG_MESSAGE: u8 = 0;
/// The tag of the last message of a stream.
pub const TAG_FINAL: u8 = 3;

/// A stream being read.
pub struct Pull {
    key: Zeroizing<[u8; 32]>,
    nonce: [u8; 12],
}

/// Why a message did not open.
#[derive(Debug, PartialEq, Eq)]
pub enum PullError {
    /// Shorter than the overhead.
    Truncated,
    /// The MAC does not match: wrong key or altered data.
    Forged,
}

impl Pull {
    /// Starts reading the stream of `header` under `key`.
    pub fn new(key: &[u8; 32], header: &[u8; HEADER_LEN]) -> Pull {
        let subkey =
            chacha20::hchacha::<chacha20::cipher::consts::U10>(key.into(), header[..16].into());
        let mut nonce = [0u8; 12];
        nonce[0] = 1;
        nonce[4..].copy_from_slice(&header[16..]);
        let mut derived = Zeroizing::new([0u8; 32]);
        derived.copy_from_slice(&subkey);
        Pull {
            key: derived,
            nonce,
        }
    }

    fn cipher(&self) -> ChaCha20 {
        ChaCha20::new(self.key.as_ref().into(), (&self.nonce).into())
    }

    /// Opens the next message: its plaintext and tag.
    pub fn pull(
        &mut self,
        message: &[u8],
        additional: &[u8],
    ) -> Result<(Zeroizing<Vec<u8>>, u8), PullError> {
        if message.len() < OVERHEAD {
            return Err(PullError::Truncated);
        }
        let (body, mac) = message.split_at(message.len() - 16);
        let (encrypted_tag, ciphertext) = body.split_at(1);

        let mut poly_key = Zeroizing::new([0u8; 64]);
        let mut cipher = self.cipher();
        cipher.apply_keystream(poly_key.as_mut());
        let mut block = [0u8; 64];
        block[0] = encrypted_tag[0];
        cipher.seek(64u64);
        cipher.apply_keystream(&mut block);
        let tag = block[0];
        // The MAC is over the block as sent: encrypted tag byte, then the keystream.
        block[0] = encrypted_tag[0];

        let mut mac_input = Vec::with_capacity(additional.len() + 64 + ciphertext.len() + 48);
        mac_input.extend_from_slice(additional);
        mac_input.resize(mac_input.len() + (16 - additional.len() % 16) % 16, 0);
        mac_input.extend_from_slice(&block);
        mac_input.extend_from_slice(ciphertext);
        let data_len = 64 + ciphertext.len();
        mac_input.resize(mac_input.len() + (16 - data_len % 16) % 16, 0);
        mac_input.extend_from_slice(&(additional.len() as u64).to_le_bytes());
        mac_input.extend_from_slice(&(data_len as u64).to_le_bytes());
        let expected =
            Poly1305::new(poly1305::Key::from_slice(&poly_key[..32])).compute_unpadded(&mac_input);
        if !constant_time_eq(expected.as_slice(), mac) {
            return Err(PullError::Forged);
        }

        let mut plain = Zeroizing::new(ciphertext.to_vec());
        cipher.seek(128u64);
        cipher.apply_keystream(plain.as_mut());
        for (n, m) in self.nonce[4..].iter_mut().zip(mac) {
            *n ^= m;
        }
        let counter = u32::from_le_bytes(self.nonce[..4].try_into().expect("four bytes"));
        self.nonce[..4].copy_from_slice(&counter.wrapping_add(1).to_le_bytes());
        Ok((plain, tag))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
