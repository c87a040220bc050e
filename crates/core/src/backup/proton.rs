//! Proton Authenticator's export: `{"version": 1, "entries": [{"content": {"uri", "entry_type",
//! "name"}, "note"}]}`, each entry an otpauth URI (or `steam://` with the secret).

use super::fields::{from_uri, RawEntry};
use super::{BackupError, Format, Imported, Importer, Protection};
use serde_json::Value;

const FORMAT: Format = Format::Proton;

/// Proton Authenticator's export.
pub struct Proton;

impl Importer for Proton {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        let first = value.get("entries")?.as_array()?.first()?;
        first.get("content")?.get("uri")?;
        Some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], _password: Option<&str>) -> Result<Imported, BackupError> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|err| BackupError::malformed(FORMAT, format!("it is not JSON ({err})")))?;
        let entries = value
            .get("entries")
            .and_then(Value::as_array)
            .ok_or_else(|| BackupError::malformed(FORMAT, "it has no \"entries\" list"))?;
        let mut imported = Imported {
            format: FORMAT,
            entries: Vec::new(),
            unusable: Vec::new(),
        };
        for entry in entries {
            let content = entry.get("content").cloned().unwrap_or(Value::Null);
            let uri = content.get("uri").and_then(Value::as_str).unwrap_or("");
            let name = content
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let note = entry
                .get("note")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let result = if let Some(secret) = uri.strip_prefix("steam://") {
                RawEntry {
                    kind: "steam",
                    issuer: "Steam".into(),
                    name: name.clone(),
                    ..RawEntry::default()
                }
                .with_base32(secret)
            } else {
                let fallback = RawEntry {
                    name: if name.is_empty() {
                        "an entry".into()
                    } else {
                        name.clone()
                    },
                    ..RawEntry::default()
                };
                from_uri(uri, &fallback)
            };
            match result {
                Ok(mut account) => {
                    account.notes = note;
                    imported.entries.push(account);
                }
                Err(skip) => imported.unusable.push(skip),
            }
        }
        Ok(imported)
    }
}
