//! The encrypted vault: the only place secrets are written to disk.
//!
//! The file format is specified in `docs/vault-format.md`; this module and its children keep
//! in step with it. A [`Vault`] holds the decrypted accounts and the vault key while unlocked,
//! so saving, reloading and merging never ask for the password again. Every change is saved at
//! once, under the vault's lock file, after merging whatever another process or a sync tool
//! wrote since this one last looked, so nothing is ever overwritten.

mod conflicts;
mod content;
mod format;
mod kdf;
mod key;
mod keyring;
mod merge;
mod slots;
mod storage;

pub use conflicts::is_conflict_copy;
pub use content::ContentError;
pub use kdf::{KdfError, KdfParams};
pub use key::{CryptoError, VaultKey};
pub use keyring::KeyringError;
pub use merge::MergeReport;
pub use storage::{write_private, StorageError};

use crate::account::{Account, AccountId};
use crate::store::{sort_for_display, AccountStore, StoreError};
use content::{Content, Setting};
use format::{FormatError, Header};
use key::NONCE_LEN;
use slots::{Slot, SlotError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
    /// The file is a vault of a newer format than this build reads.
    #[error("unsupported vault format version {0}: a newer Tessera wrote it")]
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

/// An unlocked vault. Dropping it (or [`Vault::lock`]) wipes the vault key and the secrets.
pub struct Vault {
    path: PathBuf,
    key: VaultKey,
    header: Header,
    /// Payload nonce of the file as last read or written. A save that finds another one knows
    /// the file changed underneath and merges before writing.
    disk_nonce: [u8; NONCE_LEN],
    content: Content,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("generation", &self.header.generation)
            .field("accounts", &self.content.accounts.len())
            .finish_non_exhaustive()
    }
}

/// The current time in Unix seconds.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The `modified` stamp of a change: now, but always after the previous stamp, so successive
/// changes order even within one second (format spec, section 8).
fn stamp(previous: u64) -> u64 {
    now().max(previous.saturating_add(1))
}

fn read_existing(path: &Path) -> Result<Vec<u8>, VaultError> {
    storage::read_capped(path)?.ok_or_else(|| VaultError::NotFound(path.to_path_buf()))
}

