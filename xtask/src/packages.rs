//! System packages: what each step needs, and installing the missing ones with apt-get on
//! Debian and Ubuntu. Elsewhere we only say what is missing.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};

/// Debian packages needed to build the desktop app (WebKitGTK and friends).
pub const BUILD: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    // Also linked by tessera-core: SQLCipher (Authenticator Plus backups) uses its libcrypto.
    "libssl-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
];

/// Debian packages the test suite uses: reference implementations (oathtool, chrony), the
/// virtual display, the WebDriver for WebKitGTK, a D-Bus session with a Secret Service,
/// clipboard and screen tools, and Syncthing.
pub const TEST: &[&str] = &[
    "oathtool",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus-x11",
    "gnome-keyring",
    "xclip",
    "imagemagick",
    "nodejs",
    "chrony",
    // rsvg-convert: an independent renderer for the QR codes Tessera draws as SVG.
    "librsvg2-bin",
    // Presses the quick pick shortcut as a user would, from outside the app.
    "xdotool",
    // A real sync engine carries the vault between two writers in the CLI's sync test.
    "syncthing",
];

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${db:Status-Status}", package])
        .stderr(Stdio::null())
        .output()
        .map(|out| out.status.success() && out.stdout == b"installed")
        .unwrap_or(false)
}

/// Installs the packages of `wanted` that are missing, saying which.
pub fn ensure(wanted: &[&str]) -> Result<()> {
    if !Path::new("/etc/debian_version").exists() {
        eprintln!(
            "xtask: not a Debian-like system; make sure the equivalents of these are installed: {}",
            wanted.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !is_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!(
        "xtask: installing missing Debian packages: {}",
        missing.join(" ")
    );
    let sudo = !is_root();
    apt(sudo, &["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend(&missing);
    apt(sudo, &args)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| out.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

fn apt(sudo: bool, args: &[&str]) -> Result<()> {
    let mut command = if sudo {
        let mut c = Command::new("sudo");
        c.arg("apt-get");
        c
    } else {
        Command::new("apt-get")
    };
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    let status = command
        .status()
        .with_context(|| format!("could not run apt-get {}", args.join(" ")))?;
    if !status.success() {
        bail!("apt-get {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Installs a local `.deb` with apt-get, which also brings its dependencies.
pub fn install_deb(deb: &Path) -> Result<()> {
    let path = deb.to_str().context("the package path is not UTF-8")?;
    apt(!is_root(), &["install", "-y", "-qq", "--reinstall", path])
}

/// Makes sure a cargo subcommand's binary (`cargo-tauri`, `tauri-driver`) is installed,
/// installing `krate` with cargo when missing. Returns its path.
pub fn ensure_cargo_tool(
    binary: &str,
    krate: &str,
    version: &str,
    minutes: &str,
) -> Result<std::path::PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin").join(binary));
    if let Some(path) = cargo_bin.as_ref().filter(|p| p.exists()) {
        return Ok(path.clone());
    }
    if let Ok(out) = Command::new("which").arg(binary).output() {
        if out.status.success() {
            let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
            return Ok(path.into());
        }
    }
    eprintln!("xtask: installing {krate} with cargo install ({minutes})");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["install", krate, "--version", version, "--locked"])
        .status()
        .with_context(|| format!("could not run cargo install {krate}"))?;
    if !status.success() {
        bail!("cargo install {krate} failed ({status})");
    }
    cargo_bin.with_context(|| {
        format!("cannot tell where cargo installed {binary}: set CARGO_HOME or HOME")
    })
}

/// Makes sure `tauri-driver` (the WebDriver bridge for Tauri apps) is installed. Returns its
/// path.
pub fn ensure_tauri_driver() -> Result<std::path::PathBuf> {
    ensure_cargo_tool("tauri-driver", "tauri-driver", "^2", "about a minute")
}
