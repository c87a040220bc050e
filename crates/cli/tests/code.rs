//! `tessera-cli code`, run as a user would run it.

mod support;

use support::{cli, cli_with_stdin, stderr, stdout};

/// RFC 6238's SHA1 seed "12345678901234567890" in base32.
const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn rfc6238_vector_at_59() {
    let uri = format!("otpauth://totp/RFC:6238?secret={RFC_SEED}&digits=8");
    let output = cli(&["code", "--uri", &uri, "--at", "59"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "94287082\n");
    assert_eq!(stderr(&output), "");
}

#[test]
fn hotp_uses_the_counter() {
    let uri = format!("otpauth://hotp/RFC:4226?secret={RFC_SEED}&counter=5");
    let output = cli(&["code", "--uri", &uri]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "254676\n");
}

#[test]
fn steam_code() {
    let uri = "otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&issuer=Steam";
    let output = cli(&["code", "--uri", uri, "--at", "59"]);
    assert_eq!(stdout(&output), "2YXGV\n");
}

#[test]
fn code_for_now_has_six_digits() {
    let output = cli(&[
        "code",
        "--uri",
        "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let code = stdout(&output);
    assert_eq!(code.trim_end().len(), 6, "{code}");
    assert!(
        code.trim_end().bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
}

#[test]
fn uri_from_standard_input() {
    let uri = format!("otpauth://totp/RFC:6238?secret={RFC_SEED}&digits=8\n");
    let output = cli_with_stdin(&["code", "--uri", "-", "--at", "59"], &uri);
    assert!(output.status.success());
    assert_eq!(stdout(&output), "94287082\n");
}

#[test]
fn secret_warnings_go_to_stderr() {
    let output = cli(&[
        "code",
        "--uri",
        "otpauth://totp/X:y?secret=JBSWY3DP",
        "--at",
        "0",
    ]);
    assert!(output.status.success());
    assert_eq!(stdout(&output).trim_end().len(), 6);
    assert_eq!(
        stderr(&output),
        "tessera-cli: warning: the secret has only 40 bits; at least 80 are recommended\n"
    );
}

#[test]
fn bad_uri_exits_2_with_the_reason() {
    let output = cli(&["code", "--uri", "otpauth://totp/X:y?secret=JBSW1Y3DP"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    let message = stderr(&output);
    assert!(
        message.contains("bad --uri: bad secret: invalid character '1' at position 5"),
        "{message}"
    );

    let output = cli(&["code", "--uri", "https://example.com"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not an otpauth URI"));
}

#[test]
fn bad_arguments_exit_2() {
    let output = cli(&[
        "code",
        "--uri",
        "otpauth://totp/X:y?secret=JBSWY3DP",
        "--at",
        "soon",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--at"));
}

#[test]
fn help_shows_an_example() {
    let output = cli(&["code", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    assert!(help.contains("Example:"), "{help}");
    assert!(
        help.contains("--uri 'otpauth://totp/ACME:jane?secret="),
        "{help}"
    );
    assert!(help.contains("--at"), "{help}");
}
