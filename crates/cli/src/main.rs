//! `tessera-cli`: Tessera's features on the command line, for scripts and support staff.
//!
//! Results go to stdout one per line, errors to stderr. Exit status: 0 success, 1 nothing
//! found / no match, 2 bad input or failure.

mod backup_cmd;
mod clock;
mod code;
mod merge_conflicts;
mod scan;
mod uri_arg;
mod vault_cmd;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// What a command reports besides its output.
pub enum Outcome {
    /// It did what was asked (exit 0).
    Done,
    /// It ran fine but found nothing / no match (exit 1).
    NothingFound,
}

#[derive(Parser)]
#[command(
    name = "tessera-cli",
    version,
    about = "Two-step verification codes on the command line",
    long_about = "Tessera on the command line: compute the one-time codes of otpauth:// URIs, \
                  and more, for scripts and support staff.\n\n\
                  Exit status: 0 success, 1 nothing found / no match, 2 bad input or failure."
)]
struct Cli {
    /// The vault file of the vault commands and of `code QUERY`.
    #[arg(long, global = true, env = "TESSERA_VAULT", value_name = "PATH")]
    vault: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Code(code::Args),
    Verify(verify::Args),
    Clock(clock::Args),
    Scan(scan::Args),
    MergeConflicts(merge_conflicts::Args),
    #[command(flatten)]
    Vault(vault_cmd::VaultCommand),
    #[command(flatten)]
    Backup(backup_cmd::BackupCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code::run(args, cli.vault.as_deref()),
        Command::Verify(args) => verify::run(args),
        Command::Clock(args) => clock::run(args),
        Command::Scan(args) => scan::run(args),
        Command::MergeConflicts(args) => merge_conflicts::run(args, cli.vault.as_deref()),
        Command::Vault(command) => vault_cmd::run(command, cli.vault.as_deref()),
        Command::Backup(command) => backup_cmd::run(command, cli.vault.as_deref()),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Err(err) => {
            eprintln!("tessera-cli: {err:#}");
            ExitCode::from(2)
        }
    }
}
