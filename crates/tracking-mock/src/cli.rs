//! The mock's command line, one for every binary that serves it (the
//! `tracking-mock` binary and `trackctl mock`): its flags ([`Args`]), the
//! configuration they make, and the lines that say where it serves.
//! Logging is the binary's.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::{Faults, MockConfig, MockError, MockServer, SpecSource};

/// What to serve, and how.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Spec files to serve (default: the built-in ones, a copy of the workspace's specs/).
    #[arg(long = "spec")]
    pub specs: Vec<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub addr: std::net::SocketAddr,
    /// Share of requests answered 429, of those answered 503, and of
    /// connections dropped (each; so at most 0.33): a shorthand for trying
    /// retries, instead of the --fault-* shares below.
    #[arg(long, value_name = "SHARE", value_parser = fault_share, conflicts_with_all = ["fault_429", "fault_503", "fault_drop"])]
    pub faults: Option<f64>,
    /// Share of requests answered 429.
    #[arg(long, default_value_t = 0.0)]
    pub fault_429: f64,
    /// Retry-After seconds of those 429s.
    #[arg(long, default_value_t = 1)]
    pub retry_after: u64,
    /// Share of requests answered 500.
    #[arg(long, default_value_t = 0.0)]
    pub fault_500: f64,
    /// Share of requests answered 503.
    #[arg(long, default_value_t = 0.0)]
    pub fault_503: f64,
    /// Share of connections dropped without an answer (nothing applied).
    #[arg(long, default_value_t = 0.0)]
    pub fault_drop: f64,
    /// Share of requests applied (recorded in the ledger), then dropped without an answer.
    #[arg(long, default_value_t = 0.0)]
    pub fault_drop_after_apply: f64,
    /// Share of requests dropped at once and applied --delay-ms later.
    #[arg(long, default_value_t = 0.0)]
    pub fault_apply_late: f64,
    /// Share of requests delayed by --delay-ms.
    #[arg(long, default_value_t = 0.0)]
    pub fault_delay: f64,
    /// The delay.
    #[arg(long, default_value_t = 1000)]
    pub delay_ms: u64,
    /// Only this operationId gets faults (repeat for several; default: all).
    #[arg(long = "fault-only")]
    pub fault_only: Vec<String>,
    /// Seed of the fault generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    pub body_limit: usize,
    /// Forget what was created: every lookup finds its tracking number and
    /// every list is the spec's example. Without it the mock is stateful: it
    /// remembers the tracking numbers added, answers 404 to lookups of ones
    /// never added and lists what was created (as the provider would), so
    /// that a client that settles a lost answer by a lookup is told the
    /// truth.
    #[arg(long)]
    pub stateless: bool,
    /// Milliseconds a client has to send a request's whole header before
    /// its connection is closed (also the longest a kept-alive connection
    /// may sit idle).
    #[arg(long, default_value_t = 10_000)]
    pub header_timeout_ms: u64,
    /// Throttle a provider to RATE requests per second (a token bucket of
    /// RATE rounded up): those above get 429 with Retry-After and are not
    /// applied. Repeat for several providers.
    #[arg(long = "throttle", value_name = "PROVIDER=RATE", value_parser = crate::parse_throttle)]
    pub throttles: Vec<(String, f64)>,
    /// Accept VALUE too as the whole value of a provider's security scheme
    /// header (by scheme or header name), besides the defaults, e.g.
    /// `crux:tokenAuth=Token token-2`. Repeat for several.
    #[arg(long = "credential", value_name = "PROVIDER:SCHEME=VALUE", value_parser = parse_credential)]
    pub credentials: Vec<(String, String, String)>,
    /// Accept USER with PASSWORD too at a provider's login, besides the
    /// defaults, e.g. `NAME=api:secret`. Repeat for several.
    #[arg(long = "login", value_name = "PROVIDER=USER:PASSWORD", value_parser = parse_login)]
    pub logins: Vec<(String, String, String)>,
}

/// `--faults`: one share, given to each of three faults.
fn fault_share(text: &str) -> Result<f64, String> {
    let share: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a share (0.1 for 10%)"))?;
    if (0.0..=1.0 / 3.0).contains(&share) {
        Ok(share)
    } else {
        Err(format!(
            "{share} of the requests each for 429, 503 and drops is {:.0}% in all: give at most 0.33",
            share * 300.0
        ))
    }
}

/// A `--credential`: provider, scheme, value.
fn parse_credential(text: &str) -> Result<(String, String, String), String> {
    let expected = "expected PROVIDER:SCHEME=VALUE, e.g. crux:tokenAuth=Token token-2";
    let (provider, rest) = text.split_once(':').ok_or(expected)?;
    let (scheme, value) = rest.split_once('=').ok_or(expected)?;
    Ok((provider.into(), scheme.into(), value.into()))
}

