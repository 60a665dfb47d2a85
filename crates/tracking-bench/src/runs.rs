//! trackctl's push against the clock: the journal's cost, a push bound by
//! the provider's latency, and SellerCloud's throttle held.
//!
//! - `journal`: rows per second through trackctl to the in-process mock (no
//!   faults, no latency: the journal and the process are what is measured),
//!   first push and rerun, this trackctl side by side with the previous one
//!   (`TRACKCTL_PREVIOUS=path/to/old/trackctl`; without it, this one only),
//!   alternating, median of 5.
//! - `latency`: 10,000 VTEX rows against the mock with 100 ms added to every
//!   request, 32 in flight: the wall time against the bound (rows × latency
//!   / in flight).
//! - `throttle`: 180 SellerCloud rows with real-provider settings (so the
//!   3/s limit applies) against a mock that answers 429 above 3/s: requests
//!   per second and 429s (target 0), about 60 s.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tracking_mock::{Faults, MockConfig, MockServer};

use crate::resilience::{push_command, push_command_of, trackctl};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tracking-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(0.0)
}

/// Rows per second of one `binary push` of `file` with `journal` to
/// `mock`; panics unless it exits 0.
async fn rate(binary: &Path, mock: &MockServer, file: &Path, journal: &Path, rows: usize) -> f64 {
    let started = Instant::now();
    let status = push_command_of(binary, mock, file, journal, &[])
        .status()
        .await
        .unwrap();
    assert!(status.success(), "{} push: {status}", binary.display());
    rows as f64 / started.elapsed().as_secs_f64()
}

