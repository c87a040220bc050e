//! Test vectors of the vault format (docs/vault-format.md): one file per rule in
//! `tests/vault_vectors/`, each named for the rule it exercises. The table in that folder's
//! README.md is the one statement of what each file must do (its password and the result of
//! opening it); [`every_vector_meets_the_readme`] reads the table and checks every row.
//!
//! The files are made by [`regenerate_vectors`], ignored in normal runs. To make them again
//! (after a change of the format, or to add a vector):
//!
//! ```text
//! cargo test -p tessera-core --test vault_vectors -- --ignored regenerate_vectors
//! ```
//!
//! then add or update the vector's row in the README by hand, from the spec, and run the tests.
//! The generator builds a vault with the crate's own code (created and filled through the
//! public API, with a fixed wall clock), then edits bytes by hand: a header field or a slot, or
//! the decrypted JSON, which it seals again under the vault key with the edited header as
//! associated data, so that each file breaks only the rule it is named after. Slots the crate
//! cannot be asked to make (a second password slot, keyring slots with a known key) are built
//! from the primitives as the spec describes them, which also checks the spec's wording of the
//! slot's associated data against the reader.

mod vault_support;

use argon2::{Algorithm as Argon, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tessera_core::account::{Account, AccountId, RecoveryCode};
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::vault::{KdfParams, Vault};
use vault_support::{temp_dir, PASSWORD};

/// The folder of the vectors and their README.
fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vault_vectors")
}

/// One row of the README's table.
struct Row {
    file: String,
    password: String,
    expect: String,
}

/// The rows of the README table: `| `file` | rule | `password` | `expect` |`.
fn rows() -> Vec<Row> {
    let readme = fs::read_to_string(dir().join("README.md")).expect("README.md of the vectors");
    let unquote = |cell: &str| cell.trim().trim_matches('`').to_string();
    readme
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split(" | ").collect();
            assert_eq!(cells.len(), 4, "README row with other than 4 cells: {line}");
            Row {
                file: unquote(cells[0]),
                password: unquote(cells[2]),
                expect: unquote(cells[3]),
            }
        })
        .collect()
}

