//! Every answer the backend gives the page, checked for account secrets. Each test's app gets a
//! recorder around the page's door to the backend as soon as its session starts; when the
//! test ends, every recorded answer (and every error) is searched for every secret the test
//! files use, in each form a secret could take: base32 in either case, hex, base64 and a JSON
//! array of bytes.

use super::webdriver::Session;
use serde_json::json;
use std::path::Path;
use std::sync::OnceLock;

/// Wraps Tauri's invoke so that each answer is kept, as JSON text, in a page-global list.
const RECORDER: &str = r#"
const internals = window.__TAURI_INTERNALS__;
if (!internals || window.__tesseraIpcLog) return Boolean(window.__tesseraIpcLog);
const log = [];
Object.defineProperty(window, '__tesseraIpcLog', { value: log });
const original = internals.invoke.bind(internals);
internals.invoke = async (command, args, options) => {
  try {
    const answer = await original(command, args, options);
    log.push([command, JSON.stringify(answer ?? null)]);
    return answer;
  } catch (error) {
    log.push([command, JSON.stringify(error ?? null)]);
    throw error;
  }
};
return true;
"#;

/// Puts the recorder in place; the page must have loaded.
pub fn install(session: &Session) {
    let installed = session
        .execute(RECORDER, json!([]))
        .expect("install the IPC recorder");
    assert_eq!(
        installed,
        json!(true),
        "the page has no Tauri invoke to record"
    );
}

/// The recorded answers as `(command, json)`; `None` when the page is gone (the app quit).
pub fn recorded(session: &Session) -> Option<Vec<(String, String)>> {
    let value = session
        .execute("return window.__tesseraIpcLog ?? null;", json!([]))
        .ok()?;
    let entries = value.as_array()?;
    Some(
        entries
            .iter()
            .filter_map(|e| Some((e[0].as_str()?.to_string(), e[1].as_str()?.to_string())))
            .collect(),
    )
}

/// Panics naming the command whose answer holds a secret of the test files.
pub fn assert_no_secret(answers: &[(String, String)]) {
    for (command, answer) in answers {
        for (secret, forms) in secret_forms() {
            if let Some(form) = forms.iter().find(|form| answer.contains(form.as_str())) {
                panic!("the answer to {command} holds the secret {secret} (as {form:?}): {answer}");
            }
        }
    }
}

/// Every base32 secret written in an otpauth URI in this folder's test files, with its forms.
fn secret_forms() -> &'static Vec<(String, Vec<String>)> {
    static FORMS: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
        let mut secrets: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("tests/e2e") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).unwrap_or_default();
            for piece in text.split("secret=").skip(1) {
                let secret: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if secret.len() >= 16 && !secrets.contains(&secret) {
                    secrets.push(secret);
                }
            }
        }
        assert!(
            secrets.len() >= 3,
            "found only {secrets:?} in the test files"
        );
        secrets
            .into_iter()
            .map(|secret| {
                let bytes = base32_decode(&secret);
                let forms = vec![
                    secret.clone(),
                    secret.to_lowercase(),
                    hex(&bytes),
                    hex(&bytes).to_uppercase(),
                    base64(&bytes).trim_end_matches('=').to_string(),
                    serde_json::to_string(&bytes).expect("bytes as JSON"),
                ];
                (secret, forms)
            })
            .collect()
    })
}

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut value, mut out) = (0u32, 0u64, Vec::new());
    for c in text.chars() {
        let digit = ALPHABET
            .find(c.to_ascii_uppercase())
            .unwrap_or_else(|| panic!("{text} is not base32"));
        value = (value << 5) | digit as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn the_forms_of_a_secret_are_right() {
    // RFC 4648 vectors, and the RFC 6238 key "12345678901234567890" in base32.
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(
        base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
        b"12345678901234567890"
    );
    assert_eq!(hex(b"\x01\xab"), "01ab");
    let answers = [(
        "list_accounts".to_string(),
        r#"{"x":"3132333435363738393031323334353637383930"}"#.to_string(),
    )];
    let caught = std::panic::catch_unwind(|| assert_no_secret(&answers));
    assert!(caught.is_err(), "a hex secret in an answer is caught");
    assert_no_secret(&[("list_accounts".into(), r#"{"code":"287082"}"#.into())]);
}
