//! The "pages" QR corpus: setup pages rendered by headless Chromium and degraded as captures
//! are (`xtask/scripts/qr_pages.py`), split by seed.
//!
//! - The tuning split (seeds from [`TUNING_FIRST_SEED`]) is committed in
//!   `tests/fixtures/qr-pages/`, with what zxing-cpp read in each image (`zxing.tsv`), so the
//!   decoder's tests read it without a browser. `cargo xtask qr-pages` rewrites it.
//! - The reported split (seeds from [`REPORTED_FIRST_SEED`]) is never committed: `cargo xtask
//!   bench qr` renders it into `target/qr-pages-reported/` when it is missing, and only its
//!   counts are printed.

use crate::packages;
use crate::workspace_root;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Seeds of the tuning split start here; those of the reported split are far above.
const TUNING_FIRST_SEED: u32 = 0;
/// Images in the committed tuning split: six of each of the nine kinds.
const TUNING_COUNT: u32 = 54;
/// Seeds of the reported split start here.
const REPORTED_FIRST_SEED: u32 = 10_000;
/// Images in the reported split: fifteen of each kind.
const REPORTED_COUNT: u32 = 135;

/// Debian packages that render the pages.
const BROWSER: &[&str] = &["chromium", "chromium-driver"];
/// PyPI packages of the generator and of the zxing-cpp reference.
const PYTHON: &[&str] = &["segno", "pillow", "zxing-cpp"];

/// Installs the browser and the Python packages the generator needs.
pub fn install() -> Result<()> {
    packages::ensure(BROWSER)?;
    pip(PYTHON)
}

/// Installs PyPI packages with pip.
pub fn pip(wanted: &[&str]) -> Result<()> {
    let status = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet"])
        .args(wanted)
        .status()
        .context("could not run pip")?;
    if !status.success() {
        bail!("pip install {} failed ({status})", wanted.join(" "));
    }
    Ok(())
}

fn script(name: &str) -> PathBuf {
    workspace_root().join("xtask/scripts").join(name)
}

/// The committed tuning split.
pub fn tuning_dir() -> PathBuf {
    workspace_root().join("tests/fixtures/qr-pages")
}

/// Where the reported split is rendered.
pub fn reported_dir() -> PathBuf {
    workspace_root().join("target/qr-pages-reported")
}

/// Renders `count` images from `first` into `dir`, replacing what was there.
fn render(dir: &Path, split: &str, first: u32, count: u32) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("could not clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    eprintln!("xtask: rendering {count} pages into {}", dir.display());
    let status = Command::new("python3")
        .arg(script("qr_pages.py"))
        .arg(dir)
        .args([split, &first.to_string(), &count.to_string()])
        .status()
        .context("could not run the page generator")?;
    if !status.success() {
        bail!("the page generator failed ({status})");
    }
    Ok(())
}

/// Makes sure the reported split is there, rendering it when its truth file is missing.
pub fn ensure_reported() -> Result<PathBuf> {
    let dir = reported_dir();
    if !dir.join("truth.tsv").exists() {
        install()?;
        render(&dir, "report", REPORTED_FIRST_SEED, REPORTED_COUNT)?;
    }
    Ok(dir)
}

/// `cargo xtask qr-pages`: renders the tuning split into the fixtures and records what
/// zxing-cpp reads in each image (`zxing.tsv`: file, then the payloads it returned).
pub fn refresh_tuning_split() -> Result<()> {
    install()?;
    let dir = tuning_dir();
    render(&dir, "tune", TUNING_FIRST_SEED, TUNING_COUNT)?;
    let truth = std::fs::read_to_string(dir.join("truth.tsv"))?;
    let files: Vec<PathBuf> = truth
        .lines()
        .filter_map(|line| line.split('\t').next())
        .map(|name| dir.join(name))
        .collect();
    let output = Command::new("python3")
        .arg(script("zxing_scan.py"))
        .args(&files)
        .output()
        .context("could not run zxing-cpp")?;
    if !output.status.success() {
        bail!(
            "zxing-cpp failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut table = String::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if let Some(payload) = line.strip_prefix('\t') {
            table.push('\t');
            table.push_str(payload);
        } else if let Some((file, _seconds)) = line.rsplit_once('\t') {
            if !table.is_empty() {
                table.push('\n');
            }
            let name = Path::new(file)
                .file_name()
                .context("a file without a name")?;
            table.push_str(&name.to_string_lossy());
        }
    }
    table.push('\n');
    std::fs::write(dir.join("zxing.tsv"), table)?;
    eprintln!("xtask: wrote {} and zxing.tsv", dir.display());
    Ok(())
}
