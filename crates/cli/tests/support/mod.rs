//! Running the built `tessera-cli` as a user would, for the CLI's integration tests.

// Each test binary compiles this module and uses its own subset of it.
#![allow(dead_code)]

pub mod imports;
pub mod syncthing;

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Output, Stdio};

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

/// Runs the CLI with `args`, writing `input` to its standard input.
pub fn cli_with_stdin<S: AsRef<OsStr>>(args: &[S], input: &str) -> Output {
    let mut child = tessera_cli()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tessera-cli binary runs");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .expect("write to the CLI's stdin");
    child
        .wait_with_output()
        .expect("the tessera-cli binary exits")
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
