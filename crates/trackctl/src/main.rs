//! `trackctl`: push shipment tracking from a file to the providers.
//!
//! - `trackctl push FILE`: CSV or JSON Lines; a journal makes reruns safe.
//!   Exit codes: 0 every row delivered (or already), 1 a row failed, is
//!   uncertain or changed since pushed, 2 the run could not start (a bad
//!   file, setting or journal: nothing was sent), 75 the journal is in use by
//!   another run, 130 stopped by Ctrl-C or SIGTERM, 141 stopped because the
//!   output was closed (`| head`).
//! - `trackctl validate FILE`: every refusal `push` can make from the file
//!   alone, in its words; sends nothing.
//! - `trackctl mock`: the mock providers in the foreground.

#![forbid(unsafe_code)]

mod deliver;
mod destination;
mod error;
mod halt;
mod input;
mod journal;
mod logs;
mod mock;
mod providers;
mod push;
mod report;
mod say;
mod settings;
mod stop;
mod validate;
mod waits;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use order_tracking::Provider;

use crate::say::note;

#[derive(Parser)]
#[command(name = "trackctl", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    logs: logs::Verbosity,
}

/// The commands, each with its options and its `run` in its own module.
#[derive(Subcommand)]
enum Command {
    /// Push every shipment of a file (only those not delivered yet, per the journal).
    Push(push::Args),
    /// Check every row without sending anything.
    Validate(validate::Args),
    /// Run the mock providers in the foreground.
    Mock(mock::Args),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli();
    logs::init(&cli.logs);
    let result = match cli.command {
        Command::Push(args) => push::run(args, cli.logs.quiet()).await,
        Command::Validate(args) => validate::run(args).await,
        Command::Mock(args) => mock::run(args).await,
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            note!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// The command line, with what the registry of providers says: which
/// providers there are.
fn cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let names: Vec<String> = Provider::all()
        .map(|p| format!("{} ({})", p.title(), p.name()))
        .collect();
    let command = Cli::command().about(format!("Push shipment tracking to {}", names.join(", ")));
    Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit())
}
