//! Keeping one vault in step with its other copies: the file changed underneath (by the CLI,
//! another app instance or a sync tool), conflict copies sync tools leave beside it, and a
//! file whose vault key another device replaced (format spec, sections 7 and 8).

use super::content::Content;
use super::format::{self, Header, ParsedFile};
use super::merge::{self, MergeReport};
use super::slots::Slot;
use super::{
    conflicts, decrypt, password_slot, read_existing, storage, Snapshot, Vault, VaultError,
    MAX_KEYRING_SLOTS,
};
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// What merging the conflict copies beside a vault did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConflictMerge {
    /// What the merged copies brought.
    pub report: MergeReport,
    /// Copies merged and then removed.
    pub merged: Vec<PathBuf>,
    /// Copies this vault's keys cannot open (another vault, a damaged file, or a copy of
    /// another key epoch): left in place for the user, who may merge one with its password.
    pub unopened: Vec<PathBuf>,
}

/// Folds the slots of another file of the same epoch into `own`: keyring slots are only ever
/// added within an epoch (removing one starts a new epoch), so the union is the current set;
/// of two password slots the one that costs more to guess wins (a strengthened one).
fn merge_slots(own: &mut Header, other: &Header) {
    let theirs_password = other
        .slots
        .iter()
        .find(|s| matches!(s, Slot::Password { .. }));
    if let (
        Some(Slot::Password { params: p1, .. }),
        Some(theirs @ Slot::Password { params: p2, .. }),
    ) = (
        own.slots
            .iter()
            .find(|s| matches!(s, Slot::Password { .. })),
        theirs_password,
    ) {
        if p2.work() > p1.work() {
            let theirs = theirs.clone();
            own.slots.retain(|s| !matches!(s, Slot::Password { .. }));
            own.slots.insert(0, theirs);
        }
    }
    for slot in &other.slots {
        if let Slot::Keyring { slot_id, .. } = slot {
            let known = own
                .slots
                .iter()
                .any(|s| matches!(s, Slot::Keyring { slot_id: id, .. } if id == slot_id));
            if !known {
                own.slots.push(slot.clone());
            }
        }
    }
    // Beyond the format's cap, the slots with the lowest ids stay: every device drops the same.
    let mut keyring: Vec<Slot> = own
        .slots
        .iter()
        .filter(|s| matches!(s, Slot::Keyring { .. }))
        .cloned()
        .collect();
    if keyring.len() > MAX_KEYRING_SLOTS {
        keyring.sort_by_key(|s| match s {
            Slot::Keyring { slot_id, .. } => *slot_id,
            Slot::Password { .. } => [0; 16],
        });
        keyring.truncate(MAX_KEYRING_SLOTS);
        own.slots.retain(|s| matches!(s, Slot::Password { .. }));
        own.slots.extend(keyring);
    }
}

impl Vault {
    /// Opens another file of this vault with the keys this vault holds, the current one or
    /// one it held before (two devices may have replaced the key at once, so an epoch does not
    /// name one key: the authentication tag tells which fits); `None` if none does.
    fn open_copy(&self, parsed: &ParsedFile<'_>) -> Option<Snapshot> {
        if parsed.header.vault_id != self.header.vault_id {
            return None;
        }
        std::iter::once(&self.key)
            .chain(self.retired.iter().map(|(_, key)| key))
            .find_map(|key| decrypt(parsed, key).ok())
    }

    /// Merges the vault file into this state if it changed since this vault last read or
    /// wrote it. The caller holds the lock.
    ///
    /// A file of this key epoch is merged with its slots. A file of a later epoch, or of this
    /// epoch under another key (two devices replaced the key at once), means another device
    /// replaced the key: [`VaultError::Rotated`], and nothing is written until
    /// [`Vault::rejoin`]. A file of an earlier epoch (a copy from before the change, delivered
    /// late) is merged if this vault still holds that key; otherwise it is kept beside the
    /// vault as an unmerged copy for the user rather than overwritten.
    pub(super) fn absorb_disk(&mut self) -> Result<MergeReport, VaultError> {
        let Some(bytes) = storage::read_capped(&self.path)? else {
            // A missing file is written again by the next save.
            return Ok(MergeReport::default());
        };
        let parsed = format::parse(&bytes).map_err(|_| VaultError::Replaced)?;
        if parsed.nonce == self.disk_nonce {
            return Ok(MergeReport::default());
        }
        if parsed.header.vault_id != self.header.vault_id {
            return Err(VaultError::Replaced);
        }
        match parsed.header.epoch.cmp(&self.header.epoch) {
            Ordering::Greater => match decrypt(&parsed, &self.key) {
                // A later epoch under this vault's own key: another device settled two key
                // changes in favour of this one's. Its header (epoch and slots) is current.
                Ok(snapshot) => {
                    self.header.epoch = snapshot.header.epoch;
                    self.header.slots = snapshot.header.slots.clone();
                    Ok(self.absorb(snapshot))
                }
                Err(_) => Err(VaultError::Rotated),
            },
            Ordering::Equal => {
                let snapshot = match decrypt(&parsed, &self.key) {
                    Ok(snapshot) => snapshot,
                    Err(VaultError::WrongPasswordOrDamaged) => return Err(VaultError::Rotated),
                    Err(e) => return Err(e),
                };
                merge_slots(&mut self.header, &snapshot.header);
                Ok(self.absorb(snapshot))
            }
            Ordering::Less => match self.open_copy(&parsed) {
                Some(snapshot) => {
                    // Its slots are those of an older key: this vault's stay.
                    Ok(self.absorb(snapshot))
                }
                None => {
                    set_aside(&self.path)?;
                    let (header, content) = (self.header.clone(), self.content.clone());
                    self.write_locked(header, content, storage::Keep::Previous)?;
                    Ok(MergeReport::default())
                }
            },
        }
    }

