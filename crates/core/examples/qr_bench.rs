//! QR decoding benchmark: recall, false positives and time per image of Tessera, zbarimg and
//! zxing-cpp on the same corpora of screen-sized images.
//!
//! ```text
//! cargo run --release -p tessera-core --example qr_bench -- DIR [--pages TITLE=DIR]...
//!     [--zxing-script PATH] [--cli PATH]
//! ```
//!
//! DIR is the generated corpus: it is written there (with `truth.tsv`: file, kind, payloads)
//! unless it is already there. Each `--pages` directory holds a corpus rendered by a browser
//! (`xtask/scripts/qr_pages.py`, with the same `truth.tsv`). Every decoder found on the
//! machine is scored on every corpus, and a Markdown table is printed per corpus. zbarimg
//! comes from zbar-tools; zxing-cpp is run through `xtask/scripts/zxing_scan.py` (PyPI
//! `zxing-cpp` and `pillow`). With `--cli`, `tessera-cli scan` is also timed as a whole
//! process per file, against the zbarimg process. A missing reference decoder is reported and
//! left out of the tables.

#[path = "../tests/qr_support/scenes.rs"]
#[allow(dead_code)]
mod qr_scenes;

use qr_scenes::{scene, Kind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Entry {
    file: PathBuf,
    kind: String,
    payloads: Vec<String>,
}

/// What one decoder made of one file.
struct Outcome {
    payloads: Vec<String>,
    time: Duration,
}

/// The command line.
struct Options {
    generated: PathBuf,
    pages: Vec<(String, PathBuf)>,
    zxing_script: PathBuf,
    cli: Option<PathBuf>,
}

fn options() -> Options {
    let usage = || -> ! {
        eprintln!("usage: qr_bench DIR [--pages TITLE=DIR]... [--zxing-script PATH] [--cli PATH]");
        std::process::exit(2);
    };
    let mut args = std::env::args().skip(1);
    let Some(generated) = args.next().map(PathBuf::from) else {
        usage()
    };
    let mut options = Options {
        generated,
        pages: Vec::new(),
        zxing_script: PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../xtask/scripts/zxing_scan.py"
        )),
        cli: None,
    };
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--zxing-script", Some(path)) => options.zxing_script = path.into(),
            ("--cli", Some(path)) => options.cli = Some(path.into()),
            ("--pages", Some(pair)) => match pair.split_once('=') {
                Some((title, dir)) => options.pages.push((title.to_owned(), dir.into())),
                None => usage(),
            },
            _ => usage(),
        }
    }
    options
}

fn main() {
    let options = options();
    let mut corpora = vec![(
        "Generated scenes".to_owned(),
        generated_corpus(&options.generated),
    )];
    for (title, dir) in &options.pages {
        match read_truth(dir) {
            Some(entries) => corpora.push((title.clone(), entries)),
            None => {
                eprintln!("no truth.tsv in {}", dir.display());
                std::process::exit(2);
            }
        }
    }
    let mut processes = Vec::new();
    for (title, corpus) in &corpora {
        let mut results: Vec<(&str, Vec<Outcome>)> = vec![("Tessera", run_tessera(corpus))];
        match run_zbar(corpus) {
            Some(outcomes) => results.push(("zbarimg", outcomes)),
            None => eprintln!("zbarimg not found: install zbar-tools to compare with it"),
        }
        match run_zxing(corpus, &options.zxing_script) {
            Some(outcomes) => results.push(("zxing-cpp", outcomes)),
            None => eprintln!("zxing-cpp not runnable: pip install zxing-cpp pillow"),
        }
        println!("**{title}** ({} images)\n", corpus.len());
        print_table(corpus, &results);
        println!();
        report_misses(title, corpus, &results);
        if let Some(cli) = &options.cli {
            let zbar = results.iter().find(|(name, _)| *name == "zbarimg");
            processes.push((
                title.as_str(),
                run_cli(corpus, cli),
                zbar.map(|(_, outcomes)| times(outcomes)),
            ));
        }
    }
    if !processes.is_empty() {
        println!("**Whole processes**: one `tessera-cli scan FILE` or `zbarimg FILE` per image\n");
        println!(
            "| corpus | tessera-cli median | tessera-cli p95 | zbarimg median | zbarimg p95 |"
        );
        println!("| --- | ---: | ---: | ---: | ---: |");
        for (title, cli, zbar) in processes {
            let cli = times(&cli);
            let (zbar_median, zbar_p95) = match zbar {
                Some(zbar) => (ms(percentile(&zbar, 50)), ms(percentile(&zbar, 95))),
                None => ("-".to_owned(), "-".to_owned()),
            };
            println!(
                "| {title} | {} | {} | {zbar_median} | {zbar_p95} |",
                ms(percentile(&cli, 50)),
                ms(percentile(&cli, 95))
            );
        }
    }
}

