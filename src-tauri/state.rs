//! What the app holds while it runs: the vault (absent, locked or unlocked), the clock codes
//! are computed with, and the last clock measurement.

use crate::clipboard::SecretClipboard;
use crate::error::{CommandError, CommandResult};
use crate::local_settings::LocalFiles;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tessera_core::clock::correction::Correction;
use tessera_core::clock::{measure, Clock, MeasureConfig, Measurement};
use tessera_core::vault::Vault;

/// Settings kept inside the vault (so they follow it to other computers).
pub const SETTING_AUTO_LOCK: &str = "app.auto_lock_minutes";
/// Auto-lock after this many idle minutes unless the user chose otherwise.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 5;
/// Seconds after which a copied code is cleared from the clipboard (0: never).
pub const SETTING_CLIPBOARD_CLEAR: &str = "app.clipboard_clear_seconds";
/// How the list is ordered: "manual" (the user's own order) or "alphabetical".
pub const SETTING_ORDER: &str = "app.order";
/// Compact rows ("true"/"false").
pub const SETTING_COMPACT: &str = "app.compact";
/// Whether a desktop notification confirms each copy ("true"/"false").
pub const SETTING_COPY_NOTIFICATIONS: &str = "app.copy_notifications";
/// Long enough to paste, short enough that the code is gone before the next step.
pub const DEFAULT_CLIPBOARD_CLEAR_SECONDS: u32 = 30;

/// What happens around a copy, from the vault's settings.
#[derive(Debug, Clone, Copy)]
pub struct CopyPolicy {
    /// Clear the clipboard after this long (if it still holds the code).
    pub clear_after: Option<std::time::Duration>,
    /// Confirm with a desktop notification.
    pub notify: bool,
}

impl CopyPolicy {
    /// The policy the settings of `vault` describe.
    pub fn of(vault: &Vault) -> Self {
        let settings = vault.settings();
        let seconds = settings
            .get(SETTING_CLIPBOARD_CLEAR)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(DEFAULT_CLIPBOARD_CLEAR_SECONDS);
        CopyPolicy {
            clear_after: (seconds > 0).then(|| std::time::Duration::from_secs(seconds.into())),
            notify: settings
                .get(SETTING_COPY_NOTIFICATIONS)
                .is_none_or(|v| v != "false"),
        }
    }
}

/// The vault as the app sees it.
pub enum VaultSession {
    /// No vault file yet: the first run.
    Absent,
    /// A vault file exists but is not unlocked.
    Locked,
    /// Unlocked: the key and the accounts are in memory.
    Unlocked(Box<Vault>),
    /// Another device replaced the vault key (a new password): the accounts stay in memory,
    /// nothing is written, until the current password lets the vault rejoin the file.
    Rejoining(Box<Vault>),
}

/// Shared app state, managed by Tauri and borrowed by every command.
pub struct AppState {
    vault_path: PathBuf,
    local: LocalFiles,
    session: Mutex<VaultSession>,
    clock: Clock,
    measurement: Mutex<Option<Measurement>>,
    clipboard: SecretClipboard,
}

fn system_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Measures the clock twice and keeps the correction only if both agree (and it needs no
/// confirmation); otherwise the stored one stays while still current, or the correction ends.
fn recheck_correction(clock: &Clock, local: &LocalFiles, still_current: Option<Correction>) {
    let config = MeasureConfig::default();
    let fresh = measure(&config).and_then(|first| Ok((first, measure(&config)?)));
    match fresh
        .ok()
        .and_then(|(first, second)| Correction::from_measurements(&first, &second, false).ok())
    {
        Some(correction) => {
            let _ = local.set_correction(Some(&correction));
            clock.set_correction(Some(correction.offset_ms));
        }
        None if still_current.is_some() => {}
        None => {
            // Opted in, but the old figure expired and no new one agrees: codes use the
            // system clock, and the choice is kept for the next unlock.
            clock.set_correction(None);
        }
    }
}

fn recover<T>(lock: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every vault operation is a single call that either saved or did not, so a command that
    // panicked while holding the lock cannot have left the state half-changed.
    lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    /// The state for the vault at `vault_path` (which may not exist yet), with this
    /// computer's own settings in `local`.
    pub fn new(vault_path: PathBuf, local: LocalFiles) -> Self {
        let session = if vault_path.exists() {
            VaultSession::Locked
        } else {
            VaultSession::Absent
        };
        AppState {
            vault_path,
            local,
            session: Mutex::new(session),
            clock: Clock::new(),
            measurement: Mutex::new(None),
            clipboard: SecretClipboard::new(),
        }
    }

    /// Where the vault file lives.
    pub fn vault_path(&self) -> &std::path::Path {
        &self.vault_path
    }

    /// The vault session, to inspect or replace.
    pub fn session(&self) -> MutexGuard<'_, VaultSession> {
        recover(&self.session)
    }

    /// Runs `f` on the unlocked vault, or answers "locked" (or "rotated" while the vault
    /// waits for the password another device set). A vault that meets a replaced key on
    /// disk stops there: it keeps its accounts and waits for that password.
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> CommandResult<T>,
    ) -> CommandResult<T> {
        let mut session = self.session();
        let result = match &mut *session {
            VaultSession::Unlocked(vault) => f(vault),
            VaultSession::Rejoining(_) => Err(CommandError::rotated()),
            VaultSession::Locked | VaultSession::Absent => Err(CommandError::locked()),
        };
        if result.as_ref().is_err_and(|e| e.kind == "rotated") {
            if let VaultSession::Unlocked(vault) =
                std::mem::replace(&mut *session, VaultSession::Locked)
            {
                *session = VaultSession::Rejoining(vault);
            }
        }
        result
    }

    /// Makes `vault` the unlocked vault. This computer's clock correction, if the user opted
    /// in, applies while it is less than a day old, and is measured again now.
    pub fn unlocked(&self, vault: Vault) {
        *self.session() = VaultSession::Unlocked(Box::new(vault));
        let Some(stored) = self.local.correction() else {
            self.clock.set_correction(None);
            return;
        };
        let current = stored.is_current(system_ms());
        self.clock
            .set_correction(current.then_some(stored.offset_ms));
        let (clock, local) = (self.clock.clone(), self.local.clone());
        let _ = std::thread::Builder::new()
            .name("clock-recheck".into())
            .spawn(move || recheck_correction(&clock, &local, current.then_some(stored)));
    }

    /// This computer's own settings.
    pub fn local(&self) -> &LocalFiles {
        &self.local
    }

    /// Locks the vault: the key and secrets are wiped as the vault is dropped.
    pub fn lock(&self) {
        let mut session = self.session();
        if matches!(
            *session,
            VaultSession::Unlocked(_) | VaultSession::Rejoining(_)
        ) {
            *session = VaultSession::Locked;
        }
    }

    /// The clock every code is computed with (corrected when the user opted in).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The current time in Unix milliseconds, as codes and countdowns use it.
    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// The clipboard codes are copied to.
    pub fn clipboard(&self) -> &SecretClipboard {
        &self.clipboard
    }

    /// The last clock measurement of this run.
    pub fn measurement(&self) -> MutexGuard<'_, Option<Measurement>> {
        recover(&self.measurement)
    }
}