/// What opening a vector with a password gives, in the README's words. Deletions are counted
/// as restorable at the time the vectors were made (the restore window is 30 days).
fn outcome(path: &Path, password: &str) -> String {
    match Vault::open_with_password(path, password) {
        Ok(mut vault) => format!("opens: {} accounts, {} restorable", vault.len(), {
            vault.set_wall_clock(Arc::new(|| WALL_MS));
            vault.recently_deleted().len()
        }),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn every_vector_meets_the_readme() {
    let rows = rows();
    assert!(
        rows.len() > 50,
        "only {} rows read from the README",
        rows.len()
    );
    // Most vectors run Argon2id once: two threads halve the wait on a two-core machine.
    let half = rows.len().div_ceil(2);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = rows
            .chunks(half)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|row| {
                            let got = outcome(&dir().join(&row.file), &row.password);
                            (got != row.expect).then(|| {
                                format!("{}\n  expected {}\n  got      {got}", row.file, row.expect)
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a vector thread panicked"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_vector_has_a_row_and_every_row_a_vector() {
    let mut listed: Vec<String> = rows().into_iter().map(|r| r.file).collect();
    listed.sort();
    let before = listed.len();
    listed.dedup();
    assert_eq!(before, listed.len(), "a file is listed twice");
    let mut files: Vec<String> = fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".tessera"))
        .collect();
    files.sort();
    assert_eq!(files, listed);
}

/// The size cap has no file in the folder (it would take 64 MiB): a sparse file one byte over
/// the cap is made here, and refused before it is read.
#[test]
fn a_file_over_64_mib_is_refused_unread() {
    let temp = temp_dir();
    let path = temp.path().join("big.tessera");
    let file = fs::File::create(&path).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let err = Vault::open_with_password(&path, PASSWORD).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{} is too large to be a vault", path.display())
    );
    // Exactly at the cap, the file is read: a vault followed by zeros, refused for what it
    // holds, not for its size.
    drop(file);
    fs::copy(dir().join("accept_accounts.tessera"), &path).unwrap();
    let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(64 * 1024 * 1024).unwrap();
    let err = Vault::open_with_password(&path, PASSWORD).unwrap_err();
    assert_eq!(err.to_string(), "wrong password or damaged vault file");
}

/// Appendix A: a version 1 file opens as it is and is written as version 2 at its next save,
/// each field stamped `[modified × 1000, 0, 0]` from its account's `modified`.
#[test]
fn the_version_1_vector_is_written_as_version_2_at_its_next_save() {
    let temp = temp_dir();
    let path = temp.path().join("v1.tessera");
    fs::copy(dir().join("accept_v1_upgrade.tessera"), &path).unwrap();
    let mut vault = Vault::open_with_password(&path, PASSWORD).unwrap();
    assert_eq!(vault.format_version(), 1);
    assert_eq!(vault.epoch(), 0);
    let before = vault.accounts();
    vault.set_setting("language", "de").unwrap();
    assert_eq!(vault.format_version(), 2);
    let reopened = Vault::open_with_password(&path, PASSWORD).unwrap();
    assert_eq!(reopened.format_version(), 2);
    assert_eq!(reopened.accounts(), before);
    let bob = before.iter().find(|a| a.name == "bob").unwrap();
    assert_eq!(bob.otp.kind, OtpKind::Hotp { counter: 7 });
    let alice = before.iter().find(|a| a.name == "alice").unwrap();
    assert_eq!(
        alice.recovery_codes.len(),
        2,
        "a code listed twice is one code"
    );
    assert!(alice.recovery_codes[0].used && !alice.recovery_codes[1].used);

    let content = decrypt(&fs::read(&path).unwrap(), vault.vault_key().as_bytes());
    let alice = content["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == ALICE)
        .unwrap();
    for field in [
        "otp",
        "issuer",
        "name",
        "notes",
        "group",
        "pinned",
        "sort_order",
    ] {
        assert_eq!(
            alice[field]["stamp"],
            json!([1_700_000_100_000u64, 0, 0]),
            "{field}"
        );
    }
    assert_eq!(alice["recovery_marks"], json!({"1111-2222": 1}));
    assert_eq!(
        content["deleted"][0]["stamp"],
        json!([1_700_000_050_000u64, 0, 0])
    );
    assert_eq!(content["settings"]["theme"]["stamp"], json!([4_000, 0, 0]));
}

// ---------------------------------------------------------------------------------------------
// The generator.

/// The wall clock of the generated vault's stamps (Unix milliseconds): fixed, so the JSON and
/// with it the positions in the README's error messages stay the same from one run to the next.
const WALL_MS: u64 = 1_760_000_000_000;
const ALICE: &str = "0b6c1f0e-5a39-4f6e-9d4e-2b7f0f3c1a11";
const BOB: &str = "1b6c1f0e-5a39-4f6e-9d4e-2b7f0f3c1a11";
const CAROL: &str = "2b6c1f0e-5a39-4f6e-9d4e-2b7f0f3c1a11";
const DAVE: &str = "3b6c1f0e-5a39-4f6e-9d4e-2b7f0f3c1a11";
/// Length of the header of a version 2 file with one password slot.
const HEADER_LEN: usize = 43 + 3 + 116;
/// The key-encryption key of every keyring slot the generator makes.
const KEYRING_KEK: [u8; 32] = [0x4b; 32];

fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).unwrap();
    out
}

fn seal(key: &[u8; 32], nonce: &[u8; 24], aad: &[u8], plain: &[u8]) -> Vec<u8> {
    XChaCha20Poly1305::new(Key::from_slice(key))
        .encrypt(XNonce::from_slice(nonce), Payload { msg: plain, aad })
        .unwrap()
}

/// The content of a version 2 file with one password slot, decrypted with its vault key.
fn decrypt(file: &[u8], key: &[u8; 32]) -> Value {
    assert_eq!(file[42], 1, "one slot");
    let plain = XChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt(
            XNonce::from_slice(&file[HEADER_LEN..HEADER_LEN + 24]),
            Payload {
                msg: &file[HEADER_LEN + 24..],
                aad: &file[..HEADER_LEN],
            },
        )
        .unwrap();
    serde_json::from_slice(&plain).unwrap()
}

/// A header as section 3 lays it out; `epoch` is `None` for version 1.
fn header(version: u16, vault_id: &[u8; 16], epoch: Option<u64>, slots: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"TSRVAULT".to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(vault_id);
    out.extend_from_slice(&9u64.to_le_bytes());
    if let Some(epoch) = epoch {
        out.extend_from_slice(&epoch.to_le_bytes());
    }
    out.push(slots.len() as u8);
    for slot in slots {
        out.extend_from_slice(slot);
    }
    out
}

/// A file: `header`, a fresh nonce, and `plain` sealed under `key` with the header as
/// associated data.
fn file(header: &[u8], key: &[u8; 32], plain: &[u8]) -> Vec<u8> {
    let nonce = random::<24>();
    let mut out = header.to_vec();
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&seal(key, &nonce, header, plain));
    out
}

