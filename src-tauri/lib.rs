//! The Tauri shell: window, app state and the commands the web UI calls. Every command is a
//! thin adapter over a `tessera-core` function.

mod commands;
mod error;
mod state;
mod view;

use state::AppState;

/// Starts the desktop app and blocks until it exits.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(AppState::new())
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::list_accounts,
            commands::add_account_uri,
            commands::add_account_manual,
            commands::copy_code,
            commands::delete_account,
            commands::hotp_next,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|err| {
            eprintln!("tessera: could not start the app: {err}");
            std::process::exit(1);
        });
}
