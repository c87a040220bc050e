//! One Tessera per vault: a second launch hands over to the running one (which comes to the
//! front) instead of opening a second writer of the same vault.

use tauri::{AppHandle, Manager, Runtime};

/// The name the running instance is found by. Tessera normally keeps one vault per user, but a
/// vault named by `TESSERA_VAULT` gets a name of its own, so two vaults can be open at once.
/// (Only Linux lets the plugin take a name; elsewhere one instance per app runs.)
pub fn instance_name(identifier: &str) -> String {
    match std::env::var_os("TESSERA_VAULT").filter(|p| !p.is_empty()) {
        Some(path) => format!("{identifier}.vault_{:016x}", fnv1a(path.as_encoded_bytes())),
        None => identifier.to_string(),
    }
}

/// FNV-1a: short, stable across runs and platforms, and enough to tell vault paths apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What the running instance does when another launch is attempted: show its window.
pub fn bring_to_front<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_its_published_vectors() {
        // From the FNV reference test suite.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
