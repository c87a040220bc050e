//! What belongs to this computer and never travels with the vault: the window's place, the
//! quick pick shortcut, and the clock correction (this computer's clock, not another's). They
//! live in the app's configuration folder, not beside the vault, which may be a synced folder.

use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime};
use tessera_core::clock::correction::Correction;

/// The folder of this computer's settings and the files in it.
#[derive(Debug, Clone)]
pub struct LocalFiles {
    dir: PathBuf,
}

impl LocalFiles {
    /// `TESSERA_CONFIG_DIR` (for tests and portable setups) or the platform's configuration
    /// folder for the app, created owner-only if missing.
    pub fn resolve<R: Runtime>(app: &AppHandle<R>, vault: &Path) -> LocalFiles {
        let dir = std::env::var_os("TESSERA_CONFIG_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| app.path().app_config_dir().ok())
            // No configuration folder at all (a broken environment): beside the vault is
            // better than nowhere.
            .unwrap_or_else(|| vault.parent().unwrap_or(Path::new(".")).to_path_buf());
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        let _ = builder.create(&dir);
        let files = LocalFiles { dir };
        files.adopt_sidecars(vault);
        files
    }

    /// The window's last place and size.
    pub fn window(&self) -> PathBuf {
        self.dir.join("window.json")
    }

    /// Preferences needed while the vault is locked (the quick pick shortcut).
    pub fn prefs(&self) -> PathBuf {
        self.dir.join("prefs.json")
    }

    fn correction_file(&self) -> PathBuf {
        self.dir.join("clock-correction.json")
    }

    /// The clock correction this computer opted in to, if any (current or expired).
    pub fn correction(&self) -> Option<Correction> {
        let text = std::fs::read_to_string(self.correction_file()).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Remembers (or forgets, with `None`) this computer's clock correction.
    pub fn set_correction(&self, correction: Option<&Correction>) -> std::io::Result<()> {
        match correction {
            Some(correction) => {
                let json = serde_json::to_string(correction).map_err(std::io::Error::other)?;
                std::fs::write(self.correction_file(), json)
            }
            None => match std::fs::remove_file(self.correction_file()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        }
    }

    /// Earlier versions kept the window and the shortcut beside the vault
    /// (`<vault>.window.json`, `<vault>.prefs.json`): they move here once.
    fn adopt_sidecars(&self, vault: &Path) {
        for (suffix, local) in [
            (".window.json", self.window()),
            (".prefs.json", self.prefs()),
        ] {
            let mut name = vault.file_name().unwrap_or_default().to_os_string();
            name.push(suffix);
            let old = vault.with_file_name(name);
            if !old.exists() || local.exists() {
                continue;
            }
            if std::fs::rename(&old, &local).is_err() && std::fs::copy(&old, &local).is_ok() {
                let _ = std::fs::remove_file(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_is_kept_and_forgotten_locally() {
        let dir = tempfile::tempdir().unwrap();
        let files = LocalFiles {
            dir: dir.path().to_path_buf(),
        };
        assert_eq!(files.correction(), None);
        let c = Correction {
            offset_ms: -1500,
            measured_at: 1_700_000_000_000,
        };
        files.set_correction(Some(&c)).unwrap();
        assert_eq!(files.correction(), Some(c));
        files.set_correction(None).unwrap();
        assert_eq!(files.correction(), None);
        files.set_correction(None).unwrap();
    }

    #[test]
    fn settings_beside_the_vault_move_here_once() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("sync/vault.tessera");
        std::fs::create_dir_all(vault.parent().unwrap()).unwrap();
        std::fs::write(dir.path().join("sync/vault.tessera.window.json"), "{}").unwrap();
        let files = LocalFiles {
            dir: dir.path().join("local"),
        };
        std::fs::create_dir_all(&files.dir).unwrap();
        files.adopt_sidecars(&vault);
        assert!(files.window().exists());
        assert!(!dir.path().join("sync/vault.tessera.window.json").exists());
    }
}
