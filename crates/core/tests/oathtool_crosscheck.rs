//! Codes cross-checked against oathtool (OATH Toolkit), the reference implementation.
//!
//! Each oathtool call prints a window of consecutive codes, so a few hundred processes check
//! many thousand random (key, time, algorithm, digits, period) cases. oathtool prints 6 to 8
//! digits only; 9 and 10 digit codes are checked against its 8-digit codes, since each is the
//! same truncated value modulo a larger power of ten.

mod support;

use std::process::Command;
use support::Rng;
use tessera_core::otp::{hotp, Algorithm, OtpKind, OtpParams, Secret};

/// Codes per oathtool call (`-w` asks for this many after the first).
const WINDOW: u64 = 20;
const TOTP_CALLS: usize = 1000;
const HOTP_CALLS: usize = 250;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn oathtool(args: &[String]) -> Vec<String> {
    let output = match Command::new("oathtool").args(args).output() {
        Ok(output) => output,
        Err(err) => panic!(
            "cannot run oathtool ({err}); it is the reference these tests compare against: \
             run `cargo xtask test`, which installs it"
        ),
    };
    assert!(
        output.status.success(),
        "oathtool {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("oathtool prints ASCII")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn totp_matches_oathtool() {
    let mut rng = Rng::new(0x7e55e4a);
    let mut checked = 0usize;
    let mut long_checked = 0usize;
    for _ in 0..TOTP_CALLS {
        let key = rng.bytes(10, 64);
        let (algorithm, mode) = rng.pick(&[
            (Algorithm::Sha1, "SHA1"),
            (Algorithm::Sha256, "SHA256"),
            (Algorithm::Sha512, "SHA512"),
        ]);
        let digits = rng.range(6, 8) as u8;
        let period = if rng.range(0, 3) == 0 {
            rng.range(1, 3600) as u32
        } else {
            rng.pick(&[15u32, 30, 60, 90, 120, 300])
        };
        let time = rng.range(0, 1 << 35);
        let expected = oathtool(&[
            format!("--totp={mode}"),
            format!("--digits={digits}"),
            format!("--time-step-size={period}s"),
            format!("--now=@{time}"),
            format!("--window={WINDOW}"),
            hex(&key),
        ]);
        assert_eq!(expected.len() as u64, WINDOW + 1);

        let params = |digits| {
            OtpParams::new(
                OtpKind::Totp { period },
                algorithm,
                digits,
                Secret::from_bytes(key.clone()),
            )
            .unwrap()
        };
        let ours = params(digits);
        let nine = params(9);
        let ten = params(10);
        for (i, expected) in expected.iter().enumerate() {
            let at = time + i as u64 * u64::from(period);
            let context = format!(
                "key {} {mode} digits {digits} period {period} time {at}",
                hex(&key)
            );
            assert_eq!(&ours.code_at(at), expected, "{context}");
            checked += 1;
            if digits == 8 {
                assert!(
                    nine.code_at(at).ends_with(expected.as_str()),
                    "9 digits, {context}"
                );
                let ten_code = ten.code_at(at);
                assert!(
                    ten_code.ends_with(expected.as_str()),
                    "10 digits, {context}"
                );
                let value: u64 = ten_code.parse().unwrap();
                assert!(value < 1 << 31, "10 digits is the 31-bit value, {context}");
                long_checked += 1;
            }
        }
    }
    println!(
        "TOTP: {checked} codes matched oathtool, {long_checked} of them also at 9 and 10 digits"
    );
    assert_eq!(checked, TOTP_CALLS * (WINDOW as usize + 1));
}

#[test]
fn hotp_matches_oathtool() {
    let mut rng = Rng::new(0x407b);
    let mut checked = 0usize;
    for _ in 0..HOTP_CALLS {
        let key = rng.bytes(10, 64);
        let digits = rng.range(6, 8) as u8;
        // oathtool wraps past u64::MAX, so stay well below it.
        let counter = rng.next_u64() >> rng.range(1, 63);
        let expected = oathtool(&[
            "--hotp".to_string(),
            format!("--digits={digits}"),
            format!("--counter={counter}"),
            format!("--window={WINDOW}"),
            hex(&key),
        ]);
        assert_eq!(expected.len() as u64, WINDOW + 1);
        for (i, expected) in expected.iter().enumerate() {
            let at = counter + i as u64;
            let params = OtpParams::new(
                OtpKind::Hotp { counter: at },
                Algorithm::Sha1,
                digits,
                Secret::from_bytes(key.clone()),
            )
            .unwrap();
            let context = format!("key {} digits {digits} counter {at}", hex(&key));
            assert_eq!(&params.code_at(0), expected, "{context}");
            assert_eq!(
                &hotp(&key, Algorithm::Sha1, at, digits),
                expected,
                "{context}"
            );
            checked += 1;
        }
    }
    println!("HOTP: {checked} codes matched oathtool");
    assert_eq!(checked, HOTP_CALLS * (WINDOW as usize + 1));
}
