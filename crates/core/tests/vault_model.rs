//! A model-based test of vault sync: three devices, each with its own copy of one vault in its
//! own folder, make random changes while a simulated sync tool carries their files between them
//! the way Syncthing, Dropbox and Nextcloud do (a file renamed over the vault, a conflict copy
//! left beside it, a delivery lost and repeated later), with every device's clock off by hours.
//! Devices also change the password, turn keyring unlock (keys kept in memory) on and off, and
//! restart, keeping only what their file holds; a device that meets a file under a key it does
//! not know rejoins with the password of that file.
//!
//! The model tracks every write (a field set, a HOTP code issued, a recovery code marked, an
//! account deleted) and, for each device, the writes it has seen: a device sees the writes its
//! own changes made and those of every file it merged, as the file's writer had seen them. A
//! write made after seeing another write of the same field must win over it. After every step
//! each device shows, for every field, a value of a write it has seen that no write it has seen
//! replaced; a HOTP counter past every code it has seen issued, and never lower than before; the
//! recovery codes it has seen marked as used; none of the accounts it has seen deleted. Two
//! devices that issue a code without having seen each other's issue can only hand out the same
//! code, so "issued twice" means issued by a device that had seen the first issue.
//!
//! At the end every device's latest file is delivered to every other until nothing changes; then
//! all devices hold the same accounts and the same recently deleted list, every write reached
//! every device, and no password or keyring key revoked before a file was written opens it:
//! each final file and `.bak` opens with no password but the one its writer held. (When two
//! devices change the key in one epoch, the vault keeps one device's key and password, so a
//! password change can give way to a concurrent keyring change made under the old password;
//! the check follows the password each file was written under.)
//! A failing case prints the operations it ran, as the devices saw them.

mod vault_support;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tessera_core::account::{Account, AccountId, RecoveryCode};
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::vault::{ConflictMerge, KekStore, KeyringError, Vault, VaultError, VaultKey};
use vault_support::{create, temp_dir, PASSWORD};
use zeroize::Zeroizing;

/// Cases per run: about 45 s of one core in a debug build (`PROPTEST_CASES` overrides).
const CASES: u32 = 40;
const DEVICES: usize = 3;
const VAULT_NAME: &str = "vault.tessera";
/// Simulated time between two steps.
const STEP_MS: u64 = 20_000;
/// Devices' clocks are off by up to this much either way.
const MAX_SKEW_MS: i64 = 5 * 60 * 60 * 1000;
const CODES_PER_ACCOUNT: usize = 3;

/// How a sync tool hands a file to a device.
#[derive(Debug, Clone, Copy)]
enum How {
    /// Written beside the vault and renamed over it.
    Rename,
    /// Left beside the vault as `<stem>.sync-conflict-<date>-<time>-<device>.<ext>`.
    Syncthing,
    /// Left beside the vault as `<stem> (<who>'s conflicted copy <date>).<ext>`.
    Dropbox,
    /// Left beside the vault as `<stem> (conflicted copy <date> <time>).<ext>`.
    Nextcloud,
}

/// One step of a case. `pick` chooses among what the device lists at that moment.
#[derive(Debug, Clone)]
enum Op {
    Add {
        dev: usize,
        hotp: bool,
    },
    Delete {
        dev: usize,
        pick: usize,
    },
    Rename {
        dev: usize,
        pick: usize,
    },
    Notes {
        dev: usize,
        pick: usize,
    },
    Issue {
        dev: usize,
        pick: usize,
    },
    MarkUsed {
        dev: usize,
        pick: usize,
        code: usize,
    },
    Pin {
        dev: usize,
        pick: usize,
        on: bool,
    },
    Move {
        dev: usize,
        pick: usize,
        offset: i64,
    },
    Restore {
        dev: usize,
        pick: usize,
    },
    ChangePassword {
        dev: usize,
    },
    KeyringOn {
        dev: usize,
    },
    KeyringOff {
        dev: usize,
    },
    /// The app quits and starts again: it reloads the file (as its file watcher would have),
    /// then forgets everything and opens the file from its keyring slot or with its password.
    Restart {
        dev: usize,
    },
    /// The sync tool hands `from`'s file to `to`: its latest version, or one `late` versions
    /// older (a delivery lost and repeated). After a rename, `to` reloads at once or meets the
    /// change at its next operation; a conflict copy it merges at once.
    Deliver {
        from: usize,
        to: usize,
        late: usize,
        how: How,
        reload: bool,
    },
}

