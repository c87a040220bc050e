//! What the app holds while it runs: the vault (absent, locked or unlocked), the clock codes
//! are computed with, and the last clock measurement.

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

    /// The last clock measurement of this run.
    pub fn measurement(&self) -> MutexGuard<'_, Option<Measurement>> {
        recover(&self.measurement)
    }
}
