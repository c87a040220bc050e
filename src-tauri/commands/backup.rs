//! Backups from the app: exports written by Rust to a place the user picks in a save dialog
//! opened from Rust (the page never sees a secret or chooses a path), and the reminder that
//! asks for one when accounts are not covered.

use crate::error::{quoted, CommandError, CommandResult};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use tessera_core::backup::{self, reminder, BackupError, Encryption, Format};
use tessera_core::vault::Vault;
use zeroize::Zeroizing;

/// Vault setting: when the last export was written (Unix seconds).
const SETTING_LAST_BACKUP: &str = "app.last_backup_at";
/// Vault setting: after how many days a backup counts as old (0: never remind).
const SETTING_REMINDER_DAYS: &str = "app.backup_reminder_days";
const DEFAULT_REMINDER_DAYS: u32 = 30;
const MAX_REMINDER_DAYS: u32 = 365;
/// A backup password shorter than this is refused: the file may travel to cloud drives.
const MIN_BACKUP_PASSWORD_CHARS: usize = 8;

impl From<BackupError> for CommandError {
    fn from(err: BackupError) -> Self {
        let kind = match &err {
            BackupError::PasswordNeeded(_) => "password_needed",
            BackupError::WrongPassword(_) => "wrong_password",
            _ => "bad_input",
        };
        CommandError::new(kind, err)
    }
}

/// What the backup dialog asks for.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportRequest {
    /// A format name as `tessera-cli export --format` takes it.
    format: String,
    /// The password to encrypt with; required for formats that are always encrypted.
    password: Option<Zeroizing<String>>,
    /// The user ticked "I understand this file is not encrypted".
    accept_plain: bool,
}

/// An export that was written.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    /// Where it went, to show the user.
    path: String,
    /// How many accounts it holds.
    written: usize,
    /// Accounts the format could not hold, with the reason.
    left_out: Vec<LeftOut>,
}

/// An account an export left out.
#[derive(Debug, Serialize)]
pub struct LeftOut {
    label: String,
    reason: String,
}

/// The reminder and the settings behind it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    /// A sentence when a backup is due, else null.
    reminder: Option<String>,
    /// When the last export was written (Unix milliseconds), if ever.
    last_backup_ms: Option<u64>,
    /// After how many days a backup counts as old; 0 = never remind.
    reminder_days: u32,
}

fn setting<T: std::str::FromStr>(vault: &Vault, key: &str) -> Option<T> {
    vault.settings().get(key).and_then(|v| v.parse().ok())
}

fn status_of(vault: &Vault, now: u64) -> BackupStatus {
    let last: Option<u64> = setting(vault, SETTING_LAST_BACKUP);
    let days = setting(vault, SETTING_REMINDER_DAYS).unwrap_or(DEFAULT_REMINDER_DAYS);
    BackupStatus {
        reminder: reminder::due(&vault.accounts(), last, days, now).map(|r| r.to_string()),
        last_backup_ms: last.map(|s| s.saturating_mul(1000)),
        reminder_days: days,
    }
}

/// Whether a backup is due, and why.
#[tauri::command]
pub fn backup_status(state: State<'_, AppState>) -> CommandResult<BackupStatus> {
    let now = state.now_ms() / 1000;
    state.with_vault(|vault| Ok(status_of(vault, now)))
}

/// Sets after how many days a backup counts as old (0 turns the reminder off).
#[tauri::command]
pub fn set_backup_reminder(state: State<'_, AppState>, days: u32) -> CommandResult<BackupStatus> {
    if days > MAX_REMINDER_DAYS {
        return Err(CommandError::new(
            "bad_input",
            format!("the reminder can wait at most {MAX_REMINDER_DAYS} days"),
        ));
    }
    let now = state.now_ms() / 1000;
    state.with_vault(|vault| {
        vault.set_setting(SETTING_REMINDER_DAYS, &days.to_string())?;
        Ok(status_of(vault, now))
    })
}

