//! Screen capture for "scan the screen": every monitor, as RGBA images for the QR decoder.
//! X11 through the X protocol itself (x11rb: no system library), Windows and macOS through
//! xcap. Wayland desktops do not let applications read the screen directly.

/// One captured screen: width, height and RGBA pixels.
pub struct Capture {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// Why the screen could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// A Wayland session: only the desktop's screenshot portal may read the screen.
    #[error(
        "this desktop (Wayland) does not let apps read the screen: take a screenshot \
         (PrtSc), then paste it or open the file"
    )]
    Wayland,
    /// macOS without the Screen Recording permission gives empty images.
    #[error(
        "Tessera may not record the screen: allow it in System Settings › Privacy & Security \
         › Screen Recording, then try again"
    )]
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    Permission,
    /// Anything else the platform reported.
    #[error("could not read the screen: {0}")]
    Platform(String),
}

#[cfg(target_os = "linux")]
pub fn capture_screens() -> Result<Vec<Capture>, CaptureError> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

    let wayland = std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
        || (std::env::var_os("WAYLAND_DISPLAY").is_some() && std::env::var_os("DISPLAY").is_none());
    if wayland {
        return Err(CaptureError::Wayland);
    }
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
pub fn capture_screens() -> Result<Vec<Capture>, CaptureError> {
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
