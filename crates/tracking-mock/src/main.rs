//! `tracking-mock`: the stand-in providers in the foreground, for manual
//! testing. Its flags are [`tracking_mock::cli::Args`], which `trackctl
//! mock` takes too.

#![forbid(unsafe_code)]

use clap::Parser;
use tracing_subscriber::EnvFilter;
use tracking_mock::MockServer;
use tracking_mock::cli;

#[derive(Parser)]
#[command(
    name = "tracking-mock",
    about = "Serve stand-in providers built from OpenAPI specs"
)]
struct Cli {
    #[command(flatten)]
    mock: cli::Args,
    /// More logs on stderr: -v debug for the mock (one line per request),
    /// -vv trace. RUST_LOG, when set, wins (e.g. RUST_LOG=debug).
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    verbose: u8,
    /// Errors only on stderr.
    #[arg(short, long)]
    quiet: bool,
}

/// What to log: `RUST_LOG` when set, else warnings and the mock's own
/// info (-v debug, -vv trace; -q errors only).
fn log_filter(verbose: u8, quiet: bool) -> EnvFilter {
    if std::env::var_os("RUST_LOG").is_some() {
        return EnvFilter::from_default_env();
    }
    EnvFilter::new(match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn,tracking_mock=info",
        (false, 1) => "warn,tracking_mock=debug",
        (false, _) => "warn,tracking_mock=trace",
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // On stderr: stdout has the URLs, for whoever reads them.
    tracing_subscriber::fmt()
        .with_env_filter(log_filter(cli.verbose, cli.quiet))
        .with_writer(std::io::stderr)
        .init();
    let started = match cli.mock.config() {
        Ok(config) => MockServer::start(config).await,
        Err(e) => Err(e),
    };
    let mock = match started {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    for line in cli::announce(&mock) {
        println!("{line}");
    }
    cli::until_ctrl_c(mock).await;
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent_and_counts_verbosity() {
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from(["tracking-mock", "-vv", "--throttle", "shop=3"]).unwrap();
        assert_eq!(cli.verbose, 2);
        assert!(Cli::try_parse_from(["tracking-mock", "-v", "-q"]).is_err());
    }
}
