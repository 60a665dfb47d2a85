//! 10,000 shipments through order-tracking to the mock at several
//! concurrencies, and the mock's own ceiling measured by wrk in the same run.

use std::time::Instant;

use futures_util::StreamExt;
use order_tracking::{Provider, Pusher, Shipment};
use tracking_mock::{MockConfig, MockServer};

const SHIPMENTS: usize = 10_000;

fn shipment(i: usize) -> Shipment {
    Shipment {
        provider: Some(Provider::VtexOms),
        order_ref: format!("v{i}-01"),
        tracking_number: format!("BR{i:09}BR"),
        carrier: Some("Correios".into()),
        invoice_number: Some(format!("{i}")),
        ..Default::default()
    }
}

pub async fn run() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    println!("\n## bulk push, mock in this process");
    measure(
        &mock.base_url("vtex-oms").unwrap(),
        || mock.ledger().len(),
        || mock.clear_ledger(),
    )
    .await;
    mock.shutdown().await;

    // The fairer set-up: the mock in its own process, like wrk's target.
    let exe = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .join("tracking-mock");
    if !exe.exists() {
        println!(
            "(no {}: cargo build --release -p tracking-mock for the separate-process run)",
            exe.display()
        );
        return;
    }
    let mut child = tokio::process::Command::new(exe)
        .args(["--addr", "127.0.0.1:47123"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    println!("\n## bulk push, mock in its own process");
    let ledger = || {
        std::process::Command::new("curl")
            .args(["-s", "http://127.0.0.1:47123/_mock/ledger"])
            .output()
            .ok()
            .and_then(|o| serde_json::from_slice::<Vec<serde_json::Value>>(&o.stdout).ok())
            .map_or(0, |l| l.len())
    };
    let clear = || {
        let _ = std::process::Command::new("curl")
            .args(["-s", "-X", "DELETE", "http://127.0.0.1:47123/_mock/ledger"])
            .output();
    };
    measure("http://127.0.0.1:47123/vtex-oms", ledger, clear).await;
    let _ = child.kill().await;
}

async fn measure(base: &str, ledger_len: impl Fn() -> usize, clear_ledger: impl Fn()) {
    let base = base.to_string();
    let client = vtex_oms_client::Client::with_app_key(&base, "key", "token").unwrap();
    let pusher = Pusher::new().with_vtex(client);
    println!("{SHIPMENTS} VTEX shipments (updatePartialInvoice) through order-tracking");
    println!(
        "{:<12} {:>14} {:>10}",
        "in flight", "shipments/s", "delivered"
    );
    let mut best: f64 = 0.0;
    for concurrency in [1, 8, 32, 128] {
        clear_ledger();
        let shipments = futures_util::stream::iter((0..SHIPMENTS).map(|i| (i, shipment(i))));
        let started = Instant::now();
        let ok = pusher
            .push_all(shipments, concurrency)
            .filter(|(_, r)| futures_util::future::ready(r.is_ok()))
            .count()
            .await;
        let rate = SHIPMENTS as f64 / started.elapsed().as_secs_f64();
        best = best.max(rate);
        println!("{concurrency:<12} {rate:>14.0} {:>10}", ledger_len());
        assert_eq!(ok, SHIPMENTS);
    }
    match ceiling(&base).await {
        Some(ceiling) => {
            println!("mock ceiling (wrk -t2 -c128 -d5s, same request): {ceiling:.0} requests/s");
            println!("best push / ceiling: {:.2}", best / ceiling);
        }
        None => println!("mock ceiling: wrk is not installed (apt-get install wrk)"),
    }
}

/// Requests a second the mock answers to wrk sending the same PATCH.
async fn ceiling(base: &str) -> Option<f64> {
    let script = std::env::temp_dir().join("tracking-bench-patch.lua");
    std::fs::write(
        &script,
        r#"wrk.method = "PATCH"
wrk.body = '{"trackingNumber":"BR000000001BR","courier":"Correios"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["X-VTEX-API-AppKey"] = "key"
wrk.headers["X-VTEX-API-AppToken"] = "token"
"#,
    )
    .ok()?;
    let url = format!("{base}/api/oms/pvt/orders/v1-01/invoice/1");
    let output = tokio::process::Command::new("wrk")
        .args(["-t2", "-c128", "-d5s", "-s"])
        .arg(&script)
        .arg(url)
        .output()
        .await
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
