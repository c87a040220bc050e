//! Real Syncthing carries one vault between two computers while `tessera-cli` writes it on
//! both: the sync-safety promise tried the way people use it.
//!
//! Two Syncthing instances on loopback share a folder. A writer on each side runs random CLI
//! commands on its side's copy of the vault for about a minute (add, delete, HOTP code, list,
//! merge-conflicts). In rounds, one side pauses the other for a few seconds, so both write the
//! same file while apart and Syncthing leaves conflict copies; after each round the writers
//! wait until Syncthing has carried everything both ways. At the end, everything resumed,
//! synced and the conflict copies merged, the invariants that the CLI can see must hold: both
//! sides list the same accounts; every account added and not deleted is there; no deleted
//! account came back; no writer was handed an HOTP code it had already been given, no counter
//! went back, and no code after a sync repeated one issued before it.
//!
//! The seed is printed; `TESSERA_SYNC_SEED=N` repeats a run's choices (Syncthing's timing
//! still varies).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use support::syncthing::{Instance, Pair};
use support::{tessera_cli, text};
use tessera_core::vault::is_conflict_copy;

const PASSWORD: &str = "correct horse battery staple";
const VAULT: &str = "accounts.tessera";
/// How long the writers write.
const WRITING: Duration = Duration::from_secs(60);
/// How long Syncthing may take to settle: generous, for a loaded two-core machine.
const SETTLE: Duration = Duration::from_secs(120);
/// Digits of the HOTP accounts: eight, so two counters of one account almost never share a
/// code and a code tells its counter.
const DIGITS: usize = 8;
/// Violations shown in the failure message; operations.log has them all.
const SHOWN: usize = 12;

/// An account a writer added (its `add` succeeded).
struct Added {
    name: String,
    hotp: bool,
    /// Base32, as in the account's URI.
    secret: String,
}

/// What a writer did.
enum Action {
    Add { name: String },
    Delete { id: String },
    Code { id: String, name: String },
    List,
    MergeConflicts,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Add { name } => write!(f, "add {name}"),
            Action::Delete { id } => write!(f, "delete {id}"),
            Action::Code { id, name } => write!(f, "code {name} ({id})"),
            Action::List => write!(f, "list"),
            Action::MergeConflicts => write!(f, "merge-conflicts"),
        }
    }
}

/// One CLI command a writer ran, with what it answered.
struct Entry {
    writer: &'static str,
    /// Since the writers started.
    at: Duration,
    action: Action,
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>7.2}s {} {} -> exit {:?}, {:?}",
            self.at.as_secs_f64(),
            self.writer,
            self.action,
            self.status,
            self.stdout.trim()
        )?;
        if !self.stderr.trim().is_empty() {
            write!(f, " stderr {:?}", self.stderr.trim())?;
        }
        Ok(())
    }
}

/// The accounts added so far by either writer, by id.
type Registry = Mutex<BTreeMap<String, Added>>;

fn run_cli(vault: &Path, args: &[&str]) -> std::process::Output {
    tessera_cli()
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("TESSERA_PASSWORD", PASSWORD)
        .env_remove("TESSERA_VAULT")
        .output()
        .expect("the tessera-cli binary runs")
}

/// The ids `list` prints.
fn listed_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.split('\t').next())
        .map(str::to_string)
        .collect()
}

fn random_secret(rng: &mut fastrand::Rng) -> String {
    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    // 32 characters are 20 bytes exactly: no padding for the URI or for oathtool.
    (0..32)
        .map(|_| BASE32[rng.usize(..BASE32.len())] as char)
        .collect()
}

/// A command a writer chose, before it runs.
struct Planned {
    action: Action,
    args: Vec<String>,
    /// For an add: the account, registered once the add succeeds.
    adding: Option<Added>,
}

/// One writer's state between its commands.
struct Writer<'a> {
    name: &'static str,
    vault: &'a Path,
    rng: fastrand::Rng,
    registry: &'a Registry,
    /// The accounts this writer last saw, by id.
    view: Vec<String>,
    added: usize,
}

