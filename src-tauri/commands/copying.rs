//! How copies behave: when the clipboard is cleared and whether a notification confirms them.

use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, CopyPolicy, SETTING_CLIPBOARD_CLEAR, SETTING_COPY_NOTIFICATIONS};
use serde::Serialize;
use tauri::State;

/// Longer than this and "clear the clipboard" stops meaning anything.
const MAX_CLEAR_SECONDS: u32 = 3_600;

/// The copy settings as the settings dialog shows them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CopySettings {
    /// Seconds until a copied code is cleared; 0 = never.
    clear_seconds: u64,
    /// Whether a desktop notification confirms each copy.
    notify: bool,
}

impl From<CopyPolicy> for CopySettings {
    fn from(policy: CopyPolicy) -> Self {
        CopySettings {
            clear_seconds: policy.clear_after.map_or(0, |d| d.as_secs()),
            notify: policy.notify,
        }
    }
}

/// The current copy settings.
#[tauri::command]
pub fn copy_settings(state: State<'_, AppState>) -> CommandResult<CopySettings> {
    state.with_vault(|vault| Ok(CopyPolicy::of(vault).into()))
}

/// Changes the copy settings; returns them as saved.
#[tauri::command]
pub fn set_copy_settings(
    state: State<'_, AppState>,
    clear_seconds: u32,
    notify: bool,
) -> CommandResult<CopySettings> {
    if clear_seconds > MAX_CLEAR_SECONDS {
        return Err(CommandError::new(
            "bad_input",
            format!("the clipboard can be cleared after at most {MAX_CLEAR_SECONDS} seconds"),
        ));
    }
    state.with_vault(|vault| {
        vault.set_setting(SETTING_CLIPBOARD_CLEAR, &clear_seconds.to_string())?;
        vault.set_setting(
            SETTING_COPY_NOTIFICATIONS,
            if notify { "true" } else { "false" },
        )?;
        Ok(CopyPolicy::of(vault).into())
    })
}
