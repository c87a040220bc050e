//! `cargo xtask fuzz TARGET [--time SECONDS]`: one AFL++ campaign on one target of
//! crates/fuzz, on stable Rust through cargo-afl. Crashes are copied to
//! crates/fuzz/crashes/TARGET/, where the normal test suite replays them, and the campaign's
//! figures go into the fuzzing table of docs/security.md.

use crate::{packages, workspace_root};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEFAULT_SECONDS: u64 = 600;
const TABLE_BEGIN: &str = "<!-- fuzz table: written by cargo xtask fuzz -->";
const TABLE_END: &str = "<!-- end of fuzz table -->";

/// Runs the campaign `args` describe.
pub fn run(args: &[String]) -> Result<()> {
    let (target, seconds) = parse_args(args)?;
    let root = workspace_root();
    let seeds = root.join("crates/fuzz/seeds").join(&target);
    if !seeds.is_dir() {
        bail!(
            "no target {target:?}: crates/fuzz/seeds has a folder per target ({})",
            target_names(&root)?.join(", ")
        );
    }
    let cargo_afl = packages::ensure_cargo_tool("cargo-afl", "cargo-afl", "^0.18", "two minutes")?;
    build_afl(&cargo_afl)?;

    let target_dir = fuzz_target_dir(&root);
    let mut build = Command::new(&cargo_afl);
    build
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target_dir)
        .args(["afl", "build", "--release", "-p", "tessera-fuzz"]);
    check(build.status(), "cargo afl build")?;

    let out = target_dir.join("campaigns").join(&target);
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
    }
    let binary = target_dir.join("release/tessera-fuzz");
    let log_path = target_dir.join("campaigns").join(format!("{target}.log"));
    std::fs::create_dir_all(target_dir.join("campaigns"))?;
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("creating {}", log_path.display()))?;
    let mut fuzz = Command::new(&cargo_afl);
    fuzz.current_dir(&root)
        // No UI: the campaign's log is the terminal output; and no tuning of the machine's
        // CPU governor or core pattern, which needs root and changes the host.
        .env("AFL_NO_UI", "1")
        .env("AFL_SKIP_CPUFREQ", "1")
        .env("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1")
        .arg("afl")
        .arg("fuzz")
        .arg("-i")
        .arg(&seeds)
        .arg("-o")
        .arg(&out)
        .args(["-V", &seconds.to_string()])
        // Importers derive keys from parameters in the file (capped): give them time.
        .args(["-t", "5000"])
        .arg("--")
        .arg(&binary)
        .arg(&target)
        .stdout(log.try_clone()?)
        .stderr(log);
    eprintln!(
        "xtask: fuzzing {target} for {seconds} s (log: {})",
        log_path.display()
    );
    check(fuzz.status(), "afl-fuzz")?;

    let stats = read_stats(&out.join("default/fuzzer_stats"))?;
    let found = copy_crashes(&out.join("default/crashes"), &root, &target)?;
    let row = Row {
        target: target.clone(),
        minutes: stat(&stats, "run_time")? / 60.0,
        executions: stat(&stats, "execs_done")?,
        crashes: stat(&stats, "saved_crashes")?,
        hangs: stat(&stats, "saved_hangs")?,
        coverage: stats.get("bitmap_cvg").cloned().unwrap_or_default(),
    };
    println!(
        "{target}: {:.1} min, {} executions, {} crashes, {} hangs, edge coverage {}",
        row.minutes, row.executions, row.crashes, row.hangs, row.coverage
    );
    for path in &found {
        println!("  crash saved as {}", path.display());
    }
    write_table(&root.join("docs/security.md"), &row)?;
    if !found.is_empty() {
        bail!(
            "{} crash(es) in {target}: `cargo run -p tessera-fuzz -- {target} FILE` replays one",
            found.len()
        );
    }
    Ok(())
}

