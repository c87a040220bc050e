//! What the app holds while it runs: the vault (absent, locked or unlocked), the clock codes
//! are computed with, and the last clock measurement.

use crate::clipboard::SecretClipboard;
use crate::error::{CommandError, CommandResult};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tessera_core::clock::{Clock, Measurement};
use tessera_core::vault::Vault;

/// Settings kept inside the vault (so they follow it to other computers).
pub const SETTING_AUTO_LOCK: &str = "app.auto_lock_minutes";
/// The clock correction in milliseconds, present only while the user has it switched on.
pub const SETTING_CLOCK_CORRECTION: &str = "app.clock_correction_ms";
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
}

/// Shared app state, managed by Tauri and borrowed by every command.
pub struct AppState {
    vault_path: PathBuf,
    session: Mutex<VaultSession>,
    clock: Clock,
    measurement: Mutex<Option<Measurement>>,
    clipboard: SecretClipboard,
}

fn recover<T>(lock: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every vault operation is a single call that either saved or did not, so a command that
    // panicked while holding the lock cannot have left the state half-changed.
    lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    /// The state for the vault at `vault_path` (which may not exist yet).
    pub fn new(vault_path: PathBuf) -> Self {
        let session = if vault_path.exists() {
            VaultSession::Locked
        } else {
            VaultSession::Absent
        };
        AppState {
            vault_path,
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

    /// Runs `f` on the unlocked vault, or answers "locked".
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> CommandResult<T>,
    ) -> CommandResult<T> {
        match &mut *self.session() {
            VaultSession::Unlocked(vault) => f(vault),
            VaultSession::Locked | VaultSession::Absent => Err(CommandError::locked()),
        }
    }

    /// Makes `vault` the unlocked vault and applies the settings it carries.
    pub fn unlocked(&self, vault: Vault) {
        let correction = vault
            .settings()
            .get(SETTING_CLOCK_CORRECTION)
            .and_then(|v| v.parse::<i64>().ok());
        self.clock.set_correction(correction);
        *self.session() = VaultSession::Unlocked(Box::new(vault));
    }

    /// Locks the vault: the key and secrets are wiped as the vault is dropped.
    pub fn lock(&self) {
        let mut session = self.session();
        if matches!(*session, VaultSession::Unlocked(_)) {
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