#[derive(Debug, Clone)]
struct Case {
    skew_ms: Vec<i64>,
    initial_hotp: Vec<bool>,
    ops: Vec<Op>,
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let dev = || 0..DEVICES;
    let pick = || 0..8usize;
    let how = prop_oneof![
        4 => Just(How::Rename),
        2 => Just(How::Syncthing),
        1 => Just(How::Dropbox),
        1 => Just(How::Nextcloud),
    ];
    let late = prop_oneof![4 => Just(0usize), 1 => 1..4usize];
    prop_oneof![
        3 => (dev(), any::<bool>()).prop_map(|(dev, hotp)| Op::Add { dev, hotp }),
        2 => (dev(), pick()).prop_map(|(dev, pick)| Op::Delete { dev, pick }),
        2 => (dev(), pick()).prop_map(|(dev, pick)| Op::Rename { dev, pick }),
        3 => (dev(), pick()).prop_map(|(dev, pick)| Op::Notes { dev, pick }),
        3 => (dev(), pick()).prop_map(|(dev, pick)| Op::Issue { dev, pick }),
        2 => (dev(), pick(), 0..CODES_PER_ACCOUNT)
            .prop_map(|(dev, pick, code)| Op::MarkUsed { dev, pick, code }),
        2 => (dev(), pick(), any::<bool>()).prop_map(|(dev, pick, on)| Op::Pin { dev, pick, on }),
        1 => (dev(), pick(), -2..=2i64)
            .prop_map(|(dev, pick, offset)| Op::Move { dev, pick, offset }),
        2 => (dev(), pick()).prop_map(|(dev, pick)| Op::Restore { dev, pick }),
        // Key changes cost key derivations (tens of milliseconds each): kept rare.
        1 => dev().prop_map(|dev| Op::ChangePassword { dev }),
        1 => dev().prop_map(|dev| Op::KeyringOn { dev }),
        1 => dev().prop_map(|dev| Op::KeyringOff { dev }),
        1 => dev().prop_map(|dev| Op::Restart { dev }),
        12 => (dev(), 1..DEVICES, late, how, any::<bool>()).prop_map(
            |(from, shift, late, how, reload)| Op::Deliver {
                from,
                to: (from + shift) % DEVICES,
                late,
                how,
                reload,
            }
        ),
    ]
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(-MAX_SKEW_MS..=MAX_SKEW_MS, DEVICES),
        proptest::collection::vec(any::<bool>(), 1..4),
        proptest::collection::vec(op_strategy(), 1..40),
    )
        .prop_map(|(skew_ms, initial_hotp, ops)| Case {
            skew_ms,
            initial_hotp,
            ops,
        })
}

/// Keyring keys in memory, one store per device; remembers the keys it was told to forget.
#[derive(Default)]
struct MemStore {
    keys: RefCell<BTreeMap<String, [u8; 32]>>,
    forgotten: RefCell<Vec<(String, [u8; 32])>>,
}

impl KekStore for MemStore {
    fn store(&self, account: &str, kek: &[u8; 32]) -> Result<(), KeyringError> {
        self.keys.borrow_mut().insert(account.to_string(), *kek);
        Ok(())
    }

    fn load(&self, account: &str) -> Result<Option<Zeroizing<[u8; 32]>>, KeyringError> {
        Ok(self.keys.borrow().get(account).map(|k| Zeroizing::new(*k)))
    }

    fn delete(&self, account: &str) -> Result<(), KeyringError> {
        if let Some(kek) = self.keys.borrow_mut().remove(account) {
            self.forgotten.borrow_mut().push((account.to_string(), kek));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Notes,
    Pinned,
}

#[derive(Debug, Clone)]
enum Kind {
    Set {
        id: AccountId,
        field: Field,
        value: String,
    },
    Issue {
        id: AccountId,
        counter: u64,
    },
    Mark {
        id: AccountId,
        code: String,
    },
    Delete {
        id: AccountId,
    },
}

/// A write, and the writes its device had seen when it made it.
struct Event {
    seen: BTreeSet<usize>,
    kind: Kind,
}

/// What the model knows of a file some device wrote.
struct FileInfo {
    seen: BTreeSet<usize>,
    password: usize,
    epoch: u64,
    /// The epoch whose key a password change made, as its writer knew it.
    password_epoch: Option<u64>,
}

struct Device {
    dir: PathBuf,
    path: PathBuf,
    vault: Vault,
    skew_ms: i64,
    store: MemStore,
    /// Index of the password this device knows the vault by.
    password: usize,
    /// The key epoch whose key came from a password change (this device's own, or one it
    /// rejoined): when two devices change the key in one epoch, a password change wins over a
    /// keyring removal.
    password_epoch: Option<u64>,
    seen: BTreeSet<usize>,
    /// HOTP counters as last shown, which must never go back.
    counters: BTreeMap<AccountId, u64>,
    /// The versions of the file in the device's folder, oldest first, as a sync tool saw them.
    versions: Vec<Vec<u8>>,
}

struct Sim {
    devices: Vec<Device>,
    events: Vec<Event>,
    files: HashMap<u64, FileInfo>,
    passwords: Vec<String>,
    labels: BTreeMap<AccountId, String>,
    /// Restored account -> (the deleted account, the writes seen by the device that restored it).
    restores: BTreeMap<AccountId, (AccountId, BTreeSet<usize>)>,
    /// Keyring keys forgotten when keyring unlock was turned off, with the epoch that began then.
    revoked: Vec<(String, [u8; 32], u64)>,
    now_ms: Arc<AtomicU64>,
    added: usize,
    values: usize,
    copies: usize,
    log: Vec<String>,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

fn count_unmerged(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().contains(".unmerged-"))
                .count()
        })
        .unwrap_or(0)
}

fn new_account(n: usize, hotp: bool) -> Account {
    let kind = if hotp {
        OtpKind::Hotp { counter: 0 }
    } else {
        OtpKind::Totp { period: 30 }
    };
    let mut a = Account::new(
        format!("I{n}"),
        format!("name{n}"),
        OtpParams {
            kind,
            algorithm: Algorithm::Sha1,
            digits: 6,
            secret: Secret::from_bytes(format!("secret-{n:04}-0123456789").into_bytes()),
        },
        1_700_000_000,
    );
    a.recovery_codes = (0..CODES_PER_ACCOUNT)
        .map(|k| RecoveryCode {
            code: format!("c{n}-{k}"),
            used: false,
        })
        .collect();
    a
}

