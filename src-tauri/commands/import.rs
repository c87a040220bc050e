//! Adding accounts in bulk: QR codes from the screen, an image file, the clipboard or a file
//! dropped on the window, and backups of other apps. Everything lands in the review first;
//! nothing is saved until the user picks.

use crate::capture::scan_screens;
use crate::error::{CommandError, CommandResult};
use crate::review::{Review, ReviewView, Source};
use crate::state::AppState;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tessera_core::backup::{self, Entry, Format, Protection};
use tessera_core::qr::{decode_file, decode_rgba, QrScan};
use zeroize::Zeroizing;

/// Image files the scanner reads.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp", "bmp", "gif"];
/// The event that brings a review to the page when a file was dropped on the window.
const REVIEW_EVENT: &str = "review-ready";
/// The event that asks the page for a dropped backup's password.
const PASSWORD_EVENT: &str = "backup-password-needed";
/// The event that reports a dropped file that could not be read.
const DROP_ERROR_EVENT: &str = "drop-failed";

/// The review and an encrypted backup waiting for its password.
#[derive(Default)]
pub struct ImportState {
    review: Mutex<Review>,
    locked_file: Mutex<Option<LockedFile>>,
}

struct LockedFile {
    name: String,
    bytes: Zeroizing<Vec<u8>>,
    format: Format,
}

impl ImportState {
    /// Drops what was read from outside and still holds secrets: the accounts of an open
    /// review and a backup waiting for its password. Locking calls this.
    pub fn forget(&self) {
        self.review().discard();
        *self.locked_file() = None;
    }

    fn review(&self) -> MutexGuard<'_, Review> {
        self.review.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn locked_file(&self) -> MutexGuard<'_, Option<LockedFile>> {
        self.locked_file.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What reading a backup file led to.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "step", rename_all = "camelCase")]
pub enum ImportStep {
    /// The accounts are in the review.
    Review { review: ReviewView },
    /// The file is encrypted: the page asks for its password.
    PasswordNeeded { format: String, file: String },
}

