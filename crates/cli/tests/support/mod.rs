//! Running the built `tessera-cli` as a user would, for the CLI's integration tests.

// Each test binary compiles this module and uses its own subset of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::process::{Command, Output};

/// The CLI binary, ready for arguments, environment or piped input.
pub fn tessera_cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tessera-cli"))
}

/// Runs the CLI with `args` and waits for it.
pub fn cli<S: AsRef<OsStr>>(args: &[S]) -> Output {
    tessera_cli()
        .args(args)
        .output()
        .expect("the tessera-cli binary runs")
}

/// Bytes a process printed, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What the process printed on stdout.
pub fn stdout(output: &Output) -> String {
    text(&output.stdout)
}

/// What the process printed on stderr.
pub fn stderr(output: &Output) -> String {
    text(&output.stderr)
}