/// Screen sizes of the generated corpus; phone and HiDPI scenes use their own.
const SIZES: [(u32, u32); 5] = [
    (1366, 768),
    (1920, 1080),
    (2560, 1440),
    (3840, 2160),
    (1080, 2400),
];
/// Images per kind.
const PER_KIND: u64 = 10;

/// The entries of a corpus directory's `truth.tsv`: file, kind, payloads.
fn read_truth(dir: &Path) -> Option<Vec<Entry>> {
    let text = std::fs::read_to_string(dir.join("truth.tsv")).ok()?;
    Some(
        text.lines()
            .map(|line| {
                let mut fields = line.split('\t');
                let file = dir.join(fields.next().unwrap_or_default());
                let kind = fields.next().unwrap_or_default().to_owned();
                let payloads = fields.map(str::to_owned).collect();
                Entry {
                    file,
                    kind,
                    payloads,
                }
            })
            .collect(),
    )
}

/// Generates the corpus into `dir`, or reads its truth file when it is there.
fn generated_corpus(dir: &Path) -> Vec<Entry> {
    if let Some(entries) = read_truth(dir) {
        return entries;
    }
    let truth = dir.join("truth.tsv");
    std::fs::create_dir_all(dir).expect("create the corpus directory");
    let mut entries = Vec::new();
    let mut lines = String::new();
    for kind in Kind::ALL {
        for index in 0..PER_KIND {
            let (width, height) = SIZES[index as usize % SIZES.len()];
            let seed = index * 31 + kind as u64 * 1000 + 7;
            let scene = scene(kind, width, height, seed);
            let name = format!(
                "{}-{:02}-{}x{}.{}",
                kind.name(),
                index,
                scene.image.width(),
                scene.image.height(),
                scene.extension()
            );
            std::fs::write(dir.join(&name), scene.encode()).expect("write a corpus image");
            lines.push_str(&name);
            lines.push('\t');
            lines.push_str(kind.name());
            for payload in &scene.payloads {
                lines.push('\t');
                lines.push_str(payload);
            }
            lines.push('\n');
            entries.push(Entry {
                file: dir.join(name),
                kind: kind.name().to_owned(),
                payloads: scene.payloads,
            });
        }
    }
    std::fs::write(&truth, lines).expect("write the truth file");
    eprintln!("wrote {} images to {}", entries.len(), dir.display());
    entries
}

fn run_tessera(corpus: &[Entry]) -> Vec<Outcome> {
    corpus
        .iter()
        .map(|entry| {
            let start = Instant::now();
            let payloads = match tessera_core::qr::decode_file(&entry.file) {
                Ok(scan) => scan.payloads,
                Err(err) => {
                    eprintln!("tessera: {}: {err}", entry.file.display());
                    Vec::new()
                }
            };
            Outcome {
                payloads,
                time: start.elapsed(),
            }
        })
        .collect()
}

/// `tessera-cli scan` per file, timed as a whole process as zbarimg is.
fn run_cli(corpus: &[Entry], cli: &Path) -> Vec<Outcome> {
    corpus
        .iter()
        .map(|entry| {
            let start = Instant::now();
            let output = Command::new(cli)
                .arg("scan")
                .arg(&entry.file)
                .output()
                .expect("run tessera-cli");
            let time = start.elapsed();
            let payloads = String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(str::to_owned)
                .collect();
            Outcome { payloads, time }
        })
        .collect()
}

/// zbarimg per file: its wall time includes starting the process, as a user of it pays.
fn run_zbar(corpus: &[Entry]) -> Option<Vec<Outcome>> {
    Command::new("zbarimg").arg("--version").output().ok()?;
    Some(
        corpus
            .iter()
            .map(|entry| {
                let start = Instant::now();
                let output = Command::new("zbarimg")
                    .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
                    .arg(&entry.file)
                    .output()
                    .expect("run zbarimg");
                let time = start.elapsed();
                let payloads = String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .map(str::to_owned)
                    .collect();
                Outcome { payloads, time }
            })
            .collect(),
    )
}

