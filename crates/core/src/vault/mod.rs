//! The encrypted vault: the only place secrets are written to disk.
//!
//! The file format is specified in `docs/vault-format.md`; this module and its children keep
//! in step with it. A [`Vault`] holds the decrypted accounts and the vault key while unlocked,
//! so saving, reloading and merging never ask for the password again.
//!
//! Every change is an operation, applied under the vault's lock file to the state just merged
//! from disk, and saved at once: [`Vault::add`], [`Vault::modify`] with an [`AccountEdit`],
//! [`Vault::delete`], [`Vault::restore`], [`Vault::move_account`], [`Vault::set_setting`].
//! No method takes a whole account for an id that exists, so nothing can write back an account
//! read before the lock over what another device changed meanwhile.

mod conflicts;
mod content;
mod edit;
mod format;
mod kdf;
mod key;
mod keyring;
mod merge;
mod ops;
mod record;
mod rekey;
mod slots;
mod stamp;
mod storage;
mod sync;
mod upgrade;

pub use conflicts::is_conflict_copy;
pub use content::ContentError;
pub use edit::AccountEdit;
pub use kdf::{KdfError, KdfParams};
pub use key::{CryptoError, VaultKey};
pub use keyring::{KekStore, KeyringError, OsKeyring};
pub use merge::MergeReport;
pub use ops::{DeletedAccount, RESTORE_WINDOW_SECS};
pub use storage::{write_private, StorageError};
pub use sync::ConflictMerge;

use crate::account::{Account, AccountId};
use content::Content;
use format::{FormatError, Header};
use key::NONCE_LEN;
use record::Record;
use slots::{Slot, SlotError};
use stamp::Hlc;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use zeroize::Zeroizing;

/// Most keyring slots a vault holds (with its password slot, the format's cap of 8).
const MAX_KEYRING_SLOTS: usize = format::MAX_SLOTS - 1;

/// Errors of the vault.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The password is wrong, or the file was damaged or tampered with: the two cannot be told
    /// apart, and saying which would help an attacker.
    #[error("wrong password or damaged vault file")]
    WrongPasswordOrDamaged,
    /// The file is not a Tessera vault at all.
    #[error("not a Tessera vault")]
    NotAVault,
    /// The file is a vault of a format version this build does not read (a newer Tessera
    /// wrote it, or it is damaged).
    #[error("unsupported vault format version {0}: this Tessera reads versions 1 and 2")]
    UnsupportedVersion(u16),
    /// There is no vault file at the path.
    #[error("no vault at {}", .0.display())]
    NotFound(PathBuf),
    /// `create` was asked to create a vault where a file already exists.
    #[error("{} already exists", .0.display())]
    AlreadyExists(PathBuf),
    /// The vault file on disk was replaced by one this vault's key cannot read (another
    /// vault, or a damaged file); it is left untouched rather than overwritten.
    #[error("the vault file was replaced by one this vault cannot read; it was not overwritten")]
    Replaced,
    /// A conflict copy belongs to another vault or was re-keyed: its password is needed.
    #[error("this copy has different keys: its password is needed to merge it")]
    PasswordNeeded,
    /// Another device changed the password (or removed a key slot) and so replaced the vault
    /// key. This vault writes nothing until [`Vault::rejoin`] is given the current password;
    /// what it holds is merged then.
    #[error("the vault's password was changed on another device: enter the current password")]
    Rotated,
    /// The deleted account can no longer be restored (restored already, or deleted more than
    /// 30 days ago).
    #[error("account {0} can no longer be restored")]
    NotRestorable(AccountId),
    /// The vault has no keyring slot, so it cannot be unlocked from the OS keyring.
    #[error("keyring unlock is not enabled for this vault")]
    NoKeyringSlot,
    /// The vault already has as many keyring slots as the format allows.
    #[error("the vault has the most keyring slots the format allows")]
    TooManySlots,
    /// An account with this id exists, or existed and was deleted (ids are never reused).
    #[error("an account with id {0} exists or was deleted")]
    AccountExists(AccountId),
    /// No account has this id (it may have been deleted elsewhere).
    #[error("no account with id {0}")]
    AccountNotFound(AccountId),
    /// Key derivation parameters are out of range or weaker than the current ones.
    #[error(transparent)]
    Kdf(#[from] KdfError),
    /// The OS keyring failed or has no key for this vault.
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    /// Reading or writing a file failed, or the vault is busy.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The decrypted content is not valid, or could not be encoded.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// The system's random generator failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

impl From<FormatError> for VaultError {
    fn from(e: FormatError) -> Self {
        match e {
            FormatError::NotAVault => VaultError::NotAVault,
            FormatError::UnsupportedVersion(v) => VaultError::UnsupportedVersion(v),
            FormatError::Malformed(_) => VaultError::WrongPasswordOrDamaged,
        }
    }
}

impl From<SlotError> for VaultError {
    fn from(e: SlotError) -> Self {
        match e {
            SlotError::NoMatch | SlotError::Kdf(KdfError::OutOfRange) => {
                VaultError::WrongPasswordOrDamaged
            }
            SlotError::Kdf(e) => VaultError::Kdf(e),
            SlotError::Crypto(e) => VaultError::Crypto(e),
        }
    }
}

/// A file read from disk, decrypted.
struct Snapshot {
    header: Header,
    nonce: [u8; NONCE_LEN],
    content: Content,
}

/// Where the vault takes the time of its stamps from: Unix milliseconds.
pub type WallClock = Arc<dyn Fn() -> u64 + Send + Sync>;

fn system_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// An unlocked vault. Dropping it (or [`Vault::lock`]) wipes the vault key and the secrets.
pub struct Vault {
    path: PathBuf,
    key: VaultKey,
    header: Header,
    /// Payload nonce of the file as last read or written. A save that finds another one knows
    /// the file changed underneath and merges before writing.
    disk_nonce: [u8; NONCE_LEN],
    content: Content,
    clock: Hlc,
    wall: WallClock,
    /// Keys of earlier epochs this vault held, so that a copy written before a key change
    /// (by a sync tool, or a device that has not seen the change yet) can still be merged.
    retired: Vec<(u64, VaultKey)>,
    /// Set when a merge left this vault holding what the file on disk lacks (a sync tool put
    /// an older version there): the next reload or change writes it, so it is not kept in
    /// memory only.
    disk_behind: bool,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("generation", &self.header.generation)
            .field("epoch", &self.header.epoch)
            .field("accounts", &self.content.accounts.len())
            .finish_non_exhaustive()
    }
}

