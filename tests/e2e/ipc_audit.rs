//! Every answer the backend gives the page, checked for account secrets. Each test's app gets a
//! recorder around the page's door to the backend as soon as its session starts; when the
//! test ends, every recorded answer (and every error) is searched for every secret the test
//! files use, in each form a secret could take: base32 in either case, hex, base64 and a JSON
//! array of bytes.

use super::webdriver::Session;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use serde_json::json;
use std::path::Path;
use std::sync::OnceLock;

/// Wraps the page's fetch, which Tauri's IPC answers travel through (`ipc://localhost/CMD`),
/// so that each answer is kept as text in a page-global list; then checks that a call of the
/// page is recorded. (Tauri's own invoke objects are frozen and cannot be wrapped.)
const RECORDER: &str = r#"
if (!window.__tesseraIpcLog) {
  const log = [];
  Object.defineProperty(window, '__tesseraIpcLog', { value: log });
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = String(input && input.url ? input.url : input);
    if (url.startsWith('ipc:') || url.includes('ipc.localhost')) {
      const command = decodeURIComponent(url.replace(/^.*?localhost\//, ''));
      response.clone().text().then((text) => log.push([command, text]), () => {});
    }
    return response;
  };
}
// Proof that the page's calls now pass through the recorder.
return (async () => {
  const before = window.__tesseraIpcLog.length;
  await window.__TAURI__.core.invoke('app_status');
  await new Promise((resolve) => setTimeout(resolve, 50));
  return window.__tesseraIpcLog.length > before ? 'recording' : 'calls bypass the recorder';
})();
"#;

/// Puts the recorder in place; the page must have loaded.
pub fn install(session: &Session) {
    let installed = session
        .execute(RECORDER, json!([]))
        .expect("install the IPC recorder");
    assert_eq!(installed, json!("recording"), "the IPC recorder");
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
                let bytes = tessera_core::otp::Secret::parse_base32(&secret)
                    .expect("a test secret is base32")
                    .secret
                    .as_bytes()
                    .to_vec();
                let forms = vec![
                    secret.clone(),
                    secret.to_lowercase(),
                    hex(&bytes),
                    hex(&bytes).to_uppercase(),
                    STANDARD_NO_PAD.encode(&bytes),
                    serde_json::to_string(&bytes).expect("bytes as JSON"),
                ];
                (secret, forms)
            })
            .collect()
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_forms_of_a_secret_are_right() {
    assert_eq!(hex(b"\x01\xab"), "01ab");
    // The RFC 6238 key "12345678901234567890" is among the test secrets, in every form.
    let (_, forms) = secret_forms()
        .iter()
        .find(|(s, _)| s == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        .expect("the RFC 6238 key is used by a test");
    assert!(
        forms.contains(&"MTIzNDU2Nzg5MDEyMzQ1Njc4OTA".to_string()),
        "{forms:?}"
    );
    assert!(forms
        .contains(&"[49,50,51,52,53,54,55,56,57,48,49,50,51,52,53,54,55,56,57,48]".to_string()));
    let answers = [(
        "list_accounts".to_string(),
        r#"{"x":"3132333435363738393031323334353637383930"}"#.to_string(),
    )];
    let caught = std::panic::catch_unwind(|| assert_no_secret(&answers));
    assert!(caught.is_err(), "a hex secret in an answer is caught");
    assert_no_secret(&[("list_accounts".into(), r#"{"code":"287082"}"#.into())]);
}
