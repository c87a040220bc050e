//! `tessera-cli verify`, run as a user would run it.

mod support;

use support::{cli, cli_with_stdin, text};

/// RFC 6238's SHA1 seed "12345678901234567890" in base32.
const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn code(uri: &str, at: u64) -> String {
    let output = cli(&["code", "--uri", uri, "--at", &at.to_string()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout).trim().to_string()
}

#[test]
fn a_slow_device_is_found_steps_behind() {
    let uri = format!("otpauth://totp/ACME:jane?secret={RFC_SEED}");
    let typed = code(&uri, 1_700_000_000 - 90);
    let output = cli(&[
        "verify",
        "--uri",
        &uri,
        "--code",
        &typed,
        "--at",
        "1700000000",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "match steps=-3 seconds=-90\n");
    assert_eq!(
        text(&output.stderr),
        "matches 3 steps earlier: that device is about 90 s slow\n"
    );
}

#[test]
fn a_fast_device_with_60_second_codes() {
    let uri = format!("otpauth://totp/ACME:jane?secret={RFC_SEED}&period=60&algorithm=SHA512");
    let typed = code(&uri, 1_700_000_000 + 120);
    let spaced = format!("{} {}", &typed[..3], &typed[3..]);
    let output = cli(&[
        "verify",
        "--uri",
        &uri,
        "--code",
        &spaced,
        "--at",
        "1700000000",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "match steps=2 seconds=120\n");
}

#[test]
fn no_match_exits_1() {
    let uri = format!("otpauth://totp/ACME:jane?secret={RFC_SEED}");
    let typed = code(&uri, 1_700_000_000 + 30 * 3);
    let output = cli(&[
        "verify",
        "--uri",
        &uri,
        "--code",
        &typed,
        "--at",
        "1700000000",
        "--window",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "no match\n");
    assert_eq!(
        text(&output.stderr),
        "tessera-cli: the code matches none of ±2 steps (±60 s) around 1700000000\n"
    );
}

#[test]
fn hotp_reports_the_counter_to_store() {
    let uri = format!("otpauth://hotp/RFC:4226?secret={RFC_SEED}&counter=2");
    // RFC 4226 appendix D: counter 5 is 254676.
    let output = cli(&["verify", "--uri", &uri, "--code", "254676"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "match counter=5 ahead=3 next=6\n");
    let output = cli(&["verify", "--uri", &uri, "--code", "254676", "--window", "2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("counters 2 to 4"));
}

#[test]
fn the_uri_can_come_from_stdin() {
    let uri = format!("otpauth://totp/ACME:jane?secret={RFC_SEED}");
    let typed = code(&uri, 1_000);
    let output = cli_with_stdin(
        &["verify", "--uri", "-", "--code", &typed, "--at", "1000"],
        &uri,
    );
    assert_eq!(text(&output.stdout), "match steps=0 seconds=0\n");
}

#[test]
fn bad_input_exits_2_with_the_reason() {
    let uri = format!("otpauth://totp/ACME:jane?secret={RFC_SEED}");
    let output = cli(&["verify", "--uri", &uri, "--code", "12345"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "tessera-cli: bad --code: the code has 5 characters; this account's codes have 6\n"
    );
    let output = cli(&["verify", "--uri", "otpauth://nope", "--code", "123456"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("tessera-cli: bad --uri"));
    let output = cli(&[
        "verify", "--uri", &uri, "--code", "123456", "--window", "5001",
    ]);
    assert_eq!(output.status.code(), Some(2));
}
