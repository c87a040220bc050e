//! The window and its system-wide shortcut.

use crate::error::{CommandError, CommandResult};
use crate::quick_pick::QuickPick;
use tauri::{AppHandle, Manager, State};

/// Steps the window back after a quick pick (Enter copied, or Esc).
#[tauri::command]
pub fn hide_window(app: AppHandle) -> CommandResult<()> {
    let window = app
        .get_webview_window("main")
        .ok_or_else(|| CommandError::new("not_found", "no main window"))?;
    window
        .hide()
        .map_err(|err| CommandError::new("storage", format!("could not hide the window: {err}")))
}

/// The quick pick shortcut in use, or null when it is off (or taken by another app).
#[tauri::command]
pub fn quick_pick_shortcut(quick: State<'_, QuickPick>) -> Option<String> {
    quick.current()
}

/// Sets the quick pick shortcut; null turns it off.
#[tauri::command]
pub fn set_quick_pick_shortcut(
    app: AppHandle,
    quick: State<'_, QuickPick>,
    shortcut: Option<String>,
) -> CommandResult<Option<String>> {
    quick
        .set(&app, shortcut)
        .map_err(|err| CommandError::new("bad_input", err))?;
    Ok(quick.current())
}
