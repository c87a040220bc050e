//! Listing, adding, copying and deleting accounts in the unlocked vault.

use crate::error::{quoted, CommandError, CommandResult};
use crate::notify;
use crate::state::{AppState, CopyPolicy, SETTING_COMPACT, SETTING_ORDER};
use crate::tray;
use crate::view::{AccountList, AccountView, Added, Copied, Deleted};
use tauri::State;
use tessera_core::account::AccountId;
use tessera_core::codes::CodeSnapshot;
use tessera_core::enroll::{self, ManualEntry};
use tessera_core::store::sort_alphabetically;

/// Every account with its current code. The tray follows the list (pins, lock).
#[tauri::command]
pub fn list_accounts(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<AccountList> {
    tray::sync(&app);
    let now_ms = state.now_ms();
    let accounts = state.with_vault(|vault| {
        crate::startup_trace::reached(crate::startup_trace::Milestone::FirstCodes);
        let mut accounts = vault.accounts();
        if vault
            .settings()
            .get(SETTING_ORDER)
            .is_some_and(|o| o == "alphabetical")
        {
            sort_alphabetically(&mut accounts);
        }
        Ok(accounts)
    })?;
    Ok(AccountList {
        now_ms,
        accounts: accounts
            .iter()
            .map(|a| AccountView::new(a, now_ms))
            .collect(),
    })
}

/// Adds the account an otpauth:// URI describes.
#[tauri::command]
pub fn add_account_uri(state: State<'_, AppState>, uri: String) -> CommandResult<Added> {
    let now_ms = state.now_ms();
    let enrolled = enroll::from_uri(&uri, now_ms / 1000)?;
    add(&state, enrolled, now_ms)
}

/// Adds an account typed in by hand (issuer, name, key and the advanced fields).
#[tauri::command]
pub fn add_account_manual(state: State<'_, AppState>, input: ManualEntry) -> CommandResult<Added> {
    let now_ms = state.now_ms();
    let enrolled = enroll::from_manual(input, now_ms / 1000)?;
    add(&state, enrolled, now_ms)
}

fn add(state: &AppState, enrolled: enroll::Enrolled, now_ms: u64) -> CommandResult<Added> {
    let view = AccountView::new(&enrolled.account, now_ms);
    state.with_vault(|vault| Ok(vault.add(enrolled.account)?))?;
    Ok(Added {
        account: view,
        warnings: enrolled.warnings,
    })
}

/// Puts an account's current code on the clipboard.
#[tauri::command]
pub fn copy_code(state: State<'_, AppState>, id: String) -> CommandResult<Copied> {
    let id = AccountId::parse(&id)?;
    let now_ms = state.now_ms();
    let (code, label, policy) = code_to_copy(&state, &id, now_ms)?;
    let clears_in_seconds = copy_secret(&state, code.clone(), &format!("{label} code"), policy)?;
    Ok(Copied {
        code,
        clears_in_seconds,
    })
}

/// The current code of account `id`, its label and the vault's copy policy, with the
/// account's last use recorded.
pub(crate) fn code_to_copy(
    state: &AppState,
    id: &AccountId,
    now_ms: u64,
) -> CommandResult<(String, String, CopyPolicy)> {
    state.with_vault(|vault| {
        let (code, label) = vault.modify(id, |edit| {
            let account = edit.account();
            edit.record_use(now_ms / 1000);
            Ok::<_, CommandError>((
                CodeSnapshot::at(&account.otp, now_ms).code,
                account.display_label(),
            ))
        })?;
        Ok((code, label, CopyPolicy::of(vault)))
    })
}

/// Copies `text` as a secret under the vault's copy policy, with a desktop notification
/// naming `what` when the user wants one. Returns the seconds until the clipboard clears.
pub(crate) fn copy_secret(
    state: &AppState,
    text: String,
    what: &str,
    policy: CopyPolicy,
) -> CommandResult<Option<u64>> {
    state
        .clipboard()
        .copy_secret(text, policy.clear_after)
        .map_err(|err| CommandError::new("clipboard", err))?;
    if policy.notify {
        let body = notify::clears_in(policy.clear_after)
            .map(|clears| format!("It {clears}."))
            .unwrap_or_else(|| "It stays on the clipboard until you copy something else.".into());
        notify::show(format!("Copied the {what}"), body);
    }
    Ok(policy.clear_after.map(|d| d.as_secs()))
}

/// Deletes an account; the UI has already asked the user to confirm.
#[tauri::command]
pub fn delete_account(state: State<'_, AppState>, id: String) -> CommandResult<Deleted> {
    let id = AccountId::parse(&id)?;
    let removed = state.with_vault(|vault| Ok(vault.delete(&id)?))?;
    Ok(Deleted {
        label: removed.display_label(),
    })
}

/// Advances an HOTP account's counter and returns its new code.
#[tauri::command]
pub fn hotp_next(state: State<'_, AppState>, id: String) -> CommandResult<AccountView> {
    let id = AccountId::parse(&id)?;
    let now_ms = state.now_ms();
    state.with_vault(|vault| {
        // Under the vault's lock, from the counter just merged from disk: a code another
        // device or the CLI issued meanwhile is never handed out again.
        vault.modify(&id, |edit| {
            edit.issue_counter().ok_or_else(|| {
                CommandError::new(
                    "bad_input",
                    "this account's codes are time-based, not counter-based",
                )
            })?;
            Ok(AccountView::new(&edit.account(), now_ms))
        })
    })
}

/// Pins an account to the top of the list and to the tray menu, or unpins it.
#[tauri::command]
pub fn set_pinned(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
    pinned: bool,
) -> CommandResult<AccountView> {
    let id = AccountId::parse(&id)?;
    let now_ms = state.now_ms();
    let view = state.with_vault(|vault| {
        vault.modify(&id, |edit| {
            edit.set_pinned(pinned);
            Ok::<_, CommandError>(AccountView::new(&edit.account(), now_ms))
        })
    })?;
    tray::sync(&app);
    Ok(view)
}

/// Moves an account `offset` places up (negative) or down in the user's own order.
#[tauri::command]
pub fn move_account(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
    offset: i64,
) -> CommandResult<()> {
    let id = AccountId::parse(&id)?;
    state.with_vault(|vault| Ok(vault.move_account(&id, offset.clamp(-1000, 1000))?))?;
    tray::sync(&app);
    Ok(())
}

/// Orders the list by the user's own order ("manual") or by the alphabet ("alphabetical").
#[tauri::command]
pub fn set_order(state: State<'_, AppState>, order: String) -> CommandResult<()> {
    if order != "manual" && order != "alphabetical" {
        return Err(CommandError::new(
            "bad_input",
            format!("unknown order {}: manual or alphabetical", quoted(&order)),
        ));
    }
    state.with_vault(|vault| Ok(vault.set_setting(SETTING_ORDER, &order)?))
}

/// Compact rows (one line per account) or the comfortable default.
#[tauri::command]
pub fn set_compact(state: State<'_, AppState>, enabled: bool) -> CommandResult<()> {
    state.with_vault(|vault| {
        Ok(vault.set_setting(SETTING_COMPACT, if enabled { "true" } else { "false" })?)
    })
}