impl Writer<'_> {
    /// The next command. Few accounts, mostly codes: the two writers often use the same HOTP
    /// account at nearly the same time, where a merge that loses a counter would show.
    fn choose(&mut self) -> Planned {
        let hotp_in_view: Vec<String> = {
            let registry = self.registry.lock().unwrap();
            self.view
                .iter()
                .filter(|id| registry.get(*id).is_some_and(|a| a.hotp))
                .cloned()
                .collect()
        };
        let roll = self.rng.u32(..100);
        if roll < 10 || self.view.len() < 3 {
            return self.add();
        }
        let (action, args) = if roll < 70 && !hotp_in_view.is_empty() {
            // Most codes go to one account, as most people use their work login most: both
            // writers then advance one counter while apart. The others get the rest.
            let favourite = self.rng.u32(..3) < 2;
            let id = if favourite {
                let registry = self.registry.lock().unwrap();
                hotp_in_view
                    .iter()
                    .min_by_key(|id| &registry[*id].name)
                    .expect("a HOTP account in view")
                    .clone()
            } else {
                hotp_in_view[self.rng.usize(..hotp_in_view.len())].clone()
            };
            let name = self.registry.lock().unwrap()[&id].name.clone();
            (
                Action::Code {
                    id,
                    name: name.clone(),
                },
                vec!["code".into(), name],
            )
        } else if (70..80).contains(&roll) && self.view.len() > 3 {
            let id = self.view[self.rng.usize(..self.view.len())].clone();
            (Action::Delete { id: id.clone() }, vec!["delete".into(), id])
        } else if roll < 94 {
            (Action::List, vec!["list".into()])
        } else {
            (Action::MergeConflicts, vec!["merge-conflicts".into()])
        };
        Planned {
            action,
            args,
            adding: None,
        }
    }

    /// An add of a new account: HOTP mostly, TOTP sometimes.
    fn add(&mut self) -> Planned {
        let name = format!("{}-{:04}", self.name.to_lowercase(), self.added);
        self.added += 1;
        let hotp = self.rng.u32(..10) < 7;
        let secret = random_secret(&mut self.rng);
        let uri = if hotp {
            format!(
                "otpauth://hotp/Sync:{name}?secret={secret}&issuer=Sync&digits={DIGITS}&counter=0"
            )
        } else {
            format!("otpauth://totp/Sync:{name}?secret={secret}&issuer=Sync")
        };
        Planned {
            action: Action::Add { name: name.clone() },
            args: vec!["add".into(), "--uri".into(), uri],
            adding: Some(Added { name, hotp, secret }),
        }
    }

    /// Runs a planned command and learns from its answer.
    fn run(&mut self, planned: Planned, start: Instant) -> Entry {
        let args: Vec<&str> = planned.args.iter().map(String::as_str).collect();
        let output = run_cli(self.vault, &args);
        let entry = Entry {
            writer: self.name,
            at: start.elapsed(),
            action: planned.action,
            status: output.status.code(),
            stdout: text(&output.stdout),
            stderr: text(&output.stderr),
        };
        match (&entry.action, entry.status) {
            (Action::Add { .. }, Some(0)) => {
                let id = entry.stdout.trim().to_string();
                self.view.push(id.clone());
                if let Some(added) = planned.adding {
                    self.registry.lock().unwrap().insert(id, added);
                }
            }
            (Action::Delete { id }, Some(0 | 1)) | (Action::Code { id, .. }, Some(1)) => {
                self.view.retain(|v| v != id);
            }
            (Action::List, Some(0)) => self.view = listed_ids(&entry.stdout),
            _ => {}
        }
        entry
    }
}

/// One writer: random commands on `vault` until `until`, each while holding `gate` for
/// reading (so [`rounds`] can stop both writers). Returns what it did.
fn write(
    name: &'static str,
    vault: &Path,
    seed: u64,
    start: Instant,
    until: Instant,
    registry: &Registry,
    gate: &RwLock<()>,
) -> Vec<Entry> {
    let mut writer = Writer {
        name,
        vault,
        rng: fastrand::Rng::with_seed(seed),
        registry,
        view: Vec::new(),
        added: 0,
    };
    let mut log = Vec::new();
    while Instant::now() < until {
        let planned = writer.choose();
        {
            let _turn = gate.read().expect("the rounds went on");
            log.push(writer.run(planned, start));
        }
        // Now and then a writer looks away for a while: the other side's later change then
        // carries a later time than a run of quick changes here, where a merge by time
        // alone picks the side with fewer HOTP codes.
        let pause = if writer.rng.u32(..10) == 0 {
            writer.rng.u64(1000..3000)
        } else {
            writer.rng.u64(..150)
        };
        std::thread::sleep(Duration::from_millis(pause));
    }
    log
}

/// What [`rounds`] did: its pauses and syncs, as lines for the log, and when the pair was in
/// sync with the writers held.
struct Rounds {
    events: Vec<String>,
    synced: Vec<Duration>,
}

