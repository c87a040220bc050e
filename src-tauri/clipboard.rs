//! The clipboard as a place for secrets: codes are marked to stay out of clipboard histories
//! and cloud clipboards where the platform has a convention for it, and are cleared after a
//! while, but only if the clipboard still holds them (the user's own copy is never touched).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zeroize::Zeroizing;

/// Why a copy failed.
#[derive(Debug, thiserror::Error)]
#[error("could not use the clipboard: {0}")]
pub struct ClipboardError(String);

/// Tessera's handle on the system clipboard. On X11 and Wayland the copying process serves the
/// clipboard's content itself, so this handle lives as long as the app.
pub struct SecretClipboard {
    inner: Arc<Inner>,
}

struct Inner {
    clipboard: Mutex<Option<arboard::Clipboard>>,
    /// Bumped at every copy, so that a pending clear knows a newer copy replaced its code.
    generation: AtomicU64,
    /// The last text copied and its generation, so that locking can take it off at once.
    last: Mutex<Option<(Zeroizing<String>, u64)>>,
}

impl SecretClipboard {
    /// A handle that connects to the clipboard on first use (so a session without one still
    /// starts, and says what is wrong when the user copies).
    pub fn new() -> Self {
        SecretClipboard {
            inner: Arc::new(Inner {
                clipboard: Mutex::new(None),
                generation: AtomicU64::new(0),
                last: Mutex::new(None),
            }),
        }
    }

    /// Puts `text` on the clipboard, marked as a secret, and clears it after `clear_after`
    /// unless something else was copied meanwhile.
    pub fn copy_secret(
        &self,
        text: String,
        clear_after: Option<Duration>,
    ) -> Result<(), ClipboardError> {
        self.inner
            .with(|clipboard| set_secret(clipboard, text.clone()))?;
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        *self.inner.last_copy() = Some((Zeroizing::new(text.clone()), generation));
        if let Some(delay) = clear_after {
            let inner = Arc::clone(&self.inner);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                inner.clear_if_still(&text, generation);
            });
        }
        Ok(())
    }

    /// Takes the last copied code off the clipboard now, if the clipboard still holds it (on
    /// lock: a locked Tessera leaves no code behind, whatever the clear delay).
    pub fn clear_now(&self) {
        let last = self.inner.last_copy().take();
        if let Some((text, generation)) = last {
            self.inner.clear_if_still(&text, generation);
        }
    }
}

impl SecretClipboard {
    /// The image on the clipboard as (width, height, RGBA pixels), or `None` when it holds
    /// something else.
    pub fn read_image(&self) -> Result<Option<(u32, u32, Vec<u8>)>, ClipboardError> {
        let mut slot = self
            .inner
            .clipboard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(|e| ClipboardError(e.to_string()))?);
        }
        let clipboard = slot.as_mut().expect("connected above");
        match clipboard.get_image() {
            Ok(image) => Ok(Some((
                u32::try_from(image.width).unwrap_or(u32::MAX),
                u32::try_from(image.height).unwrap_or(u32::MAX),
                image.bytes.into_owned(),
            ))),
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(err) => Err(ClipboardError(err.to_string())),
        }
    }
}

impl Default for SecretClipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl Inner {
    fn with<T>(
        &self,
        action: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>,
    ) -> Result<T, ClipboardError> {
        let mut slot = self
            .clipboard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(|e| ClipboardError(e.to_string()))?);
        }
        let clipboard = slot.as_mut().expect("connected above");
        action(clipboard).map_err(|e| ClipboardError(e.to_string()))
    }

    fn last_copy(&self) -> std::sync::MutexGuard<'_, Option<(Zeroizing<String>, u64)>> {
        self.last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn clear_if_still(&self, text: &str, generation: u64) {
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        // Reading and clearing under one lock: a copy cannot slip in between.
        let _ = self.with(|clipboard| {
            if clipboard.get_text().is_ok_and(|current| current == text) {
                clipboard.clear()?;
            }
            Ok(())
        });
    }
}

#[cfg(target_os = "linux")]
fn set_secret(clipboard: &mut arboard::Clipboard, text: String) -> Result<(), arboard::Error> {
    use arboard::SetExtLinux;
    // KDE's Klipper, GNOME's clipboard-history extensions and most others honour this hint.
    clipboard.set().exclude_from_history().text(text)
}

#[cfg(target_os = "windows")]
fn set_secret(clipboard: &mut arboard::Clipboard, text: String) -> Result<(), arboard::Error> {
    use arboard::SetExtWindows;
    clipboard
        .set()
        .exclude_from_history()
        .exclude_from_cloud()
        .text(text)
}

#[cfg(target_os = "macos")]
fn set_secret(clipboard: &mut arboard::Clipboard, text: String) -> Result<(), arboard::Error> {
    use arboard::SetExtApple;
    // Marks the item with the concealed type that clipboard managers skip.
    clipboard.set().exclude_from_history().text(text)
}

#[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
fn set_secret(clipboard: &mut arboard::Clipboard, text: String) -> Result<(), arboard::Error> {
    clipboard.set_text(text)
}
