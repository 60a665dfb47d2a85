//! 10,000 shipments through order-tracking to the mock at several
//! concurrencies, and the mock's own ceiling measured by wrk in the same run.
//!
//! The mock runs as its own process (`tracking-mock`), as wrk sees it. On a
//! machine with two cores or more it is measured twice:
//! - **pinned**: the mock on one core, the load (the pusher, then wrk) on
//!   another. The ceiling is then the mock's own, and the question is
//!   whether the pusher can drive the mock as hard as wrk can.
//! - **shared**: nothing pinned. The pusher's CPU then competes with the
//!   mock's, which wrk's (nearly free) client does not.

use std::process::Stdio;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use order_tracking::{Provider, Pusher, Shipment};

/// The credentials the mock accepts (`tracking_mock::credentials`).
const VTEX_APP_KEY: &str = "mock-app-key";
const VTEX_APP_TOKEN: &str = "mock-app-token";

const SHIPMENTS: usize = 10_000;
const ADDR: &str = "127.0.0.1:47123";

fn shipment(i: usize) -> Shipment {
    Shipment {
        provider: Some(Provider::VTEX_OMS),
        order_ref: format!("v{i}-01"),
        tracking_number: format!("BR{i:09}BR"),
        carrier: Some("Correios".into()),
        invoice_number: Some(format!("{i}")),
        ..Default::default()
    }
}

/// Where the mock and the load run.
#[derive(Clone, Copy, PartialEq)]
enum Placement {
    /// The mock on one core, the load (pusher or wrk) on another.
    Pinned {
        mock: usize,
        load: usize,
    },
    Shared,
}

pub fn run() {
    let exe = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .join("tracking-mock");
    if !exe.exists() {
        println!(
            "\n## bulk push: no {} (cargo build --release -p tracking-mock --features cli)",
            exe.display()
        );
        return;
    }
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    if let [mock, load, ..] = cores[..]
        && which("taskset")
    {
        let (mock, load) = (mock.id, load.id);
        measure(&exe, Placement::Pinned { mock, load });
    } else {
        println!("\n## bulk push pinned: skipped (needs 2 cores and taskset)");
    }
    measure(&exe, Placement::Shared);
}

