//! The `auditpack` command: parse arguments, dispatch, map the outcome to an exit code.

use auditpack::cli::{Cli, Command};
use auditpack::cmd::{self, Outcome};
use clap::Parser;
use std::process::ExitCode;

/// Counts the memory held, so that a runaway PDF template is stopped with an
/// error instead of growing until the kernel kills the process.
#[global_allocator]
static ALLOCATOR: auditpack::memory::CountingAllocator = auditpack::memory::CountingAllocator;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Validate(args) => cmd::validate::run(args),
        Command::Frameworks(args) => cmd::frameworks::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Tabletop(args) => cmd::tabletop::run(args),
        Command::Inventory(args) => cmd::inventory::run(args),
        Command::Init(args) => cmd::init::run(args),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) => {
            let text = auditpack::diag::printable(&error.to_string()).into_owned();
            if text.starts_with("error: ") {
                eprintln!("{text}");
            } else {
                eprintln!("error: {text}");
            }
            ExitCode::from(2)
        }
    }
}