/// Whether the vault file at `path` is absent or still carries payload nonce `expected`.
fn still_on_disk(path: &Path, expected: [u8; NONCE_LEN]) -> bool {
    match storage::read_capped(path) {
        Ok(None) => true,
        Ok(Some(bytes)) => format::parse(&bytes).is_ok_and(|parsed| parsed.nonce == expected),
        Err(_) => false,
    }
}

fn read_existing(path: &Path) -> Result<Vec<u8>, VaultError> {
    storage::read_capped(path)?.ok_or_else(|| VaultError::NotFound(path.to_path_buf()))
}

/// Decrypts a parsed file's payload with a vault key, reading either format version.
fn decrypt(parsed: &format::ParsedFile<'_>, key: &VaultKey) -> Result<Snapshot, VaultError> {
    let plain = key::open(
        key.as_bytes(),
        &parsed.nonce,
        parsed.header_bytes,
        parsed.ciphertext,
    )
    .map_err(|_| VaultError::WrongPasswordOrDamaged)?;
    let content = if parsed.header.version == format::VERSION_1 {
        upgrade::decode_v1(&plain)?
    } else {
        content::decode(&plain)?
    };
    Ok(Snapshot {
        header: parsed.header.clone(),
        nonce: parsed.nonce,
        content,
    })
}

fn password_slot(header: &Header) -> Result<&Slot, VaultError> {
    header
        .slots
        .iter()
        .find(|s| matches!(s, Slot::Password { .. }))
        .ok_or(VaultError::WrongPasswordOrDamaged)
}

fn keyring_slot_ids(header: &Header) -> Vec<[u8; 16]> {
    header
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Keyring { slot_id, .. } => Some(*slot_id),
            Slot::Password { .. } => None,
        })
        .collect()
}

