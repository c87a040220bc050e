//! Key slots: the vault key wrapped under a key-encryption key derived from the password or
//! kept in the OS keyring (format spec, section 4).

use super::kdf::{self, KdfError, KdfParams};
use super::key::{self, CryptoError, VaultKey, NONCE_LEN, TAG_LEN};
use zeroize::Zeroizing;

/// Length of a wrapped vault key: 32 bytes of key and the tag.
pub const WRAPPED_LEN: usize = 32 + TAG_LEN;
/// Slot type byte of a password slot.
pub const TYPE_PASSWORD: u8 = 1;
/// Slot type byte of a keyring slot.
pub const TYPE_KEYRING: u8 = 2;
/// Body length of a password slot.
pub const PASSWORD_BODY_LEN: usize = 12 + 32 + NONCE_LEN + WRAPPED_LEN;
/// Body length of a keyring slot.
pub const KEYRING_BODY_LEN: usize = 16 + NONCE_LEN + WRAPPED_LEN;
/// Prefix of every slot's associated data.
const SLOT_AAD_PREFIX: &[u8; 8] = b"TSRSLOT1";

/// Errors of wrapping and unwrapping the vault key.
#[derive(Debug, thiserror::Error)]
pub enum SlotError {
    /// The key-encryption key did not unwrap the vault key (wrong password, stale keyring
    /// entry, or a damaged slot).
    #[error("the slot did not unlock")]
    NoMatch,
    /// The password slot's parameters are out of range, or the derivation failed.
    #[error(transparent)]
    Kdf(#[from] KdfError),
    /// The random generator failed while making a slot.
    #[error(transparent)]
    Crypto(CryptoError),
}

/// One key slot as stored in the header.
#[derive(Clone, PartialEq, Eq)]
pub enum Slot {
    /// The vault key wrapped under an Argon2id hash of the password.
    Password {
        /// Argon2id cost parameters.
        params: KdfParams,
        /// Random salt of the hash.
        salt: [u8; 32],
        /// Nonce of the wrapping.
        nonce: [u8; NONCE_LEN],
        /// The wrapped vault key.
        wrapped: [u8; WRAPPED_LEN],
    },
    /// The vault key wrapped under a random key kept in the OS keyring.
    Keyring {
        /// Random id naming the keyring entry of this slot.
        slot_id: [u8; 16],
        /// Nonce of the wrapping.
        nonce: [u8; NONCE_LEN],
        /// The wrapped vault key.
        wrapped: [u8; WRAPPED_LEN],
    },
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Password { params, .. } => write!(f, "PasswordSlot({params:?})"),
            Slot::Keyring { slot_id, .. } => write!(f, "KeyringSlot({})", hex(slot_id)),
        }
    }
}

impl Slot {
    /// The slot's type byte.
    pub fn type_byte(&self) -> u8 {
        match self {
            Slot::Password { .. } => TYPE_PASSWORD,
            Slot::Keyring { .. } => TYPE_KEYRING,
        }
    }

    /// The fields before the nonce: what the wrapping binds besides the vault id.
    fn bound_fields(&self) -> Vec<u8> {
        match self {
            Slot::Password { params, salt, .. } => {
                let mut out = Vec::with_capacity(44);
                out.extend_from_slice(&params.memory_kib.to_le_bytes());
                out.extend_from_slice(&params.iterations.to_le_bytes());
                out.extend_from_slice(&params.lanes.to_le_bytes());
                out.extend_from_slice(salt);
                out
            }
            Slot::Keyring { slot_id, .. } => slot_id.to_vec(),
        }
    }

    /// The slot body as laid out in the file.
    pub fn body(&self) -> Vec<u8> {
        let mut out = self.bound_fields();
        let (nonce, wrapped) = self.sealed_parts();
        out.extend_from_slice(nonce);
        out.extend_from_slice(wrapped);
        out
    }

    fn sealed_parts(&self) -> (&[u8; NONCE_LEN], &[u8; WRAPPED_LEN]) {
        match self {
            Slot::Password { nonce, wrapped, .. } | Slot::Keyring { nonce, wrapped, .. } => {
                (nonce, wrapped)
            }
        }
    }

    fn aad(&self, vault_id: &[u8; 16]) -> Vec<u8> {
        let mut aad = Vec::with_capacity(8 + 16 + 1 + 44);
        aad.extend_from_slice(SLOT_AAD_PREFIX);
        aad.extend_from_slice(vault_id);
        aad.push(self.type_byte());
        aad.extend_from_slice(&self.bound_fields());
        aad
    }