impl From<tessera_core::qr::QrError> for CommandError {
    fn from(err: tessera_core::qr::QrError) -> Self {
        CommandError::new("bad_input", err)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Puts what `scans` found into the review and returns it for the page.
fn review_scans(app: &AppHandle, scans: Vec<QrScan>, source: Source) -> CommandResult<ReviewView> {
    let payloads: Vec<String> = scans.into_iter().flat_map(|s| s.payloads).collect();
    let import = app.state::<ImportState>();
    let state = app.state::<AppState>();
    let mut review = import.review();
    let scanned = backup::from_payloads(&payloads, review.transfer());
    let nothing =
        scanned.entries.is_empty() && scanned.parts.is_empty() && scanned.unusable.is_empty();
    if nothing {
        let message = match (payloads.len(), scanned.other) {
            (0, _) => format!("no QR code found {}", source.label),
            (found, _) => format!(
                "{found} QR {} found {}, but none holds an authenticator account",
                if found == 1 { "code" } else { "codes" },
                source.label
            ),
        };
        return Err(CommandError::new("not_found", message));
    }
    review.start(source, scanned.entries, scanned.unusable);
    let existing = state.with_vault(|vault| Ok(vault.accounts()))?;
    review
        .view(&existing)
        .ok_or_else(|| CommandError::new("not_found", "nothing to review"))
}

/// Reads every screen for QR codes.
#[tauri::command(async)]
pub fn scan_screen(app: AppHandle) -> CommandResult<ReviewView> {
    // Locked vaults cannot take accounts; say so before reading the screen.
    app.state::<AppState>().with_vault(|_| Ok(()))?;
    let scans = scan_screens().map_err(|err| CommandError::new("capture", err))?;
    review_scans(
        &app,
        scans,
        Source {
            label: "on the screen".into(),
            image_file: None,
        },
    )
}

/// Reads the image on the clipboard for QR codes.
#[tauri::command(async)]
pub fn scan_clipboard_image(app: AppHandle) -> CommandResult<ReviewView> {
    let state = app.state::<AppState>();
    state.with_vault(|_| Ok(()))?;
    let image = state
        .clipboard()
        .read_image()
        .map_err(|err| CommandError::new("clipboard", err))?
        .ok_or_else(|| {
            CommandError::new(
                "not_found",
                "the clipboard holds no image: copy a screenshot or the QR code first",
            )
        })?;
    let scan = decode_rgba(image.0, image.1, &image.2)?;
    review_scans(
        &app,
        vec![scan],
        Source {
            label: "in the clipboard image".into(),
            image_file: None,
        },
    )
}

fn scan_image_path(app: &AppHandle, path: PathBuf) -> CommandResult<ReviewView> {
    let scan = decode_file(&path)?;
    review_scans(
        app,
        vec![scan],
        Source {
            label: format!("in {}", file_name(&path)),
            image_file: Some(path),
        },
    )
}

/// The file the user picks in `dialog`, or `None` when they cancel.
fn pick(
    dialog: tauri_plugin_dialog::FileDialogBuilder<tauri::Wry>,
) -> CommandResult<Option<PathBuf>> {
    dialog
        .blocking_pick_file()
        .map(|chosen| {
            chosen.into_path().map_err(|err| {
                CommandError::new("bad_input", format!("cannot open that file: {err}"))
            })
        })
        .transpose()
}

/// Asks for an image file and reads it for QR codes. Null when the dialog was cancelled.
#[tauri::command(async)]
pub fn scan_image_file(app: AppHandle) -> CommandResult<Option<ReviewView>> {
    app.state::<AppState>().with_vault(|_| Ok(()))?;
    let dialog = app
        .dialog()
        .file()
        .set_title("Open an image with a QR code")
        .add_filter("Images", IMAGE_EXTENSIONS);
    match pick(dialog)? {
        Some(path) => scan_image_path(&app, path).map(Some),
        None => Ok(None),
    }
}

fn read_backup(path: &Path) -> CommandResult<Zeroizing<Vec<u8>>> {
    let size = std::fs::metadata(path)
        .map_err(|err| {
            CommandError::new(
                "bad_input",
                format!("cannot read {}: {err}", file_name(path)),
            )
        })?
        .len();
    backup::check_size(size)?;
    std::fs::read(path).map(Zeroizing::new).map_err(|err| {
        CommandError::new(
            "bad_input",
            format!("cannot read {}: {err}", file_name(path)),
        )
    })
}

fn review_backup(
    app: &AppHandle,
    name: String,
    bytes: &[u8],
    format: Format,
    password: Option<&str>,
) -> CommandResult<ReviewView> {
    let imported = backup::import(bytes, Some(format), password)?;
    if imported.entries.is_empty() && imported.unusable.is_empty() {
        return Err(CommandError::new(
            "not_found",
            format!("{name} holds no accounts"),
        ));
    }
    let import = app.state::<ImportState>();
    let mut review = import.review();
    review.start(
        Source {
            label: format!("in {name} ({})", imported.format.label()),
            image_file: None,
        },
        imported.entries,
        imported.unusable,
    );
    let existing = app
        .state::<AppState>()
        .with_vault(|vault| Ok(vault.accounts()))?;
    review
        .view(&existing)
        .ok_or_else(|| CommandError::new("not_found", "nothing to review"))
}

fn open_backup_path(app: &AppHandle, path: &Path) -> CommandResult<ImportStep> {
    let bytes = read_backup(path)?;
    let name = file_name(path);
    let (importer, protection) = backup::detect(&bytes)?;
    let format = importer.format();
    if protection == Protection::Encrypted {
        *app.state::<ImportState>().locked_file() = Some(LockedFile {
            name: name.clone(),
            bytes,
            format,
        });
        return Ok(ImportStep::PasswordNeeded {
            format: format.label().into(),
            file: name,
        });
    }
    let review = review_backup(app, name, &bytes, format, None)?;
    Ok(ImportStep::Review { review })
}

/// Asks for a backup file of Tessera or another app and reads it. Null when cancelled.
#[tauri::command(async)]
pub fn import_backup_file(app: AppHandle) -> CommandResult<Option<ImportStep>> {
    app.state::<AppState>().with_vault(|_| Ok(()))?;
    match pick(app.dialog().file().set_title("Import a backup"))? {
        Some(path) => open_backup_path(&app, &path).map(Some),
        None => Ok(None),
    }
}

/// Opens the encrypted backup waiting for its password. A wrong password keeps it waiting.
#[tauri::command(async)]
pub fn unlock_backup(app: AppHandle, password: String) -> CommandResult<ReviewView> {
    let password = Zeroizing::new(password);
    let import = app.state::<ImportState>();
    let (name, bytes, format) = {
        let pending = import.locked_file();
        let file = pending
            .as_ref()
            .ok_or_else(|| CommandError::new("not_found", "no backup is waiting for a password"))?;
        (file.name.clone(), file.bytes.clone(), file.format)
    };
    let review = review_backup(&app, name, &bytes, format, Some(&password))?;
    *import.locked_file() = None;
    Ok(review)
}

/// The review waiting for the user, if any.
#[tauri::command]
pub fn review_state(
    app_state: State<'_, AppState>,
    import: State<'_, ImportState>,
) -> CommandResult<Option<ReviewView>> {
    let existing = app_state.with_vault(|vault| Ok(vault.accounts()))?;
    Ok(import.review().view(&existing))
}

/// What adding the chosen accounts did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewAdded {
    added: usize,
    /// The image file the accounts came from, offered for deletion.
    image_file: Option<String>,
}

/// Adds the chosen entries (by their review index) and ends the review.
#[tauri::command]
pub fn confirm_review(
    app: AppHandle,
    app_state: State<'_, AppState>,
    import: State<'_, ImportState>,
    chosen: Vec<usize>,
) -> CommandResult<ReviewAdded> {
    let now = app_state.now_ms() / 1000;
    let mut review = import.review();
    if !review.is_open() {
        return Err(CommandError::new("not_found", "there is nothing to add"));
    }
    let entries: Vec<Entry> = review.take(&chosen);
    let count = entries.len();
    let accounts = entries.into_iter().map(|e| e.into_account(now)).collect();
    app_state.with_vault(|vault| Ok(vault.add_accounts(accounts)?))?;
    let image_file = review.deletable().map(|p| file_name(p));
    if count == 0 {
        review.take_deletable();
    }
    drop(review);
    crate::tray::sync(&app);
    Ok(ReviewAdded {
        added: count,
        image_file: if count > 0 { image_file } else { None },
    })
}

/// Ends the review without adding anything.
#[tauri::command]
pub fn discard_review(import: State<'_, ImportState>) {
    import.review().discard();
    *import.locked_file() = None;
}

/// Deletes the image the last accounts were added from, on the user's explicit request.
#[tauri::command]
pub fn delete_scanned_image(import: State<'_, ImportState>) -> CommandResult<String> {
    let path = import
        .review()
        .take_deletable()
        .ok_or_else(|| CommandError::new("not_found", "there is no image to delete"))?;
    std::fs::remove_file(&path).map_err(|err| {
        CommandError::new(
            "storage",
            format!("could not delete {}: {err}", file_name(&path)),
        )
    })?;
    Ok(file_name(&path))
}

/// A file dropped on the window: an image is scanned, anything else read as a backup. The
/// outcome reaches the page as an event, since no command is waiting for it.
pub fn on_drop(app: &AppHandle, paths: &[PathBuf]) {
    let Some(path) = paths.first().cloned() else {
        return;
    };
    let app = app.clone();
    std::thread::spawn(move || {
        let is_image = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        let outcome = if is_image {
            scan_image_path(&app, path).map(|review| ImportStep::Review { review })
        } else {
            open_backup_path(&app, &path)
        };
        let _ = match outcome {
            Ok(ImportStep::Review { review }) => app.emit(REVIEW_EVENT, review),
            Ok(step @ ImportStep::PasswordNeeded { .. }) => app.emit(PASSWORD_EVENT, step),
            Err(err) => app.emit(DROP_ERROR_EVENT, err),
        };
    });
}
