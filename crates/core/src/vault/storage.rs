//! The file side of saving (format spec, section 7): the lock file that keeps two writers
//! apart, capped reads, and the atomic replace that keeps the previous version as a backup.

use super::format::MAX_FILE_LEN;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a save waits for another writer to finish before reporting the vault busy.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// Errors of reading and writing vault files.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A file operation failed.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "write".
        action: &'static str,
        /// The file it was done to.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// Another process held the vault's lock for longer than [`LOCK_TIMEOUT`].
    #[error("the vault is busy: another Tessera process is saving it")]
    Busy,
    /// The file is larger than any vault may be.
    #[error("{} is too large to be a vault", .0.display())]
    TooLarge(PathBuf),
}

fn io_error<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> StorageError + 'a {
    move |source| StorageError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// `<vault file name><suffix>` in the vault's directory.
pub fn sidecar(vault: &Path, suffix: &str) -> PathBuf {
    let mut name = vault.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    vault.with_file_name(name)
}

/// An exclusive hold on a vault's lock file, released when dropped (or when the process dies,
/// so a killed writer never leaves the vault locked).
pub struct LockGuard {
    _file: File,
}

/// Takes the exclusive lock on `<vault>.lock`, waiting up to [`LOCK_TIMEOUT`].
pub fn lock(vault: &Path) -> Result<LockGuard, StorageError> {
    let path = sidecar(vault, ".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_error("create the lock file", &path))?;
    let deadline = Instant::now() + LOCK_TIMEOUT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(LockGuard { _file: file }),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(TryLockError::WouldBlock) => return Err(StorageError::Busy),
            Err(TryLockError::Error(e)) => return Err(io_error("lock", &path)(e)),
        }
    }
}

/// Reads a vault file, refusing files beyond the format's size cap before reading them.
/// Returns `None` when the file does not exist.
pub fn read_capped(path: &Path) -> Result<Option<Vec<u8>>, StorageError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("open", path)(e)),
    };
    let len = file.metadata().map_err(io_error("inspect", path))?.len();
    if len > MAX_FILE_LEN {
        return Err(StorageError::TooLarge(path.to_path_buf()));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // The take() guards against a file that grows between the size check and the read.
    file.take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error("read", path))?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(StorageError::TooLarge(path.to_path_buf()));
    }
    Ok(Some(bytes))
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The vault holds every secret: readable by its owner only.
        options.mode(0o600);
    }
    options.open(path)
}

/// What `<path>.bak` holds after [`write_atomic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The version before this save.
    Previous,
    /// This save's bytes too: after the vault key changed, the previous version (under the
    /// old key) must not stay behind.
    Same,
}

/// Replaces `path` with `bytes` so that at every instant the file is complete, old or new,
/// and keeps a backup as `<path>.bak` as `keep` says. The caller holds the lock.
#[cfg(test)]
pub fn write_atomic(path: &Path, bytes: &[u8], keep: Keep) -> Result<(), StorageError> {
    write_atomic_if(path, bytes, keep, || true).map(|_| ())
}

/// [`write_atomic`], but only if `unchanged()` still holds once the new file is on disk, just
/// before the rename: a sync tool replaces the vault without taking its lock, and its file
/// must not be renamed over. Returns whether the file was written.
pub fn write_atomic_if(
    path: &Path,
    bytes: &[u8],
    keep: Keep,
    unchanged: impl Fn() -> bool,
) -> Result<bool, StorageError> {
    let tmp = write_beside(path, bytes)?;
    if !unchanged() {
        let _ = fs::remove_file(&tmp);
        return Ok(false);
    }
    match keep {
        Keep::Previous if path.exists() => keep_backup(path)?,
        Keep::Previous => {}
        Keep::Same => write_private(&sidecar(path, ".bak"), bytes)?,
    }
    fs::rename(&tmp, path).map_err(io_error("replace", path))?;
    sync_dir(path)?;
    Ok(true)
}

/// Writes a file that holds secrets (an export, a backup) the same way as the vault: owner-only
/// permissions, complete or absent under its final name, but without keeping the old version.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StorageError> {
    let tmp = write_beside(path, bytes)?;
    fs::rename(&tmp, path).map_err(io_error("replace", path))?;
    sync_dir(path)
}

/// `bytes` in `<path>.tmp`, flushed to disk; the caller renames it into place.
fn write_beside(path: &Path, bytes: &[u8]) -> Result<PathBuf, StorageError> {
    let tmp = sidecar(path, ".tmp");
    let mut file = create_private(&tmp).map_err(io_error("create", &tmp))?;
    file.write_all(bytes).map_err(io_error("write", &tmp))?;
    file.sync_all().map_err(io_error("flush", &tmp))?;
    Ok(tmp)
}

/// Makes the current file `<path>.bak`: a hard link where the file system has them (no copy,
/// and the old version stays intact when the new one is renamed over it), a copy otherwise.
fn keep_backup(path: &Path) -> Result<(), StorageError> {
    let bak_tmp = sidecar(path, ".bak.tmp");
    let bak = sidecar(path, ".bak");
    match fs::remove_file(&bak_tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error("remove", &bak_tmp)(e)),
    }
    if fs::hard_link(path, &bak_tmp).is_err() {
        fs::copy(path, &bak_tmp).map_err(io_error("copy the vault to", &bak_tmp))?;
        File::open(&bak_tmp)
            .and_then(|f| f.sync_all())
            .map_err(io_error("flush", &bak_tmp))?;
    }
    fs::rename(&bak_tmp, &bak).map_err(io_error("replace", &bak))
}

/// Flushes the directory entry of `path`, so the rename itself survives a power cut.
fn sync_dir(path: &Path) -> Result<(), StorageError> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error("flush the directory", dir))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_keeps_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.tessera");
        write_atomic(&path, b"one", Keep::Previous).unwrap();
        assert!(!sidecar(&path, ".bak").exists());
        write_atomic(&path, b"two", Keep::Previous).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(sidecar(&path, ".bak")).unwrap(), b"one");
        assert!(!sidecar(&path, ".tmp").exists());
        write_atomic(&path, b"three", Keep::Same).unwrap();
        assert_eq!(fs::read(sidecar(&path, ".bak")).unwrap(), b"three");
    }

    #[test]
    fn a_file_replaced_meanwhile_is_not_renamed_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.tessera");
        write_atomic(&path, b"theirs", Keep::Previous).unwrap();
        assert!(!write_atomic_if(&path, b"mine", Keep::Previous, || false).unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"theirs");
        assert!(!sidecar(&path, ".tmp").exists());
        assert!(write_atomic_if(&path, b"mine", Keep::Previous, || true).unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"mine");
    }

    #[test]
    fn oversized_files_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        File::create(&path)
            .unwrap()
            .set_len(MAX_FILE_LEN + 1)
            .unwrap();
        assert!(matches!(read_capped(&path), Err(StorageError::TooLarge(_))));
        assert!(read_capped(&dir.path().join("missing")).unwrap().is_none());
    }

    #[test]
    fn a_second_lock_waits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.tessera");
        let guard = lock(&path).unwrap();
        let second = File::open(sidecar(&path, ".lock")).unwrap();
        assert!(matches!(second.try_lock(), Err(TryLockError::WouldBlock)));
        drop(guard);
        assert!(second.try_lock().is_ok());
    }
}
