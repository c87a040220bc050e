//! `cargo xtask run|test|bench|bundle|fuzz|qr-pages`: installs what the project needs on this machine, builds it,
//! runs it, and runs every test including the end-to-end suite under a virtual display.

mod bench;
mod bench_app;
mod bundle;
mod fuzz;
mod packages;
mod qr_pages;
mod session;
mod steps;

use anyhow::{bail, Result};
use std::path::PathBuf;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  run     install missing build packages, build the desktop app and start it
  test    formatting, lints, unit and integration tests, then the end-to-end suite
          under Xvfb with a D-Bus session and gnome-keyring
  bench   [NAME] run the benchmarks in release mode and write docs/benchmarks.md
  bundle  [--check] build the Debian package with Tauri's bundler (installs tauri-cli);
          --check installs it here and starts the installed app on a virtual display
  qr-pages
          render the tuning split of the QR pages corpus with headless Chromium into
          tests/fixtures/qr-pages, and record what zxing-cpp reads in it
  fuzz    TARGET [--time SECONDS] fuzz one parser with AFL++ (installs cargo-afl; 600 s by
          default); crashes are kept as regression inputs, figures go to docs/security.md
";

fn main() {
    if let Err(err) = dispatch() {
        eprintln!("xtask: {err:#}");
        std::process::exit(1);
    }
}

fn dispatch() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => steps::run(&args[1..]),
        Some("test") => steps::test(),
        Some("bench") => bench::run(args.get(1).map(String::as_str)),
        Some("bundle") => bundle::run(args.iter().any(|a| a == "--check")),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("qr-pages") => qr_pages::refresh_tuning_split(),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}

/// The workspace root (the parent of this crate's directory). `cargo run` sets
/// CARGO_MANIFEST_DIR at run time too; preferring it keeps a binary built for one checkout
/// (with a shared CARGO_TARGET_DIR) from working on another.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
