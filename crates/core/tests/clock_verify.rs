//! Code verification across time steps: codes made by a device whose clock is off by a known
//! amount are placed at the right step, and HOTP look-ahead finds later counters.

use tessera_core::clock::verify::{verify, CodeMatch, VerifyError, DEFAULT_WINDOW};
use tessera_core::otp::{Algorithm, OtpKind, OtpParams, Secret};

const NOW: u64 = 1_700_000_017;

fn params(kind: OtpKind, algorithm: Algorithm, digits: u8) -> OtpParams {
    let secret = match algorithm {
        Algorithm::Sha1 => b"12345678901234567890".to_vec(),
        Algorithm::Sha256 => b"12345678901234567890123456789012".to_vec(),
        Algorithm::Sha512 => {
            b"1234567890123456789012345678901234567890123456789012345678901234".to_vec()
        }
    };
    OtpParams::new(kind, algorithm, digits, Secret::from_bytes(secret)).unwrap()
}

#[test]
fn totp_codes_from_skewed_clocks_land_on_their_step() {
    for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
        for period in [30u32, 60] {
            for digits in [6u8, 8] {
                let p = params(OtpKind::Totp { period }, algorithm, digits);
                let p64 = i64::from(period);
                for steps in -(DEFAULT_WINDOW as i64)..=DEFAULT_WINDOW as i64 {
                    let device_time = (NOW as i64 + steps * p64) as u64;
                    let code = p.code_at(device_time);
                    let found = verify(&p, &code, NOW, DEFAULT_WINDOW).unwrap();
                    assert_eq!(
                        found,
                        Some(CodeMatch::Time {
                            steps,
                            seconds: steps * p64,
                            step: p.step_at(device_time).unwrap(),
                        }),
                        "{algorithm:?} period {period} digits {digits} steps {steps}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_device_65_seconds_slow_is_two_steps_behind() {
    let p = params(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6);
    // NOW is 7 s into its step; 65 s earlier is 28 s into the step two steps before.
    let code = p.code_at(NOW - 65);
    let found = verify(&p, &code, NOW, DEFAULT_WINDOW).unwrap().unwrap();
    assert_eq!(
        found.to_string(),
        "matches 2 steps earlier: that device is about 60 s slow"
    );
}

#[test]
fn codes_outside_the_window_do_not_match() {
    let p = params(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6);
    let far = p.code_at(NOW + 30 * 11);
    assert_eq!(verify(&p, &far, NOW, DEFAULT_WINDOW).unwrap(), None);
    assert!(verify(&p, &far, NOW, 11).unwrap().is_some());
    let current = p.code_at(NOW);
    assert_eq!(
        verify(&p, &current, NOW, 0).unwrap(),
        Some(CodeMatch::Time {
            steps: 0,
            seconds: 0,
            step: NOW / 30
        })
    );
    // A code that is no code of this account at all.
    let wrong = if current == "000000" {
        "111111"
    } else {
        "000000"
    };
    let any_step = (NOW / 30 - 10..=NOW / 30 + 10).any(|s| p.code_at_step(s) == wrong);
    assert_eq!(verify(&p, wrong, NOW, 10).unwrap().is_some(), any_step);
}

#[test]
fn typing_noise_is_ignored() {
    let p = params(OtpKind::Totp { period: 30 }, Algorithm::Sha256, 6);
    let code = p.code_at(NOW - 30);
    let typed = format!(" {} - {} ", &code[..3], &code[3..]);
    assert!(matches!(
        verify(&p, &typed, NOW, 10).unwrap(),
        Some(CodeMatch::Time { steps: -1, .. })
    ));
    assert_eq!(
        verify(&p, "12345", NOW, 10).unwrap_err(),
        VerifyError::WrongLength {
            typed: 5,
            expected: 6
        }
    );
}

#[test]
fn steam_codes_match_in_any_case() {
    let p = params(OtpKind::Steam { period: 30 }, Algorithm::Sha1, 5);
    let code = p.code_at(NOW + 60);
    let found = verify(&p, &code.to_lowercase(), NOW, 10).unwrap();
    assert!(matches!(
        found,
        Some(CodeMatch::Time {
            steps: 2,
            seconds: 60,
            ..
        })
    ));
}

#[test]
fn hotp_look_ahead_finds_later_counters() {
    let p = params(OtpKind::Hotp { counter: 5 }, Algorithm::Sha1, 6);
    for ahead in 0..=DEFAULT_WINDOW as u64 {
        let code = p.code_at_step(5 + ahead);
        assert_eq!(
            verify(&p, &code, 0, DEFAULT_WINDOW).unwrap(),
            Some(CodeMatch::Counter {
                counter: 5 + ahead,
                ahead
            })
        );
    }
    // Past the window, or behind the stored counter (a used code): no match.
    let beyond = p.code_at_step(5 + DEFAULT_WINDOW as u64 + 1);
    assert_eq!(verify(&p, &beyond, 0, DEFAULT_WINDOW).unwrap(), None);
    let used = p.code_at_step(4);
    assert_eq!(verify(&p, &used, 0, DEFAULT_WINDOW).unwrap(), None);
}

#[test]
fn hotp_counter_at_the_top_does_not_overflow() {
    let p = params(
        OtpKind::Hotp {
            counter: u64::MAX - 1,
        },
        Algorithm::Sha1,
        6,
    );
    let code = p.code_at_step(u64::MAX);
    assert_eq!(
        verify(&p, &code, 0, 10).unwrap(),
        Some(CodeMatch::Counter {
            counter: u64::MAX,
            ahead: 1
        })
    );
}
