//! `tessera-fuzz TARGET [FILE...]`: under AFL++ (built by `cargo afl`), runs TARGET on the
//! inputs AFL++ feeds it; built plainly, runs TARGET on each FILE, as a crash is replayed.

use std::process::ExitCode;

#[cfg(fuzzing)]
fn main() -> ExitCode {
    let Some(target) = target_from_args() else {
        return ExitCode::from(2);
    };
    afl::fuzz!(|data: &[u8]| (target.run)(data));
    ExitCode::SUCCESS
}

#[cfg(not(fuzzing))]
fn main() -> ExitCode {
    let Some(target) = target_from_args() else {
        return ExitCode::from(2);
    };
    for path in std::env::args_os().skip(2) {
        match std::fs::read(&path) {
            Ok(bytes) => (target.run)(&bytes),
            Err(e) => {
                eprintln!("tessera-fuzz: cannot read {}: {e}", path.to_string_lossy());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}

fn target_from_args() -> Option<&'static tessera_fuzz::Target> {
    let name = std::env::args().nth(1).unwrap_or_default();
    let target = tessera_fuzz::target(&name);
    if target.is_none() {
        let names: Vec<&str> = tessera_fuzz::TARGETS.iter().map(|t| t.name).collect();
        eprintln!(
            "tessera-fuzz: unknown target {name:?}; targets: {}",
            names.join(", ")
        );
    }
    target
}
