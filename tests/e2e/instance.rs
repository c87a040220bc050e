//! One Tessera per vault: launching it again hands over to the running window and exits, while
//! another vault may still be opened beside it.

use super::*;
use std::time::Instant;

fn second_launch(vault: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_CONFIG_DIR", local_config_dir(vault))
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a second Tessera")
}

/// Waits up to `limit` for `child` to exit; its status, or None if it is still running.
fn exits_within(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().expect("poll the child") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

#[test]
#[ignore = "needs a display, tauri-driver and a D-Bus session: run by cargo xtask test"]
fn a_second_launch_hands_over_to_the_first() {
    let (dir, app) = open_app();
    let vault = dir.path().join("vault.tessera");

    let mut again = second_launch(&vault);
    let status = exits_within(&mut again, Duration::from_secs(15));
    assert!(
        status.is_some_and(|s| s.success()),
        "a second launch on the same vault must exit, got {status:?}"
    );
    // The first one is still there and working.
    app.click(&app.wait_for("#add-account", SHORT));
    app.wait_for("#add-uri", SHORT);

    // Another vault is another instance: it keeps running.
    let other = tempfile::tempdir().expect("temporary folder");
    let mut beside = second_launch(&other.path().join("vault.tessera"));
    let status = exits_within(&mut beside, Duration::from_secs(4));
    let _ = beside.kill();
    let _ = beside.wait();
    assert!(
        status.is_none(),
        "a launch on another vault exited: {status:?}"
    );
}
