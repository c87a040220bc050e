//! Conflict copies that sync tools leave beside a vault when two computers changed it at
//! once: Syncthing's `<stem>.sync-conflict-<date>-<time>-<device>.<ext>`, Dropbox's
//! `<stem> (<who>'s conflicted copy <date>).<ext>` and Nextcloud's
//! `<stem> (conflicted copy <date> <time>).<ext>`; and Tessera's own
//! `<stem>.unmerged-<millis>.<ext>`, a file written with a vault key this device no longer
//! holds, set aside instead of overwritten.

use std::path::{Path, PathBuf};

/// Markers the sync tools (and Tessera) put between the stem and the extension.
const MARKERS: [&str; 3] = [".sync-conflict-", "conflicted copy", ".unmerged-"];

/// The name of an unmerged copy of `vault`, set aside at `millis` (Unix milliseconds).
pub fn unmerged_name(vault: &Path, millis: u128) -> PathBuf {
    let name = vault
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("vault");
    let renamed = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.unmerged-{millis}.{ext}"),
        _ => format!("{name}.unmerged-{millis}"),
    };
    vault.with_file_name(renamed)
}

/// Whether `candidate` is a file name of a conflict copy of the vault named `vault_name`.
pub fn is_conflict_copy(vault_name: &str, candidate: &str) -> bool {
    let (stem, ext) = match vault_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (vault_name, None),
    };
    if candidate == vault_name || !candidate.starts_with(stem) {
        return false;
    }
    let middle = match ext {
        Some(ext) => match candidate
            .strip_suffix(ext)
            .and_then(|c| c.strip_suffix('.'))
        {
            Some(rest) => &rest[stem.len().min(rest.len())..],
            None => return false,
        },
        None => &candidate[stem.len()..],
    };
    MARKERS.iter().any(|m| middle.contains(m))
}

/// Conflict copies of the vault at `vault`, sorted by name. An unreadable directory lists none.
pub fn list(vault: &Path) -> Vec<PathBuf> {
    let Some(vault_name) = vault.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let dir = match vault.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|name| is_conflict_copy(vault_name, name))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::is_conflict_copy;

    #[test]
    fn recognises_syncthing_and_dropbox_names() {
        let v = "accounts.tessera";
        assert!(is_conflict_copy(
            v,
            "accounts.sync-conflict-20240101-120000-ABCDEFG.tessera"
        ));
        assert!(is_conflict_copy(
            v,
            "accounts (Alice's conflicted copy 2024-01-01).tessera"
        ));
        assert!(!is_conflict_copy(v, "accounts.tessera"));
        assert!(!is_conflict_copy(v, "accounts.tessera.bak"));
        assert!(!is_conflict_copy(
            v,
            "other.sync-conflict-20240101-120000-X.tessera"
        ));
        assert!(!is_conflict_copy(v, "accounts.sync-conflict-1.txt"));
        assert!(is_conflict_copy(
            "vault",
            "vault.sync-conflict-20240101-1-X"
        ));
        assert!(is_conflict_copy(
            v,
            "accounts (conflicted copy 2024-01-01 120000).tessera"
        ));
        let aside = super::unmerged_name(std::path::Path::new("/d/accounts.tessera"), 17);
        assert_eq!(
            aside,
            std::path::Path::new("/d/accounts.unmerged-17.tessera")
        );
        assert!(is_conflict_copy(v, "accounts.unmerged-17.tessera"));
    }
}