/// Checks the request against what the format does with passwords; returns the password to
/// encrypt with, if any.
fn password_for(
    format: Format,
    encryption: Encryption,
    request: ExportRequest,
) -> CommandResult<Option<Zeroizing<String>>> {
    let password = request.password.filter(|p| !p.is_empty());
    if let Some(password) = &password {
        if encryption == Encryption::Never {
            return Err(CommandError::new(
                "bad_input",
                format!("{} files cannot be encrypted", format.label()),
            ));
        }
        if password.chars().count() < MIN_BACKUP_PASSWORD_CHARS {
            return Err(CommandError::new(
                "bad_input",
                format!(
                    "the backup password needs at least {MIN_BACKUP_PASSWORD_CHARS} characters"
                ),
            ));
        }
    } else if encryption == Encryption::Always {
        return Err(CommandError::new(
            "bad_input",
            format!(
                "{} backups are encrypted: choose a password",
                format.label()
            ),
        ));
    } else if !request.accept_plain {
        return Err(CommandError::new(
            "bad_input",
            "this file would hold your secrets in clear text: confirm that you understand",
        ));
    }
    Ok(password)
}

/// Asks where to save, then writes every account as `request.format`. Returns null when the
/// user cancels the save dialog.
#[tauri::command(async)]
pub fn export_backup(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    request: ExportRequest,
) -> CommandResult<Option<Exported>> {
    let format = Format::from_name(&request.format).ok_or_else(|| {
        CommandError::new(
            "bad_input",
            format!("unknown format {}", quoted(&request.format)),
        )
    })?;
    let exporter = backup::exporter(format)?;
    let password = password_for(format, exporter.encryption(), request)?;
    let accounts = state.with_vault(|vault| Ok(vault.accounts()))?;
    if accounts.is_empty() {
        return Err(CommandError::new(
            "bad_input",
            "there are no accounts to back up yet",
        ));
    }

    let now = state.now_ms() / 1000;
    let Some(chosen) = app
        .dialog()
        .file()
        .set_title("Save the backup")
        .set_file_name(format.suggested_file_name(&backup::iso_date(now)))
        .add_filter(format.label(), &[format.extension()])
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = chosen
        .into_path()
        .map_err(|err| CommandError::new("storage", format!("cannot save there: {err}")))?;

    let exported = exporter.export(&accounts, password.as_ref().map(|p| p.as_str()))?;
    tessera_core::vault::write_private(&path, &exported.bytes)
        .map_err(|err| CommandError::new("storage", err))?;
    state.with_vault(|vault| Ok(vault.set_setting(SETTING_LAST_BACKUP, &now.to_string())?))?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        written: accounts.len() - exported.left_out.len(),
        left_out: exported
            .left_out
            .into_iter()
            .map(|u| LeftOut {
                label: u.label,
                reason: u.reason,
            })
            .collect(),
    }))
}

/// One transfer QR code, drawn as SVG.
#[derive(Debug, Serialize)]
pub struct TransferCodeView {
    part: usize,
    of: usize,
    svg: String,
}

/// The codes that move every account to Google Authenticator (or any app that reads its
/// transfers), and the accounts they cannot hold.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferCodes {
    codes: Vec<TransferCodeView>,
    left_out: Vec<LeftOut>,
}

/// Google Authenticator transfer codes for every account, to show one after another. They
/// hold the secrets, so they are drawn only on request and never written anywhere.
#[tauri::command(async)]
pub fn transfer_codes(state: State<'_, AppState>) -> CommandResult<TransferCodes> {
    let accounts = state.with_vault(|vault| Ok(vault.accounts()))?;
    if accounts.is_empty() {
        return Err(CommandError::new(
            "bad_input",
            "there are no accounts to transfer yet",
        ));
    }
    let (codes, left_out) = backup::google::transfer_codes(&accounts)?;
    let views = codes
        .iter()
        .map(|code| {
            let label = format!("Transfer code {} of {}", code.part, code.of);
            tessera_core::qr::render::svg(&code.uri, &label)
                .map(|svg| TransferCodeView {
                    part: code.part,
                    of: code.of,
                    svg,
                })
                .map_err(|err| CommandError::new("bad_input", err))
        })
        .collect::<CommandResult<Vec<_>>>()?;
    Ok(TransferCodes {
        codes: views,
        left_out: left_out
            .into_iter()
            .map(|u| LeftOut {
                label: u.label,
                reason: u.reason,
            })
            .collect(),
    })
}

/// The QR code of one account (its otpauth link), to add it on another device.
#[tauri::command]
pub fn account_qr(state: State<'_, AppState>, id: String) -> CommandResult<String> {
    let id = tessera_core::account::AccountId::parse(&id)?;
    let account = state.with_vault(|vault| Ok(vault.get(&id)?))?;
    let uri = backup::uri_of(&account).to_uri();
    tessera_core::qr::render::svg(&uri, &format!("QR code of {}", account.display_label()))
        .map_err(|err| CommandError::new("bad_input", err))
}
