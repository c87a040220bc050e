//! `cargo xtask`: project chores that need more than cargo, such as system packages.
//!
//! `cargo xtask test` installs the reference tools the tests compare against (oathtool), then
//! runs the test suites of the core library and the CLI.

use anyhow::{bail, Context, Result};
use std::process::{Command, Stdio};

fn main() -> Result<()> {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("test") => test(),
        Some(other) => bail!("unknown task {other:?}; available: test"),
        None => bail!("usage: cargo xtask test"),
    }
}

fn test() -> Result<()> {
    ensure_oathtool()?;
    run(Command::new(env_or("CARGO", "cargo")).args([
        "test",
        "-p",
        "tessera-core",
        "-p",
        "tessera-cli",
    ]))
}

/// oathtool is the reference implementation the code tests compare against.
fn ensure_oathtool() -> Result<()> {
    let present = Command::new("oathtool")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    eprintln!("xtask: installing oathtool (Debian package oathtool)");
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get").args(["install", "-y", "oathtool"]))
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn run(command: &mut Command) -> Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}
