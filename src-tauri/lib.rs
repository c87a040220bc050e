//! The Tauri shell: window, app state and the commands the web UI calls. Every command is a
//! thin adapter over a `tessera-core` function.

mod capture;
mod clipboard;
mod commands;
mod error;
mod hardening;
mod local_settings;
mod notify;
mod quick_pick;
mod review;
mod single_instance;
mod startup_trace;
mod state;
mod tray;
mod vault_watch;
mod view;
mod window_state;

use state::AppState;
use std::path::PathBuf;
use tauri::Manager;

/// The vault file name inside the app's data folder.
const VAULT_FILE: &str = "vault.tessera";

/// `TESSERA_VAULT` (shared with the CLI) or the platform's data folder for the app.
fn vault_path(app: &tauri::App) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("TESSERA_VAULT").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    app.path()
        .app_data_dir()
        .map(|dir| dir.join(VAULT_FILE))
        .map_err(|err| format!("cannot tell where to keep the vault: {err}"))
}

/// Starts the desktop app and blocks until it exits.
pub fn run() {
    // First, before any secret is in memory. A failure is reported, not fatal: the vault is
    // still encrypted at rest, and refusing to start would help no one.
    if let Err(err) = hardening::disable_core_dumps() {
        eprintln!("tessera: {err}; a crash could leave a core dump");
    }
    startup_trace::begin();
    let context = tauri::generate_context!();
    let instance = single_instance::instance_name(&context.config().identifier);
    tauri::Builder::default()
        // First, so that a second launch stops before it touches anything.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(|app, _args, _cwd| single_instance::bring_to_front(app))
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .on_page_load(|_, load| {
            if matches!(load.event(), tauri::webview::PageLoadEvent::Started) {
                startup_trace::reached(startup_trace::Milestone::PageStarted);
            }
        })
        .setup(|app| {
            let vault = vault_path(app)?;
            let local = local_settings::LocalFiles::resolve(app.handle(), &vault);
            quick_pick::install(app.handle(), &local.prefs());
            let window_file = local.window();
            if let (Some(window), Some(geometry)) = (
                app.get_webview_window("main"),
                window_state::load(&window_file),
            ) {
                window_state::restore(&window, geometry);
            }
            app.manage(window_state::Tracker::new(window_file));
            app.manage(AppState::new(vault.clone(), local));
            vault_watch::install(app.handle(), &vault);
            app.manage(commands::import::ImportState::default());
            if let Err(err) = tray::install(app.handle()) {
                // Some desktops have no tray: the window is all there is.
                eprintln!("tessera: no tray icon: {err}");
            }
            startup_trace::reached(startup_trace::Milestone::SetupDone);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let Some(tracker) = window.try_state::<window_state::Tracker>() {
                tracker.on_event(window, event);
            }
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                commands::import::on_drop(window.app_handle(), paths);
            }
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let keep = window
                    .try_state::<tray::TrayState>()
                    .is_some_and(|t| t.closes_to_tray());
                if keep {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::vault::app_status,
            commands::vault::create_vault,
            commands::vault::unlock_vault,
            commands::vault::unlock_with_keyring,
            commands::vault::lock_vault,
            commands::vault::change_password,
            commands::vault::set_keyring_unlock,
            commands::vault::set_auto_lock,
            commands::vault::set_close_to_tray,
            commands::vault::list_conflicts,
            commands::vault::merge_conflict,
            commands::accounts::list_accounts,
            commands::accounts::add_account_uri,
            commands::accounts::add_account_manual,
            commands::accounts::copy_code,
            commands::accounts::delete_account,
            commands::accounts::recently_deleted,
            commands::accounts::restore_account,
            commands::accounts::hotp_next,
            commands::accounts::set_pinned,
            commands::accounts::move_account,
            commands::accounts::set_order,
            commands::accounts::set_compact,
            commands::clock::clock_status,
            commands::clock::measure_clock,
            commands::clock::set_clock_correction,
            commands::clock::verify_code,
            commands::clock::neighbour_codes,
            commands::details::account_details,
            commands::details::update_account_details,
            commands::details::set_recovery_codes,
            commands::details::mark_recovery_code,
            commands::details::copy_recovery_code,
            commands::backup::backup_status,
            commands::backup::set_backup_reminder,
            commands::backup::export_backup,
            commands::backup::transfer_codes,
            commands::backup::account_qr,
            commands::copying::copy_settings,
            commands::copying::set_copy_settings,
            commands::import::scan_screen,
            commands::import::scan_clipboard_image,
            commands::import::scan_image_file,
            commands::import::import_backup_file,
            commands::import::unlock_backup,
            commands::import::review_state,
            commands::import::confirm_review,
            commands::import::discard_review,
            commands::import::delete_scanned_image,
            commands::window::hide_window,
            commands::window::quick_pick_shortcut,
            commands::window::set_quick_pick_shortcut,
        ])
        .run(context)
        .unwrap_or_else(|err| {
            eprintln!("tessera: could not start the app: {err}");
            std::process::exit(1);
        });
}