    /// Makes a password slot wrapping `vault_key`, with a fresh salt.
    pub fn new_password(
        vault_id: &[u8; 16],
        vault_key: &VaultKey,
        password: &str,
        params: KdfParams,
    ) -> Result<Slot, SlotError> {
        let mut salt = [0u8; 32];
        key::fill_random(&mut salt).map_err(SlotError::Crypto)?;
        let kek = kdf::derive(&params, password.as_bytes(), &salt)?;
        Slot::password_from_kek(vault_id, vault_key, &kek, params, salt)
    }

    /// Makes a password slot wrapping `vault_key` under a key-encryption key already derived
    /// with `params` and `salt` (see [`Slot::password_kek`]): a new vault key for the same
    /// password without a second derivation.
    pub fn password_from_kek(
        vault_id: &[u8; 16],
        vault_key: &VaultKey,
        kek: &[u8; 32],
        params: KdfParams,
        salt: [u8; 32],
    ) -> Result<Slot, SlotError> {
        let template = Slot::Password {
            params,
            salt,
            nonce: key::random_nonce().map_err(SlotError::Crypto)?,
            wrapped: [0; WRAPPED_LEN],
        };
        template.sealed(vault_id, vault_key, kek)
    }

    /// Derives a password slot's key-encryption key from `password`, checking that it opens
    /// the slot. Returns the key-encryption key, its parameters and salt, and the vault key.
    pub fn password_kek(
        &self,
        vault_id: &[u8; 16],
        password: &str,
    ) -> Result<(Zeroizing<[u8; 32]>, KdfParams, [u8; 32], VaultKey), SlotError> {
        match self {
            Slot::Password { params, salt, .. } => {
                let kek = kdf::derive(params, password.as_bytes(), salt)?;
                let key = self.unwrap_with_kek(vault_id, &kek)?;
                Ok((kek, *params, *salt, key))
            }
            Slot::Keyring { .. } => Err(SlotError::NoMatch),
        }
    }

    /// Makes a keyring slot wrapping `vault_key` under `kek`.
    pub fn new_keyring(
        vault_id: &[u8; 16],
        vault_key: &VaultKey,
        slot_id: [u8; 16],
        kek: &[u8; 32],
    ) -> Result<Slot, SlotError> {
        let template = Slot::Keyring {
            slot_id,
            nonce: key::random_nonce().map_err(SlotError::Crypto)?,
            wrapped: [0; WRAPPED_LEN],
        };
        template.sealed(vault_id, vault_key, kek)
    }

    /// This slot with `wrapped` replaced by `vault_key` sealed under `kek`.
    fn sealed(
        mut self,
        vault_id: &[u8; 16],
        vault_key: &VaultKey,
        kek: &[u8; 32],
    ) -> Result<Slot, SlotError> {
        let aad = self.aad(vault_id);
        let (nonce, _) = self.sealed_parts();
        let nonce = *nonce;
        let mut buffer = Zeroizing::new(vault_key.as_bytes().to_vec());
        key::seal_in_place(kek, &nonce, &aad, &mut buffer).map_err(SlotError::Crypto)?;
        let sealed: [u8; WRAPPED_LEN] = buffer[..]
            .try_into()
            .map_err(|_| SlotError::Crypto(CryptoError::Authentication))?;
        match &mut self {
            Slot::Password { wrapped, .. } | Slot::Keyring { wrapped, .. } => *wrapped = sealed,
        }
        Ok(self)
    }

    /// Unwraps the vault key with a password (password slots only).
    pub fn unwrap_with_password(
        &self,
        vault_id: &[u8; 16],
        password: &str,
    ) -> Result<VaultKey, SlotError> {
        self.password_kek(vault_id, password)
            .map(|(_, _, _, key)| key)
    }

    /// Unwraps the vault key with a key-encryption key.
    pub fn unwrap_with_kek(
        &self,
        vault_id: &[u8; 16],
        kek: &[u8; 32],
    ) -> Result<VaultKey, SlotError> {
        let (nonce, wrapped) = self.sealed_parts();
        let plain =
            key::open(kek, nonce, &self.aad(vault_id), wrapped).map_err(|_| SlotError::NoMatch)?;
        let mut bytes = Zeroizing::new([0u8; 32]);
        if plain.len() != 32 {
            return Err(SlotError::NoMatch);
        }
        bytes.copy_from_slice(&plain);
        Ok(VaultKey::from_bytes(bytes))
    }
}

/// Lowercase hex of a byte string, for identifiers (never for secrets).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
