//! `cargo run --release -p tracking-bench -- <what>`: the measurements behind
//! BENCHMARKS.md, each comparing things side by side in one run (this machine
//! is shared and noisy: only medians and ratios from one run mean anything).
//!
//! - `overhead`: the generated VTEX client against plain reqwest with
//!   hand-written serde types, same server, same keep-alive, interleaved.
//! - `bulk`: 10,000 shipments through order-tracking to the mock at 1, 8, 32
//!   and 128 in flight, against the mock's ceiling measured by wrk.
//! - `codegen`: time to generate each spec.
//! - `resilience`: 10,000 pushes through trackctl with 20% faults, then with
//!   the process stopped twice (SIGTERM, then SIGKILL) and resumed;
//!   delivered, duplicated, lost.
//! - `memory`: trackctl's peak memory for 10,000 and 100,000 rows.
//! - `journal`, `latency`, `throttle`: trackctl's push against the clock
//!   (the journal's cost beside the previous trackctl, a push bound by the
//!   provider's latency, SellerCloud's throttle held): see `runs.rs`.
//! - `stops`: trackctl when a platform is down or refuses the credentials,
//!   beside an earlier trackctl (`TRACKCTL_PREVIOUS`): see `stops.rs`.
//! - `build-cost`: cold build of a consumer of the packaged crates, per TLS
//!   choice, vs the generated code pasted in (not part of `all`).

#![forbid(unsafe_code)]

mod build_cost;
mod bulk;
mod codegen;
mod overhead;
mod resilience;
mod runs;
mod stops;

use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum What {
    Overhead,
    Bulk,
    Codegen,
    Resilience,
    Memory,
    Journal,
    Latency,
    Throttle,
    Stops,
    BuildCost,
    All,
}

#[derive(Parser)]
struct Args {
    /// What to measure.
    #[arg(value_enum, default_value = "all")]
    what: What,
}

#[tokio::main]
async fn main() {
    let what = Args::parse().what;
    let run = |w: What| what == w || what == What::All;
    println!(
        "machine: {} cores; {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );
    if run(What::Codegen) {
        codegen::run();
    }
    if run(What::Overhead) {
        overhead::run();
    }
    if run(What::Bulk) {
        bulk::run();
    }
    if run(What::Resilience) {
        resilience::run().await;
    }
    if run(What::Memory) {
        resilience::memory().await;
    }
    if run(What::Journal) {
        runs::journal().await;
    }
    if run(What::Latency) {
        runs::latency().await;
    }
    if run(What::Throttle) {
        runs::throttle().await;
    }
    if run(What::Stops) {
        stops::run().await;
    }
    // Minutes of compiling: only when asked for by name.
    if what == What::BuildCost {
        build_cost::run();
    }
}

/// The median of some durations, in microseconds.
pub fn median_us(samples: &mut [std::time::Duration]) -> f64 {
    samples.sort();
    samples
        .get(samples.len() / 2)
        .map_or(0.0, |d| d.as_secs_f64() * 1e6)
}
