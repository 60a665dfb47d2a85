//! `trackctl mock`: the mock providers in the foreground, with the flags of
//! the `tracking-mock` binary (one command line: [`tracking_mock::cli`]).

use std::process::ExitCode;

use crate::error::Error;
use crate::say::say;

/// `trackctl mock`'s options: the `tracking-mock` binary's.
pub use tracking_mock::cli::Args;

/// Serves the mock providers until Ctrl-C.
pub async fn run(args: Args) -> Result<ExitCode, Error> {
    let config = args.config().map_err(|e| Error::Mock(e.to_string()))?;
    let mock = tracking_mock::MockServer::start(config)
        .await
        .map_err(|e| Error::Mock(e.to_string()))?;
    say!("Mock providers on {}. Push to them with:", mock.url());
    say!("  trackctl push --base-url {} FILE", mock.url());
    for line in tracking_mock::cli::announce(&mock) {
        say!("{line}");
    }
    tracking_mock::cli::until_ctrl_c(mock).await;
    Ok(ExitCode::SUCCESS)
}
