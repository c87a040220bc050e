//! What the app holds while it runs: the account store and the clock codes are computed with.

use std::sync::{Mutex, MutexGuard};
use tessera_core::store::{AccountStore, MemoryStore};

/// Shared app state, managed by Tauri and borrowed by every command.
pub struct AppState {
    store: Mutex<Box<dyn AccountStore>>,
}

impl AppState {
    /// Starts with an in-memory store: nothing is written to disk.
    pub fn new() -> Self {
        AppState {
            store: Mutex::new(Box::new(MemoryStore::new())),
        }
    }

    /// The account store. A command that panicked while holding the lock cannot have left
    /// the store half-changed (every store operation is a single call), so a poisoned lock
    /// is recovered rather than taking the whole app down.
    pub fn store(&self) -> MutexGuard<'_, Box<dyn AccountStore>> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current time in Unix milliseconds, as codes and countdowns use it.
    pub fn now_ms(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }
}