/// A password slot made from the spec's words: the vault key wrapped under Argon2id of the
/// password, the associated data `"TSRSLOT1" ‖ vault id ‖ 1 ‖ memory ‖ passes ‖ lanes ‖ salt`
/// (and the slot nonce after them, for the vector of the wrong reading).
fn password_slot(
    vault_id: &[u8; 16],
    key: &[u8; 32],
    params: KdfParams,
    nonce_in_ad: bool,
) -> Vec<u8> {
    let salt = random::<32>();
    let argon_params =
        Params::new(params.memory_kib, params.iterations, params.lanes, Some(32)).unwrap();
    let mut kek = [0u8; 32];
    Argon2::new(Argon::Argon2id, Version::V0x13, argon_params)
        .hash_password_into(PASSWORD.as_bytes(), &salt, &mut kek)
        .unwrap();
    let mut fields = Vec::new();
    for n in [params.memory_kib, params.iterations, params.lanes] {
        fields.extend_from_slice(&n.to_le_bytes());
    }
    fields.extend_from_slice(&salt);
    slot(1, vault_id, key, &kek, &fields, nonce_in_ad)
}

/// A keyring slot with id `slot_id`, wrapping the vault key under [`KEYRING_KEK`].
fn keyring_slot(vault_id: &[u8; 16], key: &[u8; 32], slot_id: [u8; 16]) -> Vec<u8> {
    slot(2, vault_id, key, &KEYRING_KEK, &slot_id, false)
}

fn slot(
    kind: u8,
    vault_id: &[u8; 16],
    key: &[u8; 32],
    kek: &[u8; 32],
    fields: &[u8],
    nonce_in_ad: bool,
) -> Vec<u8> {
    let nonce = random::<24>();
    let mut aad = b"TSRSLOT1".to_vec();
    aad.extend_from_slice(vault_id);
    aad.push(kind);
    aad.extend_from_slice(fields);
    if nonce_in_ad {
        aad.extend_from_slice(&nonce);
    }
    let wrapped = seal(kek, &nonce, &aad, key);
    let mut out = vec![kind];
    out.extend_from_slice(&((fields.len() + 24 + wrapped.len()) as u16).to_le_bytes());
    out.extend_from_slice(fields);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&wrapped);
    out
}

fn account(
    id: &str,
    name: &str,
    kind: OtpKind,
    algorithm: Algorithm,
    digits: u8,
    secret: &[u8],
) -> Account {
    let mut a = Account::new(
        "Example".into(),
        name.into(),
        OtpParams {
            kind,
            algorithm,
            digits,
            secret: Secret::from_bytes(secret.to_vec()),
        },
        1_700_000_000,
    );
    a.id = AccountId::parse(id).unwrap();
    a
}

/// A vault made by the crate: alice (TOTP, two recovery codes, one used), bob (HOTP at
/// counter 5), carol (Steam), dave (TOTP, deleted and restorable) and one setting.
struct Base {
    vault_id: [u8; 16],
    key: [u8; 32],
    /// The crate's password slot: type, length and body.
    password_slot: Vec<u8>,
    /// The decrypted content, with every stamp's node set to 1 (the crate picks a random one).
    content: Value,
}

