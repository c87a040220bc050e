//! End to end: the real app under a virtual display, driven through WebDriver (tauri-driver
//! with WebKitWebDriver). It types, clicks, reads codes from the screen and checks them
//! against tessera-core at that instant.
//!
//! Needs a display, a D-Bus session and tauri-driver, so the tests are ignored by a plain
//! `cargo test`; `cargo xtask test` provides all three and runs them.

mod backup;
mod clipboard;
mod details;
mod hostile_ipc;
mod instance;
mod ipc_audit;
mod memory;
mod quick_pick;
mod rings;
mod scan;
mod screens;
mod search;
mod sync;
mod vault;
mod verify;
mod webdriver;

use serde_json::json;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use webdriver::{Element, Session};

const SHORT: Duration = Duration::from_secs(10);
/// The first screen can take a while: WebKit starts its processes.
const LAUNCH: Duration = Duration::from_secs(30);
/// WebDriver key codes.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// tauri-driver (and through it WebKitWebDriver) for the length of one test.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts tauri-driver; the app it launches inherits `TESSERA_VAULT`, so each test has a
    /// vault of its own. `env` adds to the app's environment, e.g. a GTK theme.
    fn start_with(vault: &Path, env: &[(&str, &str)]) -> Driver {
        let binary = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let port = free_port();
        let child = Command::new(&binary)
            .env("TESSERA_VAULT", vault)
            .env("TESSERA_CONFIG_DIR", local_config_dir(vault))
            .envs(env.iter().copied())
            // A group of its own, so that WebKitWebDriver (its child) ends with it.
            .process_group(0)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &free_port().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("could not start {binary}: {e} (cargo xtask test installs it)")
            });
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group is the child's pid (process_group(0) above). killpg directly: procps'
        // `kill -KILL -PGID` reads the group as an option and signals every process (pid -1),
        // which took down whatever ran the tests.
        if let Ok(group) = libc::pid_t::try_from(self.child.id()) {
            if group > 1 {
                // SAFETY: killpg has no memory-safety preconditions; `group` is our child's own
                // process group, never 0 or 1.
                unsafe {
                    libc::killpg(group, libc::SIGKILL);
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// This computer's settings for the app under test: a folder beside the test's vault, so that
/// tests do not share a window position or a shortcut.
fn local_config_dir(vault: &Path) -> PathBuf {
    vault
        .parent()
        .unwrap_or(Path::new("."))
        .join("local-config")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// The time just before reading a code off the screen. The row changes on the 30-second
/// boundary by a browser timer, which a loaded machine may run a little late; a read in the
/// first second of a step waits that second out, so that it compares what a person would see.
fn before_reading_screen() -> u64 {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis();
    let into_step = (millis % 30_000) as u64;
    if into_step < 1_000 {
        std::thread::sleep(Duration::from_millis(1_000 - into_step));
    }
    now()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("TESSERA_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e"));
    std::fs::create_dir_all(&dir).expect("artifacts directory");
    dir
}

/// Captures the X screen. WebKitWebDriver's own screenshot command can hang under Xvfb.
fn screenshot(name: &str) {
    let path = artifacts_dir().join(name);
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .expect("run import (imagemagick)");
    assert!(status.success(), "screenshot to {} failed", path.display());
}

fn clipboard() -> String {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .expect("run xclip");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The password the tests give their vaults.
const PASSWORD: &str = "correct horse battery staple";

/// The app running against the vault at `vault`, with its WebDriver session. Fields drop in
/// order: the session closes the app before the driver stops.
struct App {
    session: Session,
    _driver: Driver,
}

impl std::ops::Deref for App {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

fn launch(vault: &Path) -> App {
    launch_with(vault, &[])
}

/// The app with more environment (see [`Driver::start_with`]).
fn launch_with(vault: &Path, env: &[(&str, &str)]) -> App {
    let driver = Driver::start_with(vault, env);
    let session = Session::start(driver.port, env!("CARGO_BIN_EXE_tessera"));
    ipc_audit::install(&session);
    App {
        session,
        _driver: driver,
    }
}

/// When a test ends well, every answer its page got from the backend is searched for secrets.
impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Some(answers) = ipc_audit::recorded(&self.session) {
            ipc_audit::assert_no_secret(&answers);
        }
    }
}

/// First run: the create screen, a password typed twice, optionally keyring unlock.
fn create_vault(session: &Session, keyring: bool) {
    session.type_text(&session.wait_for("#create-password", LAUNCH), PASSWORD);
    session.type_text(&session.wait_for("#create-confirm", SHORT), PASSWORD);
    if keyring {
        session.click(&session.wait_for("#create-keyring", SHORT));
    }
    session.click(&session.wait_for("#create-submit", SHORT));
    session.wait_for("#add-account", SHORT);
}

/// A fresh vault in its own folder, created through the UI, and the app showing it.
fn open_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let app = launch(&dir.path().join("vault.tessera"));
    create_vault(&app, false);
    (dir, app)
}

/// The codes core computes for `uri` during [before, after], one per second.
fn expected_codes(uri: &str, before: u64, after: u64) -> Vec<String> {
    let parsed = tessera_core::uri::parse(uri).expect("test URI parses");
    (before..=after).map(|t| parsed.otp.code_at(t)).collect()
}

/// Waits for the "Copied" confirmation. The toast is re-rendered per message, so it is
/// looked up afresh each time.
fn wait_for_copied_toast(session: &Session) {
    session.wait_until("the copy is confirmed", SHORT, || {
        session
            .find_all("#toast")
            .first()
            .and_then(|toast| session.try_text(toast))
            .is_some_and(|text| text.to_lowercase().contains("copied"))
    });
}

fn add_by_uri(session: &Session, uri: &str) {
    session.click(&session.wait_for("#add-account", SHORT));
    // Keys typed through WebDriver can race the dialog's opening (which clears and focuses
    // its fields), so the link box is checked and typed again if it lost the text.
    let field = session.wait_for("#add-uri", SHORT);
    let value = || {
        session
            .execute(
                "return arguments[0].value;",
                json!([session.element_json(&field)]),
            )
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    };
    for _ in 0..3 {
        session
            .execute(
                "arguments[0].value = '';",
                json!([session.element_json(&field)]),
            )
            .expect("clear the link box");
        session.type_text(&field, uri);
        if value().as_deref() == Some(uri) {
            break;
        }
    }
    assert_eq!(value().as_deref(), Some(uri), "the link box holds the URI");
    session.click(&session.wait_for("#add-uri-submit", SHORT));
}

/// The id of the row whose issuer reads `issuer`. Element-scoped searches can stall in
/// WebKitWebDriver, so rows are addressed through their `data-id` with page-wide selectors.
fn row_for(session: &Session, issuer: &str) -> Option<String> {
    session
        .find_all("li.account")
        .iter()
        .filter_map(|row| session.attribute(row, "data-id"))
        .find(|id| text_in(session, id, ".issuer").is_some_and(|t| t == issuer))
}

/// The element `css` inside the row with id `row_id`.
fn in_row(session: &Session, row_id: &str, css: &str) -> Option<Element> {
    session
        .find_all(&format!("li.account[data-id=\"{row_id}\"] {css}"))
        .into_iter()
        .next()
}

/// The text of `css` inside a row; `None` if it is not there (rows are re-rendered as codes
/// change, so an element found a moment ago may already be gone).
fn text_in(session: &Session, row_id: &str, css: &str) -> Option<String> {
    in_row(session, row_id, css).and_then(|e| session.try_text(&e))
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn add_read_copy_delete() {
    let (_dir, session) = open_app();
    let status = session.text(&session.wait_for("#status", SHORT));
    assert!(
        status.to_lowercase().contains("encrypted"),
        "the status line must say accounts are saved encrypted, got {status:?}"
    );

    // Typed by hand, as a user copies the 16-character key from a service's setup page.
    session.click(&session.wait_for("#add-account", SHORT));
    session.type_text(&session.wait_for("#add-issuer", SHORT), "MyKerio");
    session.type_text(&session.wait_for("#add-name", SHORT), "jane@example.com");
    session.type_text(
        &session.wait_for("#add-secret", SHORT),
        "jbsw y3dp ehpk 3pxp",
    );
    session.click(&session.wait_for("#add-manual-submit", SHORT));
    session.wait_until("the MyKerio row appears", SHORT, || {
        row_for(&session, "MyKerio").is_some()
    });

    let uri = "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";
    let before = before_reading_screen();
    let row = row_for(&session, "MyKerio").expect("row");
    let shown = text_in(&session, &row, ".code").expect("code text");
    let after = now();
    let digits: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(
        shown,
        format!("{} {}", &digits[..3], &digits[3..]),
        "grouped 3+3"
    );
    let code_el = in_row(&session, &row, ".code").expect("code element");
    assert_eq!(
        session.attribute(&code_el, "data-code"),
        Some(digits.clone())
    );
    let expected = expected_codes(uri, before, after);
    assert!(
        expected.contains(&digits),
        "screen shows {digits}, core computes {expected:?} for that moment"
    );

    // A second account by URI: 8 digits, SHA256, grouped 4+4.
    let uri8 = "otpauth://totp/Kayako:ops%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&issuer=Kayako";
    add_by_uri(&session, uri8);
    session.wait_until("the Kayako row appears", SHORT, || {
        row_for(&session, "Kayako").is_some()
    });
    let before = before_reading_screen();
    let row8 = row_for(&session, "Kayako").expect("row");
    let shown8 = text_in(&session, &row8, ".code").expect("code text");
    let after = now();
    let digits8: String = shown8.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(
        shown8,
        format!("{} {}", &digits8[..4], &digits8[4..]),
        "grouped 4+4"
    );
    assert!(expected_codes(uri8, before, after).contains(&digits8));

    screenshot("main-window.png");

    // Copy by clicking the code: a visible confirmation, and the clipboard holds the code.
    let before = now();
    session.click(&code_el);
    wait_for_copied_toast(&session);
    let after = now();
    let copied = clipboard();
    assert!(
        expected_codes(uri, before, after).contains(&copied),
        "clipboard holds {copied:?}"
    );
    screenshot("copied.png");

    // Delete with a confirmation that names the account.
    let row = row_for(&session, "MyKerio").expect("row");
    let delete = in_row(&session, &row, ".delete").expect("delete button");
    session.click(&delete);
    let text = session.text(&session.wait_for("#confirm-text", SHORT));
    assert!(
        text.contains("MyKerio") && text.contains("jane@example.com"),
        "the confirmation must name the account: {text:?}"
    );
    screenshot("delete-confirmation.png");
    session.click(&session.wait_for("#confirm-delete", SHORT));
    session.wait_until("the MyKerio row is gone", SHORT, || {
        row_for(&session, "MyKerio").is_none()
    });
    assert!(
        row_for(&session, "Kayako").is_some(),
        "the other account stays"
    );

    // The recorder that every test's end checks for secrets did see the accounts' answers.
    let answers = ipc_audit::recorded(&session).expect("the page is up");
    assert!(
        answers
            .iter()
            .any(|(command, answer)| command == "list_accounts" && answer.contains("Kayako")),
        "list_accounts answers were recorded: {:?}",
        answers.iter().map(|(c, _)| c).collect::<Vec<_>>()
    );
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn bad_key_is_explained_and_nothing_is_added() {
    let (_dir, session) = open_app();
    session.click(&session.wait_for("#add-account", SHORT));
    session.type_text(&session.wait_for("#add-issuer", SHORT), "MyGlue");
    session.type_text(&session.wait_for("#add-secret", SHORT), "JBSW1Y3DPEHPK3PX");
    session.click(&session.wait_for("#add-manual-submit", SHORT));
    let error = session.wait_for("#add-error", SHORT);
    session.wait_until("the error names the bad character", SHORT, || {
        let text = session.text(&error);
        text.contains('1') && text.contains('5')
    });
    assert!(session.find_all("li.account").is_empty());
    screenshot("bad-key.png");
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn keyboard_enter_copies_selected_row() {
    let (_dir, session) = open_app();
    let uri = "otpauth://totp/Kaspersky%20Business%20Hub:it%40example.com?secret=KRSXG5CTMVRXEZLU&issuer=Kaspersky%20Business%20Hub";
    add_by_uri(&session, uri);
    session.wait_until("the row appears", SHORT, || {
        row_for(&session, "Kaspersky Business Hub").is_some()
    });
    // Keyboard only from here: Tab until focus is on the account, then Enter.
    session
        .execute(
            "document.activeElement && document.activeElement.blur();",
            json!([]),
        )
        .expect("start without focus");
    let focus_in_row = || {
        session
            .execute(
                "const a = document.activeElement; return !!(a && a.closest('li.account'));",
                json!([]),
            )
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    };
    for _ in 0..10 {
        if focus_in_row() {
            break;
        }
        session.press_keys(TAB);
    }
    assert!(focus_in_row(), "Tab reaches the account row");
    let before = now();
    session.press_keys(ENTER);
    wait_for_copied_toast(&session);
    let after = now();
    assert!(expected_codes(uri, before, after).contains(&clipboard()));
}
