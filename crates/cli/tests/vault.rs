//! The vault commands of `tessera-cli`, run as a script would run them.

mod support;

use std::path::Path;
use std::process::Output;
use support::{tessera_cli, text};

const URI_A: &str =
    "otpauth://totp/ACME:jane@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8";
const URI_B: &str = "otpauth://totp/Other:jane@example.com?secret=JBSWY3DPEHPK3PXP";
const URI_HOTP: &str =
    "otpauth://hotp/Counter:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0";

fn cli(vault: &Path, password: &str, args: &[&str]) -> Output {
    tessera_cli()
        .args(args)
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_PASSWORD", password)
        .env_remove("TESSERA_NEW_PASSWORD")
        .output()
        .expect("the tessera-cli binary runs")
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn init_add_list_code_delete() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("cli.tessera");
    ok(cli(&vault, "pw", &["init", "--kdf-minimum"]));
    let id_a = ok(cli(&vault, "pw", &["add", "--uri", URI_A]))
        .trim()
        .to_string();
    ok(cli(&vault, "pw", &["add", "--uri", URI_B]));
    ok(cli(&vault, "pw", &["add", "--uri", URI_HOTP]));

    let list = ok(cli(&vault, "pw", &["list"]));
    assert_eq!(list.lines().count(), 3);
    assert!(list.contains(&format!("{id_a}\tACME\tjane@example.com")));

    // RFC 6238's SHA1 vector at 59 s.
    assert_eq!(
        ok(cli(&vault, "pw", &["code", "acme", "--at", "59"])),
        "94287082\n"
    );
    // HOTP advances: RFC 4226's first two codes.
    assert_eq!(ok(cli(&vault, "pw", &["code", "counter"])), "755224\n");
    assert_eq!(ok(cli(&vault, "pw", &["code", "COUNTER"])), "287082\n");

    let nothing = cli(&vault, "pw", &["code", "nowhere"]);
    assert_eq!(nothing.status.code(), Some(1));
    let ambiguous = cli(&vault, "pw", &["code", "jane"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(text(&ambiguous.stderr).contains("matches 2 accounts"));
    assert!(text(&ambiguous.stderr).contains(&id_a));

    ok(cli(&vault, "pw", &["delete", &id_a]));
    assert_eq!(ok(cli(&vault, "pw", &["list"])).lines().count(), 2);
    assert_eq!(cli(&vault, "pw", &["delete", &id_a]).status.code(), Some(1));

    let wrong = cli(&vault, "not it", &["list"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong.stderr).contains("wrong password or damaged vault file"));
}

#[test]
fn passwd_changes_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("cli.tessera");
    ok(cli(&vault, "old", &["init", "--kdf-minimum"]));
    let changed = tessera_cli()
        .args(["--vault", vault.to_str().unwrap(), "passwd"])
        .env("TESSERA_PASSWORD", "old")
        .env("TESSERA_NEW_PASSWORD", "new")
        .output()
        .unwrap();
    ok(changed);
    assert_eq!(cli(&vault, "old", &["list"]).status.code(), Some(2));
    ok(cli(&vault, "new", &["list"]));
}

#[test]
fn vault_commands_need_a_vault() {
    let output = tessera_cli()
        .arg("list")
        .env_remove("TESSERA_VAULT")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--vault"));
}

#[test]
fn notes_deletion_restore_and_info() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("cli.tessera");
    ok(cli(&vault, "pw", &["init", "--kdf-minimum"]));
    let id = ok(cli(&vault, "pw", &["add", "--uri", URI_A]))
        .trim()
        .to_string();
    ok(cli(
        &vault,
        "pw",
        &["notes", &id, "printed sheet in the drawer"],
    ));
    let info = ok(cli(&vault, "pw", &["info"]));
    for line in [
        "format_version=2",
        "kdf=argon2id m_kib=65536 t=3 p=1",
        "slots=password",
        "epoch=0",
        "accounts=1",
        "recently_deleted=0",
    ] {
        assert!(info.lines().any(|l| l == line), "{line} not in\n{info}");
    }

    ok(cli(&vault, "pw", &["delete", &id]));
    let deleted = ok(cli(&vault, "pw", &["deleted"]));
    let row: Vec<&str> = deleted.trim().split('\t').collect();
    assert_eq!(row[..3], [id.as_str(), "ACME", "jane@example.com"]);
    assert!(row[3].parse::<u64>().unwrap() > 1_700_000_000);

    let restored = ok(cli(&vault, "pw", &["restore", &id])).trim().to_string();
    assert_ne!(restored, id, "a restore is a new account");
    assert!(ok(cli(&vault, "pw", &["list"])).contains(&restored));
    assert_eq!(ok(cli(&vault, "pw", &["deleted"])), "");
    // Restored once: the deletion holds, and no second copy comes back.
    assert_eq!(cli(&vault, "pw", &["restore", &id]).status.code(), Some(2));
    assert_eq!(
        cli(
            &vault,
            "pw",
            &["notes", "00000000-0000-4000-8000-000000000000", "x"]
        )
        .status
        .code(),
        Some(1)
    );
    // A password change starts a new key epoch.
    let changed = tessera_cli()
        .args(["--vault", vault.to_str().unwrap(), "passwd"])
        .env("TESSERA_PASSWORD", "pw")
        .env("TESSERA_NEW_PASSWORD", "new")
        .output()
        .unwrap();
    ok(changed);
    assert!(ok(cli(&vault, "new", &["info"]))
        .lines()
        .any(|l| l == "epoch=1"));
}
