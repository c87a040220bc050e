//! The xtask commands, as sequences of steps that stop at the first failure.

use crate::packages;
use crate::session::{in_dbus_session, VirtualDisplay};
use crate::workspace_root;
use anyhow::{bail, Context, Result};
use std::process::Command;

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

fn step(title: &str, mut command: Command) -> Result<()> {
    eprintln!("\n== {title}");
    let status = command
        .status()
        .with_context(|| format!("could not start: {title}"))?;
    if !status.success() {
        bail!("{title} failed ({status})");
    }
    Ok(())
}

/// `cargo xtask run [-- APP ARGS]`: build and start the desktop app.
pub fn run(app_args: &[String]) -> Result<()> {
    packages::ensure(packages::BUILD)?;
    let mut build = cargo();
    build.args(["build", "-p", "tessera"]);
    step("build the desktop app", build)?;
    let has_display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !has_display && cfg!(target_os = "linux") {
        bail!(
            "no display: neither DISPLAY nor WAYLAND_DISPLAY is set.\n\
             Run Tessera on a virtual display instead:\n    \
             WEBKIT_DISABLE_COMPOSITING_MODE=1 xvfb-run -a cargo xtask run"
        );
    }
    let binary = workspace_root().join("target/debug/tessera");
    let mut app = Command::new(&binary);
    app.args(app_args.iter().filter(|a| a.as_str() != "--"));
    step("Tessera", app)
}

/// `cargo xtask test`: everything CI checks.
pub fn test() -> Result<()> {
    let mut wanted = packages::BUILD.to_vec();
    wanted.extend(packages::TEST);
    packages::ensure(&wanted)?;
    let tauri_driver = packages::ensure_tauri_driver()?;

    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    step("formatting (cargo fmt --check)", fmt)?;

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    step("lints (cargo clippy -D warnings)", clippy)?;

    let mut unit = cargo();
    unit.args(["test", "--workspace"]);
    step("unit and integration tests", unit)?;

    let mut node = Command::new("node");
    node.current_dir(workspace_root())
        .args(["--test", "ui/js/lib/"]);
    step("web UI helpers (node --test)", node)?;

    // Tests that need a desktop session are marked #[ignore] so a plain `cargo test` reports
    // them as not run rather than passing; here they get their display, bus and keyring.
    let display = VirtualDisplay::start()?;
    let artifacts = workspace_root().join("target/e2e");
    std::fs::create_dir_all(&artifacts)?;
    let cargo_path = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut session = in_dbus_session(
        &cargo_path,
        &["test", "--workspace", "--", "--ignored", "--test-threads=1"],
    );
    session
        .current_dir(workspace_root())
        .env("DISPLAY", &display.display)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("TAURI_DRIVER", &tauri_driver)
        .env("TESSERA_E2E_ARTIFACTS", &artifacts)
        .env_remove("WAYLAND_DISPLAY");
    step(
        "desktop-session tests: end to end, OS keyring (Xvfb, D-Bus, gnome-keyring)",
        session,
    )?;
    eprintln!(
        "\nall checks passed; screenshots in {}",
        artifacts.display()
    );
    Ok(())
}