/// Decrypts a parsed file's payload with a vault key.
fn decrypt(parsed: &format::ParsedFile<'_>, key: &VaultKey) -> Result<Snapshot, VaultError> {
    let plain = key::open(
        key.as_bytes(),
        &parsed.nonce,
        parsed.header_bytes,
        parsed.ciphertext,
    )
    .map_err(|_| VaultError::WrongPasswordOrDamaged)?;
    Ok(Snapshot {
        header: parsed.header.clone(),
        nonce: parsed.nonce,
        content: content::decode(&plain)?,
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

impl Vault {
    /// Creates a new, empty vault at `path`, protected by `password` with the given Argon2id
    /// parameters (from [`KdfParams::calibrate`], or [`KdfParams::minimum`] in tests).
    /// Refuses to overwrite an existing file.
    pub fn create(path: &Path, password: &str, params: KdfParams) -> Result<Vault, VaultError> {
        params.validate()?;
        let key = VaultKey::random()?;
        let mut vault_id = [0u8; 16];
        key::fill_random(&mut vault_id)?;
        let slot = Slot::new_password(&vault_id, &key, password, params)?;
        let mut vault = Vault {
            path: path.to_path_buf(),
            key,
            header: Header {
                vault_id,
                generation: 0,
                slots: vec![slot],
            },
            disk_nonce: [0; NONCE_LEN],
            content: Content::default(),
        };
        let _guard = storage::lock(path)?;
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.to_path_buf()));
        }
        let header = vault.header.clone();
        let content = vault.content.clone();
        vault.write_locked(header, content)?;
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
            let Some(kek) = keyring::load(&keyring::account_name(&vault_id, slot_id))? else {
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
        Ok(Vault {
            path: path.to_path_buf(),
            key,
            header: snapshot.header,
            disk_nonce: snapshot.nonce,
            content: snapshot.content,
        })
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

    /// Whether the vault has at least one keyring slot (from this or another computer).
    pub fn has_keyring_slot(&self) -> bool {
        !keyring_slot_ids(&self.header).is_empty()
    }

    /// The path of the backup the last save kept: `<vault>.bak`.
    pub fn backup_path(path: &Path) -> PathBuf {
        storage::sidecar(path, ".bak")
    }

    /// Conflict copies that sync tools left beside this vault, for the app to offer merging.
    pub fn conflict_copies(&self) -> Vec<PathBuf> {
        conflicts::list(&self.path)
    }

    /// The app's settings.
    pub fn settings(&self) -> BTreeMap<String, String> {
        self.content
            .settings
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }

    /// Sets one setting and saves.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), VaultError> {
        self.commit(|_, content| {
            let previous = content.settings.get(key).map_or(0, |s| s.modified);
            content.settings.insert(
                key.to_string(),
                Setting {
                    value: value.to_string(),
                    modified: stamp(previous),
                },
            );
            Ok(())
        })
        .map(|_| ())
    }

    /// Adds many accounts in one save (an import): all or none. Fails if any id exists or
    /// was deleted.
    pub fn add_accounts(&mut self, accounts: Vec<Account>) -> Result<(), VaultError> {
        self.commit(|_, content| {
            if let Some(taken) = accounts.iter().find(|a| {
                content.accounts.contains_key(&a.id) || content.tombstones.contains_key(&a.id)
            }) {
                return Err(VaultError::AccountExists(taken.id.clone()));
            }
            let mut next_order = next_sort_order(content);
            let mut added = BTreeMap::new();
            for mut account in accounts {
                account.modified = stamp(account.modified.saturating_sub(1));
                account.sort_order = next_order;
                next_order = next_order.saturating_add(1);
                if let Some(dup) = added.insert(account.id.clone(), account) {
                    return Err(VaultError::AccountExists(dup.id));
                }
            }
            content.accounts.append(&mut added);
            Ok(())
        })
        .map(|_| ())
    }

    /// Reads the file again and merges what another process or a sync tool wrote since this
    /// vault last read or wrote it. Needs no password: the vault key is in memory.
    pub fn reload(&mut self) -> Result<MergeReport, VaultError> {
        let Some(disk) = self.changed_on_disk()? else {
            return Ok(MergeReport::default());
        };
        let mut header = self.header.clone();
        let mut content = self.content.clone();
        let report = adopt(&mut header, &mut content, disk.header, disk.content);
        self.header = header;
        self.content = content;
        self.disk_nonce = disk.nonce;
        Ok(report)
    }

    /// Merges a conflict copy (see [`Vault::conflict_copies`]) into this vault and saves.
    /// The copy is decrypted with this vault's key; if its keys differ, `password` (the copy's
    /// password) unlocks it. The copy's own file is left for the caller to delete.
    pub fn merge_file(
        &mut self,
        copy: &Path,
        password: Option<&str>,
    ) -> Result<MergeReport, VaultError> {
        let bytes = read_existing(copy)?;
        let parsed = format::parse(&bytes)?;
        let own_key = (parsed.header.vault_id == self.header.vault_id)
            .then(|| decrypt(&parsed, &self.key).ok())
            .flatten();
        let snapshot = match (own_key, password) {
            (Some(snapshot), _) => snapshot,
            (None, Some(password)) => {
                let key = password_slot(&parsed.header)?
                    .unwrap_with_password(&parsed.header.vault_id, password)?;
                decrypt(&parsed, &key)?
            }
            (None, None) => return Err(VaultError::PasswordNeeded),
        };
        let (_, report) = self.commit(|_, content| Ok(merge::merge(content, snapshot.content)))?;
        Ok(report)
    }

    /// Changes the password: verifies `current`, then re-wraps the vault key (the content is
    /// not re-encrypted). `params` defaults to the current parameters and must not be weaker
    /// than them ([`KdfError::Weaker`]); pass a fresh [`KdfParams::calibrate`] to strengthen.
    pub fn change_password(
        &mut self,
        current: &str,
        new: &str,
        params: Option<KdfParams>,
    ) -> Result<(), VaultError> {
        let old = self.kdf_params();
        let params = params.unwrap_or(old);
        params.validate()?;
        if !params.at_least(&old) {
            return Err(KdfError::Weaker.into());
        }
        password_slot(&self.header)?.unwrap_with_password(&self.header.vault_id, current)?;
        let slot = Slot::new_password(&self.header.vault_id, &self.key, new, params)?;
        self.commit(move |header, _| {
            header.slots.retain(|s| !matches!(s, Slot::Password { .. }));
            header.slots.insert(0, slot);
            Ok(())
        })
        .map(|_| ())
    }

    /// Lets this computer unlock the vault from the OS keyring: stores a random
    /// key-encryption key there and adds a keyring slot. Does nothing if this computer's
    /// keyring already unlocks the vault.
    pub fn enable_keyring_slot(&mut self) -> Result<(), VaultError> {
        let vault_id = self.header.vault_id;
        for slot_id in keyring_slot_ids(&self.header) {
            if keyring::load(&keyring::account_name(&vault_id, &slot_id))?.is_some() {
                return Ok(());
            }
        }
        if keyring_slot_ids(&self.header).len() >= MAX_KEYRING_SLOTS {
            return Err(VaultError::TooManySlots);
        }
        let mut kek = zeroize::Zeroizing::new([0u8; 32]);
        key::fill_random(kek.as_mut())?;
        let mut slot_id = [0u8; 16];
        key::fill_random(&mut slot_id)?;
        let slot = Slot::new_keyring(&vault_id, &self.key, slot_id, &kek)?;
        let account = keyring::account_name(&vault_id, &slot_id);
        keyring::store(&account, &kek)?;
        let saved = self.commit(move |header, _| {
            if header.slots.len() >= format::MAX_SLOTS {
                return Err(VaultError::TooManySlots);
            }
            header.slots.push(slot);
            Ok(())
        });
        if saved.is_err() {
            // Without its slot the entry unlocks nothing; tidy it away, best effort.
            let _ = keyring::delete(&account);
        }
        saved.map(|_| ())
    }

    /// Removes every keyring slot, so the vault unlocks only with its password, and deletes
    /// this computer's keyring entries for them. The slots are removed even when the keyring
    /// is unreachable: an orphaned entry unlocks nothing.
    pub fn disable_keyring_slot(&mut self) -> Result<(), VaultError> {
        let (_, removed) = self.commit(|header, _| {
            let removed = keyring_slot_ids(header);
            header.slots.retain(|s| matches!(s, Slot::Password { .. }));
            Ok(removed)
        })?;
        for slot_id in removed {
            let _ = keyring::delete(&keyring::account_name(&self.header.vault_id, &slot_id));
        }
        Ok(())
    }

    /// The file on disk, decrypted, if it differs from the version this vault last read or
    /// wrote. `None` if unchanged or missing (a missing file is rewritten by the next save).
    fn changed_on_disk(&self) -> Result<Option<Snapshot>, VaultError> {
        let Some(bytes) = storage::read_capped(&self.path)? else {
            return Ok(None);
        };
        let parsed = format::parse(&bytes).map_err(|_| VaultError::Replaced)?;
        if parsed.nonce == self.disk_nonce && parsed.header.generation == self.header.generation {
            return Ok(None);
        }
        if parsed.header.vault_id != self.header.vault_id {
            return Err(VaultError::Replaced);
        }
        match decrypt(&parsed, &self.key) {
            Ok(snapshot) => Ok(Some(snapshot)),
            Err(VaultError::WrongPasswordOrDamaged) => Err(VaultError::Replaced),
            Err(e) => Err(e),
        }
    }

    /// Saves a change: under the lock, merges what changed on disk, applies `change` to the
    /// merged state, and writes it. The change is kept in memory only if the write succeeded;
    /// what was merged from disk is kept either way. `change` leaves its arguments untouched
    /// when it fails.
    fn commit<T>(
        &mut self,
        change: impl FnOnce(&mut Header, &mut Content) -> Result<T, VaultError>,
    ) -> Result<(MergeReport, T), VaultError> {
        let _guard = storage::lock(&self.path)?;
        let mut header = self.header.clone();
        let mut content = self.content.clone();
        let mut disk_nonce = self.disk_nonce;
        let report = match self.changed_on_disk()? {
            Some(disk) => {
                disk_nonce = disk.nonce;
                adopt(&mut header, &mut content, disk.header, disk.content)
            }
            None => MergeReport::default(),
        };
        match change(&mut header, &mut content) {
            Ok(value) => {
                self.write_locked(header, content)?;
                Ok((report, value))
            }
            Err(e) => {
                self.header = header;
                self.content = content;
                self.disk_nonce = disk_nonce;
                Err(e)
            }
        }
    }

    /// Encrypts and writes `content` under `header` with the next generation; the caller
    /// holds the lock. On success this becomes the vault's state.
    fn write_locked(&mut self, mut header: Header, content: Content) -> Result<(), VaultError> {
        header.generation = header.generation.saturating_add(1);
        let (file, nonce) = seal_file(&self.key, &header, &content)?;
        storage::write_atomic(&self.path, &file)?;
        self.header = header;
        self.content = content;
        self.disk_nonce = nonce;
        Ok(())
    }
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
        vault_id,
        generation: 1,
        slots: vec![Slot::new_password(&vault_id, &key, password, params)?],
    };
    let mut content = Content::default();
    for account in accounts {
        content.accounts.insert(account.id.clone(), account.clone());
    }
    Ok(Zeroizing::new(seal_file(&key, &header, &content)?.0))
}

