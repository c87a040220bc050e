//! `cargo xtask bench [NAME]`: runs the benchmark programs in release mode and writes their
//! tables into docs/benchmarks.md, between markers that name each benchmark, so the
//! document always shows the last run and says how to repeat it.

use crate::workspace_root;
use anyhow::{bail, Context, Result};
use std::process::Command;

/// A benchmark: its name on the command line and the example that prints its table.
struct Bench {
    name: &'static str,
    package: &'static str,
    example: &'static str,
}

const BENCHES: &[Bench] = &[Bench {
    name: "vault",
    package: "tessera-core",
    example: "vault_bench",
}];

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
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(workspace_root())
            .args(["run", "--release", "--quiet", "-p", bench.package])
            .args(["--example", bench.example])
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