/// A random writer id for stamps.
fn random_node() -> Result<u32, VaultError> {
    let mut bytes = [0u8; 4];
    key::fill_random(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

impl Vault {
    fn assemble(
        path: &Path,
        key: VaultKey,
        snapshot: Snapshot,
        wall: WallClock,
    ) -> Result<Vault, VaultError> {
        let mut clock = Hlc::new(random_node()?);
        for stamp in snapshot.content.stamps() {
            clock.observe(stamp);
        }
        Ok(Vault {
            path: path.to_path_buf(),
            key,
            header: snapshot.header,
            disk_nonce: snapshot.nonce,
            content: snapshot.content,
            clock,
            wall,
            retired: Vec::new(),
            disk_behind: false,
        })
    }

    /// Creates a new, empty vault at `path`, protected by `password` with the given Argon2id
    /// parameters (from [`KdfParams::calibrate`], or [`KdfParams::minimum`] in tests).
    /// Refuses to overwrite an existing file.
    pub fn create(path: &Path, password: &str, params: KdfParams) -> Result<Vault, VaultError> {
        params.validate()?;
        let key = VaultKey::random()?;
        let mut vault_id = [0u8; 16];
        key::fill_random(&mut vault_id)?;
        let slot = Slot::new_password(&vault_id, &key, password, params)?;
        let snapshot = Snapshot {
            header: Header {
                version: format::VERSION,
                vault_id,
                generation: 0,
                epoch: 0,
                slots: vec![slot],
            },
            nonce: [0; NONCE_LEN],
            content: Content::default(),
        };
        let mut vault = Vault::assemble(path, key, snapshot, Arc::new(system_ms))?;
        let _guard = storage::lock(path)?;
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.to_path_buf()));
        }
        let header = vault.header.clone();
        let content = vault.content.clone();
        vault.write_locked(header, content, storage::Keep::Previous)?;
        Ok(vault)
    }

    /// Opens the vault at `path` with its password.
    pub fn open_with_password(path: &Path, password: &str) -> Result<Vault, VaultError> {
        let bytes = read_existing(path)?;
        let parsed = format::parse(&bytes)?;
        let key = password_slot(&parsed.header)?
            .unwrap_with_password(&parsed.header.vault_id, password)?;
        Vault::from_parsed(path, &parsed, key)
    }

    /// Opens the vault at `path` with a vault key already in memory (from
    /// [`Vault::vault_key`] of the same vault): no key derivation, for reopening quickly.
    pub fn open_with_key(path: &Path, key: &VaultKey) -> Result<Vault, VaultError> {
        let bytes = read_existing(path)?;
        let parsed = format::parse(&bytes)?;
        Vault::from_parsed(path, &parsed, key.clone())
    }

    /// Opens the vault at `path` with a key-encryption key from the OS keyring, trying each
    /// keyring slot this computer's keyring has an entry for.
    pub fn open_with_keyring(path: &Path) -> Result<Vault, VaultError> {
        Vault::open_with_kek_store(path, &OsKeyring)
    }

    /// Opens the vault at `path` with a key-encryption key from `store`, trying each keyring
    /// slot that `store` has an entry for.
    pub fn open_with_kek_store(path: &Path, store: &dyn KekStore) -> Result<Vault, VaultError> {
        let bytes = read_existing(path)?;
        let parsed = format::parse(&bytes)?;
        let vault_id = parsed.header.vault_id;
        let candidates: Vec<&Slot> = parsed
            .header
            .slots
            .iter()
            .filter(|s| matches!(s, Slot::Keyring { .. }))
            .collect();
        if candidates.is_empty() {
            return Err(VaultError::NoKeyringSlot);
        }
        for slot in candidates {
            let Slot::Keyring { slot_id, .. } = slot else {
                continue;
            };
            let Some(kek) = store.load(&keyring::account_name(&vault_id, slot_id))? else {
                continue;
            };
            if let Ok(key) = slot.unwrap_with_kek(&vault_id, &kek) {
                return Vault::from_parsed(path, &parsed, key);
            }
        }
        Err(KeyringError::NoEntry.into())
    }

    /// Whether the vault at `path` has a keyring slot, read from its header without unlocking
    /// it. The header is authenticated only once unlocked, so this is a hint for choosing
    /// how to ask, never a security decision.
    pub fn offers_keyring_unlock(path: &Path) -> Result<bool, VaultError> {
        let bytes = read_existing(path)?;
        let parsed = format::parse(&bytes)?;
        Ok(parsed
            .header
            .slots
            .iter()
            .any(|s| matches!(s, Slot::Keyring { .. })))
    }

    fn from_parsed(
        path: &Path,
        parsed: &format::ParsedFile<'_>,
        key: VaultKey,
    ) -> Result<Vault, VaultError> {
        let snapshot = decrypt(parsed, &key)?;
        Vault::assemble(path, key, snapshot, Arc::new(system_ms))
    }

    /// Replaces the wall clock the vault stamps changes with (Unix milliseconds). For
    /// simulations of devices whose clocks disagree; the system clock is the default.
    pub fn set_wall_clock(&mut self, wall: WallClock) {
        self.wall = wall;
    }

    /// Locks the vault: the key and every decrypted secret are wiped from memory.
    pub fn lock(self) {
        drop(self);
    }

    /// The vault file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The vault's id, as lowercase hex.
    pub fn vault_id(&self) -> String {
        slots::hex(&self.header.vault_id)
    }

    /// The save counter of the file as last read or written.
    pub fn generation(&self) -> u64 {
        self.header.generation
    }

    /// How often the vault key has been replaced (by password changes and slot removals).
    pub fn epoch(&self) -> u64 {
        self.header.epoch
    }

    /// The format version of the file as last read or written (older files are upgraded at
    /// their next save).
    pub fn format_version(&self) -> u16 {
        self.header.version
    }

    /// A copy of the vault key, to reopen this vault later without the password
    /// ([`Vault::open_with_key`]). Keep it in memory only.
    pub fn vault_key(&self) -> VaultKey {
        self.key.clone()
    }

    /// The Argon2id parameters of the password slot.
    pub fn kdf_params(&self) -> KdfParams {
        match password_slot(&self.header) {
            Ok(Slot::Password { params, .. }) => *params,
            // Every header has a password slot: parsing and creation guarantee it.
            _ => KdfParams::minimum(),
        }
    }

    /// The kinds of the key slots, in file order: `password` or `keyring`.
    pub fn slot_kinds(&self) -> Vec<&'static str> {
        self.header
            .slots
            .iter()
            .map(|s| match s {
                Slot::Password { .. } => "password",
                Slot::Keyring { .. } => "keyring",
            })
            .collect()
    }

    /// Whether the vault has at least one keyring slot (from this or another computer).
    pub fn has_keyring_slot(&self) -> bool {
        !keyring_slot_ids(&self.header).is_empty()
    }

    /// The path of the backup the last save kept: `<vault>.bak`.
    pub fn backup_path(path: &Path) -> PathBuf {
        storage::sidecar(path, ".bak")
    }

    fn now_ms(&self) -> u64 {
        (self.wall)()
    }

    /// Saves a change: under the lock, merges what changed on disk, applies `change` to the
    /// merged state, and writes it if the change changed anything. The change is kept in
    /// memory only if the write succeeded; what was merged from disk is kept either way.
    fn commit<T, E: From<VaultError>>(
        &mut self,
        change: impl FnOnce(&mut Draft<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let _guard = storage::lock(&self.path).map_err(VaultError::from)?;
        self.absorb_disk()?;
        let mut header = self.header.clone();
        let mut content = self.content.clone();
        let mut clock = self.clock.clone();
        let now_ms = self.now_ms();
        let mut draft = Draft {
            content: &mut content,
            clock: &mut clock,
            now_ms,
            changed: false,
            header: &mut header,
        };
        let value = change(&mut draft)?;
        if draft.changed || self.disk_behind {
            ops::compact(&mut content, now_ms);
            self.write_locked(header, content, storage::Keep::Previous)?;
            self.clock = clock;
        }
        Ok(value)
    }

    /// Encrypts and writes `content` under `header` with the next generation, in the current
    /// format version; the caller holds the lock. On success this becomes the vault's state.
    ///
    /// A sync tool may replace the file meanwhile without taking the lock. An ordinary save
    /// checks, once its new file is on disk and just before the rename, that the vault file is
    /// still the one it merged; if not, it merges the newcomer too and tries again, so that the
    /// other device's change is not renamed over. (A key change writes without this check: it
    /// has merged the file under the lock, and a newcomer of the old key is merged later.)
    fn write_locked(
        &mut self,
        mut header: Header,
        mut content: Content,
        keep: storage::Keep,
    ) -> Result<(), VaultError> {
        const ATTEMPTS: usize = 5;
        for _ in 0..ATTEMPTS {
            header.generation = header.generation.saturating_add(1);
            header.version = format::VERSION;
            let (file, nonce) = seal_file(&self.key, &header, &content)?;
            let expected = self.disk_nonce;
            let path = self.path.clone();
            let unchanged = || keep == storage::Keep::Same || still_on_disk(&path, expected);
            if storage::write_atomic_if(&self.path, &file, keep, unchanged)? {
                self.disk_behind = false;
                self.header = header;
                self.content = content;
                self.disk_nonce = nonce;
                return Ok(());
            }
            self.absorb_disk()?;
            merge::merge(&mut content, self.content.clone());
            header.generation = header.generation.max(self.header.generation);
            if header.epoch == self.header.epoch {
                header.slots = self.header.slots.clone();
            }
        }
        Err(StorageError::Busy.into())
    }
}

