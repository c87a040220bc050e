//! The vault's life: create on first run, unlock, lock, change password, keyring unlock,
//! auto-lock, and merging copies a sync tool left behind.
//!
//! Commands that derive keys (about half a second) or touch the OS keyring run with
//! `async` so the window stays responsive.

use crate::error::{quoted, CommandError, CommandResult};
use crate::startup_trace::{self, Milestone};
use crate::state::{
    AppState, VaultSession, DEFAULT_AUTO_LOCK_MINUTES, SETTING_AUTO_LOCK, SETTING_COMPACT,
    SETTING_ORDER,
};
use crate::tray;
use crate::view::{AppStatus, Conflict, Created, Merged};
use std::time::Duration;
use tauri::{Manager, State};
use tessera_core::vault::{KdfParams, Vault};

/// Shortest password accepted for a new vault; the UI's strength hint asks for more.
const MIN_PASSWORD_CHARS: usize = 8;
/// Key derivation is calibrated to take about this long on the user's machine.
const KDF_TARGET: Duration = Duration::from_millis(500);
/// Auto-lock choices above this are refused (a day).
const MAX_AUTO_LOCK_MINUTES: u32 = 24 * 60;

/// Where accounts live, whether the vault is locked, and the app's version.
#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    startup_trace::reached(Milestone::FirstScreen);
    let path = state.vault_path().to_path_buf();
    let (vault, keyring_slot, auto_lock_minutes, prefs) = match &*state.session() {
        VaultSession::Absent => (
            "none",
            false,
            DEFAULT_AUTO_LOCK_MINUTES,
            ListPrefs::default(),
        ),
        VaultSession::Locked => (
            "locked",
            Vault::offers_keyring_unlock(&path).unwrap_or(false),
            DEFAULT_AUTO_LOCK_MINUTES,
            ListPrefs::default(),
        ),
        VaultSession::Unlocked(v) => (
            "unlocked",
            v.has_keyring_slot(),
            auto_lock_of(v),
            ListPrefs::of(v),
        ),
    };
    let storage_note = if vault == "none" {
        format!("The vault will be created at {}", path.display())
    } else {
        format!("Accounts are saved encrypted in {}", path.display())
    };
    AppStatus {
        storage: "vault",
        storage_note,
        version: env!("CARGO_PKG_VERSION"),
        vault,
        vault_path: path.display().to_string(),
        keyring_slot,
        auto_lock_minutes,
        close_to_tray: prefs.close_to_tray,
        order: prefs.order,
        compact: prefs.compact,
    }
}

/// The window and list preferences kept in the vault; the defaults while it is locked.
struct ListPrefs {
    close_to_tray: bool,
    order: &'static str,
    compact: bool,
}

impl Default for ListPrefs {
    fn default() -> Self {
        ListPrefs {
            close_to_tray: false,
            order: "manual",
            compact: false,
        }
    }
}

impl ListPrefs {
    fn of(vault: &Vault) -> Self {
        let settings = vault.settings();
        let is = |key: &str, value: &str| settings.get(key).is_some_and(|v| v == value);
        ListPrefs {
            close_to_tray: is(tray::SETTING_CLOSE_TO_TRAY, "true"),
            order: if is(SETTING_ORDER, "alphabetical") {
                "alphabetical"
            } else {
                "manual"
            },
            compact: is(SETTING_COMPACT, "true"),
        }
    }
}

fn auto_lock_of(vault: &Vault) -> u32 {
    vault
        .settings()
        .get(SETTING_AUTO_LOCK)
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_AUTO_LOCK_MINUTES)
}