/// zxing-cpp through one Python process for all files; times are measured inside it.
fn run_zxing(corpus: &[Entry], script: &Path) -> Option<Vec<Outcome>> {
    let output = Command::new("python3")
        .arg(script)
        .args(corpus.iter().map(|entry| &entry.file))
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let mut by_file: BTreeMap<PathBuf, Outcome> = BTreeMap::new();
    let mut current: Option<PathBuf> = None;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if let Some(payload) = line.strip_prefix('\t') {
            if let Some(outcome) = current.as_ref().and_then(|file| by_file.get_mut(file)) {
                outcome.payloads.push(payload.to_owned());
            }
        } else if let Some((file, seconds)) = line.rsplit_once('\t') {
            let time = Duration::from_secs_f64(seconds.parse().unwrap_or(0.0));
            by_file.insert(
                file.into(),
                Outcome {
                    payloads: Vec::new(),
                    time,
                },
            );
            current = Some(file.into());
        }
    }
    Some(
        corpus
            .iter()
            .map(|entry| {
                by_file.remove(&entry.file).unwrap_or(Outcome {
                    payloads: Vec::new(),
                    time: Duration::ZERO,
                })
            })
            .collect(),
    )
}

fn times(outcomes: &[Outcome]) -> Vec<Duration> {
    let mut times: Vec<Duration> = outcomes.iter().map(|o| o.time).collect();
    times.sort();
    times
}

/// The `pct`-th percentile of sorted times (nearest rank).
fn percentile(sorted: &[Duration], pct: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * pct).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}

fn found_in(entry: &Entry, outcome: &Outcome) -> usize {
    entry
        .payloads
        .iter()
        .filter(|p| outcome.payloads.contains(p))
        .count()
}

fn wrong_in(entry: &Entry, outcome: &Outcome) -> usize {
    outcome
        .payloads
        .iter()
        .filter(|p| !entry.payloads.contains(p))
        .count()
}

fn print_table(corpus: &[Entry], results: &[(&str, Vec<Outcome>)]) {
    let mut kinds: Vec<&str> = Vec::new();
    for entry in corpus {
        if !kinds.contains(&entry.kind.as_str()) {
            kinds.push(&entry.kind);
        }
    }
    print!("| kind | images |");
    for (name, _) in results {
        print!(" {name} |");
    }
    println!();
    print!("| --- | ---: |");
    for _ in results {
        print!(" ---: |");
    }
    println!();
    for kind in &kinds {
        let indices: Vec<usize> = (0..corpus.len())
            .filter(|&i| corpus[i].kind == *kind)
            .collect();
        let expected: usize = indices.iter().map(|&i| corpus[i].payloads.len()).sum();
        print!("| {kind} | {} |", indices.len());
        for (_, outcomes) in results {
            let found: usize = indices
                .iter()
                .map(|&i| found_in(&corpus[i], &outcomes[i]))
                .sum();
            if expected == 0 {
                print!(" - |");
            } else {
                print!(" {found}/{expected} |");
            }
        }
        println!();
    }
    let expected: usize = corpus.iter().map(|e| e.payloads.len()).sum();
    print!("| **recall** | {} |", corpus.len());
    for (_, outcomes) in results {
        let found: usize = corpus
            .iter()
            .zip(outcomes)
            .map(|(e, o)| found_in(e, o))
            .sum();
        print!(
            " {:.1} % ({found}/{expected}) |",
            found as f64 * 100.0 / expected.max(1) as f64
        );
    }
    println!();
    print!("| **false positives** | |");
    for (_, outcomes) in results {
        let wrong: usize = corpus
            .iter()
            .zip(outcomes)
            .map(|(e, o)| wrong_in(e, o))
            .sum();
        print!(" {wrong} |");
    }
    println!();
    for (label, pct) in [("median", 50), ("95th percentile", 95)] {
        print!("| **{label} time / image** | |");
        for (_, outcomes) in results {
            print!(" {} |", ms(percentile(&times(outcomes), pct)));
        }
        println!();
    }
}

/// Per-file misses go to stderr, for working on the decoder, except for corpora whose title
/// says they are reported: their misses are only counted, so that nobody tunes on them.
fn report_misses(title: &str, corpus: &[Entry], results: &[(&str, Vec<Outcome>)]) {
    let reported = title.to_ascii_lowercase().contains("reported");
    for (name, outcomes) in results {
        let mut missed_total = 0;
        for (entry, outcome) in corpus.iter().zip(outcomes) {
            let missed = entry.payloads.len() - found_in(entry, outcome);
            let wrong = wrong_in(entry, outcome);
            missed_total += missed;
            if !reported && missed + wrong > 0 {
                eprintln!(
                    "{name}: missed {missed}, {wrong} wrong in {}",
                    entry.file.display()
                );
            }
        }
        eprintln!("{title}: {name} missed {missed_total}");
    }
}
