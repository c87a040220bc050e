//! One account's details: labels, notes, group and its recovery codes.
//!
//! Recovery codes reach the page only while the details dialog is open, because the user has
//! to read them; OTP secrets never do.

use crate::commands::accounts::copy_secret;
use crate::error::CommandResult;
use crate::state::{AppState, CopyPolicy};
use crate::view::AccountDetails;
use tauri::State;
use tessera_core::account::AccountId;
use tessera_core::enroll::{self, Details};
use tessera_core::recovery;
use tessera_core::vault::AccountEdit;

/// Applies `change` to the account `id` as merged from disk and saves it, returning its
/// details afterwards.
fn change(
    state: &AppState,
    id: &str,
    change: impl FnOnce(&mut AccountEdit<'_>) -> CommandResult<()>,
) -> CommandResult<AccountDetails> {
    let id = AccountId::parse(id)?;
    state.with_vault(|vault| {
        vault.modify(&id, |edit| {
            change(edit)?;
            Ok(AccountDetails::new(&edit.account()))
        })
    })
}

/// Everything the details dialog shows.
#[tauri::command]
pub fn account_details(state: State<'_, AppState>, id: String) -> CommandResult<AccountDetails> {
    let id = AccountId::parse(&id)?;
    state.with_vault(|vault| Ok(AccountDetails::new(&vault.get(&id)?)))
}

/// Saves edited labels, notes and group.
#[tauri::command]
pub fn update_account_details(
    state: State<'_, AppState>,
    id: String,
    details: Details,
) -> CommandResult<AccountDetails> {
    change(&state, &id, |edit| Ok(enroll::edit(edit, details)?))
}

/// Replaces the recovery codes with those found in pasted text. Codes already marked used
/// stay used.
#[tauri::command]
pub fn set_recovery_codes(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> CommandResult<AccountDetails> {
    change(&state, &id, |edit| {
        let pasted = if text.trim().is_empty() {
            Vec::new()
        } else {
            recovery::parse_codes(&text)?
        };
        edit.set_recovery_codes(pasted);
        Ok(())
    })
}

/// Marks recovery code number `index` used or unused.
#[tauri::command]
pub fn mark_recovery_code(
    state: State<'_, AppState>,
    id: String,
    index: usize,
    used: bool,
) -> CommandResult<AccountDetails> {
    change(&state, &id, |edit| {
        edit.mark_recovery_code(index, used)?;
        Ok(())
    })
}

/// Copies recovery code number `index` and marks it used, since a copied code is about to be
/// spent.
#[tauri::command]
pub fn copy_recovery_code(
    state: State<'_, AppState>,
    id: String,
    index: usize,
) -> CommandResult<AccountDetails> {
    let (code, label, policy) = {
        let id = AccountId::parse(&id)?;
        state.with_vault(|vault| {
            let account = vault.get(&id)?;
            let code = account
                .recovery_codes
                .get(index)
                .map(|code| code.code.clone())
                .ok_or(recovery::RecoveryError::NoSuchCode(index + 1))?;
            Ok((code, account.display_label(), CopyPolicy::of(vault)))
        })?
    };
    // Copied first: a code marked used that never reached the clipboard would be lost to the user.
    copy_secret(&state, code, &format!("{label} recovery code"), policy)?;
    change(&state, &id, |edit| {
        edit.mark_recovery_code(index, true)?;
        Ok(())
    })
}
