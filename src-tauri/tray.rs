//! The tray (menu-bar) icon: the pinned accounts (a click copies the current code), show,
//! lock and quit. Labels only: codes change every step, so they are never in the menu.

use crate::commands::accounts::{code_to_copy, copy_secret};
use crate::single_instance::bring_to_front;
use crate::state::{AppState, VaultSession};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tauri::menu::{Menu, MenuBuilder, MenuEvent};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tessera_core::account::{Account, AccountId};

const TRAY_ID: &str = "tessera";
/// Prefix of the menu ids that copy an account's code.
const COPY_PREFIX: &str = "copy:";
/// The event the page listens to, to show the unlock screen at once.
pub const LOCKED_EVENT: &str = "vault-locked";
/// Vault setting: closing the window keeps Tessera in the tray ("true"/"false").
pub const SETTING_CLOSE_TO_TRAY: &str = "app.close_to_tray";

/// What the tray shows now, to rebuild the menu only when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shown {
    Locked,
    Pinned(Vec<(String, String)>),
}

/// The tray's memory between events.
#[derive(Default)]
pub struct TrayState {
    shown: Mutex<Option<Shown>>,
    /// Mirrors the vault setting, so the window's close button works while the vault is locked.
    close_to_tray: AtomicBool,
}

impl TrayState {
    /// Whether closing the window should only hide it.
    pub fn closes_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::SeqCst)
    }
}

/// The (id, label) pairs of the pinned accounts, in the list's order.
fn pinned(accounts: &[Account]) -> Vec<(String, String)> {
    accounts
        .iter()
        .filter(|a| a.pinned)
        .map(|a| (a.id.to_string(), a.display_label()))
        .collect()
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, shown: &Shown) -> tauri::Result<Menu<R>> {
    let mut menu = MenuBuilder::new(app);
    match shown {
        Shown::Locked => {
            menu = menu.text("show", "Unlock Tessera…");
        }
        Shown::Pinned(accounts) => {
            if accounts.is_empty() {
                menu = menu.item(
                    &tauri::menu::MenuItemBuilder::with_id(
                        "none",
                        "Pin accounts to copy them here",
                    )
                    .enabled(false)
                    .build(app)?,
                );
            }
            for (id, label) in accounts {
                menu = menu.text(format!("{COPY_PREFIX}{id}"), format!("Copy {label}"));
            }
            menu = menu
                .separator()
                .text("quick-pick", "Quick pick…")
                .text("show", "Show Tessera")
                .text("lock", "Lock");
        }
    }
    menu.separator().text("quit", "Quit Tessera").build()
}

/// Puts the menu in step with the vault: called after anything that may change the pinned
/// accounts or the lock.
pub fn sync<R: Runtime>(app: &AppHandle<R>) {
    let (Some(state), Some(tray_state)) =
        (app.try_state::<AppState>(), app.try_state::<TrayState>())
    else {
        return;
    };
    let shown = match &*state.session() {
        VaultSession::Unlocked(vault) => {
            let close = vault
                .settings()
                .get(SETTING_CLOSE_TO_TRAY)
                .is_some_and(|v| v == "true");
            tray_state.close_to_tray.store(close, Ordering::SeqCst);
            Shown::Pinned(pinned(&vault.accounts()))
        }
        VaultSession::Locked | VaultSession::Absent => Shown::Locked,
    };
    let mut last = tray_state.shown.lock().unwrap_or_else(|p| p.into_inner());
    if last.as_ref() == Some(&shown) {
        return;
    }
    if let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY_ID), build_menu(app, &shown)) {
        if tray.set_menu(Some(menu)).is_ok() {
            *last = Some(shown);
        }
    }
}

/// Creates the tray icon. A desktop without a tray simply shows none.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    app.manage(TrayState::default());
    let menu = build_menu(app, &Shown::Locked)?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Tessera")
        .menu(&menu)
        .on_menu_event(on_menu_event);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    sync(app);
    Ok(())
}

/// Locks the vault and tells the page, which shows the unlock screen at once.
pub fn lock<R: Runtime>(app: &AppHandle<R>) {
    crate::commands::vault::lock_all(app);
    let _ = app.emit(LOCKED_EVENT, ());
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    match id {
        "show" => bring_to_front(app),
        "quick-pick" => {
            bring_to_front(app);
            let _ = app.emit(crate::quick_pick::EVENT, ());
        }
        "lock" => lock(app),
        "quit" => app.exit(0),
        _ => {
            if let Some(account) = id.strip_prefix(COPY_PREFIX) {
                copy_from_tray(app, account);
            }
        }
    }
}

fn copy_from_tray<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let Ok(id) = AccountId::parse(id) else {
        return;
    };
    match code_to_copy(&state, &id, state.now_ms()) {
        Ok((code, label, policy)) => {
            let _ = copy_secret(&state, code, &format!("{label} code"), policy);
        }
        // Locked meanwhile (or the account is gone): the window explains.
        Err(_) => bring_to_front(app),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_core::backup::Entry;
    use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};

    fn account(issuer: &str, pinned: bool) -> Account {
        let otp = OtpParams::new(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(b"0123456789".to_vec()),
        )
        .expect("valid");
        let mut account = Entry::new(issuer.into(), "jane".into(), otp).into_account(1);
        account.pinned = pinned;
        account
    }

    #[test]
    fn only_pinned_accounts_reach_the_menu_by_label() {
        let accounts = [
            account("MyKerio", true),
            account("Kayako", false),
            account("MyGlue", true),
        ];
        let shown = pinned(&accounts);
        assert_eq!(
            shown.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(),
            ["MyKerio (jane)", "MyGlue (jane)"]
        );
        assert_eq!(shown[0].0, accounts[0].id.to_string());
    }
}
