//! otpauth:// parsing as real services write it, every rejection, and the round trip.

use proptest::prelude::*;
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret, SecretError, SecretWarning};
use tessera_core::uri::{parse, parse_with_warnings, OtpAuthUri, UriError, MAX_URI_LENGTH};

const HELLO_KEY: &[u8] = b"Hello!\xde\xad\xbe\xef";

fn ok(text: &str) -> OtpAuthUri {
    parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn err(text: &str) -> UriError {
    match parse(text) {
        Ok(uri) => panic!("{text} was accepted: {uri:?}"),
        Err(err) => err,
    }
}

#[test]
fn kerio_style_uri_with_spaced_secret() {
    let uri =
        ok("otpauth://totp/MyKerio:jane%40example.com?secret=JBSW Y3DP EHPK 3PXP&issuer=MyKerio");
    assert_eq!(uri.issuer, "MyKerio");
    assert_eq!(uri.name, "jane@example.com");
    assert_eq!(uri.otp.kind, OtpKind::Totp { period: 30 });
    assert_eq!(uri.otp.algorithm, Algorithm::Sha1);
    assert_eq!(uri.otp.digits, 6);
    assert_eq!(uri.otp.secret.as_bytes(), HELLO_KEY);
}

#[test]
fn lowercase_secret_scheme_type_and_parameters() {
    let uri = ok(
        "OTPAUTH://TOTP/GitHub:octocat?SECRET=jbswy3dpehpk3pxp&Algorithm=sha256&DIGITS=8&Period=60",
    );
    assert_eq!(uri.issuer, "GitHub");
    assert_eq!(uri.otp.secret.as_bytes(), HELLO_KEY);
    assert_eq!(uri.otp.algorithm, Algorithm::Sha256);
    assert_eq!(uri.otp.digits, 8);
    assert_eq!(uri.otp.kind, OtpKind::Totp { period: 60 });
}

#[test]
fn unicode_label_raw_and_encoded() {
    let raw = ok("otpauth://totp/Ünïcødé:jäne?secret=JBSWY3DPEHPK3PXP");
    assert_eq!(
        (raw.issuer.as_str(), raw.name.as_str()),
        ("Ünïcødé", "jäne")
    );
    let encoded =
        ok("otpauth://totp/%C3%9Cn%C3%AFc%C3%B8d%C3%A9%3Aj%C3%A4ne?secret=JBSWY3DPEHPK3PXP");
    assert_eq!(encoded, raw);
}

#[test]
fn issuer_parameter_overrides_label_prefix() {
    let uri = ok("otpauth://totp/Old%20Name:jane?secret=JBSWY3DPEHPK3PXP&issuer=New+Name");
    assert_eq!(uri.issuer, "New Name");
    assert_eq!(uri.name, "jane");
    // An empty issuer parameter says nothing, so the label's prefix stands.
    let uri = ok("otpauth://totp/Label:jane?secret=JBSWY3DPEHPK3PXP&issuer=");
    assert_eq!(uri.issuer, "Label");
}

#[test]
fn label_forms() {
    let spaced = ok("otpauth://totp/ACME%20Co%20:%20%20john.doe@email.com?secret=JBSWY3DPEHPK3PXP");
    assert_eq!(
        (spaced.issuer.as_str(), spaced.name.as_str()),
        ("ACME Co", "john.doe@email.com")
    );
    let name_only = ok("otpauth://totp/alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example");
    assert_eq!(
        (name_only.issuer.as_str(), name_only.name.as_str()),
        ("Example", "alice@google.com")
    );
    let no_issuer = ok("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP");
    assert_eq!(
        (no_issuer.issuer.as_str(), no_issuer.name.as_str()),
        ("", "alice")
    );
    // '+' is literal in the label and a space in the query.
    let plus = ok("otpauth://totp/a+b:c+d?secret=JBSWY3DPEHPK3PXP");
    assert_eq!((plus.issuer.as_str(), plus.name.as_str()), ("a+b", "c+d"));
    // An issuer but no label is enough to name the account.
    let issuer_only = ok("otpauth://totp?secret=JBSWY3DPEHPK3PXP&issuer=Solo");
    assert_eq!(
        (issuer_only.issuer.as_str(), issuer_only.name.as_str()),
        ("Solo", "")
    );
}

#[test]
fn hotp_counter_and_default() {
    let uri = ok("otpauth://hotp/Bank:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=7");
    assert_eq!(uri.otp.kind, OtpKind::Hotp { counter: 7 });
    assert_eq!(uri.otp.code_at(0), "162583");
    let uri = ok("otpauth://hotp/Bank:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_eq!(uri.otp.kind, OtpKind::Hotp { counter: 0 });
    assert_eq!(uri.otp.code_at(0), "755224");
}

#[test]
fn steam_forms() {
    let steam = |text: &str| {
        let uri = ok(text);
        assert_eq!(uri.otp.kind, OtpKind::Steam { period: 30 }, "{text}");
        assert_eq!(uri.otp.digits, 5);
        assert_eq!(uri.otp.algorithm, Algorithm::Sha1);
        uri
    };
    steam("otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&issuer=Steam");
    steam("otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP");
    steam("otpauth://totp/gaben?secret=JBSWY3DPEHPK3PXP&issuer=steam&digits=5");
    steam("otpauth://totp/Valve:gaben?secret=JBSWY3DPEHPK3PXP&encoder=steam");
    steam(
        "otpauth://steam/Steam:gaben?secret=JBSWY3DPEHPK3PXP&digits=5&algorithm=SHA1&issuer=Steam",
    );
    // Explicitly six digits: an ordinary TOTP account that happens to be called Steam.
    let totp = ok("otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&digits=6");
    assert_eq!(totp.otp.kind, OtpKind::Totp { period: 30 });
    // HOTP never becomes Steam.
    let hotp = ok("otpauth://hotp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&issuer=Steam");
    assert_eq!(hotp.otp.kind, OtpKind::Hotp { counter: 0 });
}

#[test]
fn unknown_parameters_and_fragment_like_text() {
    let uri = ok(
        "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fx%2Fy.png&color=%ZZ&&foo",
    );
    assert_eq!(uri.issuer, "X");
    let hash = ok("otpauth://totp/X:y#1?secret=JBSWY3DPEHPK3PXP");
    assert_eq!(hash.name, "y#1");
}

#[test]
fn surrounding_whitespace_is_ignored() {
    assert_eq!(
        ok("  otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP\n"),
        ok("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP")
    );
}

#[test]
fn warnings_come_with_the_uri() {
    let parsed = parse_with_warnings("otpauth://totp/X:y?secret=JBSWY3DP").unwrap();
    assert_eq!(parsed.warnings, vec![SecretWarning::Short { bits: 40 }]);
    let parsed = parse_with_warnings("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP").unwrap();
    assert!(parsed.warnings.is_empty());
}

#[test]
fn every_rejection_names_the_problem() {
    let base = "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP";
    let cases: Vec<(String, UriError, &str)> = vec![
        (
            "https://example.com/?secret=JBSWY3DPEHPK3PXP".into(),
            UriError::NotOtpauth,
            "not an otpauth URI: it must start with otpauth://",
        ),
        (
            "JBSWY3DPEHPK3PXP".into(),
            UriError::NotOtpauth,
            "not an otpauth URI: it must start with otpauth://",
        ),
        (
            "otpauth://motp/X:y?secret=JBSWY3DPEHPK3PXP".into(),
            UriError::UnknownType("motp".into()),
            "unknown code type \"motp\": expected totp, hotp or steam",
        ),
        (
            "otpauth://totp/?secret=JBSWY3DPEHPK3PXP".into(),
            UriError::MissingLabel,
            "the URI names no account: its label is empty and it has no issuer",
        ),
        (
            "otpauth://totp/X:y".into(),
            UriError::MissingSecret,
            "the URI has no secret parameter",
        ),
        (
            "otpauth://totp/X:y?secret=JBSW0Y3DP".into(),
            UriError::BadSecret(SecretError::InvalidCharacter {
                character: '0',
                position: 5,
            }),
            "bad secret: invalid character '0' at position 5: base32 keys use the letters A–Z \
             and digits 2–7 (0 is not base32: did you mean the letter O?)",
        ),
        (
            "otpauth://totp/X:y?secret=".into(),
            UriError::BadSecret(SecretError::Empty),
            "bad secret: the secret is empty",
        ),
        (
            format!("{base}&algorithm=MD5"),
            UriError::UnknownAlgorithm("MD5".into()),
            "unknown algorithm \"MD5\": expected SHA1, SHA256 or SHA512",
        ),
        (
            format!("{base}&digits=5"),
            UriError::DigitsOutOfRange("5".into()),
            "digits=\"5\" is not supported: codes have 6 to 10 digits",
        ),
        (
            format!("{base}&digits=eleven"),
            UriError::DigitsOutOfRange("eleven".into()),
            "digits=\"eleven\" is not supported: codes have 6 to 10 digits",
        ),
        (
            format!("{base}&period=0"),
            UriError::BadPeriod("0".into()),
            "period=\"0\" is not supported: it must be a whole number of seconds from 1 to 86400",
        ),
        (
            format!("{base}&period=-30"),
            UriError::BadPeriod("-30".into()),
            "period=\"-30\" is not supported: it must be a whole number of seconds from 1 to 86400",
        ),
        (
            "otpauth://hotp/X:y?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551616".into(),
            UriError::BadCounter("18446744073709551616".into()),
            "counter=\"18446744073709551616\" is not a valid counter: it must be a whole number \
             from 0 to 18446744073709551615",
        ),
        (
            "otpauth://totp/X%2:y?secret=JBSWY3DPEHPK3PXP".into(),
            UriError::BadPercentEncoding {
                part: "the label".into(),
                position: 17,
            },
            "bad percent-encoding in the label at character 17: '%' must be followed by two \
             hexadecimal digits",
        ),
        (
            format!("{base}&issuer=A%G1"),
            UriError::BadPercentEncoding {
                part: "parameter \"issuer\"".into(),
                position: 52,
            },
            "bad percent-encoding in parameter \"issuer\" at character 52: '%' must be followed \
             by two hexadecimal digits",
        ),
        (
            format!("{base}&issuer=%FF"),
            UriError::InvalidUtf8 {
                part: "parameter \"issuer\"".into(),
            },
            "parameter \"issuer\" is not UTF-8 text once percent-decoded",
        ),
        (
            format!("{base}&Secret=JBSWY3DPEHPK3PXP"),
            UriError::DuplicateParameter("secret".into()),
            "parameter \"secret\" appears more than once",
        ),
        (
            format!("{base}&digits=6&digits=8"),
            UriError::DuplicateParameter("digits".into()),
            "parameter \"digits\" appears more than once",
        ),
        (
            format!("{base}&x={}", "A".repeat(MAX_URI_LENGTH)),
            UriError::TooLong {
                length: base.len() + 3 + MAX_URI_LENGTH,
            },
            "",
        ),
    ];
    for (text, expected, message) in cases {
        let got = err(&text);
        assert_eq!(got, expected, "{text:.80}");
        if !message.is_empty() {
            assert_eq!(got.to_string(), message, "{text:.80}");
        }
    }
}

#[test]
fn long_rejected_values_are_shortened() {
    let text = format!(
        "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&algorithm={}",
        "x".repeat(1000)
    );
    let message = err(&text).to_string();
    assert!(message.len() < 100, "{message}");
}

#[test]
fn errors_do_not_reveal_the_secret() {
    for text in [
        "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&digits=4",
        "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&period=x",
        "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP",
    ] {
        let shown = format!("{} {:?}", err(text), err(text));
        assert!(!shown.contains("JBSW"), "{shown}");
    }
    let uri = ok("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP");
    assert!(!format!("{uri:?}").contains("JBSW"));
}

#[test]
fn canonical_output() {
    let uri = ok("otpauth://totp/My%20Co:jane%40example.com?secret=jbsw-y3dp-ehpk-3pxp&digits=8&algorithm=sha512&period=60");
    assert_eq!(
        uri.to_uri().as_str(),
        "otpauth://totp/My%20Co:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20Co\
         &algorithm=SHA512&digits=8&period=60"
    );
    let hotp = ok("otpauth://hotp/me?secret=JBSWY3DPEHPK3PXP&counter=42");
    assert_eq!(
        hotp.to_uri().as_str(),
        "otpauth://hotp/me?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&counter=42"
    );
    let steam = ok("otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP");
    assert_eq!(
        steam.to_uri().as_str(),
        "otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&issuer=Steam&algorithm=SHA1\
         &digits=5&period=30&encoder=steam"
    );
}

#[test]
fn colons_survive_the_round_trip() {
    let secret = || Secret::from_bytes(HELLO_KEY.to_vec());
    let params =
        || OtpParams::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret()).unwrap();
    for (issuer, name) in [
        ("a:b", "c:d"),
        ("", "c:d"),
        ("a:b", ""),
        (":", ":"),
        ("", "x"),
    ] {
        let uri = OtpAuthUri {
            issuer: issuer.into(),
            name: name.into(),
            otp: params(),
        };
        assert_eq!(ok(&uri.to_uri()), uri, "{}", uri.to_uri().as_str());
    }
}

fn label_text() -> impl Strategy<Value = String> {
    // Any characters, the URI-significant ones made likely; surrounding whitespace is trimmed
    // on reading, so values as parsed never have it.
    proptest::collection::vec(
        prop_oneof![
            3 => any::<char>(),
            2 => proptest::sample::select(vec![':', '%', '&', '?', '#', '+', ' ', '=', '/', '@']),
            2 => proptest::char::range('a', 'z'),
        ],
        0..16,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>().trim().to_string())
}

fn otp_params() -> impl Strategy<Value = OtpParams> {
    let kind = prop_oneof![
        (1u32..=86_400).prop_map(|period| OtpKind::Totp { period }),
        any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        (1u32..=86_400).prop_map(|period| OtpKind::Steam { period }),
    ];
    let algorithm = prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ];
    (
        kind,
        algorithm,
        6u8..=10,
        proptest::collection::vec(any::<u8>(), 1..64),
    )
        .prop_map(|(kind, algorithm, digits, key)| {
            let (algorithm, digits) = match kind {
                OtpKind::Steam { .. } => (Algorithm::Sha1, 5),
                _ => (algorithm, digits),
            };
            OtpParams::new(kind, algorithm, digits, Secret::from_bytes(key)).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn round_trip(issuer in label_text(), name in label_text(), otp in otp_params()) {
        prop_assume!(!issuer.is_empty() || !name.is_empty());
        let uri = OtpAuthUri { issuer, name, otp };
        let text = uri.to_uri();
        let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}: {}", text.as_str())))?;
        prop_assert_eq!(&back, &uri);
        prop_assert_eq!(back.to_uri(), text);
    }

    #[test]
    fn parse_never_panics(text in "(?i:otpauth://)(totp|hotp|steam)?/?\\PC{0,60}") {
        let _ = parse(&text);
    }

    #[test]
    fn parse_never_panics_on_any_text(text in "\\PC{0,80}") {
        let _ = parse(&text);
    }
}
