//! The page as an attacker would use it: every command the capability grants is called from
//! the page with missing, mistyped, oversized and malicious arguments. Each must come back as a
//! short error that names the problem, and afterwards the app must still work with its vault
//! intact.

use super::*;
use serde_json::Value;

const KERIO: &str =
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";

/// Calls each `[command, args]` of the list in turn and answers `[{ ok, value | error }]`.
const CALL_ALL: &str = r#"
const calls = arguments[0];
return (async () => {
  const results = [];
  for (const [command, args] of calls) {
    try {
      const value = await window.__TAURI__.core.invoke(command, args);
      results.push({ command, ok: true, value });
    } catch (error) {
      results.push({ command, ok: false, error });
    }
  }
  return results;
})();
"#;

/// Commands left out, each for a reason: they open a native dialog, read the network or
/// the screen, or end the test's own session. They take no arguments to abuse.
const NOT_CALLED: &[&str] = &[
    "scan_screen",
    "scan_image_file",
    "import_backup_file",
    "measure_clock",
    "lock_vault",
    "unlock_with_keyring",
    "hide_window",
];

/// `[command, args]` pairs that must each be refused.
fn hostile_calls(real_id: &str) -> Vec<(String, Value)> {
    let huge = "A".repeat(1 << 20);
    let nul = "abc\u{0}def";
    let traversal = "../../../../etc/passwd";
    let missing_id = "00000000-0000-4000-8000-000000000000";
    let big = 9_007_199_254_740_991_u64; // the largest integer a page can send exactly
    let ids = [
        json!(null),
        json!(42),
        json!(["x"]),
        json!(""),
        json!(huge),
        json!(nul),
        json!(traversal),
        json!(missing_id),
        json!(format!("{real_id}/../../vault")),
    ];
    let mut calls: Vec<(&str, Value)> = Vec::new();
    for id in &ids {
        for command in [
            "copy_code",
            "delete_account",
            "hotp_next",
            "account_qr",
            "neighbour_codes",
            "account_details",
            "restore_account",
        ] {
            calls.push((command, json!({ "id": id })));
        }
        calls.push(("set_pinned", json!({ "id": id, "pinned": true })));
        calls.push(("move_account", json!({ "id": id, "offset": 1 })));
        calls.push(("verify_code", json!({ "id": id, "code": "123456" })));
        calls.push((
            "set_recovery_codes",
            json!({ "id": id, "text": "1234-5678" }),
        ));
        calls.push((
            "mark_recovery_code",
            json!({ "id": id, "index": 0, "used": true }),
        ));
        calls.push(("copy_recovery_code", json!({ "id": id, "index": 0 })));
        calls.push((
            "update_account_details",
            json!({ "id": id, "details": { "issuer": "x", "name": "y", "notes": "", "group": "" } }),
        ));
    }
    calls.extend([
        // Every argument missing, or of the wrong type.
        ("add_account_uri", json!({})),
        ("add_account_uri", json!({ "uri": 7 })),
        ("add_account_uri", json!({ "uri": huge })),
        ("add_account_uri", json!({ "uri": "javascript:alert(1)" })),
        ("add_account_uri", json!({ "uri": "otpauth://totp/x?secret=" })),
        (
            "add_account_uri",
            json!({ "uri": format!("otpauth://totp/x?secret={}", "A".repeat(100_000)) }),
        ),
        ("add_account_manual", json!({ "input": {} })),
        (
            "add_account_manual",
            json!({ "input": { "secret": "JBSWY3DPEHPK3PXP", "digits": 255 } }),
        ),
        (
            "add_account_manual",
            json!({ "input": { "secret": "JBSWY3DPEHPK3PXP", "period": 0 } }),
        ),
        (
            "add_account_manual",
            json!({ "input": { "secret": "JBSWY3DPEHPK3PXP", "kind": "rot13" } }),
        ),
        (
            "add_account_manual",
            json!({ "input": { "secret": "JBSWY3DPEHPK3PXP", "admin": true } }),
        ),
        (
            "add_account_manual",
            json!({ "input": { "secret": huge, "issuer": "x" } }),
        ),
        (
            "add_account_manual",
            json!({ "input": { "secret": "JBSWY3DPEHPK3PXP", "issuer": huge } }),
        ),
        ("move_account", json!({ "id": real_id, "offset": 1.5 })),
        ("move_account", json!({ "id": real_id, "offset": 1e300 })),
        ("set_order", json!({ "order": traversal })),
        ("set_order", json!({ "order": huge })),
        ("set_compact", json!({ "enabled": "yes" })),
        ("set_backup_reminder", json!({ "days": -1 })),
        ("set_backup_reminder", json!({ "days": big })),
        ("export_backup", json!({ "request": { "format": traversal } })),
        (
            "export_backup",
            json!({ "request": { "format": "aegis", "acceptPlain": true, "path": "/tmp/x" } }),
        ),
        ("export_backup", json!({ "request": { "format": huge } })),
        ("set_clock_correction", json!({ "enabled": 1 })),
        (
            "verify_code",
            json!({ "id": real_id, "code": "123456", "window": big }),
        ),
        ("verify_code", json!({ "id": real_id, "code": huge })),
        ("verify_code", json!({ "id": real_id, "code": "12345٦" })),
        (
            "set_copy_settings",
            json!({ "clearSeconds": big, "notify": true }),
        ),
        (
            "set_copy_settings",
            json!({ "clearSeconds": -5, "notify": true }),
        ),
        (
            "update_account_details",
            json!({ "id": real_id, "details": { "issuer": huge, "name": "", "notes": "", "group": "" } }),
        ),
        (
            "update_account_details",
            json!({ "id": real_id, "details": { "issuer": "x", "name": "", "notes": "", "group": "", "secret": "AAAA" } }),
        ),
        (
            "set_recovery_codes",
            json!({ "id": real_id, "text": "1234\n".repeat(300_000) }),
        ),
        (
            "mark_recovery_code",
            json!({ "id": real_id, "index": big, "used": true }),
        ),
        ("copy_recovery_code", json!({ "id": real_id, "index": big })),
        ("unlock_backup", json!({ "password": "x" })),
        ("confirm_review", json!({ "chosen": [big, 0] })),
        ("confirm_review", json!({ "chosen": "all" })),
        ("create_vault", json!({ "password": "another password", "useKeyring": false })),
        ("unlock_vault", json!({ "password": huge })),
        ("change_password", json!({ "current": "wrong", "new": "new password 123" })),
        ("change_password", json!({ "current": PASSWORD, "new": "" })),
        ("set_keyring_unlock", json!({ "enabled": null })),
        ("set_keyring_unlock", json!({ "enabled": false })),
        ("set_auto_lock", json!({ "minutes": big })),
        ("set_close_to_tray", json!({ "enabled": [] })),
        ("merge_conflict", json!({ "name": traversal })),
        ("merge_conflict", json!({ "name": "/etc/shadow", "password": "x" })),
        ("set_quick_pick_shortcut", json!({ "shortcut": huge })),
        ("set_quick_pick_shortcut", json!({ "shortcut": "Ctrl+Nonsense+Q" })),
        ("delete_scanned_image", json!({})),
        ("no_such_command", json!({})),
        ("plugin:fs|read_text_file", json!({ "path": "/etc/passwd" })),
        ("plugin:shell|open", json!({ "path": "https://example.com" })),
    ]);
    calls
        .into_iter()
        .map(|(command, args)| (command.to_string(), args))
        .collect()
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn every_command_refuses_hostile_arguments_cleanly() {
    let (dir, app) = open_app();
    add_by_uri(&app, KERIO);
    app.wait_until("the MyKerio row appears", SHORT, || {
        row_for(&app, "MyKerio").is_some()
    });
    let real_id = row_for(&app, "MyKerio").expect("row");

    let calls = hostile_calls(&real_id);
    let covered: std::collections::BTreeSet<&str> = calls
        .iter()
        .map(|(c, _)| c.as_str())
        .chain(NOT_CALLED.iter().copied())
        .collect();
    let granted = granted_commands();
    let uncovered: Vec<&String> = granted
        .iter()
        .filter(|c| !covered.contains(c.as_str()) && !takes_no_arguments(c))
        .collect();
    assert!(
        uncovered.is_empty(),
        "commands with arguments not tried here: {uncovered:?}"
    );

    let answers = app
        .execute(CALL_ALL, json!([calls]))
        .expect("the calls run");
    let answers = answers.as_array().expect("a list of answers");
    assert_eq!(answers.len(), calls.len());
    let mut problems = Vec::new();
    for ((command, args), answer) in calls.iter().zip(answers) {
        let shown_args = short(&args.to_string());
        if answer["ok"] == json!(true) {
            problems.push(format!("{command} {shown_args}: accepted"));
            continue;
        }
        let message = answer["error"]["message"]
            .as_str()
            .or_else(|| answer["error"].as_str());
        match message {
            None => problems.push(format!("{command} {shown_args}: no message in {}", answer["error"])),
            Some(m) if m.trim().is_empty() || m.len() > 600 => problems.push(format!(
                "{command} {shown_args}: the error must be short and say something, got {} chars: {}",
                m.len(),
                short(m)
            )),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");

    // Commands that take no arguments ignore stray ones and still answer.
    let plain = app
        .execute(
            CALL_ALL,
            json!([[
                ["app_status", { "evil": "../../" }],
                ["list_accounts", { "id": 1 }],
                ["backup_status", {}],
                ["clock_status", {}],
                ["copy_settings", {}],
                ["review_state", {}],
                ["quick_pick_shortcut", {}],
                ["list_conflicts", {}],
                ["transfer_codes", {}],
            ]]),
        )
        .expect("the calls run");
    for answer in plain.as_array().expect("answers") {
        assert_eq!(answer["ok"], json!(true), "{answer}");
    }

    // Still alive, still one account, the vault on disk intact and under the same password.
    app.wait_until("the list still shows MyKerio", SHORT, || {
        row_for(&app, "MyKerio").is_some()
    });
    let vault =
        tessera_core::vault::Vault::open_with_password(&dir.path().join("vault.tessera"), PASSWORD)
            .expect("the vault opens with its password");
    let accounts = vault.accounts();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].issuer, "MyKerio");
    assert!(
        !dir.path().join("x").exists() && !Path::new("/tmp/x").exists(),
        "no file was written where the page asked"
    );
}

/// The commands of the page's capability, read from the capability file.
fn granted_commands() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities/main.json");
    let capability: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("capability")).expect("JSON");
    capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

fn takes_no_arguments(command: &str) -> bool {
    [
        "app_status",
        "list_accounts",
        "backup_status",
        "clock_status",
        "copy_settings",
        "review_state",
        "quick_pick_shortcut",
        "list_conflicts",
        "recently_deleted",
        "transfer_codes",
        "scan_clipboard_image",
        "discard_review",
    ]
    .contains(&command)
}

fn short(text: &str) -> String {
    if text.len() <= 120 {
        return text.to_string();
    }
    let cut = (0..=120)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    format!("{}… ({} chars)", &text[..cut], text.len())
}