    /// Merges a decrypted version of this vault into memory and takes its generation. Notes
    /// whether the file lacks something this vault holds, or is of an older key.
    fn absorb(&mut self, snapshot: Snapshot) -> MergeReport {
        self.header.generation = self.header.generation.max(snapshot.header.generation);
        self.disk_nonce = snapshot.nonce;
        let on_disk = snapshot.content.clone();
        let report = self.merge_content(snapshot.content);
        self.disk_behind |= snapshot.header.epoch < self.header.epoch || self.content != on_disk;
        report
    }

    fn merge_content(&mut self, other: Content) -> MergeReport {
        for stamp in other.stamps() {
            self.clock.observe(stamp);
        }
        merge::merge(&mut self.content, other)
    }

    /// Reads the file again and merges what another process or a sync tool wrote since this
    /// vault last read or wrote it. Needs no password: the vault key is in memory.
    ///
    /// If the file lacks something this vault held (a sync tool put an older version there),
    /// the merged state is written back, so that it does not live in memory only.
    pub fn reload(&mut self) -> Result<MergeReport, VaultError> {
        let _guard = storage::lock(&self.path)?;
        let report = self.absorb_disk()?;
        if self.disk_behind {
            let (header, content) = (self.header.clone(), self.content.clone());
            self.write_locked(header, content, storage::Keep::Previous)?;
        }
        Ok(report)
    }

    /// Conflict copies that sync tools left beside this vault.
    pub fn conflict_copies(&self) -> Vec<PathBuf> {
        conflicts::list(&self.path)
    }

    /// Merges every conflict copy this vault's keys open, saves, and removes the copies it
    /// merged. Copies it cannot open are left for the user ([`ConflictMerge::unopened`]).
    pub fn merge_conflict_copies(&mut self) -> Result<ConflictMerge, VaultError> {
        let copies = self.conflict_copies();
        if copies.is_empty() {
            return Ok(ConflictMerge::default());
        }
        let mut opened = Vec::new();
        let mut unopened = Vec::new();
        for copy in copies {
            let snapshot = storage::read_capped(&copy)
                .ok()
                .flatten()
                .and_then(|bytes| format::parse(&bytes).ok().and_then(|p| self.open_copy(&p)));
            match snapshot {
                Some(snapshot) => opened.push((copy, snapshot.content)),
                None => unopened.push(copy),
            }
        }
        let mut report = MergeReport::default();
        let mut merged = Vec::new();
        if !opened.is_empty() {
            report = self.commit(|draft| {
                let mut report = MergeReport::default();
                for (_, content) in &opened {
                    for stamp in content.stamps() {
                        draft.clock.observe(stamp);
                    }
                    report.absorb(merge::merge(draft.content, content.clone()));
                }
                // Saved even when nothing changed, so the copies hold nothing the vault lacks.
                draft.changed = true;
                Ok::<_, VaultError>(report)
            })?;
            for (copy, _) in opened {
                // Merged and saved: the copy holds nothing the vault does not. A copy that
                // cannot be removed is merged again next time, which changes nothing.
                if std::fs::remove_file(&copy).is_ok() {
                    merged.push(copy);
                }
            }
        }
        Ok(ConflictMerge {
            report,
            merged,
            unopened,
        })
    }

    /// Merges one copy of this vault (see [`Vault::conflict_copies`]) and saves. It is opened
    /// with this vault's keys, or else with `password`, the copy's own password (a copy of
    /// another key epoch, or of another vault). The copy's file is left for the caller.
    pub fn merge_file(
        &mut self,
        copy: &Path,
        password: Option<&str>,
    ) -> Result<MergeReport, VaultError> {
        let bytes = read_existing(copy)?;
        let parsed = format::parse(&bytes)?;
        let snapshot = match (self.open_copy(&parsed), password) {
            (Some(snapshot), _) => snapshot,
            (None, Some(password)) => {
                let key = password_slot(&parsed.header)?
                    .unwrap_with_password(&parsed.header.vault_id, password)?;
                decrypt(&parsed, &key)?
            }
            (None, None) => return Err(VaultError::PasswordNeeded),
        };
        self.commit(|draft| {
            for stamp in snapshot.content.stamps() {
                draft.clock.observe(stamp);
            }
            let report = merge::merge(draft.content, snapshot.content);
            draft.changed = true;
            Ok(report)
        })
    }

