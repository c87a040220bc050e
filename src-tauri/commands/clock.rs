//! The clock panel: measure this computer's clock offset, opt in to corrected codes, and
//! verify a code seen elsewhere.

use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, SETTING_CLOCK_CORRECTION};
use crate::view::{ClockStatus, Correction, MeasurementView, Neighbours, VerifyView};
use tauri::State;
use tessera_core::account::AccountId;
use tessera_core::clock::verify::{verify, CodeMatch, DEFAULT_WINDOW};
use tessera_core::clock::{measure, MeasureConfig};

/// The correction in force and the last measurement.
#[tauri::command]
pub fn clock_status(state: State<'_, AppState>) -> ClockStatus {
    let correction_ms = state.clock().correction_ms();
    ClockStatus {
        correction_enabled: correction_ms.is_some(),
        correction_ms,
        measurement: state.measurement().as_ref().map(MeasurementView::from),
    }
}

/// Measures the offset against the NTP pool (HTTPS Date as fallback). Runs off the UI
/// thread; its timeouts bound it to a few seconds.
#[tauri::command(async)]
pub fn measure_clock(state: State<'_, AppState>) -> CommandResult<MeasurementView> {
    let measurement = measure(&MeasureConfig::default())?;
    let view = MeasurementView::from(&measurement);
    *state.measurement() = Some(measurement);
    Ok(view)
}

/// Applies (or stops applying) the last measured offset to every code, and remembers the
/// choice in the vault.
#[tauri::command]
pub fn set_clock_correction(
    state: State<'_, AppState>,
    enabled: bool,
) -> CommandResult<Correction> {
    let correction = if enabled {
        let measured = state.measurement().as_ref().map(|m| m.correction_ms());
        Some(measured.ok_or_else(|| {
            CommandError::new(
                "bad_input",
                "check the clock first, then apply its correction",
            )
        })?)
    } else {
        None
    };
    let stored = correction.map(|c| c.to_string()).unwrap_or_default();
    state.with_vault(|vault| Ok(vault.set_setting(SETTING_CLOCK_CORRECTION, &stored)?))?;
    state.clock().set_correction(correction);
    Ok(Correction {
        correction_ms: correction,
    })
}

/// Finds which time step (or HOTP counter) a code someone typed belongs to. An HOTP code
/// found ahead of the stored counter means codes were used elsewhere: the account is
/// resynchronised to the counter after it, as the service itself now expects.
#[tauri::command]
pub fn verify_code(
    state: State<'_, AppState>,
    id: String,
    code: String,
    window: Option<u32>,
) -> CommandResult<VerifyView> {
    let id = AccountId::parse(&id)?;
    let window = window.unwrap_or(DEFAULT_WINDOW);
    let account = state.with_vault(|vault| Ok(vault.get(&id)?))?;
    let found = verify(&account.otp, &code, state.clock().now_secs(), window)?;
    if let Some(CodeMatch::Counter { counter, ahead }) = found {
        if ahead > 0 {
            resynchronise(&state, &account.id, counter)?;
        }
    }
    Ok(match found {
        Some(hit) => VerifyView {
            matched: true,
            steps: match hit {
                CodeMatch::Time { steps, .. } => Some(steps),
                CodeMatch::Counter { .. } => None,
            },
            seconds: match hit {
                CodeMatch::Time { seconds, .. } => Some(seconds),
                CodeMatch::Counter { .. } => None,
            },
            counter: match hit {
                CodeMatch::Counter { counter, .. } => Some(counter),
                CodeMatch::Time { .. } => None,
            },
            description: hit.to_string(),
        },
        None => VerifyView {
            matched: false,
            steps: None,
            seconds: None,
            counter: None,
            description: format!("no match within ±{window} steps"),
        },
    })
}

/// Moves the counter past `matched`, never back (another device may have gone further).
fn resynchronise(state: &AppState, id: &AccountId, matched: u64) -> CommandResult<()> {
    state.with_vault(|vault| {
        vault.modify(id, |edit| {
            edit.advance_counter_to(matched.saturating_add(1));
            Ok::<_, CommandError>(())
        })
    })
}

/// The previous, current and next codes of an account (only the current one for HOTP).
#[tauri::command]
pub fn neighbour_codes(state: State<'_, AppState>, id: String) -> CommandResult<Neighbours> {
    let id = AccountId::parse(&id)?;
    let account = state.with_vault(|vault| Ok(vault.get(&id)?))?;
    let now = state.clock().now_secs();
    let otp = &account.otp;
    Ok(match otp.step_at(now) {
        Some(step) => Neighbours {
            previous: step.checked_sub(1).map(|s| otp.code_at_step(s)),
            current: otp.code_at_step(step),
            next: step.checked_add(1).map(|s| otp.code_at_step(s)),
        },
        None => Neighbours {
            previous: None,
            current: otp.code_at(now),
            next: None,
        },
    })
}
