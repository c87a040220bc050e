//! Key slots and key changes (format spec, sections 4 and 9): adding a keyring slot, and the
//! changes that revoke access (a new password, a keyring slot removed), which replace the
//! vault key so that what was revoked opens nothing written afterwards.

use super::format::{self, Header};
use super::record::Stamped;
use super::slots::Slot;
use super::{
    key, keyring, keyring_slot_ids, password_slot, storage, KdfError, KdfParams, KekStore,
    OsKeyring, Vault, VaultError, VaultKey, MAX_KEYRING_SLOTS,
};

/// The setting that records the key epoch the last password change started. When two devices
/// change the key in one epoch, the one whose content says it changed the password there wins
/// over one that removed keyring slots (and so kept the old password).
pub(super) const PASSWORD_EPOCH: &str = "vault.password_changed_in_epoch";

impl Vault {
    /// Changes the password: verifies `current`, then replaces the vault key and re-encrypts
    /// everything under the new password, so that the old password opens no later version
    /// (the `.bak` is rewritten too). `params` defaults to the current parameters and must not
    /// be weaker than them ([`KdfError::Weaker`]). This computer's keyring slot is kept;
    /// those of other computers are dropped, as they hold the old key.
    pub fn change_password(
        &mut self,
        current: &str,
        new: &str,
        params: Option<KdfParams>,
    ) -> Result<(), VaultError> {
        self.change_password_in(current, new, params, &OsKeyring)
    }

    /// [`Vault::change_password`], keeping the keyring slots whose keys `store` holds.
    pub fn change_password_in(
        &mut self,
        current: &str,
        new: &str,
        params: Option<KdfParams>,
        store: &dyn KekStore,
    ) -> Result<(), VaultError> {
        let old = self.kdf_params();
        let params = params.unwrap_or(old);
        params.validate()?;
        if !params.at_least(&old) {
            return Err(KdfError::Weaker.into());
        }
        password_slot(&self.header)?.unwrap_with_password(&self.header.vault_id, current)?;
        let new_key = VaultKey::random()?;
        let slot = Slot::new_password(&self.header.vault_id, &new_key, new, params)?;
        self.rotate(new_key, slot, Some(store), true)
    }

    /// Lets this computer unlock the vault from the OS keyring: stores a random
    /// key-encryption key there and adds a keyring slot. Does nothing if this computer's
    /// keyring already unlocks the vault.
    pub fn enable_keyring_slot(&mut self) -> Result<(), VaultError> {
        self.enable_keyring_slot_in(&OsKeyring)
    }

    /// [`Vault::enable_keyring_slot`] with the key kept in `store`.
    pub fn enable_keyring_slot_in(&mut self, store: &dyn KekStore) -> Result<(), VaultError> {
        let vault_id = self.header.vault_id;
        for slot_id in keyring_slot_ids(&self.header) {
            if store
                .load(&keyring::account_name(&vault_id, &slot_id))?
                .is_some()
            {
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
        let account = keyring::account_name(&vault_id, &slot_id);
        // Another device may replace the key meanwhile: then the commit below fails with
        // `Rotated` before the slot, which wraps this key, is written.
        let slot = Slot::new_keyring(&vault_id, &self.key, slot_id, &kek)?;
        store.store(&account, &kek)?;
        let saved = self.commit(|draft| {
            if keyring_slot_ids(draft.header).len() >= MAX_KEYRING_SLOTS {
                return Err(VaultError::TooManySlots);
            }
            draft.header.slots.push(slot);
            draft.changed = true;
            Ok(())
        });
        if saved.is_err() {
            // Without its slot the entry unlocks nothing; tidy it away, best effort.
            let _ = store.delete(&account);
        }
        saved
    }

    /// Removes every keyring slot, so the vault unlocks only with its password, and deletes
    /// this computer's keyring entries for them. The vault key is replaced, so a keyring
    /// entry kept elsewhere opens nothing written afterwards; that needs the password, which
    /// is checked here.
    pub fn disable_keyring_slot(&mut self, password: &str) -> Result<(), VaultError> {
        self.disable_keyring_slot_in(password, &OsKeyring)
    }

    /// [`Vault::disable_keyring_slot`], deleting the entries from `store`.
    pub fn disable_keyring_slot_in(
        &mut self,
        password: &str,
        store: &dyn KekStore,
    ) -> Result<(), VaultError> {
        // The slots to remove are those of the file as merged now (another device may have
        // added one since this vault last read it).
        self.reload()?;
        let removed = keyring_slot_ids(&self.header);
        if removed.is_empty() {
            // Nothing to revoke: the key stays.
            return Ok(());
        }
        let opened = password_slot(&self.header)?.password_kek(&self.header.vault_id, password)?;
        let new_key = VaultKey::random()?;
        let slot = Slot::password_from_kek(
            &self.header.vault_id,
            &new_key,
            &opened.kek,
            opened.params,
            opened.salt,
        )?;
        self.rotate(new_key, slot, None, false)?;
        for slot_id in removed {
            // The slot is gone from the vault: an entry left behind unlocks nothing.
            let _ = store.delete(&keyring::account_name(&self.header.vault_id, &slot_id));
        }
        Ok(())
    }

    /// Replaces the vault key with `new_key` (wrapped by `password_slot`), in a new epoch:
    /// merges the file under the lock, re-wraps the keyring slots whose keys `keep` holds,
    /// and writes the vault and its `.bak` under the new key. A password change is recorded
    /// in the content (see [`PASSWORD_EPOCH`]).
    fn rotate(
        &mut self,
        new_key: VaultKey,
        password_slot: Slot,
        keep: Option<&dyn KekStore>,
        password_changed: bool,
    ) -> Result<(), VaultError> {
        let _guard = storage::lock(&self.path)?;
        self.absorb_disk()?;
        let vault_id = self.header.vault_id;
        let mut slots = vec![password_slot];
        if let Some(store) = keep {
            for slot in &self.header.slots {
                let Slot::Keyring { slot_id, .. } = slot else {
                    continue;
                };
                // A keyring that cannot be reached keeps nothing: that computer asks for the
                // password once, then can turn keyring unlock on again.
                let Ok(Some(kek)) = store.load(&keyring::account_name(&vault_id, slot_id)) else {
                    continue;
                };
                if slot.unwrap_with_kek(&vault_id, &kek).is_ok() {
                    slots.push(Slot::new_keyring(&vault_id, &new_key, *slot_id, &kek)?);
                }
            }
        }
        let header = Header {
            version: format::VERSION,
            vault_id,
            generation: self.header.generation,
            epoch: self.header.epoch.saturating_add(1),
            slots,
        };
        let old_key = std::mem::replace(&mut self.key, new_key);
        let old_epoch = self.header.epoch;
        let mut content = self.content.clone();
        if password_changed {
            let now_ms = self.now_ms();
            let stamp = self.clock.tick(now_ms);
            content.settings.insert(
                PASSWORD_EPOCH.to_string(),
                Stamped::new(header.epoch.to_string(), stamp),
            );
        }
        match self.write_locked(header, content, storage::Keep::Same) {
            Ok(()) => {
                self.retired.push((old_epoch, old_key));
                Ok(())
            }
            Err(e) => {
                self.key = old_key;
                Err(e)
            }
        }
    }
}
