//! `cargo xtask bench app`: the release app on a virtual display with 100 accounts. Start-up
//! milestones come from the app's own trace (`TESSERA_STARTUP_TRACE=1`); idle CPU and memory
//! from /proc, summed over the app and its WebKit processes.

use crate::packages;
use crate::session::{SessionBus, VirtualDisplay};
use crate::workspace_root;
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const PASSWORD: &str = "benchmark password";
const ACCOUNTS: usize = 100;
const LAUNCHES: usize = 5;
const IDLE_SECONDS: u64 = 20;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

fn cli(vault: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(target_dir().join("release/tessera-cli"))
        .env("TESSERA_PASSWORD", PASSWORD)
        .arg("--vault")
        .arg(vault)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .context("could not run tessera-cli")?;
    if !status.success() {
        bail!("tessera-cli {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// A vault of [`ACCOUNTS`] time-based accounts, made with the CLI.
fn prepare_vault(dir: &Path) -> Result<PathBuf> {
    let vault = dir.join("vault.tessera");
    cli(&vault, &["init", "--kdf-minimum"])?;
    let list: String = (0..ACCOUNTS)
        .map(|i| {
            // 16 base32 characters, different for each account.
            let secret: String = format!("{i:016}")
                .chars()
                .map(|c| (b'A' + (c as u8 - b'0')) as char)
                .collect();
            format!("otpauth://totp/Service%20{i}:user{i}?secret={secret}&issuer=Service%20{i}\n")
        })
        .collect();
    let file = dir.join("accounts.txt");
    std::fs::write(&file, list)?;
    cli(&vault, &["import", file.to_str().context("path")?])?;
    Ok(vault)
}

/// The app started with its trace, and the trace's lines as they come.
struct Running {
    child: Child,
    lines: Receiver<(String, f64)>,
}

impl Running {
    fn start(display: &str, bus: &str, vault: &Path) -> Result<Running> {
        let mut child = Command::new(target_dir().join("release/tessera"))
            .env("DISPLAY", display)
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("TESSERA_VAULT", vault)
            .env("TESSERA_STARTUP_TRACE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("could not start the release app")?;
        let stderr = child.stderr.take().context("no stderr")?;
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut parts = line
                    .strip_prefix("tessera-startup: ")
                    .unwrap_or("")
                    .split(' ');
                if let (Some(name), Some(ms)) = (parts.next(), parts.next()) {
                    if let Ok(ms) = ms.parse::<f64>() {
                        let _ = send.send((name.to_string(), ms));
                    }
                }
            }
        });
        Ok(Running { child, lines })
    }

    fn wait_for(&self, milestone: &str) -> Result<f64> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok((name, ms)) if name == milestone => return Ok(ms),
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        bail!("the app never reported {milestone}")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn xdotool(display: &str, args: &[&str]) -> Result<()> {
    let status = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .context("could not run xdotool")?;
    if !status.success() {
        bail!("xdotool {} failed", args.join(" "));
    }
    Ok(())
}

/// The process `pid` and every process below it.
fn process_tree(pid: u32) -> Vec<u32> {
    let mut tree = vec![pid];
    let mut at = 0;
    while at < tree.len() {
        let parent = tree[at];
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for entry in entries.flatten() {
                let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                if stat_field(child, 4) == Some(u64::from(parent)) && !tree.contains(&child) {
                    tree.push(child);
                }
            }
        }
        at += 1;
    }
    tree
}

/// Field `n` (1-based, after the command name) of /proc/PID/stat.
fn stat_field(pid: u32, n: usize) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split(' ').nth(n - 3)?.parse().ok()
}

/// CPU time (user + system) of the processes, in clock ticks.
fn cpu_ticks(pids: &[u32]) -> u64 {
    pids.iter()
        .map(|&p| stat_field(p, 14).unwrap_or(0) + stat_field(p, 15).unwrap_or(0))
        .sum()
}

