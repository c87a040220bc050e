//! Start-up timings for the app benchmark (`cargo xtask bench app`): with
//! `TESSERA_STARTUP_TRACE=1`, the first time each milestone is reached a line
//! `tessera-startup: <milestone> <ms since the process started>` goes to stderr. Nothing is
//! written otherwise.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();
static SEEN: AtomicU8 = AtomicU8::new(0);

/// The moments the benchmark measures, each reported once.
#[derive(Clone, Copy)]
pub enum Milestone {
    /// Tauri is up and the app's state is installed (the end of the setup hook).
    SetupDone = 8,
    /// The webview began loading the page: WebKit's processes are running.
    PageStarted = 16,
    /// The page asked for the app's status: the first screen is up.
    FirstScreen = 1,
    /// The unlock command began (the password was submitted).
    UnlockStarted = 2,
    /// The page received the first list of codes after unlocking.
    FirstCodes = 4,
}

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("TESSERA_STARTUP_TRACE").is_some_and(|v| v == "1"))
}

/// Notes the process start; called first thing in `run`.
pub fn begin() {
    START.get_or_init(Instant::now);
}

/// Reports `milestone` the first time it is reached.
pub fn reached(milestone: Milestone) {
    if !enabled() {
        return;
    }
    let bit = milestone as u8;
    if SEEN.fetch_or(bit, Ordering::SeqCst) & bit != 0 {
        return;
    }
    let name = match milestone {
        Milestone::SetupDone => "setup-done",
        Milestone::PageStarted => "page-started",
        Milestone::FirstScreen => "first-screen",
        Milestone::UnlockStarted => "unlock-started",
        Milestone::FirstCodes => "first-codes",
    };
    let ms = START
        .get()
        .map_or(0.0, |s| s.elapsed().as_secs_f64() * 1000.0);
    eprintln!("tessera-startup: {name} {ms:.1}");
}
