//! LastPass Authenticator's JSON export (`version` 3): `{deviceId, localDeviceId, deviceName,
//! version, accounts, folders}`. Each account has `issuerName`, `userName` (and `original…`
//! copies of both, which are not read), a base32 `secret`, `timeStep`, `digits`, `algorithm`
//! and `folderData.folderId`. The app makes time-based codes only.
//!
//! Folders 0 ("Other accounts") and 1 ("Favorites") are the app's own; other folders are the
//! user's and become the account's group.

use super::fields::{imported, text_of, RawEntry};
use super::{BackupError, Format, Imported, Importer, Protection};
use serde_json::Value;
use std::collections::HashMap;

const FORMAT: Format = Format::LastPass;
/// The folders every LastPass Authenticator has: not groups the user made.
const BUILT_IN_FOLDERS: [u64; 2] = [0, 1];

/// LastPass Authenticator's export.
pub struct LastPass;

fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::malformed(FORMAT, detail)
}

impl Importer for LastPass {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, bytes: &[u8]) -> Option<Protection> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        let accounts = value.get("accounts")?.as_array()?;
        let ours = match accounts.first() {
            Some(first) => first.get("issuerName").is_some() && first.get("timeStep").is_some(),
            None => value.get("localDeviceId").is_some(),
        };
        ours.then_some(Protection::Plain)
    }

    fn import(&self, bytes: &[u8], _password: Option<&str>) -> Result<Imported, BackupError> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|err| malformed(format!("it is not JSON ({err})")))?;
        let accounts = value
            .get("accounts")
            .and_then(Value::as_array)
            .ok_or_else(|| malformed("it has no \"accounts\" list"))?;
        let folders: HashMap<u64, &str> = value
            .get("folders")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|f| Some((f.get("id")?.as_u64()?, f.get("name")?.as_str()?)))
                    .filter(|(id, _)| !BUILT_IN_FOLDERS.contains(id))
                    .collect()
            })
            .unwrap_or_default();
        let checked = accounts.iter().map(|account| {
            let raw = RawEntry {
                kind: "totp",
                issuer: text_of(account, "issuerName"),
                name: text_of(account, "userName"),
                algorithm: account.get("algorithm").and_then(Value::as_str),
                digits: account.get("digits").and_then(Value::as_u64),
                period: account.get("timeStep").and_then(Value::as_u64),
                counter: None,
            };
            let mut entry = raw.with_base32(&text_of(account, "secret"))?;
            let folder = account
                .get("folderData")
                .and_then(|data| data.get("folderId"))
                .and_then(Value::as_u64);
            if let Some(name) = folder.and_then(|id| folders.get(&id)) {
                entry.group = name.to_string();
            }
            Ok(entry)
        });
        Ok(imported(FORMAT, checked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_folders_become_groups_and_built_in_ones_do_not() {
        let export = br#"{"version": 3, "localDeviceId": "x", "accounts": [
            {"issuerName": "MyGlue", "userName": "ops", "secret": "JBSWY3DPEHPK3PXP",
             "timeStep": 30, "digits": 6, "algorithm": "SHA1", "folderData": {"folderId": 2}},
            {"issuerName": "Kayako", "userName": "", "secret": "JBSWY3DPEHPK3PXQ",
             "timeStep": 60, "digits": 8, "algorithm": "SHA256", "folderData": {"folderId": 1}}],
            "folders": [{"id": 1, "name": "Favorites"}, {"id": 2, "name": "Work"}]}"#;
        assert_eq!(LastPass.sniff(export), Some(Protection::Plain));
        let imported = LastPass.import(export, None).unwrap();
        assert_eq!(imported.entries[0].group, "Work");
        assert_eq!(imported.entries[1].group, "");
        assert_eq!(imported.entries[1].otp.digits, 8);
        assert_eq!(LastPass.sniff(br#"{"accounts": [{"secret": "A"}]}"#), None);
    }
}