/// Resident memory of the processes, in KiB.
fn rss_kib(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .sum()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Runs the benchmark and returns its table.
pub fn table() -> Result<String> {
    packages::ensure(packages::BUILD)?;
    packages::ensure(&["xvfb", "xauth", "xdotool", "dbus-daemon"])?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(workspace_root())
        .args(["build", "--release", "-p", "tessera", "-p", "tessera-cli"])
        .status()
        .context("could not build the release app")?;
    if !status.success() {
        bail!("the release build failed");
    }
    let dir = std::env::temp_dir().join(format!("tessera-bench-app-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let vault = prepare_vault(&dir)?;
    let display = VirtualDisplay::start()?;
    let bus = SessionBus::start()?;

    let mut setup_done = Vec::new();
    let mut page_started = Vec::new();
    let mut first_screen = Vec::new();
    let mut unlock_to_codes = Vec::new();
    let mut idle = None;
    for launch in 0..LAUNCHES {
        let app = Running::start(&display.display, &bus.address, &vault)?;
        setup_done.push(app.wait_for("setup-done")?);
        page_started.push(app.wait_for("page-started")?);
        first_screen.push(app.wait_for("first-screen")?);
        xdotool(
            &display.display,
            &[
                "search",
                "--sync",
                "--onlyvisible",
                "--name",
                "^Tessera$",
                "windowfocus",
                "--sync",
            ],
        )?;
        xdotool(&display.display, &["type", "--delay", "0", PASSWORD])?;
        xdotool(&display.display, &["key", "Return"])?;
        let unlocked = app.wait_for("unlock-started")?;
        unlock_to_codes.push(app.wait_for("first-codes")? - unlocked);
        if launch + 1 == LAUNCHES {
            // Let the page settle (rings started, banner drawn) before measuring idleness.
            std::thread::sleep(Duration::from_secs(5));
            let tree = process_tree(app.child.id());
            let before = cpu_ticks(&tree);
            std::thread::sleep(Duration::from_secs(IDLE_SECONDS));
            let ticks = cpu_ticks(&tree) - before;
            // Linux counts CPU time in ticks of 1/100 s (USER_HZ).
            let percent = ticks as f64 / (IDLE_SECONDS as f64 * 100.0) * 100.0;
            idle = Some((percent, rss_kib(&tree), tree.len()));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (cpu, rss, processes) = idle.context("no idle measurement")?;
    let deb = std::fs::read_dir(target_dir().join("release/bundle/deb"))
        .ok()
        .and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "deb"))
                .filter_map(|p| p.metadata().ok().map(|m| m.len()))
                .max()
        });
    let mut table = format!(
        "| measure ({ACCOUNTS} accounts, release build, Xvfb, a D-Bus session) | value | target |\n\
         | --- | ---: | ---: |\n\
         | launch to Tauri set up (median of {LAUNCHES}) | {:.0} ms | |\n\
         | launch to the webview loading the page (WebKit's processes up) | {:.0} ms | |\n\
         | launch to the first screen | {:.0} ms | |\n\
         | password submitted to the first codes (median of {LAUNCHES}) | {:.0} ms | |\n\
         | launch to codes, without the time to type | {:.0} ms | under 500 ms |\n\
         | CPU while idle, codes showing ({IDLE_SECONDS} s) | {cpu:.2} % of a core | under 1 % |\n\
         | resident memory, {processes} processes | {:.0} MiB | |",
        median(setup_done),
        median(page_started),
        median(first_screen.clone()),
        median(unlock_to_codes.clone()),
        median(first_screen) + median(unlock_to_codes),
        rss as f64 / 1024.0,
    );
    match deb {
        Some(bytes) => table.push_str(&format!(
            "\n| .deb size (`cargo xtask bundle`) | {:.1} MiB | |",
            bytes as f64 / (1024.0 * 1024.0)
        )),
        None => table.push_str("\n| .deb size | run `cargo xtask bundle` first | |"),
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_tree_holds_children_and_grandchildren() {
        // sh starts sleep as its own child, so the tree of sh's parent (this test) reaches both.
        let mut shell = Command::new("sh")
            .args(["-c", "sleep 30 & echo $!; wait"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(shell.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let sleeper: u32 = line.trim().parse().unwrap();
        let tree = process_tree(std::process::id());
        let _ = Command::new("kill").arg(sleeper.to_string()).status();
        let _ = shell.wait();
        assert!(tree.contains(&shell.id()), "{tree:?}");
        assert!(tree.contains(&sleeper), "{tree:?}");
    }
}