/// The state a change works on inside [`Vault::commit`]: copies, so that a failed change
/// leaves the vault as it was.
struct Draft<'a> {
    header: &'a mut Header,
    content: &'a mut Content,
    clock: &'a mut Hlc,
    now_ms: u64,
    /// Set by a change that changed something; nothing is written otherwise.
    changed: bool,
}

/// The bytes of a vault file: header, nonce, and the content sealed under `key` with the
/// header as associated data. Returns the nonce too, to recognise the file later.
fn seal_file(
    key: &VaultKey,
    header: &Header,
    content: &Content,
) -> Result<(Vec<u8>, [u8; NONCE_LEN]), VaultError> {
    let header_bytes = format::encode_header(header);
    let nonce = key::random_nonce()?;
    let mut payload = content::encode(content)?;
    key::seal_in_place(key.as_bytes(), &nonce, &header_bytes, &mut payload)?;
    let mut file = Vec::with_capacity(header_bytes.len() + NONCE_LEN + payload.len());
    file.extend_from_slice(&header_bytes);
    file.extend_from_slice(&nonce);
    file.extend_from_slice(&payload);
    Ok((file, nonce))
}

/// `accounts` sealed in the vault format under a password of their own, with a fresh vault
/// key and id: a backup that Tessera opens like any vault.
pub fn seal_backup(
    accounts: &[Account],
    password: &str,
    params: KdfParams,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    params.validate()?;
    let key = VaultKey::random()?;
    let mut vault_id = [0u8; 16];
    key::fill_random(&mut vault_id)?;
    let header = Header {
        version: format::VERSION,
        vault_id,
        generation: 1,
        epoch: 0,
        slots: vec![Slot::new_password(&vault_id, &key, password, params)?],
    };
    let mut clock = Hlc::new(random_node()?);
    let stamp = clock.tick(system_ms());
    let mut content = Content::default();
    for account in accounts {
        content.accounts.insert(
            account.id.clone(),
            Record::from_account(account.clone(), stamp),
        );
    }
    Ok(Zeroizing::new(seal_file(&key, &header, &content)?.0))
}

/// The accounts of vault-format bytes (a backup, or a vault file), opened with its password.
pub fn open_backup(bytes: &[u8], password: &str) -> Result<Vec<Account>, VaultError> {
    let parsed = format::parse(bytes)?;
    let key =
        password_slot(&parsed.header)?.unwrap_with_password(&parsed.header.vault_id, password)?;
    let snapshot = decrypt(&parsed, &key)?;
    Ok(snapshot
        .content
        .accounts
        .values()
        .map(Record::to_account)
        .collect())
}

/// Runs the parsers of untrusted vault bytes: the file framing and header, and both content
/// decoders (on the same bytes, as if they had decrypted). Results are dropped; for fuzzing.
pub(crate) fn parse_untrusted(bytes: &[u8]) {
    if let Ok(parsed) = format::parse(bytes) {
        let _ = password_slot(&parsed.header);
        let _ = keyring_slot_ids(&parsed.header);
    }
    let _ = content::decode(bytes);
    let _ = upgrade::decode_v1(bytes);
}

/// Whether `bytes` start like a vault file (its magic), for recognising backups.
pub fn looks_like_vault(bytes: &[u8]) -> bool {
    bytes.starts_with(format::MAGIC)
}
