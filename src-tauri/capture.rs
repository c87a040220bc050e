//! Screen capture for "scan the screen": every monitor, as RGBA images for the QR decoder.
//! X11 through the X protocol itself (x11rb: no system library), Windows and macOS through
//! xcap. Wayland desktops let applications see the screen only through the desktop portal,
//! which saves a screenshot file: Tessera reads it and deletes it at once.

use tessera_core::qr::{decode_rgba, QrScan};

/// One captured screen: width, height and RGBA pixels.
pub struct Capture {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// What every screen shows, read for QR codes.
pub fn scan_screens() -> Result<Vec<QrScan>, CaptureError> {
    #[cfg(target_os = "linux")]
    if is_wayland() {
        return portal::scan();
    }
    capture_screens()?
        .iter()
        .map(|c| decode_rgba(c.width, c.height, &c.rgba).map_err(CaptureError::from))
        .collect()
}

#[cfg(target_os = "linux")]
fn is_wayland() -> bool {
    std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
        || (std::env::var_os("WAYLAND_DISPLAY").is_some() && std::env::var_os("DISPLAY").is_none())
}

/// Why the screen could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// A Wayland session whose desktop portal refused or could not take the screenshot.
    #[error(
        "the desktop did not share the screen ({0}): take a screenshot (PrtSc), then paste \
         it or open the file"
    )]
    Portal(String),
    /// macOS without the Screen Recording permission gives empty images.
    #[error(
        "Tessera may not record the screen: allow it in System Settings › Privacy & Security \
         › Screen Recording, then try again"
    )]
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    Permission,
    /// The captured image could not be read.
    #[error(transparent)]
    Image(#[from] tessera_core::qr::QrError),
    /// Anything else the platform reported.
    #[error("could not read the screen: {0}")]
    Platform(String),
}

#[cfg(target_os = "linux")]
fn capture_screens() -> Result<Vec<Capture>, CaptureError> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

    let platform = |err: &dyn std::fmt::Display| CaptureError::Platform(err.to_string());
    let (connection, _) = x11rb::connect(None).map_err(|e| platform(&e))?;
    let mut captures = Vec::new();
    // The root window spans every monitor of a screen, so one image covers them all.
    for screen in &connection.setup().roots {
        let (width, height) = (screen.width_in_pixels, screen.height_in_pixels);
        let image = connection
            .get_image(ImageFormat::Z_PIXMAP, screen.root, 0, 0, width, height, !0)
            .map_err(|e| platform(&e))?
            .reply()
            .map_err(|e| platform(&e))?;
        let pixels = usize::from(width) * usize::from(height);
        if image.data.len() < pixels * 4 {
            return Err(CaptureError::Platform(format!(
                "the screen has {} bits per pixel; Tessera reads 24- and 32-bit screens",
                image.depth
            )));
        }
        // 24-bit X servers hand out little-endian BGRX.
        let mut rgba = Vec::with_capacity(pixels * 4);
        for bgrx in image.data.chunks_exact(4).take(pixels) {
            rgba.extend_from_slice(&[bgrx[2], bgrx[1], bgrx[0], 255]);
        }
        captures.push(Capture {
            width: u32::from(width),
            height: u32::from(height),
            rgba,
        });
    }
    Ok(captures)
}

#[cfg(not(target_os = "linux"))]
fn capture_screens() -> Result<Vec<Capture>, CaptureError> {
    let monitors = xcap::Monitor::all().map_err(|e| CaptureError::Platform(e.to_string()))?;
    let mut captures = Vec::new();
    for monitor in monitors {
        let image = monitor
            .capture_image()
            .map_err(|e| CaptureError::Platform(e.to_string()))?;
        let (width, height) = image.dimensions();
        captures.push(Capture {
            width,
            height,
            rgba: image.into_raw(),
        });
    }
    // Without the permission, macOS returns images of the wallpaper only, or none at all.
    if captures.is_empty() {
        return Err(CaptureError::Permission);
    }
    Ok(captures)
}

/// The desktop portal's Screenshot interface (org.freedesktop.portal.Screenshot), for Wayland.
#[cfg(target_os = "linux")]
mod portal {
    use super::CaptureError;
    use std::collections::HashMap;
    use tessera_core::qr::{decode_image_bytes, QrScan};
    use zbus::blocking::{Connection, Proxy};
    use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

    const DESTINATION: &str = "org.freedesktop.portal.Desktop";

    fn failed(err: impl std::fmt::Display) -> CaptureError {
        CaptureError::Portal(err.to_string())
    }

    /// Asks the portal for a screenshot without its dialog, reads it and deletes the file.
    pub fn scan() -> Result<Vec<QrScan>, CaptureError> {
        let connection = Connection::session().map_err(failed)?;
        // The portal answers on a request object whose path it derives from our bus name and a
        // token of ours; listening there before asking means the answer cannot be missed.
        let token = format!("tessera{}", std::process::id());
        let sender = connection
            .unique_name()
            .ok_or_else(|| failed("no bus name"))?
            .trim_start_matches(':')
            .replace('.', "_");
        let request_path = format!("/org/freedesktop/portal/desktop/request/{sender}/{token}");
        let request = Proxy::new(
            &connection,
            DESTINATION,
            request_path.as_str(),
            "org.freedesktop.portal.Request",
        )
        .map_err(failed)?;
        let mut responses = request.receive_signal("Response").map_err(failed)?;
        let screenshot = Proxy::new(
            &connection,
            DESTINATION,
            "/org/freedesktop/portal/desktop",
            "org.freedesktop.portal.Screenshot",
        )
        .map_err(failed)?;
        let mut options: HashMap<&str, Value<'_>> = HashMap::new();
        options.insert("handle_token", Value::from(token.as_str()));
        options.insert("interactive", Value::from(false));
        let _: OwnedObjectPath = screenshot
            .call("Screenshot", &("", options))
            .map_err(failed)?;
        let message = responses
            .next()
            .ok_or_else(|| failed("the portal went away"))?;
        let (code, results): (u32, HashMap<String, OwnedValue>) =
            message.body().deserialize().map_err(failed)?;
        if code != 0 {
            return Err(failed(if code == 1 { "cancelled" } else { "refused" }));
        }
        let uri = results
            .get("uri")
            .and_then(|v| String::try_from(v.clone()).ok())
            .ok_or_else(|| failed("no file in the answer"))?;
        let path = file_path(&uri).ok_or_else(|| failed(format!("not a local file: {uri}")))?;
        let bytes = std::fs::read(&path).map_err(failed);
        // The screenshot may show the secret: it does not stay on disk.
        let _ = std::fs::remove_file(&path);
        Ok(vec![decode_image_bytes(&bytes?)?])
    }

    /// The path of a `file://` URI, percent-decoded.
    fn file_path(uri: &str) -> Option<std::path::PathBuf> {
        let encoded = uri.strip_prefix("file://")?;
        let bytes = encoded.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let byte = encoded
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())?;
                out.push(byte);
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        Some(std::path::PathBuf::from(String::from_utf8(out).ok()?))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn file_uris_decode_to_paths() {
            assert_eq!(
                file_path("file:///home/jane/Pictures/Screenshot%20from%202026.png"),
                Some("/home/jane/Pictures/Screenshot from 2026.png".into())
            );
            assert_eq!(file_path("https://example.com/x.png"), None);
            assert_eq!(file_path("file:///bad%zz"), None);
        }
    }
}
