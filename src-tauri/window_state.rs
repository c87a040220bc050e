//! The window opens where the user left it, at the size they left it: a small non-secret file
//! among this computer's own settings (never beside a vault that may be synced), written as
//! the window moves and read once at start.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::{PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, WindowEvent};

/// Smaller than this and the window is not usable; a file asking for less is ignored.
const MIN_SIDE: u32 = 200;

/// Where and how large the window was, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Geometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

/// The saved geometry, if the file exists and makes sense.
pub fn load(file: &Path) -> Option<Geometry> {
    let text = std::fs::read_to_string(file).ok()?;
    if text.len() > 4096 {
        return None;
    }
    let geometry: Geometry = serde_json::from_str(&text).ok()?;
    (geometry.width >= MIN_SIDE && geometry.height >= MIN_SIDE).then_some(geometry)
}

/// Puts `window` where `geometry` says, if that place is still on one of the screens (a monitor
/// may have been unplugged since).
pub fn restore<R: Runtime>(window: &WebviewWindow<R>, geometry: Geometry) {
    let on_screen = window.available_monitors().is_ok_and(|monitors| {
        monitors.iter().any(|m| {
            let (mx, my) = (m.position().x, m.position().y);
            let (mw, mh) = (m.size().width as i32, m.size().height as i32);
            // The title bar's corner must be inside a monitor to be grabbed again.
            geometry.x >= mx - 50
                && geometry.x < mx + mw - 50
                && geometry.y >= my
                && geometry.y < my + mh - 50
        })
    });
    let _ = window.set_size(PhysicalSize::new(geometry.width, geometry.height));
    if on_screen {
        let _ = window.set_position(PhysicalPosition::new(geometry.x, geometry.y));
    }
    if geometry.maximized {
        let _ = window.maximize();
    }
}

/// Keeps the file in step with the window. Every move is written (a few dozen bytes): the app
/// may be ended without a close event, and the last position is the one that matters.
pub struct Tracker {
    file: PathBuf,
}

impl Tracker {
    /// A tracker writing to `file`.
    pub fn new(file: PathBuf) -> Self {
        Tracker { file }
    }

    /// Records the window's geometry after `event`, when it changed it.
    pub fn on_event<R: Runtime>(&self, window: &tauri::Window<R>, event: &WindowEvent) {
        let closing = matches!(event, WindowEvent::CloseRequested { .. });
        if !closing && !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let maximized = window.is_maximized().unwrap_or(false);
        let (Ok(position), Ok(size)) = (window.outer_position(), window.inner_size()) else {
            return;
        };
        if window.is_minimized().unwrap_or(false) {
            return;
        }
        let geometry = Geometry {
            x: position.x,
            y: position.y,
            width: size.width,
            height: size.height,
            maximized,
        };
        if let Ok(json) = serde_json::to_string(&geometry) {
            // Not a secret, and losing it costs only a window position: a plain write will do.
            let _ = std::fs::write(&self.file, json);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_geometry_reads_back_and_nonsense_is_ignored() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let file = dir.path().join("window.json");
        assert_eq!(load(&file), None);
        let geometry = Geometry {
            x: 40,
            y: -5,
            width: 500,
            height: 700,
            maximized: false,
        };
        std::fs::write(&file, serde_json::to_string(&geometry).unwrap()).unwrap();
        assert_eq!(load(&file), Some(geometry));
        std::fs::write(
            &file,
            r#"{"x":0,"y":0,"width":3,"height":700,"maximized":false}"#,
        )
        .unwrap();
        assert_eq!(load(&file), None);
        std::fs::write(&file, "not json").unwrap();
        assert_eq!(load(&file), None);
    }
}
