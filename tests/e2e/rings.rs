//! The countdown rings: drawn by one timer at each of their steps, in step with the clock,
//! with no animation left running in the page while it sits idle.

use super::*;

const KERIO: &str =
    "otpauth://totp/MyKerio:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MyKerio";
/// A 30-second ring moves once a second (RING_STEP_MS of ui/js/lib/countdown.js).
const STEP_MS: u64 = 1_000;
const STEPS: u64 = 30_000 / STEP_MS;

/// The page's time and the first ring's stroke-dashoffset, read in one script.
fn ring_now(app: &App) -> (u64, f64) {
    let answer = app
        .execute(
            "const arc = document.querySelector('li.account .ring-arc');\
             return [Date.now(), arc.style.strokeDashoffset];",
            json!([]),
        )
        .expect("the ring is readable");
    let at = answer[0].as_f64().expect("a time") as u64;
    let offset: f64 = answer[1]
        .as_str()
        .expect("an offset")
        .parse()
        .expect("a number");
    (at, offset)
}

#[test]
#[ignore = "needs a display and tauri-driver: run by cargo xtask test"]
fn rings_step_with_the_clock_and_nothing_animates_at_rest() {
    let (_dir, app) = open_app();
    add_by_uri(&app, KERIO);
    app.wait_for("li.account .ring-arc", SHORT);
    // The ring timer draws a new row at its next tick: wait for that first drawing.
    app.wait_until("the new row's ring is drawn", SHORT, || {
        app.execute(
            "return document.querySelector('li.account .ring-arc').style.strokeDashoffset;",
            json!([]),
        )
        .ok()
        .and_then(|v| v.as_str().map(|s| !s.is_empty()))
        .unwrap_or(false)
    });

    let mut seen = Vec::new();
    for _ in 0..5 {
        let (at, offset) = ring_now(&app);
        let drawn = (-offset * STEPS as f64 / 100.0).round() as u64;
        let due = (at % 30_000) / STEP_MS;
        // The timer may not have fired yet for the step that just began (it runs a little
        // after each boundary), and at a rollover the old step shows until the refresh.
        let behind = (due + STEPS - 1) % STEPS;
        assert!(
            drawn == due || drawn == behind,
            "at {} ms into the period the ring shows step {drawn}, not {due}",
            at % 30_000
        );
        seen.push(drawn);
        std::thread::sleep(Duration::from_millis(700));
    }
    seen.dedup();
    assert!(seen.len() > 1, "the ring did not move: {seen:?}");

    // The "new row" highlight ends; after that nothing in the page runs frame by frame.
    app.wait_until("no animation runs", SHORT, || {
        app.execute("return document.getAnimations().length;", json!([]))
            .ok()
            .and_then(|n| n.as_u64())
            == Some(0)
    });
}