fn normalise_nodes(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (name, member) in map.iter_mut() {
                match member {
                    Value::Array(stamp) if name == "stamp" && stamp.len() == 3 => {
                        stamp[2] = json!(1)
                    }
                    other => normalise_nodes(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_nodes),
        _ => {}
    }
}

impl Base {
    fn make() -> Base {
        let temp = temp_dir();
        let path = temp.path().join("base.tessera");
        let mut vault = Vault::create(&path, PASSWORD, KdfParams::minimum()).unwrap();
        vault.set_wall_clock(Arc::new(|| WALL_MS));
        let mut alice = account(
            ALICE,
            "alice",
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            &[
                0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
            ],
        );
        alice.notes = "spare key in the drawer".into();
        alice.recovery_codes = vec![
            RecoveryCode {
                code: "1111-2222".into(),
                used: true,
            },
            RecoveryCode {
                code: "3333-4444".into(),
                used: false,
            },
        ];
        vault.add(alice).unwrap();
        vault
            .add(account(
                BOB,
                "bob",
                OtpKind::Hotp { counter: 5 },
                Algorithm::Sha256,
                8,
                &[0xb0; 10],
            ))
            .unwrap();
        vault
            .add(account(
                CAROL,
                "carol",
                OtpKind::Steam { period: 30 },
                Algorithm::Sha1,
                5,
                &[0xca; 10],
            ))
            .unwrap();
        vault
            .add(account(
                DAVE,
                "dave",
                OtpKind::Totp { period: 60 },
                Algorithm::Sha512,
                6,
                &[0xda; 10],
            ))
            .unwrap();
        vault.delete(&AccountId::parse(DAVE).unwrap()).unwrap();
        vault.set_setting("theme", "dark").unwrap();
        let bytes = fs::read(&path).unwrap();
        let key = *vault.vault_key().as_bytes();
        let mut content = decrypt(&bytes, &key);
        normalise_nodes(&mut content);
        Base {
            vault_id: bytes[10..26].try_into().unwrap(),
            key,
            password_slot: bytes[43..HEADER_LEN].to_vec(),
            content,
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(&self.content).unwrap()
    }

    /// The version 2 header with the crate's password slot.
    fn header(&self) -> Vec<u8> {
        header(
            2,
            &self.vault_id,
            Some(0),
            std::slice::from_ref(&self.password_slot),
        )
    }

    /// A file of this vault holding `plain` as its content.
    fn with_content(&self, plain: &str) -> Vec<u8> {
        file(&self.header(), &self.key, plain.as_bytes())
    }

    /// A file of this vault with slots `slots`, the content sealed under that header.
    fn with_slots(&self, slots: &[Vec<u8>]) -> Vec<u8> {
        file(
            &header(2, &self.vault_id, Some(0), slots),
            &self.key,
            self.json().as_bytes(),
        )
    }

    /// A file of this vault whose content is edited by `edit`.
    fn edited(&self, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut content = self.content.clone();
        edit(&mut content);
        self.with_content(&serde_json::to_string(&content).unwrap())
    }

    /// A file of this vault whose content's text has `from` (found exactly once) replaced.
    fn replaced(&self, from: &str, to: &str) -> Vec<u8> {
        self.with_content(&replace_once(&self.json(), from, to))
    }

    /// A file of this vault whose password slot's KDF parameters are replaced.
    fn with_params(&self, memory_kib: u32, iterations: u32, lanes: u32) -> Vec<u8> {
        let mut slot = self.password_slot.clone();
        slot[3..7].copy_from_slice(&memory_kib.to_le_bytes());
        slot[7..11].copy_from_slice(&iterations.to_le_bytes());
        slot[11..15].copy_from_slice(&lanes.to_le_bytes());
        self.with_slots(&[slot])
    }
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {text}");
    text.replacen(from, to, 1)
}

/// The account with `id` in `content`'s accounts.
fn acct<'a>(content: &'a mut Value, id: &str) -> &'a mut Value {
    content["accounts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["id"] == id)
        .unwrap()
}

/// Dave's entry in `content`'s deletions.
fn dave(content: &mut Value) -> &mut Value {
    &mut content["deleted"][0]
}

/// A version 1 payload as appendix A describes it: alice (TOTP, one recovery code listed twice,
/// which version 1 allowed), bob (HOTP at counter `bob_counter`), a tombstone and a setting.
fn v1_json(bob_counter: u64) -> String {
    json!({
        "accounts": [
            {
                "id": ALICE, "issuer": "Example", "name": "alice",
                "otp": {"kind": {"type": "totp", "period": 30}, "algorithm": "sha1", "digits": 6,
                        "secret": "deadbeefcafe0123456789abcdef"},
                "notes": "spare key in the drawer",
                "recovery_codes": [{"code": "1111-2222", "used": true},
                                   {"code": "3333-4444", "used": false},
                                   {"code": "1111-2222", "used": false}],
                "group": "", "pinned": true, "sort_order": 0,
                "created": 1_700_000_000u64, "last_used": 0, "modified": 1_700_000_100u64
            },
            {
                "id": BOB, "issuer": "Example", "name": "bob",
                "otp": {"kind": {"type": "hotp", "counter": bob_counter}, "algorithm": "sha256",
                        "digits": 8, "secret": "b0b0b0b0b0b0b0b0b0b0"},
                "notes": "", "recovery_codes": [], "group": "", "pinned": false, "sort_order": 1,
                "created": 1_700_000_000u64, "last_used": 1_700_000_200u64,
                "modified": 1_700_000_200u64
            }
        ],
        "tombstones": [{"id": DAVE, "deleted": 1_700_000_050u64}],
        "settings": {"theme": {"value": "dark", "modified": 4}}
    })
    .to_string()
}

/// Writes every vector into `tests/vault_vectors/`, replacing the files there.
#[test]
#[ignore = "writes the vector files; run by hand to regenerate them (see the module docs)"]
fn regenerate_vectors() {
    let out = dir();
    for entry in fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tessera") {
            fs::remove_file(path).unwrap();
        }
    }
    let write = |name: &str, bytes: &[u8]| fs::write(out.join(name), bytes).unwrap();
    let b = Base::make();
    let min = KdfParams::minimum();
    let v2 = b.with_content(&b.json());

    // Files that open.
    write("accept_accounts.tessera", &v2);
    write(
        "accept_empty.tessera",
        &b.with_content(r#"{"accounts":[],"deleted":[],"settings":{}}"#),
    );
    write(
        "accept_v1_upgrade.tessera",
        &file(
            &header(1, &b.vault_id, None, std::slice::from_ref(&b.password_slot)),
            &b.key,
            v1_json(7).as_bytes(),
        ),
    );
    write(
        "accept_epoch_5.tessera",
        &file(
            &header(
                2,
                &b.vault_id,
                Some(5),
                std::slice::from_ref(&b.password_slot),
            ),
            &b.key,
            b.json().as_bytes(),
        ),
    );
    write(
        "accept_password_slot_made_from_the_spec.tessera",
        &b.with_slots(&[password_slot(&b.vault_id, &b.key, min, false)]),
    );
    write(
        "accept_kdf_lanes_16.tessera",
        &b.with_slots(&[password_slot(
            &b.vault_id,
            &b.key,
            KdfParams { lanes: 16, ..min },
            false,
        )]),
    );
    write(
        "accept_kdf_work_at_cap_128mib_64_passes.tessera",
        &b.with_slots(&[password_slot(
            &b.vault_id,
            &b.key,
            KdfParams {
                memory_kib: 128 * 1024,
                iterations: 64,
                lanes: 1,
            },
            false,
        )]),
    );
    let keyring = |n: u8| keyring_slot(&b.vault_id, &b.key, [n; 16]);
    let mut seven = vec![b.password_slot.clone()];
    seven.extend((1..=7).map(keyring));
    write("accept_seven_keyring_slots.tessera", &b.with_slots(&seven));
    let mut keyring_first = vec![keyring(1)];
    keyring_first.push(b.password_slot.clone());
    write(
        "accept_keyring_slot_before_password_slot.tessera",
        &b.with_slots(&keyring_first),
    );
    write(
        "accept_hotp_counter_2_53_minus_1.tessera",
        &b.edited(|c| acct(c, BOB)["counter"] = json!(9_007_199_254_740_991u64)),
    );
    write(
        "accept_totp_digits_1.tessera",
        &b.edited(|c| acct(c, ALICE)["otp"]["value"]["digits"] = json!(1)),
    );
    write(
        "accept_totp_digits_10.tessera",
        &b.edited(|c| acct(c, ALICE)["otp"]["value"]["digits"] = json!(10)),
    );
    write(
        "accept_period_86400.tessera",
        &b.edited(|c| acct(c, ALICE)["otp"]["value"]["kind"]["period"] = json!(86_400)),
    );
    write(
        "accept_secret_1024_bytes.tessera",
        &b.edited(|c| acct(c, ALICE)["otp"]["value"]["secret"] = json!("ab".repeat(1024))),
    );
    write(
        "accept_negative_sort_order.tessera",
        &b.edited(|c| acct(c, ALICE)["sort_order"]["value"] = json!(-3)),
    );
    write(
        "accept_deleted_without_account.tessera",
        &b.edited(|c| dave(c)["account"] = Value::Null),
    );
    write(
        "accept_deleted_account_member_absent.tessera",
        &b.edited(|c| {
            dave(c).as_object_mut().unwrap().remove("account");
        }),
    );
    write(
        "accept_unknown_account_member.tessera",
        &b.edited(|c| acct(c, ALICE)["colour"] = json!("red")),
    );
    write(
        "accept_recovery_mark_of_unlisted_code.tessera",
        &b.edited(|c| acct(c, ALICE)["recovery_marks"]["9999-0000"] = json!(3)),
    );

    // The file as a whole.
    write("refuse_empty_file.tessera", b"");
    write("refuse_magic_prefix_only.tessera", b"TSRV");
    write("refuse_short_foreign_file.tessera", b"PK");
    write(
        "refuse_not_a_vault.tessera",
        b"PK\x03\x04 this is a zip file, not a vault",
    );
    let mut version = v2.clone();
    version[8..10].copy_from_slice(&3u16.to_le_bytes());
    write("refuse_version_3.tessera", &version);
    version[8..10].copy_from_slice(&0u16.to_le_bytes());
    write("refuse_version_0.tessera", &version);
    write("refuse_header_only.tessera", &v2[..HEADER_LEN]);
    write(
        "refuse_ciphertext_shorter_than_tag.tessera",
        &v2[..HEADER_LEN + 24 + 15],
    );
    let mut trailing = v2.clone();
    trailing.push(0);
    write("refuse_trailing_byte.tessera", &trailing);
    let mut generation = v2.clone();
    generation[26] ^= 1;
    write("refuse_generation_changed.tessera", &generation);
    let mut epoch = v2.clone();
    epoch[34] ^= 1;
    write("refuse_epoch_changed.tessera", &epoch);
    let mut payload = v2.clone();
    payload[HEADER_LEN + 30] ^= 1;
    write("refuse_payload_byte_changed.tessera", &payload);
    write("refuse_wrong_password.tessera", &v2);

    // Slots.
    write("refuse_no_slots.tessera", &b.with_slots(&[]));
    let mut nine = seven.clone();
    nine.push(keyring(8));
    write("refuse_eight_keyring_slots.tessera", &b.with_slots(&nine));
    write(
        "refuse_no_password_slot.tessera",
        &b.with_slots(&[keyring(1)]),
    );
    write(
        "refuse_two_password_slots.tessera",
        &b.with_slots(&[
            b.password_slot.clone(),
            password_slot(&b.vault_id, &b.key, min, false),
        ]),
    );
    write(
        "refuse_two_keyring_slots_with_one_id.tessera",
        &b.with_slots(&[b.password_slot.clone(), keyring(1), keyring(1)]),
    );
    let mut unknown = keyring(1);
    unknown[0] = 3;
    write(
        "refuse_unknown_slot_type.tessera",
        &b.with_slots(&[b.password_slot.clone(), unknown]),
    );
    let mut long = b.password_slot.clone();
    long[1..3].copy_from_slice(&117u16.to_le_bytes());
    long.push(0);
    write(
        "refuse_password_slot_length_117.tessera",
        &b.with_slots(&[long]),
    );
    let mut short = keyring(1);
    short[1..3].copy_from_slice(&87u16.to_le_bytes());
    short.pop();
    write(
        "refuse_keyring_slot_length_87.tessera",
        &b.with_slots(&[b.password_slot.clone(), short]),
    );
    write(
        "refuse_slot_nonce_in_associated_data.tessera",
        &b.with_slots(&[password_slot(&b.vault_id, &b.key, min, true)]),
    );
    let mut other_id = b.vault_id;
    other_id[0] ^= 1;
    write(
        "refuse_slot_of_another_vault.tessera",
        &file(
            &header(
                2,
                &other_id,
                Some(0),
                std::slice::from_ref(&b.password_slot),
            ),
            &b.key,
            b.json().as_bytes(),
        ),
    );

    // KDF parameters: each bound one step outside.
    write(
        "refuse_kdf_memory_65535.tessera",
        &b.with_params(65_535, 3, 1),
    );
    write(
        "refuse_kdf_memory_1048577.tessera",
        &b.with_params(1_048_577, 3, 1),
    );
    write(
        "refuse_kdf_iterations_2.tessera",
        &b.with_params(65_536, 2, 1),
    );
    write(
        "refuse_kdf_iterations_65.tessera",
        &b.with_params(65_536, 65, 1),
    );
    write("refuse_kdf_lanes_0.tessera", &b.with_params(65_536, 3, 0));
    write("refuse_kdf_lanes_17.tessera", &b.with_params(65_536, 3, 17));
    write(
        "refuse_kdf_work_over_cap_256mib_33_passes.tessera",
        &b.with_params(262_144, 33, 1),
    );
    write(
        "refuse_kdf_work_over_cap_1gib_9_passes.tessera",
        &b.with_params(1_048_576, 9, 1),
    );

    // The content: JSON forms.
    write(
        "refuse_content_not_json.tessera",
        &b.with_content("accounts: none"),
    );
    write(
        "refuse_content_trailing_characters.tessera",
        &b.with_content(&(b.json() + " x")),
    );
    write(
        "refuse_content_member_missing.tessera",
        &b.edited(|c| {
            c.as_object_mut().unwrap().remove("deleted");
        }),
    );
    write(
        "refuse_account_member_missing.tessera",
        &b.edited(|c| {
            acct(c, ALICE).as_object_mut().unwrap().remove("notes");
        }),
    );
    write(
        "refuse_duplicate_member_name.tessera",
        &b.replaced(
            r#""value":"alice"}"#,
            r#""value":"alice"},"name":{"stamp":[1,0,1],"value":"mallory"}"#,
        ),
    );
    write(
        "refuse_duplicate_setting_name.tessera",
        &b.replaced(
            r#""settings":{"#,
            r#""settings":{"theme":{"stamp":[1,0,1],"value":"light"},"#,
        ),
    );
    write(
        "refuse_duplicate_recovery_mark.tessera",
        &b.replaced(r#"{"1111-2222":1}"#, r#"{"1111-2222":1,"1111-2222":2}"#),
    );
    write(
        "refuse_integer_written_30_0.tessera",
        &b.replaced(
            r#""period":30,"type":"totp""#,
            r#""period":30.0,"type":"totp""#,
        ),
    );
    write(
        "refuse_integer_written_3e1.tessera",
        &b.replaced(
            r#""period":30,"type":"totp""#,
            r#""period":3e1,"type":"totp""#,
        ),
    );
    write(
        "refuse_integer_written_minus_0.tessera",
        &b.replaced(r#""counter":5"#, r#""counter":-0"#),
    );
    write(
        "refuse_negative_counter.tessera",
        &b.edited(|c| acct(c, BOB)["counter"] = json!(-1)),
    );
    write(
        "refuse_stamp_wall_written_as_float.tessera",
        &b.edited(|c| acct(c, ALICE)["notes"]["stamp"][0] = json!(1_760_000_000_000.0)),
    );
    write(
        "refuse_stamp_with_two_elements.tessera",
        &b.edited(|c| acct(c, ALICE)["notes"]["stamp"] = json!([WALL_MS, 0])),
    );
    write(
        "refuse_stamp_counter_beyond_u32.tessera",
        &b.edited(|c| acct(c, ALICE)["notes"]["stamp"][1] = json!(4_294_967_296u64)),
    );
    write(
        "refuse_recovery_mark_beyond_u32.tessera",
        &b.edited(|c| acct(c, ALICE)["recovery_marks"]["1111-2222"] = json!(4_294_967_296u64)),
    );
    write(
        "refuse_pinned_not_a_bool.tessera",
        &b.edited(|c| acct(c, ALICE)["pinned"]["value"] = json!(1)),
    );
    write(
        "refuse_setting_value_not_a_string.tessera",
        &b.edited(|c| c["settings"]["theme"]["value"] = json!(2)),
    );
    write(
        "refuse_unknown_member_of_a_stamped_field.tessera",
        &b.edited(|c| acct(c, ALICE)["notes"]["by"] = json!("mallory")),
    );
    write(
        "refuse_unknown_otp_member.tessera",
        &b.edited(|c| acct(c, ALICE)["otp"]["value"]["icon"] = json!("key")),
    );
    let mut not_utf8 = replace_once(&b.json(), "spare key", "spare \u{1}key").into_bytes();
    for byte in not_utf8.iter_mut().filter(|byte| **byte == 1) {
        *byte = 0xff;
    }
    write(
        "refuse_invalid_utf8.tessera",
        &file(&b.header(), &b.key, &not_utf8),
    );

    // The content: secrets.
    write(
        "refuse_uppercase_hex_secret.tessera",
        &b.replaced(
            "deadbeefcafe0123456789abcdef",
            "DEADBEEFCAFE0123456789ABCDEF",
        ),
    );
    write(
        "refuse_odd_length_hex_secret.tessera",
        &b.replaced(
            "deadbeefcafe0123456789abcdef",
            "deadbeefcafe0123456789abcde",
        ),
    );
    write(
        "refuse_empty_secret.tessera",
        &b.edited(|c| acct(c, ALICE)["otp"]["value"]["secret"] = json!("")),
    );
    write(
        "refuse_secret_1025_bytes.tessera",
        &b.edited(|c| acct(c, ALICE)["otp"]["value"]["secret"] = json!("ab".repeat(1025))),
    );

    // The content: code parameters per kind.
    let otp = |id: &'static str, member: &'static str, value: Value| {
        b.edited(move |c| acct(c, id)["otp"]["value"][member] = value)
    };
    write(
        "refuse_totp_digits_0.tessera",
        &otp(ALICE, "digits", json!(0)),
    );
    write(
        "refuse_totp_digits_11.tessera",
        &otp(ALICE, "digits", json!(11)),
    );
    write(
        "refuse_hotp_digits_11.tessera",
        &otp(BOB, "digits", json!(11)),
    );
    write(
        "refuse_steam_digits_6.tessera",
        &otp(CAROL, "digits", json!(6)),
    );
    write(
        "refuse_steam_sha256.tessera",
        &otp(CAROL, "algorithm", json!("sha256")),
    );
    write(
        "refuse_unknown_algorithm.tessera",
        &otp(ALICE, "algorithm", json!("md5")),
    );
    write(
        "refuse_algorithm_in_uppercase.tessera",
        &otp(ALICE, "algorithm", json!("SHA1")),
    );
    write(
        "refuse_unknown_otp_kind.tessera",
        &otp(ALICE, "kind", json!({"type": "motp", "period": 30})),
    );
    write(
        "refuse_period_0.tessera",
        &otp(ALICE, "kind", json!({"type": "totp", "period": 0})),
    );
    write(
        "refuse_period_86401.tessera",
        &otp(ALICE, "kind", json!({"type": "totp", "period": 86_401})),
    );
    write(
        "refuse_steam_period_0.tessera",
        &otp(CAROL, "kind", json!({"type": "steam", "period": 0})),
    );
    write(
        "refuse_hotp_kind_with_counter.tessera",
        &otp(BOB, "kind", json!({"type": "hotp", "counter": 9})),
    );
    write(
        "refuse_unknown_member_of_kind.tessera",
        &otp(
            ALICE,
            "kind",
            json!({"type": "totp", "period": 30, "counter": 0}),
        ),
    );
    write(
        "refuse_hotp_counter_2_53.tessera",
        &b.edited(|c| acct(c, BOB)["counter"] = json!(9_007_199_254_740_992u64)),
    );
    write(
        "refuse_counter_on_totp.tessera",
        &b.edited(|c| acct(c, ALICE)["counter"] = json!(1)),
    );

    // The content: ids, deletions and recovery codes.
    write(
        "refuse_duplicate_account_id.tessera",
        &b.edited(|c| {
            let copy = acct(c, ALICE).clone();
            c["accounts"].as_array_mut().unwrap().push(copy);
        }),
    );
    write(
        "refuse_duplicate_deletion_id.tessera",
        &b.edited(|c| {
            let copy = dave(c).clone();
            c["deleted"].as_array_mut().unwrap().push(copy);
        }),
    );
    write(
        "refuse_id_both_account_and_deleted.tessera",
        &b.edited(|c| {
            let gone = json!({"id": ALICE, "stamp": [WALL_MS, 99, 1], "account": null});
            c["deleted"].as_array_mut().unwrap().push(gone);
        }),
    );
    write(
        "refuse_uppercase_account_id.tessera",
        &b.edited(|c| acct(c, ALICE)["id"] = json!(ALICE.to_uppercase())),
    );
    write(
        "refuse_unhyphenated_account_id.tessera",
        &b.edited(|c| acct(c, ALICE)["id"] = json!(ALICE.replace('-', ""))),
    );
    write(
        "refuse_braced_account_id.tessera",
        &b.edited(|c| acct(c, ALICE)["id"] = json!(format!("{{{ALICE}}}"))),
    );
    write(
        "refuse_account_id_not_a_uuid.tessera",
        &b.edited(|c| acct(c, ALICE)["id"] = json!("alice")),
    );
    write(
        "refuse_uppercase_deleted_id.tessera",
        &b.edited(|c| {
            dave(c)["id"] = json!(DAVE.to_uppercase());
            dave(c)["account"] = Value::Null;
        }),
    );
    write(
        "refuse_deleted_account_under_another_id.tessera",
        &b.edited(|c| dave(c)["account"]["id"] = json!(ALICE)),
    );
    write(
        "refuse_recovery_code_listed_twice.tessera",
        &b.edited(|c| {
            acct(c, ALICE)["recovery_codes"]["value"] =
                json!(["1111-2222", "3333-4444", "1111-2222"])
        }),
    );

    // Version 1.
    let v1_header = header(1, &b.vault_id, None, std::slice::from_ref(&b.password_slot));
    write(
        "refuse_v1_hotp_counter_2_53.tessera",
        &file(
            &v1_header,
            &b.key,
            v1_json(9_007_199_254_740_992).as_bytes(),
        ),
    );
    write(
        "refuse_v1_content_in_a_v2_file.tessera",
        &b.with_content(&v1_json(7)),
    );
    write(
        "refuse_v2_content_in_a_v1_file.tessera",
        &file(&v1_header, &b.key, b.json().as_bytes()),
    );
    let v1_with_epoch = header(
        1,
        &b.vault_id,
        Some(0),
        std::slice::from_ref(&b.password_slot),
    );
    write(
        "refuse_v1_header_with_epoch.tessera",
        &file(&v1_with_epoch, &b.key, v1_json(7).as_bytes()),
    );
}
