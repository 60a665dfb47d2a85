//! `tracking-mock`: the stand-in providers in the foreground, for manual testing.

#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use tracking_mock::{Faults, MockConfig, MockServer, SpecSource};

#[derive(Parser)]
#[command(
    name = "tracking-mock",
    about = "Serve stand-in providers built from OpenAPI specs"
)]
struct Args {
    /// Spec files to serve (default: the built-in ones, a copy of the workspace's specs/).
    #[arg(long = "spec")]
    specs: Vec<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:4010")]
    addr: std::net::SocketAddr,
    /// Share of requests answered 429.
    #[arg(long, default_value_t = 0.0)]
    fault_429: f64,
    /// Retry-After seconds of those 429s.
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Share of requests answered 500.
    #[arg(long, default_value_t = 0.0)]
    fault_500: f64,
    /// Share of requests answered 503.
    #[arg(long, default_value_t = 0.0)]
    fault_503: f64,
    /// Share of connections dropped without an answer (nothing applied).
    #[arg(long, default_value_t = 0.0)]
    fault_drop: f64,
    /// Share of requests applied (recorded in the ledger), then dropped without an answer.
    #[arg(long, default_value_t = 0.0)]
    fault_drop_after_apply: f64,
    /// Share of requests dropped at once and applied --delay-ms later.
    #[arg(long, default_value_t = 0.0)]
    fault_apply_late: f64,
    /// Share of requests delayed by --delay-ms.
    #[arg(long, default_value_t = 0.0)]
    fault_delay: f64,
    /// The delay.
    #[arg(long, default_value_t = 1000)]
    delay_ms: u64,
    /// Only this operationId gets faults (repeat for several; default: all).
    #[arg(long = "fault-only")]
    fault_only: Vec<String>,
    /// Seed of the fault generator.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    body_limit: usize,
    /// Remember the tracking numbers added, and answer 404 to lookups of
    /// ones never added (as the provider would).
    #[arg(long)]
    stateful: bool,
    /// Milliseconds a client has to send a request's whole header before
    /// its connection is closed (also the longest a kept-alive connection
    /// may sit idle).
    #[arg(long, default_value_t = 10_000)]
    header_timeout_ms: u64,
    /// Throttle a provider to RATE requests per second (a token bucket of
    /// RATE rounded up): those above get 429 with Retry-After and are not
    /// applied. Repeat for several providers.
    #[arg(long = "throttle", value_name = "PROVIDER=RATE", value_parser = tracking_mock::parse_throttle)]
    throttles: Vec<(String, f64)>,
    /// Accept VALUE too as the whole value of a provider's security scheme
    /// header (by scheme or header name), besides the defaults, e.g.
    /// `crux:tokenAuth=Token token-2`. Repeat for several.
    #[arg(long = "credential", value_name = "PROVIDER:SCHEME=VALUE", value_parser = parse_credential)]
    credentials: Vec<(String, String, String)>,
    /// Accept USER with PASSWORD too at a provider's login, besides the
    /// defaults, e.g. `NAME=api:secret`. Repeat for several.
    #[arg(long = "login", value_name = "PROVIDER=USER:PASSWORD", value_parser = parse_login)]
    logins: Vec<(String, String, String)>,
    /// More logs on stderr: -v debug for the mock (one line per request),
    /// -vv trace. RUST_LOG, when set, wins (e.g. RUST_LOG=debug).
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    verbose: u8,
    /// Errors only on stderr.
    #[arg(short, long)]
    quiet: bool,
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
    let args = Args::parse();
    // On stderr: stdout has the URLs, for whoever reads them.
    tracing_subscriber::fmt()
        .with_env_filter(log_filter(args.verbose, args.quiet))
        .with_writer(std::io::stderr)
        .init();
    let specs = if args.specs.is_empty() {
        SpecSource::builtin()
    } else {
        match args
            .specs
            .iter()
            .map(SpecSource::file)
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(specs) => specs,
            Err(e) => {
                eprintln!("error: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    };
    let mut config = MockConfig {
        specs,
        faults: Faults {
            too_many_requests: args.fault_429,
            retry_after_secs: args.retry_after,
            server_error: args.fault_500,
            unavailable: args.fault_503,
            drop_connection: args.fault_drop,
            drop_after_apply: args.fault_drop_after_apply,
            apply_late: args.fault_apply_late,
            delay: args.fault_delay,
            delay_ms: args.delay_ms,
            only: args.fault_only,
        },
        seed: args.seed,
        body_limit: args.body_limit,
        addr: args.addr,
        stateful: args.stateful,
        header_timeout: Duration::from_millis(args.header_timeout_ms),
        throttle: args.throttles.into_iter().collect::<BTreeMap<_, _>>(),
        credentials: MockConfig::builtin().credentials,
    };
    for (provider, scheme, value) in args.credentials {
        config = config.with_credential(provider, scheme, value);
    }
    for (provider, user, password) in args.logins {
        config = config.with_login(provider, user, password);
    }
    let drops = args.fault_drop + args.fault_drop_after_apply + args.fault_apply_late;
    if drops > 0.0 && !args.stateful {
        eprintln!(
            "note: without --stateful every lookup finds its tracking number, so a client that looks up dropped requests (order-tracking, trackctl) takes a dropped, never-applied add as delivered"
        );
    }
    let mock = match MockServer::start(config).await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    for provider in mock.providers() {
        println!(
            "{provider:<12} {}",
            mock.base_url(&provider).unwrap_or_default()
        );
    }
    println!(
        "openapi      {}/_mock/openapi/<provider> (what the mock answers)",
        mock.url()
    );
    println!("ledger       {}/_mock/ledger (Ctrl-C stops)", mock.url());
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("stopping: letting the requests in flight finish");
    mock.shutdown().await;
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent_and_throttles_read_provider_equals_rate() {
        Args::command().debug_assert();
        let args = Args::try_parse_from([
            "tracking-mock",
            "--throttle",
            "shop=3",
            "--throttle",
            "other=0.5",
            "-vv",
            "--credential",
            "other:tokenAuth=Token a=b",
            "--login",
            "shop=api:pa:ss",
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
        assert_eq!(args.verbose, 2);
        for bad in [
            &["--throttle", "shop"][..],
            &["--throttle", "shop=fast"],
            &["-v", "-q"],
            &["--credential", "other=Token x"],
            &["--login", "shop=api"],
        ] {
            let argv = std::iter::once("tracking-mock").chain(bad.iter().copied());
            assert!(Args::try_parse_from(argv).is_err(), "{bad:?}");
        }
    }
}
