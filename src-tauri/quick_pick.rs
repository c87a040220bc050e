//! Quick pick: a system-wide shortcut brings Tessera to the front with its search box ready;
//! Enter copies the best match and the window steps back. The shortcut is kept in a small
//! non-secret file among this computer's own settings, since it must work while the vault is
//! locked.

use crate::single_instance::bring_to_front;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

/// Unused by common desktops and apps, and easy to reach with one hand.
pub const DEFAULT_SHORTCUT: &str = "Ctrl+Shift+Space";
/// The event that tells the page to focus its search box.
pub const EVENT: &str = "quick-pick";

/// Why a shortcut could not be set.
#[derive(Debug, thiserror::Error)]
pub enum QuickPickError {
    /// Not a key combination.
    #[error("{} is not a key combination Tessera understands (e.g. Ctrl+Shift+Space)", crate::error::quoted(.0))]
    Invalid(String),
    /// Another application holds it, or the desktop refuses global shortcuts.
    #[error("the shortcut {shortcut} cannot be used: {reason}")]
    Taken { shortcut: String, reason: String },
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Prefs {
    /// `None` once the user turned the shortcut off.
    quick_pick_shortcut: Option<String>,
}

/// The shortcut in use and where it is remembered.
pub struct QuickPick {
    file: PathBuf,
    current: Mutex<Option<String>>,
}

/// The remembered shortcut: the default until the user chose another, `None` when turned off.
fn load(file: &Path) -> Option<String> {
    match std::fs::read_to_string(file) {
        Ok(text) if text.len() < 4096 => serde_json::from_str::<Prefs>(&text)
            .map(|prefs| prefs.quick_pick_shortcut)
            .unwrap_or_else(|_| Some(DEFAULT_SHORTCUT.to_string())),
        _ => Some(DEFAULT_SHORTCUT.to_string()),
    }
}

fn register<R: Runtime>(app: &AppHandle<R>, shortcut: &str) -> Result<(), QuickPickError> {
    let parsed =
        Shortcut::from_str(shortcut).map_err(|_| QuickPickError::Invalid(shortcut.to_string()))?;
    app.global_shortcut()
        .on_shortcut(parsed, |app, _, event| {
            if event.state == ShortcutState::Pressed {
                bring_to_front(app);
                let _ = app.emit(EVENT, ());
            }
        })
        .map_err(|err| QuickPickError::Taken {
            shortcut: shortcut.to_string(),
            reason: err.to_string(),
        })
}

impl QuickPick {
    /// Registers the remembered shortcut. A shortcut another app holds is not fatal: the
    /// settings show it as unavailable.
    pub fn install<R: Runtime>(app: &AppHandle<R>, prefs: &Path) -> QuickPick {
        let file = prefs.to_path_buf();
        let wanted = load(&file);
        let current = wanted.filter(|shortcut| register(app, shortcut).is_ok());
        QuickPick {
            file,
            current: Mutex::new(current),
        }
    }

    /// The shortcut in use, if any.
    pub fn current(&self) -> Option<String> {
        self.current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the shortcut (`None` turns quick pick off). On failure the old one stays.
    pub fn set<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        shortcut: Option<String>,
    ) -> Result<(), QuickPickError> {
        let shortcut = shortcut
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if let Some(wanted) = &shortcut {
            Shortcut::from_str(wanted).map_err(|_| QuickPickError::Invalid(wanted.clone()))?;
        }
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let _ = app.global_shortcut().unregister_all();
        if let Some(wanted) = &shortcut {
            if let Err(err) = register(app, wanted) {
                if let Some(old) = current.as_deref() {
                    let _ = register(app, old);
                }
                return Err(err);
            }
        }
        *current = shortcut.clone();
        let prefs = Prefs {
            quick_pick_shortcut: shortcut,
        };
        if let Ok(json) = serde_json::to_string(&prefs) {
            // Not a secret; a lost write only means the default next time.
            let _ = std::fs::write(&self.file, json);
        }
        Ok(())
    }
}

/// Registers the quick pick shortcut remembered in `prefs` (this computer's settings).
pub fn install<R: Runtime>(app: &AppHandle<R>, prefs: &Path) {
    let quick = QuickPick::install(app, prefs);
    app.manage(quick);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_until_chosen_and_off_when_turned_off() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("prefs.json");
        assert_eq!(load(&file).as_deref(), Some(DEFAULT_SHORTCUT));
        std::fs::write(&file, r#"{"quickPickShortcut":null}"#).unwrap();
        assert_eq!(load(&file), None);
        std::fs::write(&file, r#"{"quickPickShortcut":"Ctrl+Alt+K"}"#).unwrap();
        assert_eq!(load(&file).as_deref(), Some("Ctrl+Alt+K"));
        assert!(Shortcut::from_str(DEFAULT_SHORTCUT).is_ok());
        assert!(Shortcut::from_str("Ctrl+Nonsense").is_err());
    }
}
