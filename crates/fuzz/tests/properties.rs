//! The fuzz targets as property tests, so every `cargo xtask test` checks each parser's promises
//! (no panic, stable round trips) on fresh inputs: the saved seeds with random damage, and
//! plain random bytes. AFL++ campaigns search far deeper; these keep the promises tested in CI.

use proptest::prelude::*;
use std::path::Path;
use tessera_fuzz::{target, Target};

fn seeds(target: &Target) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target.name);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read(path).expect("seed"))
        .collect()
}

/// One change to an input, as a fuzzer would make it.
#[derive(Debug, Clone)]
enum Damage {
    Flip { at: usize, bits: u8 },
    Set { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Remove { at: usize, len: usize },
    Truncate { at: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 1u8..).prop_map(|(at, bits)| Damage::Flip { at, bits }),
        (
            any::<usize>(),
            prop_oneof![Just(0u8), Just(0xff), Just(b':'), Just(0x80), any::<u8>()]
        )
            .prop_map(|(at, byte)| Damage::Set { at, byte }),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(at, bytes)| Damage::Insert { at, bytes }),
        (any::<usize>(), 1usize..32).prop_map(|(at, len)| Damage::Remove { at, len }),
        any::<usize>().prop_map(|at| Damage::Truncate { at }),
    ]
}

fn apply(mut bytes: Vec<u8>, changes: &[Damage]) -> Vec<u8> {
    for change in changes {
        let len = bytes.len();
        let at = |at: usize| if len == 0 { 0 } else { at % len };
        match change {
            Damage::Flip { at: i, bits } if len > 0 => bytes[at(*i)] ^= bits,
            Damage::Set { at: i, byte } if len > 0 => bytes[at(*i)] = *byte,
            Damage::Insert { at: i, bytes: new } => {
                let i = if len == 0 { 0 } else { *i % (len + 1) };
                bytes.splice(i..i, new.iter().copied());
            }
            Damage::Remove { at: i, len: n } if len > 0 => {
                let start = at(*i);
                bytes.drain(start..(start + n).min(len));
            }
            Damage::Truncate { at: i } => bytes.truncate(at(*i)),
            _ => {}
        }
    }
    bytes
}

/// Runs `name` on damaged seeds and on random bytes, `cases` of each.
fn check(name: &str, cases: u32) {
    let target = target(name).expect("a target of that name");
    let seeds = seeds(target);
    assert!(!seeds.is_empty(), "{name} has no seeds");
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config.clone());
    let damaged = (0..seeds.len(), proptest::collection::vec(damage(), 1..6));
    runner
        .run(&damaged, |(seed, changes)| {
            (target.run)(&apply(seeds[seed].clone(), &changes));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}, damaged seed: {e}"));
    let mut runner = proptest::test_runner::TestRunner::new(config);
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
            (target.run)(&bytes);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}, random bytes: {e}"));
}

#[test]
fn otpauth_uris() {
    check("otpauth_uri", 512);
}

#[test]
fn migration_payloads() {
    check("migration", 512);
}

#[test]
fn backup_importers() {
    check("importers", 256);
}

#[test]
fn vault_files() {
    check("vault_file", 256);
}

#[test]
fn qr_images() {
    // Each case decodes an image and searches it for codes: fewer cases keep the suite quick.
    check("qr_image", 48);
}

#[test]
fn sntp_replies() {
    check("sntp_reply", 512);
}

#[test]
fn damage_lands_inside_the_input() {
    let bytes = apply(
        b"abcdef".to_vec(),
        &[
            Damage::Set { at: 7, byte: b'X' },
            Damage::Remove { at: 3, len: 2 },
            Damage::Insert {
                at: 100,
                bytes: b"!".to_vec(),
            },
        ],
    );
    assert_eq!(bytes, b"!aXcf");
}