/// A `--login`: provider, user, password.
fn parse_login(text: &str) -> Result<(String, String, String), String> {
    let expected = "expected PROVIDER=USER:PASSWORD, e.g. NAME=api:secret";
    let (provider, rest) = text.split_once('=').ok_or(expected)?;
    let (user, password) = rest.split_once(':').ok_or(expected)?;
    Ok((provider.into(), user.into(), password.into()))
}

impl Args {
    /// The configuration these flags make.
    pub fn config(self) -> Result<MockConfig, MockError> {
        let specs = if self.specs.is_empty() {
            SpecSource::builtin()
        } else {
            self.specs
                .iter()
                .map(|path| {
                    SpecSource::file(path)
                        .map_err(|e| MockError::Spec(format!("{}: {e}", path.display())))
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        let (too_many, unavailable, dropped) = match self.faults {
            Some(share) => (share, share, share),
            None => (self.fault_429, self.fault_503, self.fault_drop),
        };
        let mut config = MockConfig {
            specs,
            faults: Faults {
                too_many_requests: too_many,
                retry_after_secs: self.retry_after,
                server_error: self.fault_500,
                unavailable,
                drop_connection: dropped,
                drop_after_apply: self.fault_drop_after_apply,
                apply_late: self.fault_apply_late,
                delay: self.fault_delay,
                delay_ms: self.delay_ms,
                only: self.fault_only,
            },
            seed: self.seed,
            body_limit: self.body_limit,
            addr: self.addr,
            stateful: !self.stateless,
            header_timeout: Duration::from_millis(self.header_timeout_ms),
            throttle: self.throttles.into_iter().collect::<BTreeMap<_, _>>(),
            credentials: MockConfig::builtin().credentials,
        };
        for (provider, scheme, value) in self.credentials {
            config = config.with_credential(provider, scheme, value);
        }
        for (provider, user, password) in self.logins {
            config = config.with_login(provider, user, password);
        }
        Ok(config)
    }
}

/// The lines that say where `mock` serves what (stdout: for whoever
/// reads them, a script waiting for the `ledger` line among them).
pub fn announce(mock: &MockServer) -> Vec<String> {
    let mut lines: Vec<String> = mock
        .providers()
        .into_iter()
        .map(|provider| {
            format!(
                "{provider:<12} {}",
                mock.base_url(&provider).unwrap_or_default()
            )
        })
        .collect();
    lines.push(format!(
        "openapi      {}/_mock/openapi/<provider> (what the mock answers)",
        mock.url()
    ));
    lines.push(format!(
        "ledger       {}/_mock/ledger (Ctrl-C stops)",
        mock.url()
    ));
    lines
}

/// Serves `mock` until Ctrl-C, then lets the requests in flight finish.
pub async fn until_ctrl_c(mock: MockServer) {
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("stopping: letting the requests in flight finish");
    mock.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn parse(argv: &[&str]) -> Result<Args, clap::Error> {
        Cli::try_parse_from(std::iter::once("mock").chain(argv.iter().copied())).map(|c| c.args)
    }

    #[test]
    fn the_flags_read_throttles_credentials_logins_and_the_fault_shorthand() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let args = parse(&[
            "--throttle",
            "shop=3",
            "--throttle",
            "other=0.5",
            "--credential",
            "other:tokenAuth=Token a=b",
            "--login",
            "shop=api:pa:ss",
            "--faults",
            "0.1",
        ])
        .unwrap();
        assert_eq!(
            args.credentials,
            [("other".into(), "tokenAuth".into(), "Token a=b".into())]
        );
        assert_eq!(args.logins, [("shop".into(), "api".into(), "pa:ss".into())]);
        assert_eq!(
            args.throttles,
            [("shop".to_string(), 3.0), ("other".to_string(), 0.5)]
        );
        let config = args.config().unwrap();
        assert_eq!(config.faults.too_many_requests, 0.1);
        assert_eq!(config.faults.drop_connection, 0.1);
        assert!(config.stateful, "stateful unless --stateless");
        assert!(!parse(&["--stateless"]).unwrap().config().unwrap().stateful);
        for bad in [
            &["--throttle", "shop"][..],
            &["--throttle", "shop=fast"],
            &["--credential", "other=Token x"],
            &["--login", "shop=api"],
            &["--faults", "0.4"],
            &["--faults", "0.1", "--fault-429", "0.2"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let error = parse(&["--faults", "0.4"]).err().unwrap().to_string();
        assert!(error.contains("120% in all: give at most 0.33"), "{error}");
    }
}
