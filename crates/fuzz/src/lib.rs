//! The fuzz targets: each takes arbitrary bytes, feeds them to one parser of outside input,
//! and panics only when the parser breaks a promise (a panic of its own, or a value that does
//! not survive a round trip). `cargo xtask fuzz TARGET --time S` runs one under AFL++.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use tessera_core::backup::{self, Protection};
use tessera_core::uri::{self, MigrationBatch};

/// One fuzz target.
pub struct Target {
    /// The name `cargo xtask fuzz` and the binary take.
    pub name: &'static str,
    /// What it feeds the bytes to.
    pub about: &'static str,
    /// Runs the target on one input.
    pub run: fn(&[u8]),
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "otpauth_uri",
        about: "otpauth:// URIs: parse, and what parses formats and parses back the same",
        run: otpauth_uri,
    },
    Target {
        name: "migration",
        about: "Google Authenticator transfer payloads (protobuf), and their re-encoding",
        run: migration,
    },
    Target {
        name: "importers",
        about: "every backup importer (the first byte picks one, or detection), with a password",
        run: importers,
    },
    Target {
        name: "vault_file",
        about: "the vault file's framing, header and key slots, and its content decoder",
        run: vault_file,
    },
    Target {
        name: "qr_image",
        about: "the QR pipeline on image file bytes: decoding, binarising, finding, reading",
        run: qr_image,
    },
    Target {
        name: "sntp_reply",
        about: "SNTP replies and the clock offset computed from them",
        run: sntp_reply,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

fn otpauth_uri(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(parsed) = uri::parse(&text) else {
        return;
    };
    let written = parsed.to_uri();
    let again = uri::parse(&written)
        .unwrap_or_else(|e| panic!("{written:?}, written from {text:?}, does not parse: {e}"));
    assert_eq!(
        again, parsed,
        "{text:?} changed on the way through {written:?}"
    );
}

fn migration(data: &[u8]) {
    let text = format!("otpauth-migration://offline?data={}", base64_for_uri(data));
    let Ok(batch) = uri::parse_migration(&text) else {
        return;
    };
    if batch.accounts.is_empty() {
        return;
    }
    let written = MigrationBatch::single(batch.batch_id, batch.accounts.clone())
        .to_uri()
        .expect("accounts that were read can be written");
    let again = uri::parse_migration(&written).expect("a written transfer reads back");
    assert_eq!(again.accounts, batch.accounts);
}

fn importers(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let all = backup::importers();
    let format = all.get(usize::from(selector)).map(|i| i.format());
    // A password, so that encrypted formats get past their key derivation (whose parameters,
    // read from the file, are capped) to the decryption and the parsing behind it.
    let _ = backup::import(bytes, format, Some("fuzz"));
    if let Ok((importer, Protection::Plain)) = backup::detect(bytes) {
        let _ = importer.format();
    }
}

fn vault_file(data: &[u8]) {
    tessera_core::fuzz_hooks::vault_bytes(data);
}

fn qr_image(data: &[u8]) {
    tessera_core::fuzz_hooks::qr_image_bytes(data);
}

fn sntp_reply(data: &[u8]) {
    tessera_core::fuzz_hooks::sntp_reply(data);
}

/// Standard base64, percent-encoded for a query string, as transfer QR codes carry it.
fn base64_for_uri(data: &[u8]) -> String {
    STANDARD
        .encode(data)
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg%3D%3D"),
            ("fo", "Zm8%3D"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg%3D%3D"),
            ("fooba", "Zm9vYmE%3D"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64_for_uri(plain.as_bytes()), encoded, "{plain:?}");
        }
        assert_eq!(base64_for_uri(&[0xfb, 0xff]), "%2B%2F8%3D");
    }

    /// Every saved input of every target: the seeds each campaign starts from, and the inputs
    /// that once broke a parser (crashes/, named after what they broke), which must not again.
    #[test]
    fn saved_inputs_run_clean() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut ran = 0;
        for target in TARGETS {
            for folder in ["seeds", "crashes"] {
                let dir = root.join(folder).join(target.name);
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries {
                    let path = entry.expect("directory entry").path();
                    let bytes = std::fs::read(&path).expect("saved input");
                    (target.run)(&bytes);
                    ran += 1;
                }
            }
            assert!(
                root.join("seeds").join(target.name).is_dir(),
                "{} has no seeds",
                target.name
            );
        }
        assert!(ran >= TARGETS.len(), "only {ran} saved inputs");
    }
}
