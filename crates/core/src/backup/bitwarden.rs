//! Bitwarden's vault export, JSON or CSV, and the export of Bitwarden Authenticator (the same
//! JSON layout, with only TOTP items). Only items with a TOTP field are accounts here; the
//! field holds an otpauth URI, `steam://<secret>`, or a bare base32 secret. Encrypted JSON
//! exports are opened by `bitwarden_encrypted`.

use super::bitwarden_encrypted;
use super::fields::{from_uri, RawEntry};
use super::{BackupError, Entry, Format, Imported, Importer, Protection, Unusable};
use serde_json::Value;

const FORMAT: Format = Format::Bitwarden;

/// Bitwarden's export.
pub struct Bitwarden;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

/// One TOTP field with the item's name and login user name around it.
fn entry_from_totp(totp: &str, item_name: &str, username: &str) -> Result<Entry, Unusable> {
    let totp = totp.trim();
    let fallback = RawEntry {
        kind: "totp",
        issuer: item_name.to_string(),
        name: username.to_string(),
        ..RawEntry::default()
    };
    let scheme = totp.get(..10);
    if scheme.is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://")) {
        return from_uri(totp, &fallback);
    }
    if let Some(secret) = totp.strip_prefix("steam://") {
        return RawEntry {
            kind: "steam",
            ..fallback
        }
        .with_base32(secret);
    }
    fallback.with_base32(totp)
}

impl Importer for Bitwarden {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
            value.get("items").or(value.get("data"))?;
            let encrypted = value.get("encrypted")?.as_bool()?;
            // An account-restricted export cannot be opened with a password: it is "plain"
            // to the caller, so that importing it explains why at once.
            return Some(
                if encrypted && bitwarden_encrypted::password_protected(&value) {
                    Protection::Encrypted
                } else {
                    Protection::Plain
                },
            );
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let header = text.lines().next()?;
        header
            .split(',')
            .any(|column| column.trim() == "login_totp")
            .then_some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
        let (entries, unusable) = match serde_json::from_slice::<Value>(bytes) {
            Ok(value) if is_encrypted(&value) => {
                let inner = bitwarden_encrypted::open(&value, password)?;
                if is_encrypted(&inner) {
                    return Err(malformed("its decrypted data is itself encrypted"));
                }
                from_json(&inner)?
            }
            Ok(value) => from_json(&value)?,
            Err(_) => from_csv(bytes)?,
        };
        Ok(Imported {
            format: FORMAT,
            entries,
            unusable,
        })
    }
}

fn is_encrypted(value: &Value) -> bool {
    value.get("encrypted").and_then(Value::as_bool) == Some(true)
}

fn from_json(value: &Value) -> Result<(Vec<Entry>, Vec<Unusable>), BackupError> {
    let items = value
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("it has no \"items\" list"))?;
    let mut entries = Vec::new();
    let mut unusable = Vec::new();
    for item in items {
        let login = item.get("login");
        let Some(totp) = login.and_then(|l| l.get("totp")).and_then(Value::as_str) else {
            continue;
        };
        if totp.trim().is_empty() {
            continue;
        }
        let name = item.get("name").and_then(Value::as_str).unwrap_or("");
        let username = login
            .and_then(|l| l.get("username"))
            .and_then(Value::as_str)
            .unwrap_or("");
        match entry_from_totp(totp, name, username) {
            Ok(mut entry) => {
                entry.notes = item
                    .get("notes")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                entries.push(entry);
            }
            Err(skip) => unusable.push(skip),
        }
    }
    Ok((entries, unusable))
}

fn from_csv(bytes: &[u8]) -> Result<(Vec<Entry>, Vec<Unusable>), BackupError> {
    let text = std::str::from_utf8(bytes).map_err(|_| malformed("the CSV is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = parse_csv(text)?.into_iter();
    let header = rows.next().ok_or_else(|| malformed("the CSV is empty"))?;
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let totp = column("login_totp").ok_or_else(|| malformed("the CSV has no login_totp column"))?;
    let (name, username, notes) = (column("name"), column("login_username"), column("notes"));
    let field = |row: &[String], at: Option<usize>| {
        at.and_then(|i| row.get(i)).cloned().unwrap_or_default()
    };
    let mut entries = Vec::new();
    let mut unusable = Vec::new();
    for row in rows {
        let value = field(&row, Some(totp));
        if value.trim().is_empty() {
            continue;
        }
        match entry_from_totp(&value, &field(&row, name), &field(&row, username)) {
            Ok(mut entry) => {
                entry.notes = field(&row, notes);
                entries.push(entry);
            }
            Err(skip) => unusable.push(skip),
        }
    }
    Ok((entries, unusable))
}

/// RFC 4180 CSV: fields may be quoted, quotes doubled inside, line breaks inside quotes.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, BackupError> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                if row.iter().any(|f| !f.is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(malformed("the CSV ends inside a quoted field"));
    }
    row.push(field);
    if row.iter().any(|f| !f.is_empty()) {
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_and_line_breaks() {
        let rows = parse_csv("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x,\n").unwrap();
        assert_eq!(rows[0], ["a", "b, c", "say \"hi\""]);
        assert_eq!(rows[1], ["two\nlines", "x", ""]);
        assert!(parse_csv("\"open").is_err());
    }

    #[test]
    fn a_csv_export_imports_its_totp_items() {
        let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                   ,,login,MyGlue,\"desk, 2nd floor\",,,https://myglue.example,jane,pw,JBSWY3DPEHPK3PXP\n\
                   ,,login,No 2FA,,,,,bob,pw,\n\
                   ,,login,Kayako,,,,,,pw,otpauth://totp/Kayako:ops?secret=GEZDGNBVGY3TQOJQ&digits=8\n";
        let imported = Bitwarden.import(csv.as_bytes(), None).unwrap();
        assert_eq!(Bitwarden.sniff(csv.as_bytes()), Some(Protection::Plain));
        let labels: Vec<String> = imported.entries.iter().map(Entry::label).collect();
        assert_eq!(labels, ["MyGlue (jane)", "Kayako (ops)"]);
        assert_eq!(imported.entries[0].notes, "desk, 2nd floor");
        assert_eq!(imported.entries[1].otp.digits, 8);
    }

    #[test]
    fn a_totp_field_with_wide_characters_is_refused_not_sliced() {
        // The tenth byte falls inside 'Ј' (two bytes): a byte slice there would panic.
        let err = entry_from_totp("steamBPlUЈt1Yj", "Shop", "ann").unwrap_err();
        assert_eq!(err.label, "Shop (ann)");
        assert!(err.reason.contains('Ј'), "{}", err.reason);
    }
}