/// Rounds until `until`: both writers write connected for a while, then one side pauses the
/// other for a few seconds so both write apart, then connected again; then the writers are held
/// (`gate` taken for writing) until Syncthing has carried everything both ways.
fn rounds(pair: &Pair, seed: u64, start: Instant, until: Instant, gate: &RwLock<()>) -> Rounds {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut done = Rounds {
        events: Vec::new(),
        synced: Vec::new(),
    };
    let note = |events: &mut Vec<String>, what: String| {
        events.push(format!("{:>7.2}s {what}", start.elapsed().as_secs_f64()));
    };
    loop {
        let together = Duration::from_millis(rng.u64(1000..3000));
        let apart = Duration::from_millis(rng.u64(2000..5000));
        let reconnected = Duration::from_millis(rng.u64(500..2000));
        if Instant::now() + together + apart + reconnected >= until {
            return done;
        }
        std::thread::sleep(together);
        let (me, other) = if rng.bool() {
            (&pair.a, &pair.b)
        } else {
            (&pair.b, &pair.a)
        };
        me.pause(other);
        note(
            &mut done.events,
            format!("{} paused {}", me.name, other.name),
        );
        std::thread::sleep(apart);
        me.resume(other);
        note(
            &mut done.events,
            format!("{} resumed {}", me.name, other.name),
        );
        std::thread::sleep(reconnected);
        let _held = gate.write().expect("the writers went on");
        pair.wait_in_sync(SETTLE);
        done.synced.push(start.elapsed());
        note(&mut done.events, "in sync, writers held".to_string());
    }
}

/// The HOTP codes of counters `0..=last` of a base32 secret, from oathtool.
fn oathtool_codes(secret: &str, last: usize) -> Vec<String> {
    let output = match Command::new("oathtool")
        .args(["--hotp", "--base32", "--counter=0"])
        .arg(format!("--digits={DIGITS}"))
        .arg(format!("--window={last}"))
        .arg(secret)
        .output()
    {
        Ok(output) => output,
        Err(err) => panic!(
            "cannot run oathtool ({err}); it is the reference the codes are checked against: \
             run `cargo xtask test`, which installs it"
        ),
    };
    assert!(
        output.status.success(),
        "oathtool failed: {}",
        text(&output.stderr)
    );
    text(&output.stdout).lines().map(str::to_string).collect()
}

