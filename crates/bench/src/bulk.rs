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
    let base = mock.base_url("vtex-oms").unwrap();
    let client = vtex_oms_client::Client::with_app_key(&base, "key", "token").unwrap();
    let pusher = Pusher::new().with_vtex(client);
    println!(
        "\n## bulk push: {SHIPMENTS} VTEX shipments (updatePartialInvoice) through order-tracking to the in-process mock"
    );
    println!(
        "{:<12} {:>14} {:>10}",
        "in flight", "shipments/s", "delivered"
    );
    let mut best: f64 = 0.0;
    for concurrency in [1, 8, 32, 128] {
        mock.clear_ledger();
        let shipments = futures_util::stream::iter((0..SHIPMENTS).map(|i| (i, shipment(i))));
        let started = Instant::now();
        let ok = pusher
            .push_all(shipments, concurrency)
            .filter(|(_, r)| futures_util::future::ready(r.is_ok()))
            .count()
            .await;
        let rate = SHIPMENTS as f64 / started.elapsed().as_secs_f64();
        best = best.max(rate);
        println!("{concurrency:<12} {rate:>14.0} {:>10}", mock.ledger().len());
        assert_eq!(ok, SHIPMENTS);
    }
    match ceiling(&base).await {
        Some(ceiling) => {
            println!("mock ceiling (wrk -t2 -c128 -d5s, same request): {ceiling:.0} requests/s");
            println!("best push / ceiling: {:.2}", best / ceiling);
        }
        None => println!("mock ceiling: wrk is not installed (apt-get install wrk)"),
    }
    mock.shutdown().await;
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