fn parse_args(args: &[String]) -> Result<(String, u64)> {
    let mut target = None;
    let mut seconds = DEFAULT_SECONDS;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--time" => {
                let value = args.next().context("--time needs a number of seconds")?;
                seconds = value
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .with_context(|| format!("--time {value:?} is not a number of seconds"))?;
            }
            name if target.is_none() && !name.starts_with('-') => target = Some(name.to_string()),
            other => bail!("unexpected argument {other:?}"),
        }
    }
    let root = workspace_root();
    let target = target.with_context(|| {
        format!(
            "which target? cargo xtask fuzz TARGET [--time SECONDS], with TARGET one of: {}",
            target_names(&root).unwrap_or_default().join(", ")
        )
    })?;
    Ok((target, seconds))
}

fn target_names(root: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("crates/fuzz/seeds"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// Instrumented builds keep to a folder of their own, so they never replace the normal ones.
fn fuzz_target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("fuzz")
}

/// Builds AFL++ itself for this Rust version, once.
fn build_afl(cargo_afl: &Path) -> Result<()> {
    let output = Command::new(cargo_afl)
        .args(["afl", "config", "--build"])
        .output()
        .context("could not run cargo afl config")?;
    let said = String::from_utf8_lossy(&output.stderr);
    if output.status.success() || said.contains("already built") {
        return Ok(());
    }
    bail!("cargo afl config --build failed:\n{said}")
}

fn check(status: std::io::Result<std::process::ExitStatus>, what: &str) -> Result<()> {
    let status = status.with_context(|| format!("could not run {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

fn read_stats(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("AFL++ left no statistics at {}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect())
}

fn stat(stats: &BTreeMap<String, String>, key: &str) -> Result<f64> {
    stats
        .get(key)
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("fuzzer_stats has no number for {key}"))
}

/// Copies each crashing input to crates/fuzz/crashes/TARGET/, named by AFL++'s id and signal.
fn copy_crashes(dir: &Path, root: &Path, target: &str) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let keep = root.join("crates/fuzz/crashes").join(target);
    let mut saved = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("id:") {
            continue;
        }
        // "id:000000,sig:06,src:…" → "id000000-sig06": short, and portable as a file name.
        let short: String = name
            .split(',')
            .take(2)
            .collect::<Vec<_>>()
            .join("-")
            .replace(':', "");
        std::fs::create_dir_all(&keep)?;
        let path = keep.join(short);
        std::fs::copy(entry.path(), &path)?;
        saved.push(path);
    }
    Ok(saved)
}

struct Row {
    target: String,
    minutes: f64,
    executions: f64,
    crashes: f64,
    hangs: f64,
    coverage: String,
}

/// Puts `row` into the table between the markers of `doc`, replacing that target's old row.
fn write_table(doc: &Path, row: &Row) -> Result<()> {
    let text = std::fs::read_to_string(doc)?;
    let (Some(begin), Some(end)) = (text.find(TABLE_BEGIN), text.find(TABLE_END)) else {
        bail!("{} has no fuzz table markers", doc.display());
    };
    let body = &text[begin + TABLE_BEGIN.len()..end];
    let mut rows: BTreeMap<String, String> = body
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let name = l.split('`').nth(1)?;
            Some((name.to_string(), l.to_string()))
        })
        .collect();
    rows.insert(
        row.target.clone(),
        format!(
            "| `{}` | {:.0} | {} | {} | {} | {} |",
            row.target, row.minutes, row.executions, row.crashes, row.hangs, row.coverage
        ),
    );
    let mut table = String::from(
        "\n| target | minutes | executions | crashes | hangs | edge coverage |\n|---|---|---|---|---|---|\n",
    );
    for line in rows.values() {
        table.push_str(line);
        table.push('\n');
    }
    let updated = format!("{}{}{}{}", &text[..begin], TABLE_BEGIN, table, &text[end..]);
    std::fs::write(doc, updated)?;
    Ok(())
}
