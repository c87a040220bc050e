//! The live view: the vault's folder is watched (inotify, FSEvents, ReadDirectoryChanges
//! through the `notify` crate, so nothing runs while nothing changes), and a change another
//! writer made (the CLI, a second computer through Syncthing, Dropbox, Nextcloud or a USB
//! stick) is merged into the open vault within a second and shown with a quiet note. Conflict
//! copies the sync tools leave are merged and removed when they open with this vault's keys.

use crate::state::AppState;
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tessera_core::vault::is_conflict_copy;

/// The event the page listens to: `{ added, updated, removed, copies }`.
pub const CHANGED_EVENT: &str = "vault-changed";
/// The event that tells the page another device changed the password.
pub const ROTATED_EVENT: &str = "vault-rotated";

/// Sync tools write a file in several steps (temp file, rename, times): changes are merged
/// once the folder has been quiet this long.
const SETTLE: Duration = Duration::from_millis(150);

/// What the page is told after merging an outside change.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Changed {
    added: usize,
    updated: usize,
    removed: usize,
    /// Conflict copies merged and removed.
    copies: usize,
}

/// Whether an event on `path` concerns the vault `vault_name`: the file itself or a conflict
/// copy of it (the vault's own temp, lock and backup files do not count).
fn concerns(vault_name: &str, path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| name == vault_name || is_conflict_copy(vault_name, name))
}

/// Starts watching the folder of `vault` for the app's lifetime. A folder that cannot be
/// watched (a file system without change notification) leaves the app as it was: changes
/// from outside are then merged at the next save, as before.
pub fn install<R: Runtime>(app: &AppHandle<R>, vault: &Path) {
    let Some(name) = vault
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
    else {
        return;
    };
    let dir = match vault.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The first run creates the folder with the vault; watching starts now either way.
    let _ = std::fs::create_dir_all(&dir);
    let (tx, rx) = mpsc::channel::<()>();
    let watched = name.clone();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if event.paths.iter().any(|p| concerns(&watched, p)) {
                let _ = tx.send(());
            }
        }
    });
    let mut watcher: RecommendedWatcher = match watcher {
        Ok(watcher) => watcher,
        Err(err) => {
            eprintln!("tessera: cannot watch the vault folder: {err}");
            return;
        }
    };
    if let Err(err) = watcher.watch(&dir, RecursiveMode::NonRecursive) {
        eprintln!("tessera: cannot watch {}: {err}", dir.display());
        return;
    }
    let app = app.clone();
    std::thread::Builder::new()
        .name("vault-watch".into())
        .spawn(move || {
            // The watcher lives as long as this thread, which waits on its events.
            let _watcher = watcher;
            while rx.recv().is_ok() {
                loop {
                    match rx.recv_timeout(SETTLE) {
                        Ok(()) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                merge_outside_change(&app);
            }
        })
        .map(|_| ())
        .unwrap_or_else(|err| eprintln!("tessera: cannot start the vault watcher: {err}"));
}

/// Merges what changed on disk into the unlocked vault and tells the page.
fn merge_outside_change<R: Runtime>(app: &AppHandle<R>) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let outcome = state.with_vault(|vault| {
        let report = vault.reload()?;
        let copies = vault.merge_conflict_copies()?;
        Ok(Changed {
            added: report.added + copies.report.added,
            updated: report.updated + copies.report.updated,
            removed: report.removed + copies.report.removed,
            copies: copies.merged.len(),
        })
    });
    match outcome {
        Ok(changed) => {
            if changed.added + changed.updated + changed.removed + changed.copies > 0 {
                crate::tray::sync(app);
                let _ = app.emit(CHANGED_EVENT, changed);
            }
        }
        Err(err) if err.kind == "rotated" => {
            crate::tray::sync(app);
            let _ = app.emit(ROTATED_EVENT, ());
        }
        // Locked, or a file that could not be read this time: the next change or save tries
        // again, and a save reports the problem where the user acts.
        Err(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::concerns;
    use std::path::Path;

    #[test]
    fn the_vault_and_its_conflict_copies_concern_it_but_its_own_files_do_not() {
        let name = "vault.tessera";
        assert!(concerns(name, Path::new("/d/vault.tessera")));
        assert!(concerns(
            name,
            Path::new("/d/vault.sync-conflict-20240101-120000-ABC.tessera")
        ));
        for own in [
            "vault.tessera.tmp",
            "vault.tessera.lock",
            "vault.tessera.bak",
        ] {
            assert!(!concerns(name, &Path::new("/d").join(own)), "{own}");
        }
    }
}
