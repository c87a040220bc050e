//! `cargo xtask bundle [--check]`: the Debian package, made by Tauri's bundler; with `--check`,
//! installed on this machine, its menu entry and icon looked for, and the installed app
//! started on a virtual display.

use crate::packages;
use crate::session::VirtualDisplay;
use crate::workspace_root;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where cargo writes: `CARGO_TARGET_DIR` or the workspace's `target`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The newest `.deb` the bundler wrote.
fn newest_deb() -> Result<PathBuf> {
    let folder = target_dir().join("release/bundle/deb");
    std::fs::read_dir(&folder)
        .with_context(|| format!("no bundle folder {}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "deb"))
        .max_by_key(|path| path.metadata().and_then(|m| m.modified()).ok())
        .with_context(|| format!("the bundler wrote no .deb in {}", folder.display()))
}

pub fn run(check: bool) -> Result<()> {
    packages::ensure(packages::BUILD)?;
    packages::ensure(&["file", "xdotool", "xvfb", "xauth"])?;
    let cargo_tauri =
        packages::ensure_cargo_tool("cargo-tauri", "tauri-cli", "^2", "about 10 minutes")?;
    eprintln!("\n== bundle the Debian package (release build)");
    let status = Command::new(&cargo_tauri)
        .args(["tauri", "build", "--bundles", "deb"])
        .current_dir(workspace_root())
        .status()
        .context("could not run cargo tauri build")?;
    if !status.success() {
        bail!("cargo tauri build failed ({status})");
    }
    let deb = newest_deb()?;
    let size = deb.metadata()?.len();
    println!(
        "{} ({:.1} MiB)",
        deb.display(),
        size as f64 / (1024.0 * 1024.0)
    );
    if check {
        install_and_start(&deb)?;
    }
    Ok(())
}

fn install_and_start(deb: &Path) -> Result<()> {
    eprintln!("\n== install {}", deb.display());
    packages::install_deb(deb)?;
    for path in [
        "/usr/bin/tessera",
        "/usr/share/applications/Tessera.desktop",
        "/usr/share/icons/hicolor/128x128/apps/tessera.png",
    ] {
        if !Path::new(path).exists() {
            bail!("the installed package has no {path}");
        }
        println!("installed: {path}");
    }
    let entry = std::fs::read_to_string("/usr/share/applications/Tessera.desktop")?;
    if !entry.lines().any(|l| l == "Exec=tessera") {
        bail!("the menu entry does not start tessera:\n{entry}");
    }

    eprintln!("\n== start the installed app");
    let display = VirtualDisplay::start()?;
    let vault = std::env::temp_dir().join(format!("tessera-bundle-check-{}", std::process::id()));
    std::fs::create_dir_all(&vault)?;
    let mut app = Command::new("/usr/bin/tessera")
        .env("DISPLAY", &display.display)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("TESSERA_VAULT", vault.join("vault.tessera"))
        .spawn()
        .context("could not start the installed tessera")?;
    let started = Instant::now();
    let mut window = false;
    while started.elapsed() < Duration::from_secs(20) && !window {
        std::thread::sleep(Duration::from_millis(250));
        if let Some(status) = app.try_wait()? {
            bail!("the installed app exited early ({status})");
        }
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "^Tessera$"])
            .env("DISPLAY", &display.display)
            .output()?;
        window = found.status.success() && !found.stdout.is_empty();
    }
    let _ = app.kill();
    let _ = app.wait();
    let _ = std::fs::remove_dir_all(&vault);
    if !window {
        bail!("the installed app showed no window within 20 s");
    }
    println!(
        "the installed app opened its window in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