fn field_value(a: &Account, field: Field) -> String {
    match field {
        Field::Name => a.name.clone(),
        Field::Notes => a.notes.clone(),
        Field::Pinned => a.pinned.to_string(),
    }
}

const FIELDS: [Field; 3] = [Field::Name, Field::Notes, Field::Pinned];

type Step<T> = Result<Result<T, VaultError>, String>;

impl Sim {
    fn new(root: &Path, template: &[u8], key: &VaultKey, case: &Case) -> Result<Sim, String> {
        let now_ms = Arc::new(AtomicU64::new(1_780_000_000_000));
        let mut devices = Vec::new();
        for (d, skew) in case.skew_ms.iter().enumerate() {
            let dir = root.join(format!("dev{d}"));
            std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
            let path = dir.join(VAULT_NAME);
            std::fs::write(&path, template).map_err(|e| e.to_string())?;
            let mut vault = Vault::open_with_key(&path, key).map_err(|e| e.to_string())?;
            let now = Arc::clone(&now_ms);
            let skew = *skew;
            vault.set_wall_clock(Arc::new(move || {
                now.load(Ordering::SeqCst).saturating_add_signed(skew)
            }));
            devices.push(Device {
                dir,
                path,
                vault,
                skew_ms: skew,
                store: MemStore::default(),
                password: 0,
                password_epoch: None,
                seen: BTreeSet::new(),
                counters: BTreeMap::new(),
                versions: vec![template.to_vec()],
            });
        }
        let mut files = HashMap::new();
        files.insert(
            hash(template),
            FileInfo {
                seen: BTreeSet::new(),
                password: 0,
                epoch: 0,
                password_epoch: None,
            },
        );
        let mut sim = Sim {
            devices,
            events: Vec::new(),
            files,
            passwords: vec![PASSWORD.to_string()],
            labels: BTreeMap::new(),
            restores: BTreeMap::new(),
            revoked: Vec::new(),
            now_ms,
            added: 0,
            values: 0,
            copies: 0,
            log: Vec::new(),
        };
        sim.log
            .push(format!("clock skews (ms): {:?}", case.skew_ms));
        // The starting accounts, added on device 0 and copied to the others before the run.
        for hotp in &case.initial_hotp {
            sim.add(0, *hotp)?;
            sim.settle(0);
        }
        let start = read(&sim.devices[0].path).ok_or("no file on device 0")?;
        for d in 1..DEVICES {
            sim.put_file(d, &start, How::Rename)?;
            sim.run(d, |v, _, _| v.reload().map(|_| ()))?
                .map_err(|e| format!("initial reload: {e}"))?;
            sim.settle(d);
        }
        sim.log
            .push("--- start: every device holds device 0's file".into());
        Ok(sim)
    }

    fn describe(&self, event: usize) -> String {
        match &self.events[event].kind {
            Kind::Set { id, field, value } => {
                format!("{field:?} of {} = {value:?}", self.label(id))
            }
            Kind::Issue { id, counter } => format!("code {counter} of {}", self.label(id)),
            Kind::Mark { id, code } => format!("{code} of {} used", self.label(id)),
            Kind::Delete { id } => format!("{} deleted", self.label(id)),
        }
    }

