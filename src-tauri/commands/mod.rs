//! The commands the web UI calls. Each validates its arguments, calls core, and answers with
//! views that carry no secret.

pub mod accounts;
pub mod backup;
pub mod clock;
pub mod copying;
pub mod details;
pub mod import;
pub mod vault;
pub mod window;