/// The sorted `list` of one side, which must succeed.
fn final_list(side: &Instance) -> Vec<String> {
    let output = run_cli(&side.folder.join(VAULT), &["list"]);
    assert!(
        output.status.success(),
        "list on {} failed: {}",
        side.name,
        text(&output.stderr)
    );
    let mut lines: Vec<String> = text(&output.stdout).lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Merges the conflict copies left on one side; every one must merge.
fn merge_conflicts(side: &Instance) {
    let output = run_cli(&side.folder.join(VAULT), &["merge-conflicts"]);
    assert!(
        output.status.success(),
        "merge-conflicts on {} failed: {}",
        side.name,
        text(&output.stderr)
    );
    println!(
        "{} merged {} conflict copies",
        side.name,
        text(&output.stdout).lines().count()
    );
}

/// The files both sides must agree on: the vault and its conflict copies. The vault's `.bak`
/// (a hard link to the version before, with that version's time), `.lock` and `.tmp` belong
/// to one computer.
fn tessera_files(name: &str) -> bool {
    name == VAULT || is_conflict_copy(VAULT, name)
}

fn seed() -> u64 {
    match std::env::var("TESSERA_SYNC_SEED") {
        Ok(seed) => seed
            .parse()
            .unwrap_or_else(|_| panic!("TESSERA_SYNC_SEED={seed:?} is not a number")),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    }
}

#[test]
fn two_writers_through_real_syncthing_lose_nothing() {
    let seed = seed();
    println!("seed {seed} (repeat with TESSERA_SYNC_SEED={seed})");
    let root = tempfile::tempdir().expect("a temporary directory");
    let pair = Pair::start(root.path(), tessera_files);

    let vault_a = pair.a.folder.join(VAULT);
    let vault_b = pair.b.folder.join(VAULT);
    let init = run_cli(&vault_a, &["init", "--kdf-minimum"]);
    assert!(init.status.success(), "init: {}", text(&init.stderr));
    pair.wait_in_sync(SETTLE);
    assert!(
        vault_b.exists(),
        "Syncthing did not carry the new vault to B"
    );

    let registry: Registry = Mutex::new(BTreeMap::new());
    let gate = RwLock::new(());
    let start = Instant::now();
    let until = start + WRITING;
    let (log_a, log_b, mut rounds) = std::thread::scope(|scope| {
        let a = scope.spawn(|| write("A", &vault_a, seed, start, until, &registry, &gate));
        let b = scope.spawn(|| {
            let seed = seed.wrapping_add(1);
            write("B", &vault_b, seed, start, until, &registry, &gate)
        });
        let rounds = rounds(&pair, seed.wrapping_add(2), start, until, &gate);
        (
            a.join().expect("writer A"),
            b.join().expect("writer B"),
            rounds,
        )
    });
    let log: Vec<Entry> = {
        let mut all: Vec<Entry> = log_a.into_iter().chain(log_b).collect();
        all.sort_by_key(|e| e.at);
        all
    };
    println!("rounds:\n{}", rounds.events.join("\n"));
    println!("operations:");
    for entry in &log {
        println!("{entry}");
    }

    pair.wait_connected(SETTLE);
    pair.wait_in_sync(SETTLE);
    rounds.synced.push(start.elapsed());
    let copies: usize = pair
        .a
        .files()
        .keys()
        .filter(|name| is_conflict_copy(VAULT, name))
        .count();
    println!("{copies} conflict copies after the writers stopped");
    for side in [&pair.a, &pair.b] {
        merge_conflicts(side);
        pair.wait_in_sync(SETTLE);
    }

    let registry = registry.into_inner().unwrap();
    let violations = check(&log, &registry, &rounds.synced, &pair);
    if !violations.is_empty() {
        let kept: PathBuf = root.keep();
        let mut report = violations.clone();
        report.extend(rounds.events.iter().cloned());
        report.extend(log.iter().map(ToString::to_string));
        let _ = std::fs::write(kept.join("operations.log"), report.join("\n"));
        // One lost counter breaks several later codes: the first few tell the story.
        let mut message: Vec<String> = violations.iter().take(SHOWN).cloned().collect();
        if violations.len() > SHOWN {
            message.push(format!("... and {} more", violations.len() - SHOWN));
        }
        message.push(format!("seed {seed}: repeat with TESSERA_SYNC_SEED={seed}"));
        message.push(format!(
            "both folders, Syncthing's logs and operations.log (every violation, round and \
             command) are kept in {}",
            kept.display()
        ));
        panic!("{}", message.join("\n"));
    }
}

/// Every invariant the CLI can see, after both sides settled; the violations found.
fn check(
    log: &[Entry],
    registry: &BTreeMap<String, Added>,
    synced: &[Duration],
    pair: &Pair,
) -> Vec<String> {
    let mut violations = Vec::new();
    for entry in log {
        let fine = match (&entry.action, entry.status) {
            (_, Some(0)) => true,
            // Another writer deleted the account before this one looked for it.
            (Action::Code { .. } | Action::Delete { .. }, Some(1)) => true,
            // ... or while this one issued its code: the save found it deleted.
            (Action::Code { id, .. }, Some(2)) => {
                entry.stderr.contains(&format!("no account with id {id}"))
            }
            _ => false,
        };
        if !fine {
            violations.push(format!("a command failed: {entry}"));
        }
    }
    for side in [&pair.a, &pair.b] {
        let left: Vec<String> = side
            .files()
            .into_keys()
            .filter(|name| is_conflict_copy(VAULT, name))
            .collect();
        if !left.is_empty() {
            violations.push(format!(
                "conflict copies left on {} after merging: {left:?}",
                side.name
            ));
        }
    }

    let list_a = final_list(&pair.a);
    let list_b = final_list(&pair.b);
    if list_a != list_b {
        violations.push(format!(
            "A and B list different accounts:\nA: {list_a:?}\nB: {list_b:?}"
        ));
    }
    let listed: BTreeSet<String> = listed_ids(&list_a.join("\n")).into_iter().collect();
    // A delete that failed may still have been saved: such an account may be gone.
    let delete_tried: BTreeSet<&str> = log
        .iter()
        .filter_map(|e| match &e.action {
            Action::Delete { id } if e.status != Some(1) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let deleted: BTreeSet<&str> = log
        .iter()
        .filter_map(|e| match &e.action {
            Action::Delete { id } if e.status == Some(0) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    for (id, added) in registry {
        if !delete_tried.contains(id.as_str()) && !listed.contains(id) {
            violations.push(format!(
                "account {} ({id}) was added, never deleted, and is gone",
                added.name
            ));
        }
    }
    for id in &deleted {
        if listed.contains(*id) {
            violations.push(format!("deleted account {id} came back"));
        }
    }
    for id in &listed {
        if !registry.contains_key(id) {
            violations.push(format!("account {id} is listed but no writer added it"));
        }
    }
    violations.extend(check_hotp(log, registry, synced, &listed, pair));
    violations
}

/// The HOTP invariants. No writer is handed a code twice and no counter goes back: each
/// writer's codes of one account have rising counters. And once Syncthing has carried
/// everything both ways (the writers held), every code comes after every code issued before;
/// after the last sync that is one more code on A and then, synced again, on B. Two writers may
/// issue the same code while apart or between syncs: neither can know of the other then.
fn check_hotp(
    log: &[Entry],
    registry: &BTreeMap<String, Added>,
    synced: &[Duration],
    listed: &BTreeSet<String>,
    pair: &Pair,
) -> Vec<String> {
    let mut violations = Vec::new();
    let mut issued: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for entry in log {
        // A code printed by a command that then failed was still shown: it counts as issued.
        if let Action::Code { id, .. } = &entry.action {
            if !entry.stdout.trim().is_empty() {
                issued.entry(id.as_str()).or_default().push(entry);
            }
        }
    }
    let last_codes = last_codes(registry, listed, pair, &mut violations);
    for (id, added) in registry.iter().filter(|(_, a)| a.hotp) {
        let entries = issued.get(id.as_str()).map_or(&[][..], Vec::as_slice);
        let last = last_codes.get(id.as_str());
        if entries.is_empty() && last.is_none() {
            continue;
        }
        let codes = oathtool_codes(&added.secret, entries.len() + 2);
        let counter_of = |code: &str| codes.iter().position(|c| c == code);
        let mut highest: Option<(usize, &Entry)> = None;
        // The highest counter issued before the last sync that came before this code.
        let mut floor: Option<(usize, &Entry)> = None;
        let mut syncs = synced.iter().peekable();
        let mut last_by_writer: BTreeMap<&str, (usize, &Entry)> = BTreeMap::new();
        for entry in entries {
            while syncs.next_if(|at| **at < entry.at).is_some() {
                floor = highest;
            }
            let code = entry.stdout.trim();
            let Some(counter) = counter_of(code) else {
                violations.push(format!(
                    "{} got {code:?} for {}, the code of no counter 0..={}: {entry}",
                    entry.writer,
                    added.name,
                    codes.len() - 1
                ));
                continue;
            };
            if let Some((before, earlier)) = last_by_writer.get(entry.writer) {
                if counter <= *before {
                    violations.push(format!(
                        "{} was handed the code of counter {counter} for {} after that of \
                         counter {before}: the counter went back\n  earlier: {earlier}\n  \
                         now:     {entry}",
                        entry.writer, added.name
                    ));
                }
            }
            if let Some((before, earlier)) = floor.filter(|(before, _)| counter <= *before) {
                violations.push(format!(
                    "{} was handed the code of counter {counter} for {} although Syncthing had \
                     carried counter {before} to both sides before: the merge lost a counter\n  \
                     earlier: {earlier}\n  now:     {entry}",
                    entry.writer, added.name
                ));
            }
            last_by_writer.insert(entry.writer, (counter, entry));
            if highest.is_none_or(|(h, _)| counter > h) {
                highest = Some((counter, entry));
            }
        }
        let Some([on_a, on_b]) = last else {
            continue;
        };
        let highest = highest.map(|(h, _)| h);
        let (after_a, after_b) = (counter_of(on_a), counter_of(on_b));
        let rising = match (after_a, after_b) {
            (Some(a), Some(b)) => highest.is_none_or(|h| a > h) && b > a,
            _ => false,
        };
        if !rising {
            violations.push(format!(
                "after the last sync {} went on at counter {after_a:?} on A, then {after_b:?} \
                 on B; the highest counter issued before was {highest:?}",
                added.name
            ));
        }
    }
    violations
}

/// One more code on A, then (once synced) on B, of every HOTP account both sides list: the
/// codes, by account id.
fn last_codes<'a>(
    registry: &BTreeMap<String, Added>,
    listed: &'a BTreeSet<String>,
    pair: &Pair,
    violations: &mut Vec<String>,
) -> BTreeMap<&'a str, [String; 2]> {
    let hotp: Vec<&'a String> = listed
        .iter()
        .filter(|id| registry.get(*id).is_some_and(|a| a.hotp))
        .collect();
    let mut codes: BTreeMap<&str, [String; 2]> = BTreeMap::new();
    for (i, side) in [&pair.a, &pair.b].into_iter().enumerate() {
        for id in &hotp {
            let name = &registry[*id].name;
            let output = run_cli(&side.folder.join(VAULT), &["code", name]);
            if !output.status.success() {
                violations.push(format!(
                    "the last code of {name} on {} failed: {}",
                    side.name,
                    text(&output.stderr)
                ));
            }
            codes.entry(id.as_str()).or_default()[i] = text(&output.stdout).trim().into();
        }
        pair.wait_in_sync(SETTLE);
    }
    codes
}
