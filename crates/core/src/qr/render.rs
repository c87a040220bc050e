//! QR codes drawn by Tessera: transfer codes for a phone to scan, and the codes of the
//! printable backup sheet. SVG, so they stay sharp on paper and on HiDPI screens.

use qrcode::{Color, EcLevel, QrCode};

/// Why a payload cannot be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw a QR code of {len} bytes: {reason}")]
pub struct RenderError {
    len: usize,
    reason: String,
}

/// Light modules around the code, as the QR standard asks for scanners to find it.
const QUIET_ZONE: usize = 4;

/// An SVG document of `payload` as a QR code (error correction M, as phones' exports use),
/// scaled by the viewer: one unit per module. `label` becomes its accessible name.
pub fn svg(payload: &str, label: &str) -> Result<String, RenderError> {
    let code =
        QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).map_err(|err| {
            RenderError {
                len: payload.len(),
                reason: err.to_string(),
            }
        })?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    // One path of unit squares: far smaller than one element per module.
    let mut path = String::with_capacity(colors.len() * 4);
    for (index, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (index % width + QUIET_ZONE, index / width + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{}\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>",
        escape_attribute(label)
    ))
}

/// Text made safe for an XML or HTML attribute value.
pub fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_the_attribute() {
        let svg = svg(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
            "\"><script>x</script>",
        )
        .unwrap();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn too_much_data_is_an_error() {
        let huge = "A".repeat(8_000);
        assert!(svg(&huge, "too big").is_err());
    }
}
