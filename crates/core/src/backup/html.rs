//! The printable sheet: one card per account with its QR code, labels, key and recovery codes,
//! for a paper backup kept somewhere safe. Self-contained (no scripts, no remote resources)
//! and every piece of text escaped: issuers and names come from services and other apps.

use super::{BackupError, Encryption, Exported, Exporter, Format};
use crate::account::Account;
use crate::otp::{Algorithm, OtpKind};
use crate::qr::render::{escape_attribute, svg};
use zeroize::Zeroizing;

const FORMAT: Format = Format::Html;

/// The printable sheet.
pub struct HtmlSheet;

/// Print-friendly styles: cards never split across pages, everything readable in grey scale.
const STYLE: &str = "
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Cantarell,'Noto Sans',sans-serif;color:#111;margin:24px}
h1{font-size:22px;margin:0 0 4px}
.lead{color:#444;margin:0 0 20px}
.warning{border-left:4px solid #a64800;background:#fdf0e4;padding:8px 12px;margin:0 0 20px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}
.card{border:1px solid #bbb;border-radius:10px;padding:14px;display:grid;grid-template-columns:140px 1fr;gap:14px;break-inside:avoid;page-break-inside:avoid}
.card svg{width:140px;height:140px}
.issuer{font-size:17px;font-weight:700;margin:0}
.name{color:#333;margin:0 0 8px;overflow-wrap:anywhere}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 10px;font-size:12.5px}
dt{color:#555}
dd{margin:0;overflow-wrap:anywhere}
.key{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px;letter-spacing:.04em}
.codes{grid-column:1/-1;margin:4px 0 0;padding:0;list-style:none;columns:2;font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}
.codes .used{text-decoration:line-through;color:#777}
h2{grid-column:1/-1;font-size:13px;margin:6px 0 0}
@media print{body{margin:0}.warning{background:none}}
";

/// Text made safe for HTML content.
fn escape(text: &str) -> String {
    escape_attribute(text)
}

/// The key in groups of four, as people copy it by hand.
fn grouped(key: &str) -> String {
    key.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn card(account: &Account) -> Result<String, BackupError> {
    let uri = super::uri_of(account).to_uri();
    let label = account.display_label();
    let code = svg(&uri, &format!("QR code of {label}")).map_err(|err| BackupError::Export {
        format: FORMAT,
        detail: err.to_string(),
    })?;
    let key = account.otp.secret.to_base32();
    let algorithm = match account.otp.algorithm {
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
    };
    let kind = match account.otp.kind {
        OtpKind::Totp { period } => format!("time-based, every {period} s"),
        OtpKind::Steam { period } => format!("Steam Guard, every {period} s"),
        OtpKind::Hotp { counter } => format!("counter-based, next counter {counter}"),
    };
    let mut html = format!(
        "<section class=\"card\">{code}<div><p class=\"issuer\">{}</p><p class=\"name\">{}</p>\
         <dl><dt>Key</dt><dd class=\"key\">{}</dd><dt>Type</dt><dd>{}</dd>\
         <dt>Digits</dt><dd>{}</dd><dt>Algorithm</dt><dd>{algorithm}</dd></dl></div>",
        escape(if account.issuer.is_empty() {
            &label
        } else {
            &account.issuer
        }),
        escape(&account.name),
        escape(&grouped(&key)),
        escape(&kind),
        account.otp.digits,
    );
    if !account.recovery_codes.is_empty() {
        html.push_str("<h2>Recovery codes</h2><ul class=\"codes\">");
        for code in &account.recovery_codes {
            let class = if code.used { " class=\"used\"" } else { "" };
            html.push_str(&format!("<li{class}>{}</li>", escape(&code.code)));
        }
        html.push_str("</ul>");
    }
    if !account.notes.is_empty() {
        html.push_str(&format!(
            "<p style=\"grid-column:1/-1;margin:0\">{}</p>",
            escape(&account.notes)
        ));
    }
    html.push_str("</section>");
    Ok(html)
}

/// The sheet for `accounts`, dated `date` ("2026-11-23").
pub fn sheet(accounts: &[Account], date: &str) -> Result<Zeroizing<String>, BackupError> {
    let mut html = Zeroizing::new(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <title>Tessera recovery sheet {date}</title><style>{STYLE}</style></head><body>\
         <h1>Tessera recovery sheet</h1><p class=\"lead\">{} accounts, printed {date}. Scan a code \
         with any authenticator to restore that account.</p>\
         <p class=\"warning\">Anyone who holds this sheet can make your codes. Keep it as safe as a \
         passport, and destroy old copies.</p><div class=\"cards\">",
        accounts.len(),
        date = escape(date),
    ));
    for account in accounts {
        html.push_str(&card(account)?);
    }
    html.push_str("</div></body></html>\n");
    Ok(html)
}

impl Exporter for HtmlSheet {
    fn format(&self) -> Format {
        FORMAT
    }

    fn encryption(&self) -> Encryption {
        Encryption::Never
    }

    fn export(
        &self,
        accounts: &[Account],
        _password: Option<&str>,
    ) -> Result<Exported, BackupError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let html = sheet(accounts, &super::iso_date(now))?;
        Ok(Exported {
            bytes: Zeroizing::new(html.as_bytes().to_vec()),
            left_out: Vec::new(),
        })
    }
}
