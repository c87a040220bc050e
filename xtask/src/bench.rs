//! `cargo xtask bench [NAME]`: runs the benchmark programs in release mode and writes their
//! tables into docs/benchmarks.md, between markers that name each benchmark, so the
//! document always shows the last run and says how to repeat it.

use crate::packages;
use crate::qr_pages;
use crate::workspace_root;
use anyhow::{bail, Context, Result};
use std::process::Command;

/// A benchmark: its name on the command line, the example that prints its table, what it
/// needs installed first and that example's arguments (made after). A benchmark with no example makes
/// its table itself (`own`).
struct Bench {
    name: &'static str,
    package: &'static str,
    example: &'static str,
    prepare: fn() -> Result<()>,
    args: fn() -> Result<Vec<String>>,
    own: Option<fn() -> Result<String>>,
}

const BENCHES: &[Bench] = &[
    Bench {
        name: "vault",
        package: "tessera-core",
        example: "vault_bench",
        prepare: nothing_to_prepare,
        args: no_args,
        own: None,
    },
    Bench {
        name: "qr",
        package: "tessera-core",
        example: "qr_bench",
        prepare: install_qr_references,
        args: qr_args,
        own: None,
    },
    Bench {
        name: "app",
        package: "tessera",
        example: "",
        prepare: nothing_to_prepare,
        args: no_args,
        own: Some(crate::bench_app::table),
    },
];

fn nothing_to_prepare() -> Result<()> {
    Ok(())
}

fn no_args() -> Result<Vec<String>> {
    Ok(Vec::new())
}

/// The QR benchmark scores zbarimg (Debian) and zxing-cpp (PyPI) in the same run, and times
/// the release `tessera-cli` as a whole process.
fn install_qr_references() -> Result<()> {
    packages::ensure(&["zbar-tools"])?;
    qr_pages::pip(&["zxing-cpp", "pillow"])?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(workspace_root())
        .args(["build", "--release", "--quiet", "-p", "tessera-cli"])
        .status()
        .context("could not build tessera-cli")?;
    if !status.success() {
        bail!("building tessera-cli failed ({status})");
    }
    Ok(())
}

/// The generated corpus (written there on the first run and reused after), both splits of
/// the pages corpus (the reported one rendered when missing), and the CLI to time.
fn qr_args() -> Result<Vec<String>> {
    let reported = qr_pages::ensure_reported()?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let cli = target.join("release/tessera-cli");
    let generated = workspace_root().join("target/qr-corpus");
    Ok(vec![
        generated.display().to_string(),
        "--pages".into(),
        format!(
            "Pages, tuning split (committed)={}",
            qr_pages::tuning_dir().display()
        ),
        "--pages".into(),
        format!("Pages, reported split={}", reported.display()),
        "--cli".into(),
        cli.display().to_string(),
    ])
}

/// Runs the benchmark called `only`, or all of them.
pub fn run(only: Option<&str>) -> Result<()> {
    let selected: Vec<&Bench> = BENCHES
        .iter()
        .filter(|b| only.is_none_or(|name| b.name == name))
        .collect();
    if selected.is_empty() {
        let names: Vec<&str> = BENCHES.iter().map(|b| b.name).collect();
        bail!(
            "no benchmark named {:?}; choose from {}",
            only.unwrap_or(""),
            names.join(", ")
        );
    }
    let doc_path = workspace_root().join("docs/benchmarks.md");
    let mut doc = std::fs::read_to_string(&doc_path).unwrap_or_else(|_| "# Benchmarks\n".into());
    for bench in selected {
        eprintln!("\n== benchmark {}", bench.name);
        (bench.prepare)()?;
        let args = (bench.args)()?;
        if let Some(own) = bench.own {
            let table = own()?;
            println!("{table}");
            doc = replace_section(&doc, bench.name, &table);
            continue;
        }
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(workspace_root())
            .args(["run", "--release", "--quiet", "-p", bench.package])
            .args(["--example", bench.example, "--"])
            .args(&args)
            .output()
            .with_context(|| format!("could not run the {} benchmark", bench.name))?;
        if !output.status.success() {
            bail!(
                "the {} benchmark failed:\n{}",
                bench.name,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let table = String::from_utf8_lossy(&output.stdout).trim().to_string();
        println!("{table}");
        doc = replace_section(&doc, bench.name, &table);
    }
    std::fs::write(&doc_path, doc).context("could not write docs/benchmarks.md")?;
    eprintln!("\nwrote {}", doc_path.display());
    Ok(())
}

/// Puts `table` between the markers of `name`, appending the markers if they are missing.
fn replace_section(doc: &str, name: &str, table: &str) -> String {
    let start = format!("<!-- bench:{name}:start -->");
    let end = format!("<!-- bench:{name}:end -->");
    let block = format!("{start}\n{table}\n{end}");
    match (doc.find(&start), doc.find(&end)) {
        (Some(a), Some(b)) if a < b => format!("{}{block}{}", &doc[..a], &doc[b + end.len()..]),
        _ => format!("{}\n\n{block}\n", doc.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::replace_section;

    #[test]
    fn sections_are_replaced_in_place_or_appended() {
        let doc = "# B\n\n<!-- bench:vault:start -->\nold\n<!-- bench:vault:end -->\n\ntail\n";
        let new = replace_section(doc, "vault", "| a |");
        assert_eq!(
            new,
            "# B\n\n<!-- bench:vault:start -->\n| a |\n<!-- bench:vault:end -->\n\ntail\n"
        );
        let appended = replace_section("# B\n", "qr", "| q |");
        assert_eq!(
            appended,
            "# B\n\n<!-- bench:qr:start -->\n| q |\n<!-- bench:qr:end -->\n"
        );
    }
}
