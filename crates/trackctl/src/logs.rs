//! Logs people can turn on: `RUST_LOG` (tracing's env-filter syntax), or
//! `-v` / `-q`. They go to stderr with the rest of the messages; spans name
//! the row (`row{line=…}`) and each call (`call{operation=…}`). Secrets are
//! never logged: the clients keep them out of spans and events.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::prelude::*;

/// `-v` / `-q`.
#[derive(clap::Args)]
pub struct Verbosity {
    /// More logs: -v for each row and call, -vv for everything (RUST_LOG wins).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
}

impl Verbosity {
    /// `-q`: besides errors-only logs, no line for a row that needs no
    /// attention (pushed, skipped); the summary stays.
    pub fn quiet(&self) -> bool {
        self.quiet
    }
}

/// Installs the subscriber.
pub fn init(verbosity: &Verbosity) {
    let default = match (verbosity.quiet, verbosity.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info,trackctl=debug",
        (false, _) => "trace",
    };
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let logs = tracing_subscriber::fmt::layer()
        // Not `std::io::stderr`: a closed pipe must stop the run, not panic it.
        .with_writer(|| crate::say::LogWriter)
        .log_internal_errors(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    // The waits of the progress line: the events the logs show.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(logs)
        .with(crate::waits::Waits)
        .try_init();
}
