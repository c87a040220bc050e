//! Desktop notifications (notify-rust): a short confirmation that something was copied and
//! when it leaves the clipboard. Best effort: a desktop without a notification service just
//! shows nothing, and the in-window toast still confirms.

use std::time::Duration;

/// Shows `summary` and `body` as a transient notification, without waiting for the desktop.
pub fn show(summary: String, body: String) {
    // The D-Bus round trip can take a while on a busy session: never on the command's path.
    std::thread::spawn(move || {
        let _ = notify_rust::Notification::new()
            .appname("Tessera")
            .summary(&summary)
            .body(&body)
            .icon("dialog-password")
            .timeout(notify_rust::Timeout::Milliseconds(4_000))
            .show();
    });
}

/// "clears in 30 s" / "clears in 2 min", or `None` when clearing is off.
pub fn clears_in(delay: Option<Duration>) -> Option<String> {
    let seconds = delay?.as_secs();
    Some(if seconds >= 60 && seconds % 60 == 0 {
        format!("clears from the clipboard in {} min", seconds / 60)
    } else {
        format!("clears from the clipboard in {seconds} s")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_read_in_the_unit_people_use() {
        assert_eq!(
            clears_in(Some(Duration::from_secs(30))).as_deref(),
            Some("clears from the clipboard in 30 s")
        );
        assert_eq!(
            clears_in(Some(Duration::from_secs(120))).as_deref(),
            Some("clears from the clipboard in 2 min")
        );
        assert_eq!(clears_in(None), None);
    }
}
