//! QR decoding benchmark: recall, false positives and time per image of Tessera, zbarimg and
//! zxing-cpp on the same generated corpus of screen-sized images.
//!
//! ```text
//! cargo run --release -p tessera-core --example qr_bench -- DIR [--zxing-script PATH]
//! ```
//!
//! Writes the corpus to DIR (with `truth.tsv`: file, kind, payloads) unless it is already
//! there, scores every decoder found on the machine, and prints a Markdown table. zbarimg comes
//! from zbar-tools; zxing-cpp is run through `xtask/scripts/zxing_scan.py` (PyPI `zxing-cpp`
//! and `pillow`). A missing reference decoder is reported and left out of the table.

#[path = "../tests/qr_support/scenes.rs"]
#[allow(dead_code)]
mod qr_scenes;

use qr_scenes::{scene, Kind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Screen sizes of the corpus; phone and HiDPI scenes use their own.
const SIZES: [(u32, u32); 5] = [
    (1366, 768),
    (1920, 1080),
    (2560, 1440),
    (3840, 2160),
    (1080, 2400),
];
/// Images per kind.
const PER_KIND: u64 = 10;

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

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: qr_bench DIR [--zxing-script PATH]");
        std::process::exit(2);
    };
    let mut zxing_script = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../xtask/scripts/zxing_scan.py"
    ));
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--zxing-script", Some(path)) => zxing_script = path.into(),
            _ => {
                eprintln!("unknown argument {arg}");
                std::process::exit(2);
            }
        }
    }
    let corpus = corpus(&dir);
    let mut results: Vec<(&str, Vec<Outcome>)> = vec![("Tessera", run_tessera(&corpus))];
    match run_zbar(&corpus) {
        Some(outcomes) => results.push(("zbarimg", outcomes)),
        None => eprintln!("zbarimg not found: install zbar-tools to compare with it"),
    }
    match run_zxing(&corpus, &zxing_script) {
        Some(outcomes) => results.push(("zxing-cpp", outcomes)),
        None => eprintln!("zxing-cpp not runnable: pip install zxing-cpp pillow"),
    }
    print_table(&corpus, &results);
}

/// Generates the corpus into `dir`, or reads its truth file when it is there.
fn corpus(dir: &Path) -> Vec<Entry> {
    let truth = dir.join("truth.tsv");
    if let Ok(text) = std::fs::read_to_string(&truth) {
        return text
            .lines()
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
            .collect();
    }
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

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
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
                .map(|&i| {
                    corpus[i]
                        .payloads
                        .iter()
                        .filter(|p| outcomes[i].payloads.contains(p))
                        .count()
                })
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
            .map(|(e, o)| e.payloads.iter().filter(|p| o.payloads.contains(p)).count())
            .sum();
        print!(
            " {:.1} % ({found}/{expected}) |",
            found as f64 * 100.0 / expected as f64
        );
    }
    println!();
    print!("| **false positives** | |");
    for (_, outcomes) in results {
        let wrong: usize = corpus
            .iter()
            .zip(outcomes)
            .map(|(e, o)| {
                o.payloads
                    .iter()
                    .filter(|p| !e.payloads.contains(p))
                    .count()
            })
            .sum();
        print!(" {wrong} |");
    }
    println!();
    print!("| **median time / image** | |");
    for (_, outcomes) in results {
        let m = median(outcomes.iter().map(|o| o.time).collect());
        print!(" {:.1} ms |", m.as_secs_f64() * 1000.0);
    }
    println!();
    print!("| **total time** | |");
    for (_, outcomes) in results {
        let total: Duration = outcomes.iter().map(|o| o.time).sum();
        print!(" {:.2} s |", total.as_secs_f64());
    }
    println!();
    // Per-file misses, to stderr, for working on the decoder.
    for (name, outcomes) in results {
        for (entry, outcome) in corpus.iter().zip(outcomes) {
            let missed = entry
                .payloads
                .iter()
                .filter(|p| !outcome.payloads.contains(p))
                .count();
            if missed > 0 {
                eprintln!("{name}: missed {missed} in {}", entry.file.display());
            }
        }
    }
}
