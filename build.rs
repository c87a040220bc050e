/// The commands the web UI may call. tauri-build turns each into an `allow-<command>`
/// permission, and only those granted in `capabilities/main.json` are reachable from the page.
const COMMANDS: &[&str] = &[
    "app_status",
    "list_accounts",
    "add_account_uri",
    "add_account_manual",
    "copy_code",
    "delete_account",
    "hotp_next",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
