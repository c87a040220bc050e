//! Authenticator Pro's (Stratum's) HTML export: a page with one table row per account, its
//! cells the issuer, the user name, the otpauth URI inside `<code>` and a QR image.
//!
//! Only the URI is read for the account; the two text cells name a row that cannot be
//! imported (Stratum writes `motp://` URIs for mOTP and `otpauth://yaotp/` for Yandex).
//! The page is Stratum's own template, not arbitrary HTML: rows are found by their tags and
//! the few entities an HTML writer produces are decoded.

use super::fields::{from_uri, imported, RawEntry};
use super::{BackupError, Format, Imported};

const FORMAT: Format = Format::AuthenticatorPro;

/// One table row: its cells' inner HTML.
fn rows(html: &str) -> Vec<Vec<&str>> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` slice `html`.
    let lower = html.to_ascii_lowercase();
    let mut rows = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<tr").map(|i| at + i) {
        let end = lower[start..]
            .find("</tr>")
            .map_or(lower.len(), |i| start + i);
        rows.push(cells(&html[start..end], &lower[start..end]));
        at = end;
    }
    rows
}

fn cells<'a>(row: &'a str, lower: &str) -> Vec<&'a str> {
    let mut cells = Vec::new();
    let mut at = 0;
    while let Some(open) = lower[at..].find("<td").map(|i| at + i) {
        let Some(content) = lower[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let close = lower[content..]
            .find("</td>")
            .map_or(lower.len(), |i| content + i);
        cells.push(&row[content..close]);
        at = close;
    }
    cells
}

/// The text of a cell: tags removed, entities decoded, spaces trimmed.
fn text_of(cell: &str) -> String {
    let mut text = String::with_capacity(cell.len());
    let mut in_tag = false;
    for c in cell.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(text.trim())
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references; anything else is kept.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `bytes` are an HTML page with a table cell holding an otpauth URI in `<code>`.
pub fn looks_like(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let page = start
        .get(..14)
        .is_some_and(|head| head.eq_ignore_ascii_case("<!doctype html"))
        || start
            .get(..5)
            .is_some_and(|head| head.eq_ignore_ascii_case("<html"));
    page && text.to_ascii_lowercase().contains("<td><code>otpauth://")
}

/// Reads every row of the export that holds a URI.
pub fn read(bytes: &[u8]) -> Result<Imported, BackupError> {
    let html = std::str::from_utf8(bytes)
        .map_err(|_| BackupError::malformed(FORMAT, "the page is not UTF-8 text"))?;
    let checked: Vec<_> = rows(html)
        .into_iter()
        .filter(|cells| cells.len() >= 3 && cells[2].to_ascii_lowercase().contains("<code"))
        .map(|cells| {
            let fallback = RawEntry {
                issuer: text_of(cells[0]),
                name: text_of(cells[1]),
                ..RawEntry::default()
            };
            from_uri(&text_of(cells[2]), &fallback)
        })
        .collect();
    if checked.is_empty() {
        return Err(BackupError::malformed(
            FORMAT,
            "the page has no table row with an otpauth URI",
        ));
    }
    Ok(imported(FORMAT, checked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_decoded_and_stray_ampersands_kept() {
        assert_eq!(
            decode_entities("A&amp;B &lt;x&gt; &#39;&#x41;"),
            "A&B <x> 'A"
        );
        assert_eq!(
            decode_entities("a & b &bogus; &#xZZ; &"),
            "a & b &bogus; &#xZZ; &"
        );
    }

    #[test]
    fn a_row_is_read_from_its_cells() {
        let page = "<!doctype html><table><tr><th>Issuer</th></tr>\
                    <tr><td>Ann &amp; Co</td><td>ann</td>\
                    <td><code>otpauth://totp/Ann%20%26%20Co:ann?secret=JBSWY3DPEHPK3PXP&amp;digits=8</code></td>\
                    <td><img src=\"x\"></td></tr>\
                    <tr><td>Shop</td><td>bob</td><td><code>motp://Shop:bob?secret=7ac6</code></td></tr>";
        assert!(looks_like(page.as_bytes()));
        let imported = read(page.as_bytes()).unwrap();
        assert_eq!(imported.entries.len(), 1);
        assert_eq!(imported.entries[0].label(), "Ann & Co (ann)");
        assert_eq!(imported.entries[0].otp.digits, 8);
        assert_eq!(imported.unusable[0].label, "Shop (bob)");
        assert!(!looks_like(
            b"<!doctype html><p>otpauth://totp/A?secret=JBSWY3DP</p>"
        ));
        assert!(read(b"<!doctype html><table><tr><td>a</td></tr></table>").is_err());
    }
}
