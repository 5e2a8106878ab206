//! The `pioneer` command: serve the application, load the demo, generate data at scale.
//!
//! One command runs everything on the embedded default: `pioneer serve --demo` creates
//! `./pioneer-data/` (an SQLite file and its data key) on first start.

mod cli;
mod error;
mod files;
mod housekeeping;
mod progress;
mod roster;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: memory freed on another thread than the one that allocated it (every row
/// SQLite's connection thread hands over) goes back without the global allocator's
/// consolidation passes, which took a fifth of a million-row export's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(args.log_level())
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pioneer: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::CliError::Broken) => ExitCode::from(2),
        Err(e) => {
            eprintln!("pioneer: {e}");
            ExitCode::FAILURE
        }
    }
}