fn which(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// `program` run on the mock's core (`mock`) or the load's when pinned.
fn placed(placement: Placement, mock: bool, program: &str) -> std::process::Command {
    match placement {
        Placement::Pinned { mock: m, load } => {
            let core = if mock { m } else { load };
            let mut command = std::process::Command::new("taskset");
            command.args(["-c", &core.to_string(), program]);
            command
        }
        Placement::Shared => std::process::Command::new(program),
    }
}

fn measure(mock: &std::path::Path, placement: Placement) {
    let mut child = Mock(
        placed(placement, true, &mock.to_string_lossy())
            .args(["--addr", ADDR])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    std::thread::sleep(Duration::from_millis(500));
    if let Ok(Some(status)) = child.0.try_wait() {
        panic!("the mock did not start ({status}): is {ADDR} in use?");
    }
    let base = format!("http://{ADDR}/vtex-oms");
    match placement {
        Placement::Pinned { mock, load } => println!(
            "\n## bulk push, mock in its own process, pinned: mock on core {mock}, pusher and wrk on core {load}"
        ),
        Placement::Shared => {
            println!("\n## bulk push, mock in its own process, shared: nothing pinned")
        }
    }

    // Everything on one thread: on the load's core when pinned (the pusher
    // then has a current-thread runtime there), on the usual multi-thread
    // runtime when shared.
    let ratio = std::thread::spawn(move || {
        let runtime = match placement {
            Placement::Pinned { load, .. } => {
                assert!(
                    core_affinity::set_for_current(core_affinity::CoreId { id: load }),
                    "cannot pin the pusher to core {load}"
                );
                tokio::runtime::Builder::new_current_thread()
            }
            Placement::Shared => tokio::runtime::Builder::new_multi_thread(),
        }
        .enable_all()
        .build()
        .unwrap();
        runtime.block_on(side_by_side(placement, &base))
    })
    .join()
    .unwrap();
    match ratio {
        Some(ratio) => {
            println!("push / ceiling (median of the rounds, best concurrency): {ratio:.2}")
        }
        None => println!("mock ceiling: wrk is not installed (apt-get install wrk)"),
    }
}

/// Every concurrency once, then rounds in which wrk and the pusher run back
/// to back at the same concurrency (32 and 128): the machine's drift hits
/// both alike. The median ratio of the better concurrency.
async fn side_by_side(placement: Placement, base: &str) -> Option<f64> {
    let client = vtex_oms_client::Client::with_app_key(base, VTEX_APP_KEY, VTEX_APP_TOKEN).unwrap();
    let pusher = Pusher::new().with_client(client);
    println!("{SHIPMENTS} VTEX shipments (updatePartialInvoice) through order-tracking");
    println!("{:<12} {:>14}", "in flight", "shipments/s");
    for concurrency in [1, 8, 32, 128] {
        let rate = push(&pusher, base, concurrency).await;
        println!("{concurrency:<12} {rate:>14.0}");
    }
    println!("side by side (wrk -d4s with as many connections, then the push):");
    let mut best: Option<f64> = None;
    for concurrency in [32, 128] {
        let mut ratios = Vec::new();
        for round in 1..=3 {
            ledger(base, "DELETE").await;
            let ceiling = wrk(placement, base, concurrency)?;
            let rate = push(&pusher, base, concurrency).await;
            println!(
                "  {concurrency} in flight, round {round}: wrk {ceiling:.0} req/s, push {rate:.0} /s, ratio {:.2}",
                rate / ceiling
            );
            ratios.push(rate / ceiling);
        }
        ratios.sort_by(f64::total_cmp);
        let median = ratios[ratios.len() / 2];
        println!("  {concurrency} in flight: median ratio {median:.2}");
        best = Some(best.unwrap_or(0.0).max(median));
    }
    best
}

/// The mock's process, stopped however the bench ends (a panic, a closed pipe).
struct Mock(std::process::Child);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Pushes the shipments at `concurrency`, checks that the mock's ledger has
/// every one, and empties it; shipments a second.
async fn push(pusher: &Pusher, base: &str, concurrency: usize) -> f64 {
    ledger(base, "DELETE").await;
    let shipments = futures_util::stream::iter((0..SHIPMENTS).map(|i| (i, shipment(i))));
    let started = Instant::now();
    let ok = pusher
        .push_all(shipments, concurrency)
        .filter(|(_, r)| futures_util::future::ready(r.is_ok()))
        .count()
        .await;
    let rate = SHIPMENTS as f64 / started.elapsed().as_secs_f64();
    let delivered = ledger(base, "GET").await.map_or(0, |l| l.len());
    assert_eq!(ok, SHIPMENTS);
    assert_eq!(delivered, SHIPMENTS, "the mock's ledger has every shipment");
    ledger(base, "DELETE").await;
    rate
}

/// Reads (GET) or clears (DELETE) the mock's ledger.
async fn ledger(base: &str, method: &str) -> Option<Vec<serde_json::Value>> {
    let url = format!("{}/_mock/ledger", base.trim_end_matches("/vtex-oms"));
    let method = reqwest::Method::from_bytes(method.as_bytes()).ok()?;
    let response = reqwest::Client::new()
        .request(method, url)
        .send()
        .await
        .ok()?;
    response.json().await.ok()
}

/// Requests a second the mock answers to wrk sending the same PATCH.
fn wrk(placement: Placement, base: &str, connections: usize) -> Option<f64> {
    let script = std::env::temp_dir().join("tracking-bench-patch.lua");
    // The mock's default app key pair (tracking_mock::credentials).
    std::fs::write(
        &script,
        format!(
            r#"wrk.method = "PATCH"
wrk.body = '{{"trackingNumber":"BR000000001BR","courier":"Correios","trackingUrl":null,"dispatchedDate":null}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["X-VTEX-API-AppKey"] = "{}"
wrk.headers["X-VTEX-API-AppToken"] = "{}"
"#,
            "mock-app-key",
            "mock-app-token"
        ),
    )
    .ok()?;
    let url = format!("{base}/api/oms/pvt/orders/v1-01/invoice/1");
    // As many wrk threads as cores the load may use.
    let threads = if placement == Placement::Shared { 2 } else { 1 };
    let output = placed(placement, false, "wrk")
        .args([
            format!("-t{threads}"),
            format!("-c{connections}"),
            "-d4s".into(),
            "-s".into(),
        ])
        .arg(&script)
        .arg(url)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if text.contains("Non-2xx") {
        println!("warning: wrk saw non-2xx answers:\n{text}");
    }
    text.lines().find_map(|l| {
        l.strip_prefix("Requests/sec:")
            .and_then(|v| v.trim().parse().ok())
    })
}