/// The accounts of vault-format bytes (a backup, or a vault file), opened with its password.
pub fn open_backup(bytes: &[u8], password: &str) -> Result<Vec<Account>, VaultError> {
    let parsed = format::parse(bytes)?;
    let key =
        password_slot(&parsed.header)?.unwrap_with_password(&parsed.header.vault_id, password)?;
    let snapshot = decrypt(&parsed, &key)?;
    Ok(snapshot.content.accounts.into_values().collect())
}

/// Runs the parsers of untrusted vault bytes: the file framing and header, and the content
/// decoder (on the same bytes, as if they had decrypted). Results are dropped; for fuzzing.
pub(crate) fn parse_untrusted(bytes: &[u8]) {
    if let Ok(parsed) = format::parse(bytes) {
        let _ = password_slot(&parsed.header);
        let _ = keyring_slot_ids(&parsed.header);
    }
    let _ = content::decode(bytes);
}

/// Whether `bytes` start like a vault file (its magic), for recognising backups.
pub fn looks_like_vault(bytes: &[u8]) -> bool {
    bytes.starts_with(format::MAGIC)
}

/// Folds a version read from disk into the in-memory state: content merged, slots and
/// generation taken from disk (slot changes are saved at once, so differing slots on disk are
/// another writer's later change).
fn adopt(
    header: &mut Header,
    content: &mut Content,
    disk_header: Header,
    disk_content: Content,
) -> MergeReport {
    header.generation = header.generation.max(disk_header.generation);
    header.slots = disk_header.slots;
    merge::merge(content, disk_content)
}