fn check_new_password(password: &str) -> CommandResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CommandError::new(
            "bad_input",
            format!("choose a password of at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Creates the vault on first run, optionally with keyring unlock. A keyring that is not
/// there does not stop creation: the vault is made with the password alone and the reason
/// is returned for the UI to show.
#[tauri::command(async)]
pub fn create_vault(
    state: State<'_, AppState>,
    password: String,
    use_keyring: bool,
) -> CommandResult<Created> {
    let password = zeroize::Zeroizing::new(password);
    check_new_password(&password)?;
    if !matches!(*state.session(), VaultSession::Absent) {
        return Err(CommandError::new("bad_input", "a vault already exists"));
    }
    if let Some(dir) = state.vault_path().parent() {
        std::fs::create_dir_all(dir).map_err(|err| {
            CommandError::new(
                "storage",
                format!("cannot create the folder {}: {err}", dir.display()),
            )
        })?;
    }
    let params = KdfParams::calibrate(KDF_TARGET).map_err(|e| CommandError::new("storage", e))?;
    let mut vault = Vault::create(state.vault_path(), &password, params)?;
    let keyring_error = if use_keyring {
        vault.enable_keyring_slot().err().map(|e| e.to_string())
    } else {
        None
    };
    state.unlocked(vault);
    Ok(Created { keyring_error })
}

/// Unlocks with the password.
#[tauri::command(async)]
pub fn unlock_vault(state: State<'_, AppState>, password: String) -> CommandResult<()> {
    startup_trace::reached(Milestone::UnlockStarted);
    let password = zeroize::Zeroizing::new(password);
    let vault = Vault::open_with_password(state.vault_path(), &password)?;
    state.unlocked(vault);
    Ok(())
}

/// Unlocks with the key the OS keyring holds for this vault.
#[tauri::command(async)]
pub fn unlock_with_keyring(state: State<'_, AppState>) -> CommandResult<()> {
    let vault = Vault::open_with_keyring(state.vault_path())?;
    state.unlocked(vault);
    Ok(())
}

/// Locks now: the key and every secret leave memory.
#[tauri::command]
pub fn lock_vault(app: tauri::AppHandle) {
    lock_all(&app);
}

/// Locks: the vault and its key are dropped (their buffers zeroed), and so is anything read
/// from outside that holds secrets (a review of scanned accounts, a backup awaiting its
/// password), and a code still on the clipboard is taken off. The tray follows.
pub fn lock_all<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(state) = app.try_state::<AppState>() {
        state.lock();
        state.clipboard().clear_now();
    }
    if let Some(import) = app.try_state::<crate::commands::import::ImportState>() {
        import.forget();
    }
    tray::sync(app);
}

/// Whether closing the window keeps Tessera running in the tray.
#[tauri::command]
pub fn set_close_to_tray(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    enabled: bool,
) -> CommandResult<()> {
    state.with_vault(|vault| {
        Ok(vault.set_setting(
            tray::SETTING_CLOSE_TO_TRAY,
            if enabled { "true" } else { "false" },
        )?)
    })?;
    tray::sync(&app);
    Ok(())
}

/// Changes the password; key derivation never gets weaker than it was.
#[tauri::command(async)]
pub fn change_password(
    state: State<'_, AppState>,
    current: String,
    new: String,
) -> CommandResult<()> {
    let (current, new) = (
        zeroize::Zeroizing::new(current),
        zeroize::Zeroizing::new(new),
    );
    check_new_password(&new)?;
    state.with_vault(|vault| Ok(vault.change_password(&current, &new, None)?))
}

/// Turns keyring unlock on or off for this computer. Turning it off replaces the vault key
/// (so a keyring entry copied elsewhere opens nothing saved afterwards), which needs the
/// vault password.
#[tauri::command(async)]
pub fn set_keyring_unlock(
    state: State<'_, AppState>,
    enabled: bool,
    password: Option<String>,
) -> CommandResult<()> {
    let password = password.map(zeroize::Zeroizing::new);
    state.with_vault(|vault| {
        if enabled {
            vault.enable_keyring_slot()?;
        } else {
            let password = password.as_deref().filter(|p| !p.is_empty()).ok_or_else(|| {
                CommandError::new(
                    "password_needed",
                    "enter the vault password to turn keyring unlock off",
                )
            })?;
            vault.disable_keyring_slot(password)?;
        }
        Ok(())
    })
}

/// Sets the idle time after which the UI locks the vault (0 = never).
#[tauri::command]
pub fn set_auto_lock(state: State<'_, AppState>, minutes: u32) -> CommandResult<()> {
    if minutes > MAX_AUTO_LOCK_MINUTES {
        return Err(CommandError::new(
            "bad_input",
            format!("auto-lock can wait at most {MAX_AUTO_LOCK_MINUTES} minutes"),
        ));
    }
    state.with_vault(|vault| Ok(vault.set_setting(SETTING_AUTO_LOCK, &minutes.to_string())?))
}

/// Copies of the vault a sync tool left beside it.
#[tauri::command]
pub fn list_conflicts(state: State<'_, AppState>) -> CommandResult<Vec<Conflict>> {
    state.with_vault(|vault| {
        Ok(vault
            .conflict_copies()
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| Conflict {
                name: n.to_string_lossy().into_owned(),
            })
            .collect())
    })
}

/// Merges one conflict copy into the vault, by account id. `name` must be one of the copies
/// `list_conflicts` reported, so the page cannot point at any other file.
#[tauri::command(async)]
pub fn merge_conflict(
    state: State<'_, AppState>,
    name: String,
    password: Option<String>,
) -> CommandResult<Merged> {
    let password = password.map(zeroize::Zeroizing::new);
    state.with_vault(|vault| {
        let copy = vault
            .conflict_copies()
            .into_iter()
            .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == name))
            .ok_or_else(|| {
                CommandError::new(
                    "not_found",
                    format!("no conflict copy named {}", quoted(&name)),
                )
            })?;
        let report = vault.merge_file(&copy, password.as_deref().map(|p| p.as_str()))?;
        Ok(Merged {
            added: report.added,
            updated: report.updated,
            removed: report.removed,
        })
    })
}
