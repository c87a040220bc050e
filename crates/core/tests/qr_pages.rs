//! QR decoding of setup pages rendered by a browser: the tuning split of the pages corpus
//! (tests/fixtures/qr-pages, made by `cargo xtask qr-pages`). The truth is what the generator
//! encoded (`truth.tsv`); the bar is what zxing-cpp read in the same files (`zxing.tsv`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tessera_core::qr::decode_file;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/qr-pages")
}

/// Lines of a TSV file: first field, then the rest.
fn table(name: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(fixtures().join(name))
        .unwrap_or_else(|err| panic!("{name}: {err}"));
    text.lines()
        .map(|line| {
            let mut fields = line.split('\t').map(str::to_owned);
            (fields.next().unwrap(), fields.collect())
        })
        .collect()
}

struct Image {
    file: String,
    kind: String,
    payloads: Vec<String>,
}

fn corpus() -> Vec<Image> {
    table("truth.tsv")
        .into_iter()
        .map(|(file, mut rest)| {
            let kind = rest.remove(0);
            Image {
                file,
                kind,
                payloads: rest,
            }
        })
        .collect()
}

#[test]
fn the_corpus_is_what_it_says() {
    let corpus = corpus();
    let codes: Vec<&String> = corpus.iter().flat_map(|image| &image.payloads).collect();
    // Dense codes: long otpauth URIs and Google transfer batches, a quarter at least.
    let dense = codes.iter().filter(|payload| payload.len() > 150).count();
    assert!(dense * 4 >= codes.len(), "{dense} dense of {}", codes.len());
    assert!(corpus.iter().any(|image| image.payloads.is_empty()));
    assert_eq!(table("zxing.tsv").len(), corpus.len());
}

#[test]
fn the_tuning_split_is_read_at_least_as_well_as_zxing_cpp_reads_it() {
    let zxing: BTreeMap<String, Vec<String>> = table("zxing.tsv").into_iter().collect();
    // Per kind: codes in the truth, read by Tessera, read by zxing-cpp.
    let mut kinds: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    let mut wrong = Vec::new();
    let corpus = corpus();
    for image in &corpus {
        let scan = decode_file(&fixtures().join(&image.file))
            .unwrap_or_else(|err| panic!("{}: {err}", image.file));
        let theirs = &zxing[&image.file];
        let counts = kinds.entry(&image.kind).or_default();
        counts[0] += image.payloads.len();
        counts[1] += image
            .payloads
            .iter()
            .filter(|p| scan.payloads.contains(p))
            .count();
        counts[2] += image.payloads.iter().filter(|p| theirs.contains(p)).count();
        wrong.extend(
            scan.payloads
                .iter()
                .filter(|p| !image.payloads.contains(p))
                .map(|p| format!("{}: {p}", image.file)),
        );
    }
    assert!(wrong.is_empty(), "payloads not in the images: {wrong:?}");
    for (kind, [codes, ours, theirs]) in &kinds {
        assert!(
            ours >= theirs,
            "{kind}: Tessera read {ours} of {codes} codes, zxing-cpp {theirs}"
        );
    }
}