pub async fn journal() {
    const ROWS: usize = 10_000;
    const RUNS: usize = 5;
    let dir = temp("journal");
    // Crux adds and SellerCloud PO updates: calls whose requests both
    // trackctls make alike (the VTEX PATCH's body changed between them).
    let mut csv = String::from("provider,order_ref,tracking_number,carrier,shipped_at,target\n");
    for i in 0..ROWS {
        csv.push_str(&if i % 2 == 0 {
            format!("crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,J-{i:06},UPS,,\n")
        } else {
            format!(
                "sellercloud,{},J-{i:06},UPS,2024-04-09T12:26:18Z,po\n",
                1000 + i
            )
        });
    }
    let file = dir.join("journal.csv");
    std::fs::write(&file, csv).unwrap();
    let mut binaries = vec![("this trackctl", trackctl())];
    if let Some(previous) = std::env::var_os("TRACKCTL_PREVIOUS") {
        binaries.push(("previous trackctl", PathBuf::from(previous)));
    }
    println!(
        "\n## journal: {ROWS} rows through trackctl to the in-process mock, 32 in flight, median of {RUNS} alternating runs"
    );
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let mut first = vec![Vec::new(); binaries.len()];
    let mut again = vec![Vec::new(); binaries.len()];
    for run in 0..RUNS {
        for (i, (_, binary)) in binaries.iter().enumerate() {
            let journal = dir.join(format!("j-{i}-{run}.sqlite"));
            first[i].push(rate(binary, &mock, &file, &journal, ROWS).await);
            again[i].push(rate(binary, &mock, &file, &journal, ROWS).await);
            mock.clear_ledger();
        }
    }
    println!(
        "{:<20} {:>16} {:>16}",
        "", "first push rows/s", "rerun rows/s"
    );
    let medians: Vec<(f64, f64)> = (0..binaries.len())
        .map(|i| (median(&mut first[i]), median(&mut again[i])))
        .collect();
    for ((label, _), (push, rerun)) in binaries.iter().zip(&medians) {
        println!("{label:<20} {push:>16.0} {rerun:>16.0}");
    }
    if let [(push, rerun), (old_push, old_rerun)] = medians[..] {
        println!(
            "{:<20} {:>16.2} {:>16.2}",
            "ratio (this / prev)",
            push / old_push,
            rerun / old_rerun
        );
    }
    mock.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

pub async fn latency() {
    const ROWS: usize = 10_000;
    const IN_FLIGHT: usize = 32;
    const LATENCY: Duration = Duration::from_millis(100);
    let dir = temp("latency");
    let mut csv = String::from("provider,order_ref,tracking_number,carrier,invoice_number\n");
    for i in 0..ROWS {
        csv.push_str(&format!("vtex-oms,v{i}-01,L-{i:06},Correios,{i}\n"));
    }
    let file = dir.join("vtex.csv");
    std::fs::write(&file, csv).unwrap();
    let faults = Faults {
        delay: 1.0,
        delay_ms: LATENCY.as_millis() as u64,
        ..Faults::none()
    };
    let bound = LATENCY.as_secs_f64() * ROWS as f64 / IN_FLIGHT as f64;
    println!(
        "\n## latency-bound push: {ROWS} VTEX rows, {} ms added to every request, {IN_FLIGHT} in flight; bound {bound:.2} s",
        LATENCY.as_millis()
    );
    println!("{:<6} {:>10} {:>10}", "run", "wall s", "/ bound");
    let mut ratios = Vec::new();
    for run in 1..=3 {
        let mock = MockServer::start(MockConfig::builtin().with_faults(faults.clone()))
            .await
            .unwrap();
        let journal = dir.join(format!("j-{run}.sqlite"));
        let started = Instant::now();
        let status = push_command(&mock, &file, &journal, &[])
            .status()
            .await
            .unwrap();
        let wall = started.elapsed().as_secs_f64();
        assert!(status.success(), "push: {status}");
        assert_eq!(mock.ledger().len(), ROWS, "every row once");
        println!("{run:<6} {wall:>10.2} {:>10.3}", wall / bound);
        ratios.push(wall / bound);
        mock.shutdown().await;
    }
    println!("median {:.3} of the bound", median(&mut ratios));
    let _ = std::fs::remove_dir_all(&dir);
}

pub async fn throttle() {
    throttled(
        "SellerCloud's throttle",
        "sellercloud",
        3.0,
        180,
        |i| {
            format!(
                "sellercloud,{},P-{i:05},UPS,2024-04-09T12:26:18Z,po,\n",
                10_000 + i
            )
        },
        &[
            ("SELLERCLOUD_USERNAME", tracking_mock::credentials::USERNAME),
            ("SELLERCLOUD_PASSWORD", tracking_mock::credentials::PASSWORD),
        ],
    )
    .await;
    // A Standard or Plus store's quota, 150 requests per 30 s; rows with
    // their items and address, so that each is one create.
    throttled(
        "BigCommerce's quota",
        "bigcommerce",
        5.0,
        150,
        |i| format!("bigcommerce,{},B-{i:05},UPS,,127,194:1\n", 10_000 + i),
        &[("BIGCOMMERCE_ACCESS_TOKEN", "mock-access-token")],
    )
    .await;
}

/// `rows` rows made by `row` pushed to `provider` with real-provider
/// settings (`credentials`, and its base URL at a mock answering 429 above
/// `rate` a second): the requests a second, against the rate, and the 429s.
async fn throttled(
    title: &str,
    provider: &str,
    rate: f64,
    rows: usize,
    row: impl Fn(usize) -> String,
    credentials: &[(&str, &str)],
) {
    let dir = temp(provider);
    let mut csv =
        String::from("provider,order_ref,tracking_number,carrier,shipped_at,target,line_items\n");
    for i in 0..rows {
        csv.push_str(&row(i));
    }
    let file = dir.join(format!("{provider}.csv"));
    std::fs::write(&file, csv).unwrap();
    let mock = MockServer::start(MockConfig::builtin().with_throttle(provider, rate))
        .await
        .unwrap();
    println!(
        "\n## {title}: {rows} rows with real-provider settings (trackctl's default pace) against a mock answering 429 above {rate}/s"
    );
    let variable = format!("{}_BASE_URL", provider.to_ascii_uppercase());
    let started = Instant::now();
    let status = tokio::process::Command::new(trackctl())
        .envs(credentials.iter().copied())
        .env(variable, mock.base_url(provider).unwrap())
        .args(["push", "--concurrency", "32", "--journal"])
        .arg(dir.join("j.sqlite"))
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .await
        .unwrap();
    let wall = started.elapsed().as_secs_f64();
    assert!(status.success(), "push: {status}");
    let accepted = mock.ledger().len();
    let per_second = accepted as f64 / wall;
    println!(
        "{accepted} requests accepted in {wall:.1} s: {per_second:.2} requests/s, {:.1}% of {rate}/s; {} answered 429",
        100.0 * per_second / rate,
        mock.throttled_at(provider)
    );
    mock.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