impl AccountStore for Vault {
    fn accounts(&self) -> Vec<Account> {
        let mut list: Vec<Account> = self.content.accounts.values().cloned().collect();
        sort_for_display(&mut list);
        list
    }

    fn get(&self, id: &AccountId) -> Result<Account, StoreError> {
        self.content
            .accounts
            .get(id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(id.clone()))
    }

    fn add(&mut self, mut account: Account) -> Result<(), StoreError> {
        self.commit(|_, content| {
            if content.accounts.contains_key(&account.id)
                || content.tombstones.contains_key(&account.id)
            {
                return Err(VaultError::AccountExists(account.id.clone()));
            }
            account.modified = stamp(account.modified.saturating_sub(1));
            account.sort_order = next_sort_order(content);
            content.accounts.insert(account.id.clone(), account);
            Ok(())
        })
        .map(|_| ())
        .map_err(store_error)
    }

    fn update(&mut self, mut account: Account) -> Result<(), StoreError> {
        self.commit(|_, content| {
            let Some(previous) = content.accounts.get(&account.id) else {
                return Err(VaultError::AccountNotFound(account.id.clone()));
            };
            account.modified = stamp(previous.modified);
            content.accounts.insert(account.id.clone(), account);
            Ok(())
        })
        .map(|_| ())
        .map_err(store_error)
    }

    fn remove(&mut self, id: &AccountId) -> Result<Account, StoreError> {
        self.commit(|_, content| {
            let removed = content
                .accounts
                .remove(id)
                .ok_or_else(|| VaultError::AccountNotFound(id.clone()))?;
            content.tombstones.insert(id.clone(), now());
            Ok(removed)
        })
        .map(|(_, removed)| removed)
        .map_err(store_error)
    }
}

/// The sort order that files a new account after every existing one.
fn next_sort_order(content: &Content) -> i64 {
    content
        .accounts
        .values()
        .map(|a| a.sort_order.saturating_add(1))
        .max()
        .unwrap_or(0)
}

fn store_error(e: VaultError) -> StoreError {
    match e {
        VaultError::AccountNotFound(id) => StoreError::NotFound(id),
        other => StoreError::Backend(other.to_string()),
    }
}
