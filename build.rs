/// The commands the web UI may call. tauri-build turns each into an `allow-<command>`
/// permission, and only those granted in `capabilities/main.json` are reachable from the page.
const COMMANDS: &[&str] = &[
    "app_status",
    "create_vault",
    "unlock_vault",
    "unlock_with_keyring",
    "lock_vault",
    "change_password",
    "set_keyring_unlock",
    "set_auto_lock",
    "set_close_to_tray",
    "list_conflicts",
    "merge_conflict",
    "list_accounts",
    "add_account_uri",
    "add_account_manual",
    "copy_code",
    "delete_account",
    "hotp_next",
    "set_pinned",
    "clock_status",
    "measure_clock",
    "set_clock_correction",
    "verify_code",
    "neighbour_codes",
    "account_details",
    "update_account_details",
    "set_recovery_codes",
    "mark_recovery_code",
    "copy_recovery_code",
    "backup_status",
    "set_backup_reminder",
    "export_backup",
    "transfer_codes",
    "account_qr",
    "copy_settings",
    "set_copy_settings",
    "scan_screen",
    "scan_clipboard_image",
    "scan_image_file",
    "import_backup_file",
    "unlock_backup",
    "review_state",
    "confirm_review",
    "discard_review",
    "delete_scanned_image",
    "hide_window",
    "quick_pick_shortcut",
    "set_quick_pick_shortcut",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