    fn label(&self, id: &AccountId) -> String {
        self.labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.as_str().to_string())
    }

    fn fail(&self, message: String) -> String {
        format!("{message}\nsteps:\n  {}", self.log.join("\n  "))
    }

    fn disk_hash(&self, d: usize) -> Option<u64> {
        read(&self.devices[d].path).map(|b| hash(&b))
    }

    /// Adds what file `file` had seen to what device `d` has seen.
    fn learn_file(&mut self, d: usize, file: Option<u64>) -> Result<(), String> {
        let Some(h) = file else { return Ok(()) };
        let info = self
            .files
            .get(&h)
            .ok_or_else(|| self.fail(format!("dev{d} merged a file no device wrote")))?;
        let seen = info.seen.clone();
        self.devices[d].seen.extend(seen);
        Ok(())
    }

    /// Runs a vault call on device `d` and follows what it read: the file on disk is merged
    /// by every call that gets past the lock, unless it was set aside as unmergeable. On
    /// `Rotated`, the device rejoins with the password of the file on disk and tries again.
    fn run<T>(
        &mut self,
        d: usize,
        call: impl FnMut(&mut Vault, &MemStore, &str) -> Result<T, VaultError>,
    ) -> Step<T> {
        self.run_reading(d, |_| true, call)
    }

    /// [`Sim::run`] for a call that reads the file only when `read_disk` says so of its result.
    fn run_reading<T>(
        &mut self,
        d: usize,
        read_disk: impl Fn(&T) -> bool,
        mut call: impl FnMut(&mut Vault, &MemStore, &str) -> Result<T, VaultError>,
    ) -> Step<T> {
        for attempt in 0..2 {
            let before = self.disk_hash(d);
            let unmerged = count_unmerged(&self.devices[d].dir);
            let password = self.passwords[self.devices[d].password].clone();
            let dev = &mut self.devices[d];
            let result = call(&mut dev.vault, &dev.store, &password);
            match result {
                Err(VaultError::Rotated) if attempt == 0 => self.rejoin(d)?,
                Err(VaultError::Rotated | VaultError::Replaced) => {
                    let e = result.err().map(|e| e.to_string()).unwrap_or_default();
                    return Err(self.fail(format!("dev{d}: {e}")));
                }
                result => {
                    let read = result.as_ref().map_or(true, &read_disk);
                    if count_unmerged(&self.devices[d].dir) != unmerged {
                        self.log
                            .push(format!("    dev{d} set its file aside as unmerged"));
                    } else if read {
                        self.learn_file(d, before)?;
                    }
                    return Ok(result);
                }
            }
        }
        unreachable!("the loop returns on its second attempt")
    }

    fn rejoin(&mut self, d: usize) -> Result<(), String> {
        let file = self.disk_hash(d);
        let (password, epoch, file_password_epoch) = file
            .and_then(|h| self.files.get(&h))
            .map(|info| (info.password, info.epoch, info.password_epoch))
            .ok_or_else(|| self.fail(format!("dev{d}: rotated by a file no device wrote")))?;
        let text = self.passwords[password].clone();
        let own_epoch = self.devices[d].vault.epoch();
        if let Err(e) = self.devices[d].vault.rejoin(&text) {
            return Err(self.fail(format!("dev{d}: rejoin with pw{password} failed: {e}")));
        }
        self.learn_file(d, file)?;
        if self.devices[d].vault.epoch() > epoch {
            // A key change of its own epoch: both are settled in the next epoch, which the
            // other device then rejoins. A password change wins over a keyring removal: the
            // device keeps its own password if it changed it, and takes the file's otherwise.
            let ours = self.devices[d].password_epoch == Some(own_epoch);
            let theirs = file_password_epoch == Some(epoch);
            if ours || !theirs {
                self.log.push(format!(
                    "    dev{d} met a key change of its own epoch (pw{password}): kept its own password"
                ));
            } else {
                self.log.push(format!(
                    "    dev{d} met a key change of its own epoch: took its password pw{password}"
                ));
                self.devices[d].password = password;
            }
        } else {
            self.log.push(format!(
                "    dev{d} met a rotated file: rejoined with pw{password}"
            ));
            self.devices[d].password = password;
            self.devices[d].password_epoch = file_password_epoch;
        }
        self.settle(d);
        Ok(())
    }

    /// Records the file device `d` holds now: who wrote it, with what knowledge, and a new
    /// version for the sync tool to carry.
    fn settle(&mut self, d: usize) {
        let Some(bytes) = read(&self.devices[d].path) else {
            return;
        };
        let dev = &self.devices[d];
        self.files.entry(hash(&bytes)).or_insert_with(|| FileInfo {
            seen: dev.seen.clone(),
            password: dev.password,
            epoch: dev.vault.epoch(),
            password_epoch: dev.password_epoch,
        });
        if self.devices[d].versions.last() != Some(&bytes) {
            self.devices[d].versions.push(bytes);
        }
    }

    fn record(&mut self, d: usize, kind: Kind) -> usize {
        let index = self.events.len();
        self.events.push(Event {
            seen: self.devices[d].seen.clone(),
            kind,
        });
        self.devices[d].seen.insert(index);
        index
    }

    fn next_value(&mut self, prefix: &str) -> String {
        self.values += 1;
        format!("{prefix}{}", self.values)
    }

    fn pick_account(&self, d: usize, pick: usize, hotp_only: bool) -> Option<AccountId> {
        let list: Vec<Account> = self.devices[d]
            .vault
            .accounts()
            .into_iter()
            .filter(|a| !hotp_only || matches!(a.otp.kind, OtpKind::Hotp { .. }))
            .collect();
        (!list.is_empty()).then(|| list[pick % list.len()].id.clone())
    }

    fn add(&mut self, d: usize, hotp: bool) -> Result<(), String> {
        let n = self.added;
        self.added += 1;
        let account = new_account(n, hotp);
        let id = account.id.clone();
        self.labels.insert(id.clone(), format!("#{n}"));
        let kind = if hotp { "HOTP" } else { "TOTP" };
        self.log.push(format!("dev{d}: add #{n} ({kind})"));
        match self.run(d, |v, _, _| v.add(account.clone()))? {
            Ok(()) => {
                for field in FIELDS {
                    let value = field_value(&account, field);
                    self.record(
                        d,
                        Kind::Set {
                            id: id.clone(),
                            field,
                            value,
                        },
                    );
                }
                Ok(())
            }
            Err(e) => Err(self.fail(format!("dev{d}: add failed: {e}"))),
        }
    }

    /// Changes one account on device `d`; `None` if the device lists none (or no HOTP one).
    fn edit(
        &mut self,
        d: usize,
        pick: usize,
        hotp_only: bool,
        what: &str,
        change: impl FnMut(&mut tessera_core::vault::AccountEdit<'_>) -> Option<Kind>,
    ) -> Result<(), String> {
        let Some(id) = self.pick_account(d, pick, hotp_only) else {
            return Ok(());
        };
        self.log.push(format!("dev{d}: {what} {}", self.label(&id)));
        let change = RefCell::new(change);
        let outcome = self.run(d, |v, _, _| {
            v.modify(&id, |edit| Ok::<_, VaultError>((change.borrow_mut())(edit)))
        })?;
        match outcome {
            Ok(Some(kind)) => {
                if let Kind::Issue { counter, .. } = &kind {
                    let floor = self.counter_floor(&id, &self.devices[d].seen);
                    self.log.push(format!("    issued counter {counter}"));
                    if *counter < floor {
                        return Err(self.fail(format!(
                            "dev{d} issued counter {counter} of {}, but had seen {} issued",
                            self.label(&id),
                            floor - 1
                        )));
                    }
                }
                self.record(d, kind);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(VaultError::AccountNotFound(_)) => {
                self.log.push("    (deleted meanwhile)".into());
                Ok(())
            }
            Err(e) => Err(self.fail(format!("dev{d}: {what} failed: {e}"))),
        }
    }

    fn step(&mut self, op: &Op) -> Result<(), String> {
        self.now_ms.fetch_add(STEP_MS, Ordering::SeqCst);
        match *op {
            Op::Add { dev, hotp } => self.add(dev, hotp)?,
            Op::Delete { dev, pick } => {
                let Some(id) = self.pick_account(dev, pick, false) else {
                    return Ok(());
                };
                self.log
                    .push(format!("dev{dev}: delete {}", self.label(&id)));
                match self.run(dev, |v, _, _| v.delete(&id))? {
                    Ok(_) => {
                        self.record(dev, Kind::Delete { id });
                    }
                    Err(VaultError::AccountNotFound(_)) => {
                        self.log.push("    (deleted meanwhile)".into());
                    }
                    Err(e) => return Err(self.fail(format!("dev{dev}: delete failed: {e}"))),
                }
            }
            Op::Rename { dev, pick } => {
                let value = self.next_value("renamed");
                self.edit(dev, pick, false, &format!("rename to {value}:"), |edit| {
                    edit.set_name(value.clone());
                    Some(Kind::Set {
                        id: edit.account().id,
                        field: Field::Name,
                        value: value.clone(),
                    })
                })?
            }
            Op::Notes { dev, pick } => {
                let value = self.next_value("notes");
                self.edit(dev, pick, false, &format!("notes {value} on"), |edit| {
                    edit.set_notes(value.clone());
                    Some(Kind::Set {
                        id: edit.account().id,
                        field: Field::Notes,
                        value: value.clone(),
                    })
                })?
            }
            Op::Pin { dev, pick, on } => {
                let what = if on { "pin" } else { "unpin" };
                self.edit(dev, pick, false, what, |edit| {
                    let account = edit.account();
                    edit.set_pinned(on);
                    (account.pinned != on).then(|| Kind::Set {
                        id: account.id,
                        field: Field::Pinned,
                        value: on.to_string(),
                    })
                })?
            }
            Op::Issue { dev, pick } => self.edit(dev, pick, true, "next HOTP code of", |edit| {
                edit.issue_counter().map(|counter| Kind::Issue {
                    id: edit.account().id,
                    counter,
                })
            })?,
            Op::MarkUsed { dev, pick, code } => self.edit(
                dev,
                pick,
                false,
                &format!("mark code {code} used on"),
                |edit| {
                    edit.mark_recovery_code(code, true)
                        .ok()
                        .map(|code| Kind::Mark {
                            id: edit.account().id,
                            code,
                        })
                },
            )?,
            Op::Move { dev, pick, offset } => {
                let Some(id) = self.pick_account(dev, pick, false) else {
                    return Ok(());
                };
                self.log
                    .push(format!("dev{dev}: move {} by {offset}", self.label(&id)));
                match self.run(dev, |v, _, _| v.move_account(&id, offset))? {
                    Ok(()) | Err(VaultError::AccountNotFound(_)) => {}
                    Err(e) => return Err(self.fail(format!("dev{dev}: move failed: {e}"))),
                }
            }
            Op::Restore { dev, pick } => self.restore(dev, pick)?,
            Op::ChangePassword { dev } => {
                let new = self.passwords.len();
                self.passwords.push(format!("password number {new}"));
                let text = self.passwords[new].clone();
                self.log
                    .push(format!("dev{dev}: change the password to pw{new}"));
                match self.run(dev, |v, store, current| {
                    v.change_password_in(current, &text, None, store)
                })? {
                    Ok(()) => {
                        self.devices[dev].password = new;
                        self.devices[dev].password_epoch = Some(self.devices[dev].vault.epoch());
                    }
                    Err(e) => return Err(self.fail(format!("dev{dev}: change failed: {e}"))),
                }
            }
            Op::KeyringOn { dev } => {
                self.log.push(format!("dev{dev}: turn keyring unlock on"));
                // Reloads first: enabling does not read the file when the slot exists already.
                match self.run(dev, |v, store, _| {
                    v.reload()?;
                    v.enable_keyring_slot_in(store)
                })? {
                    Ok(()) | Err(VaultError::TooManySlots) => {}
                    Err(e) => return Err(self.fail(format!("dev{dev}: keyring on failed: {e}"))),
                }
            }
            Op::KeyringOff { dev } => {
                self.log.push(format!("dev{dev}: turn keyring unlock off"));
                match self.run(dev, |v, store, current| {
                    v.disable_keyring_slot_in(current, store)
                })? {
                    Ok(()) => {
                        let epoch = self.devices[dev].vault.epoch();
                        let forgotten: Vec<_> = self.devices[dev]
                            .store
                            .forgotten
                            .borrow_mut()
                            .drain(..)
                            .collect();
                        self.revoked
                            .extend(forgotten.into_iter().map(|(a, k)| (a, k, epoch)));
                    }
                    Err(e) => return Err(self.fail(format!("dev{dev}: keyring off failed: {e}"))),
                }
            }
            Op::Restart { dev } => self.restart(dev)?,
            Op::Deliver {
                from,
                to,
                late,
                how,
                reload,
            } => {
                let versions = &self.devices[from].versions;
                let back = late.min(versions.len() - 1);
                let bytes = versions[versions.len() - 1 - back].clone();
                let age = if back == 0 {
                    "latest".to_string()
                } else {
                    format!("{back} versions old")
                };
                let then = if reload { ", reload" } else { "" };
                self.log.push(format!(
                    "deliver dev{from} -> dev{to} ({age}) by {how:?}{then}"
                ));
                self.deliver(to, &bytes, how, reload)?;
            }
        }
        for d in 0..DEVICES {
            self.settle(d);
        }
        self.check_all()
    }

    fn restart(&mut self, d: usize) -> Result<(), String> {
        self.log.push(format!("dev{d}: restart"));
        if let Err(e) = self.run(d, |v, _, _| v.reload())? {
            return Err(self.fail(format!("dev{d}: reload failed: {e}")));
        }
        self.settle(d);
        let dev = &self.devices[d];
        let reopened = match Vault::open_with_kek_store(&dev.path, &dev.store) {
            Ok(vault) => Ok(vault),
            Err(VaultError::NoKeyringSlot | VaultError::Keyring(_)) => {
                Vault::open_with_password(&dev.path, &self.passwords[dev.password])
            }
            Err(e) => Err(e),
        };
        let mut vault = reopened.map_err(|e| self.fail(format!("dev{d}: reopen failed: {e}")))?;
        let file = self.disk_hash(d);
        let seen = file
            .and_then(|h| self.files.get(&h))
            .map(|info| info.seen.clone())
            .ok_or_else(|| self.fail(format!("dev{d} reopened a file no device wrote")))?;
        let now = Arc::clone(&self.now_ms);
        let skew = self.devices[d].skew_ms;
        vault.set_wall_clock(Arc::new(move || {
            now.load(Ordering::SeqCst).saturating_add_signed(skew)
        }));
        // Only what the file holds survives the restart.
        self.devices[d].vault = vault;
        self.devices[d].seen = seen;
        Ok(())
    }

    fn restore(&mut self, d: usize, pick: usize) -> Result<(), String> {
        let list = self.devices[d].vault.recently_deleted();
        if list.is_empty() {
            return Ok(());
        }
        let old = list[pick % list.len()].account.id.clone();
        self.log
            .push(format!("dev{d}: restore {}", self.label(&old)));
        match self.run(d, |v, _, _| v.restore(&old))? {
            Ok(account) => {
                if self.labels.contains_key(&account.id) {
                    return Err(self.fail(format!("dev{d}: restore reused an id")));
                }
                let label = format!("{}'", self.label(&old));
                self.log.push(format!("    as {label}"));
                self.labels.insert(account.id.clone(), label);
                let seen = self.devices[d].seen.clone();
                // The restored account is the deleted one as this device last knew it.
                self.check_account(&old, &account, &seen, &format!("dev{d} restore"))?;
                self.restores
                    .insert(account.id.clone(), (old.clone(), seen.clone()));
                for field in FIELDS {
                    self.record(
                        d,
                        Kind::Set {
                            id: account.id.clone(),
                            field,
                            value: field_value(&account, field),
                        },
                    );
                }
                Ok(())
            }
            Err(VaultError::NotRestorable(_) | VaultError::AccountNotFound(_)) => {
                self.log.push("    (not restorable)".into());
                Ok(())
            }
            Err(e) => Err(self.fail(format!("dev{d}: restore failed: {e}"))),
        }
    }

    fn put_file(&mut self, to: usize, bytes: &[u8], how: How) -> Result<PathBuf, String> {
        let dir = self.devices[to].dir.clone();
        self.copies += 1;
        let n = self.copies;
        let target = match how {
            How::Rename => {
                let staged = dir.join(format!(".syncthing.{VAULT_NAME}.tmp"));
                std::fs::write(&staged, bytes).map_err(|e| e.to_string())?;
                std::fs::rename(&staged, &self.devices[to].path).map_err(|e| e.to_string())?;
                return Ok(self.devices[to].path.clone());
            }
            How::Syncthing => format!("vault.sync-conflict-20261201-{n:06}-ABCDEFG.tessera"),
            How::Dropbox => format!("vault (Alice's conflicted copy 2026-12-01 {n}).tessera"),
            How::Nextcloud => format!("vault (conflicted copy 2026-12-01 {n:06}).tessera"),
        };
        let path = dir.join(target);
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        Ok(path)
    }

    fn deliver(&mut self, to: usize, bytes: &[u8], how: How, reload: bool) -> Result<(), String> {
        self.put_file(to, bytes, how)?;
        if matches!(how, How::Rename) {
            if reload {
                match self.run(to, |v, _, _| v.reload())? {
                    Ok(_) => {}
                    Err(e) => return Err(self.fail(format!("dev{to}: reload failed: {e}"))),
                }
            }
            return Ok(());
        }
        self.merge_copies(to)
    }

    fn merge_copies(&mut self, d: usize) -> Result<(), String> {
        let copies: Vec<(PathBuf, Option<u64>)> = self.devices[d]
            .vault
            .conflict_copies()
            .into_iter()
            .map(|p| {
                let h = read(&p).map(|b| hash(&b));
                (p, h)
            })
            .collect();
        // Only a copy it opens makes the vault save, and so read its own file first.
        let merged = self.run_reading(
            d,
            |m: &ConflictMerge| !m.merged.is_empty(),
            |v, _, _| v.merge_conflict_copies(),
        )?;
        match merged {
            Ok(result) => {
                for (path, h) in copies {
                    if result.merged.contains(&path) {
                        self.learn_file(d, h)?;
                    }
                }
                if !result.unopened.is_empty() {
                    self.log.push(format!(
                        "    dev{d} left {} copies it cannot open",
                        result.unopened.len()
                    ));
                }
                Ok(())
            }
            Err(e) => Err(self.fail(format!("dev{d}: merging conflict copies failed: {e}"))),
        }
    }

    /// The lowest counter a device that has seen `seen` may show for `id`: one past every
    /// code it has seen issued for it, or for the account it was restored from.
    fn counter_floor(&self, id: &AccountId, seen: &BTreeSet<usize>) -> u64 {
        self.lineage(id, seen)
            .iter()
            .flat_map(|(id, seen)| {
                self.events
                    .iter()
                    .enumerate()
                    .filter_map(move |(i, e)| match &e.kind {
                        Kind::Issue { id: of, counter } if of == id && seen.contains(&i) => {
                            Some(counter + 1)
                        }
                        _ => None,
                    })
            })
            .max()
            .unwrap_or(0)
    }

    /// `id` with what was seen of it, then the accounts it was restored from, each with what
    /// the restoring device had seen.
    fn lineage(&self, id: &AccountId, seen: &BTreeSet<usize>) -> Vec<(AccountId, BTreeSet<usize>)> {
        let mut chain = vec![(id.clone(), seen.clone())];
        let mut current = id.clone();
        let mut limit = seen.clone();
        while let Some((parent, at_restore)) = self.restores.get(&current) {
            limit = limit.intersection(at_restore).copied().collect();
            chain.push((parent.clone(), limit.clone()));
            current = parent.clone();
        }
        chain
    }

    /// Checks account `shown` against the writes to account `id` in `seen`.
    fn check_account(
        &self,
        id: &AccountId,
        shown: &Account,
        seen: &BTreeSet<usize>,
        who: &str,
    ) -> Result<(), String> {
        let label = self.label(&shown.id);
        for (i, e) in self.events.iter().enumerate() {
            if let Kind::Delete { id: gone } = &e.kind {
                if gone == &shown.id && seen.contains(&i) {
                    return Err(self.fail(format!("{who} shows {label}, whose deletion it saw")));
                }
            }
        }
        for field in FIELDS {
            let writes: Vec<usize> = (0..self.events.len())
                .filter(|i| seen.contains(i))
                .filter(|&i| {
                    matches!(&self.events[i].kind,
                        Kind::Set { id: of, field: f, .. } if of == id && *f == field)
                })
                .collect();
            let current: Vec<&str> = writes
                .iter()
                .filter(|&&w| {
                    !writes
                        .iter()
                        .any(|&later| later != w && self.events[later].seen.contains(&w))
                })
                .map(|&w| match &self.events[w].kind {
                    Kind::Set { value, .. } => value.as_str(),
                    _ => "",
                })
                .collect();
            let value = field_value(shown, field);
            if !current.contains(&value.as_str()) {
                return Err(self.fail(format!(
                    "{who}: {label} shows {field:?} = {value:?}; the writes it has seen and \
                     no later write replaced are {current:?}"
                )));
            }
        }
        if let OtpKind::Hotp { counter } = shown.otp.kind {
            let floor = self.counter_floor(id, seen);
            if counter < floor {
                return Err(self.fail(format!(
                    "{who}: {label} shows HOTP counter {counter}, but it saw code {} issued",
                    floor - 1
                )));
            }
        }
        for (id, seen) in self.lineage(id, seen) {
            for (i, e) in self.events.iter().enumerate() {
                let Kind::Mark { id: of, code } = &e.kind else {
                    continue;
                };
                if of != &id || !seen.contains(&i) {
                    continue;
                }
                let used = shown
                    .recovery_codes
                    .iter()
                    .any(|c| &c.code == code && c.used);
                if !used {
                    return Err(self.fail(format!(
                        "{who}: {label} shows recovery code {code} unused; it saw it marked used"
                    )));
                }
            }
        }
        Ok(())
    }

    fn check_all(&mut self) -> Result<(), String> {
        for d in 0..DEVICES {
            let accounts = self.devices[d].vault.accounts();
            let seen = self.devices[d].seen.clone();
            for a in &accounts {
                self.check_account(&a.id, a, &seen, &format!("dev{d}"))?;
                if let OtpKind::Hotp { counter } = a.otp.kind {
                    let before = self.devices[d].counters.insert(a.id.clone(), counter);
                    if before.is_some_and(|b| b > counter) {
                        return Err(self.fail(format!(
                            "dev{d}: HOTP counter of {} went back from {} to {counter}",
                            self.label(&a.id),
                            before.unwrap_or(0)
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Delivers every device's latest file to every other until nothing changes. Each device
    /// first saves what it holds (a setting of its own), as its next change would.
    fn converge(&mut self) -> Result<(), String> {
        self.log
            .push("--- every file to every device until nothing changes".into());
        let mut last = None;
        for round in 0..8 {
            for from in 0..DEVICES {
                self.now_ms.fetch_add(STEP_MS, Ordering::SeqCst);
                let value = format!("{round}-{from}");
                match self.run(from, |v, _, _| v.set_setting("last-sync-round", &value))? {
                    Ok(()) => {}
                    Err(e) => return Err(self.fail(format!("dev{from}: save failed: {e}"))),
                }
                self.settle(from);
                let bytes = read(&self.devices[from].path).ok_or("file gone")?;
                for to in (0..DEVICES).filter(|&to| to != from) {
                    self.put_file(to, &bytes, How::Rename)?;
                    match self.run(to, |v, _, _| v.reload())? {
                        Ok(_) => {}
                        Err(e) => return Err(self.fail(format!("dev{to}: reload failed: {e}"))),
                    }
                    self.settle(to);
                }
            }
            for d in 0..DEVICES {
                self.merge_copies(d)?;
                self.settle(d);
            }
            self.check_all()?;
            let state: Vec<_> = self
                .devices
                .iter()
                .map(|d| {
                    (
                        d.vault.accounts(),
                        d.vault.recently_deleted(),
                        d.seen.clone(),
                    )
                })
                .collect();
            let agreed = state.windows(2).all(|w| w[0] == w[1]);
            if agreed && last.as_ref() == Some(&state) {
                return Ok(());
            }
            last = Some(state);
        }
        Err(self.fail("the devices did not agree after 8 rounds of deliveries".into()))
    }

    fn check_final(&self) -> Result<(), String> {
        let all: BTreeSet<usize> = (0..self.events.len()).collect();
        for (d, dev) in self.devices.iter().enumerate() {
            // A write may be missing from what a device knows only if a concurrent write of
            // the same field replaced it (the one with the later stamp), or its account was
            // deleted: its knowledge then lives in no file. HOTP codes and marks never vanish.
            let replaced = |i: usize| match &self.events[i].kind {
                Kind::Set { id, field, .. } => {
                    dev.seen.iter().any(|&j| match &self.events[j].kind {
                        Kind::Set {
                            id: other,
                            field: f,
                            ..
                        } => other == id && f == field && !self.events[i].seen.contains(&j),
                        Kind::Delete { id: other } => other == id,
                        _ => false,
                    })
                }
                _ => false,
            };
            let missing: Vec<String> = all
                .difference(&dev.seen)
                .filter(|&&i| !replaced(i))
                .map(|&i| self.describe(i))
                .collect();
            if !missing.is_empty() {
                return Err(self.fail(format!("dev{d} never saw writes {missing:?}")));
            }
        }
        // A revoked password or keyring key opens no file written after its revocation.
        let mut checked = BTreeSet::new();
        for dev in &self.devices {
            for path in [dev.path.clone(), Vault::backup_path(&dev.path)] {
                let Some(bytes) = read(&path) else { continue };
                let h = hash(&bytes);
                if !checked.insert(h) {
                    continue;
                }
                let info = self.files.get(&h).ok_or_else(|| {
                    self.fail(format!("{} was written by no device", path.display()))
                })?;
                for (p, text) in self.passwords.iter().enumerate() {
                    if p != info.password && Vault::open_with_password(&path, text).is_ok() {
                        return Err(self.fail(format!(
                            "pw{p} opens {} (epoch {}, written under pw{})",
                            path.display(),
                            info.epoch,
                            info.password
                        )));
                    }
                }
                let revoked = MemStore::default();
                for (account, kek, epoch) in &self.revoked {
                    if *epoch <= info.epoch {
                        revoked.store(account, kek).map_err(|e| e.to_string())?;
                    }
                }
                if Vault::open_with_kek_store(&path, &revoked).is_ok() {
                    return Err(self.fail(format!(
                        "a revoked keyring key opens {} (epoch {})",
                        path.display(),
                        info.epoch
                    )));
                }
            }
        }
        Ok(())
    }
}

/// A folder for a case's devices. A case saves a few hundred times, and on a disk most of its
/// time would go to fsync, so it runs in memory where Linux offers it (`/dev/shm`); the
/// vault_merge and vault_processes tests cover saves on a real disk.
fn case_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    temp_dir()
}

fn run_case(template: &[u8], key: &VaultKey, case: &Case) -> Result<(), TestCaseError> {
    let root = case_dir();
    let mut sim = Sim::new(root.path(), template, key, case).map_err(TestCaseError::fail)?;
    for op in &case.ops {
        sim.step(op).map_err(TestCaseError::fail)?;
    }
    sim.converge().map_err(TestCaseError::fail)?;
    sim.check_final().map_err(TestCaseError::fail)
}

#[test]
fn three_devices_syncing_converge_without_losing_an_edit() {
    let dir = temp_dir();
    let (path, vault) = create(dir.path(), "template.tessera");
    let template = std::fs::read(&path).expect("template");
    let key = vault.vault_key();
    let mut config = Config {
        max_shrink_iters: 400,
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = CASES;
    }
    let mut runner = TestRunner::new(config);
    match runner.run(&case_strategy(), |case| run_case(&template, &key, &case)) {
        Ok(()) => {}
        Err(TestError::Fail(reason, case)) => {
            panic!("{reason}\nminimal case: {case:#?}")
        }
        Err(e) => panic!("{e}"),
    }
}
