//! `tracking-mock`: the stand-in providers in the foreground, for manual testing.

use std::path::PathBuf;

use clap::Parser;
use tracking_mock::{Faults, MockConfig, MockServer, SpecSource};

#[derive(Parser)]
#[command(
    name = "tracking-mock",
    about = "Serve stand-in providers built from OpenAPI specs"
)]
struct Args {
    /// Spec files to serve (default: the built-in crux, sellercloud and vtex-oms).
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
    /// Remember the Crux tracking numbers added, and answer 404 to updates of
    /// ones never added (as Crux would).
    #[arg(long)]
    stateful: bool,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
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
    let config = MockConfig {
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
    };
    let drops = args.fault_drop + args.fault_drop_after_apply + args.fault_apply_late;
    if drops > 0.0 && !args.stateful {
        eprintln!(
            "note: without --stateful every Crux lookup finds its tracking number, so a client that looks up dropped requests (order-tracking, trackctl) takes a dropped, never-applied add as delivered"
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
    println!("ledger       {}/_mock/ledger (Ctrl-C stops)", mock.url());
    let _ = tokio::signal::ctrl_c().await;
    mock.shutdown().await;
    std::process::ExitCode::SUCCESS
}