    /// After [`VaultError::Rotated`]: opens the file on disk with its current `password`,
    /// merges everything this vault holds into it, and saves. From then on this vault uses
    /// the new key; the old one is kept in memory only to merge late copies written with it.
    pub fn rejoin(&mut self, password: &str) -> Result<MergeReport, VaultError> {
        let fresh = Vault::open_with_password(&self.path, password)?;
        self.rejoin_with(fresh)
    }

    /// [`Vault::rejoin`] with the vault file already opened anew (by password or keyring).
    ///
    /// When the file is of this vault's own epoch under another key, two devices replaced
    /// the key at once: see [`Vault::settle_same_epoch`]; every device then ends with one key.
    pub fn rejoin_with(&mut self, fresh: Vault) -> Result<MergeReport, VaultError> {
        if fresh.header.vault_id != self.header.vault_id {
            return Err(VaultError::Replaced);
        }
        if fresh.key.as_bytes() == self.key.as_bytes() {
            // The same key: nothing to rejoin, the usual merge covers this file.
            return self.reload();
        }
        if fresh.header.epoch == self.header.epoch {
            return self.settle_same_epoch(fresh);
        }
        if fresh.header.epoch < self.header.epoch {
            // An older file under a key this vault did not know: merged, then overwritten by
            // this vault's later epoch at the next save.
            let report = self.merge_content(fresh.content.clone());
            self.retired.push((fresh.header.epoch, fresh.key.clone()));
            self.commit(|draft| {
                draft.changed = true;
                Ok::<_, VaultError>(())
            })?;
            return Ok(report);
        }
        let Vault {
            key,
            header,
            disk_nonce,
            content,
            retired,
            ..
        } = fresh;
        let old_key = std::mem::replace(&mut self.key, key);
        self.retired.push((self.header.epoch, old_key));
        self.retired.extend(retired);
        let generation = self.header.generation.max(header.generation);
        self.header = header;
        self.header.generation = generation;
        self.disk_nonce = disk_nonce;
        let report = self.merge_content(content);
        // What this vault held is saved under the new key at once.
        self.commit(|draft| {
            draft.changed = true;
            Ok::<_, VaultError>(())
        })?;
        Ok(report)
    }
}

impl Vault {
    /// Two devices replaced the key in the same epoch. Both revocations must hold: the key
    /// and password slot of a password change win over those of a keyring removal (which kept
    /// the old password), and a keyring slot stays only if both sides kept it. The other's
    /// content is merged, and the result is written in the next epoch (with `.bak` under it).
    fn settle_same_epoch(&mut self, fresh: Vault) -> Result<MergeReport, VaultError> {
        let _guard = storage::lock(&self.path)?;
        let Vault {
            key,
            header,
            content,
            retired,
            ..
        } = fresh;
        let epoch = self.header.epoch.to_string();
        let changed_password = |content: &Content| {
            content
                .settings
                .get(super::rekey::PASSWORD_EPOCH)
                .is_some_and(|s| s.value == epoch)
        };
        // Theirs wins only when they changed the password in this epoch and this vault did
        // not; otherwise (this vault changed it, both did, or neither) this vault's key stays.
        let keep_ours = changed_password(&self.content) || !changed_password(&content);
        let (winner, other_slots) = if keep_ours {
            self.retired.push((header.epoch, key));
            (self.header.clone(), header.slots)
        } else {
            let ours = std::mem::replace(&mut self.key, key);
            self.retired.push((self.header.epoch, ours));
            (header, self.header.slots.clone())
        };
        self.retired.extend(retired);
        let report = self.merge_content(content);
        let kept_by_other = |slot_id: &[u8; 16]| {
            other_slots
                .iter()
                .any(|s| matches!(s, Slot::Keyring { slot_id: id, .. } if id == slot_id))
        };
        let mut next = winner;
        next.slots.retain(|s| match s {
            Slot::Password { .. } => true,
            Slot::Keyring { slot_id, .. } => kept_by_other(slot_id),
        });
        next.epoch = self.header.epoch.max(next.epoch).saturating_add(1);
        next.generation = self.header.generation.max(next.generation);
        let content = self.content.clone();
        self.write_locked(next, content, storage::Keep::Same)?;
        Ok(report)
    }
}

/// Renames the vault file, which this vault cannot open, to an unmerged copy beside it, so
/// that the next save does not overwrite what another device wrote with an older key.
fn set_aside(path: &Path) -> Result<(), VaultError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let aside = conflicts::unmerged_name(path, stamp);
    std::fs::rename(path, &aside).map_err(|source| {
        VaultError::Storage(super::StorageError::Io {
            action: "set aside",
            path: path.to_path_buf(),
            source,
        })
    })
}
