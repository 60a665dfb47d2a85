//! Every request the VTEX client puts on the wire, for every row shape
//! `order-tracking` can plan (each combination of the optional fields:
//! carrier, URL, dispatch time, invoice value and items, delivery, events),
//! is valid under VTEX's own document as well as ours.
//!
//! VTEX's document is not committed (its repository shows no licence): the
//! test reads `tests/fixtures/vtex-shapes.json`, of this project's own
//! making, which reproduces the shapes of VTEX's document for these
//! operations, or the document named by `UPSTREAM_VTEX_DOCUMENT` (set it to
//! VTEX's published document to check against that; CI uses the fixture).

use std::path::PathBuf;

use order_tracking::{LineItem, Provider, Pusher, Shipment, TrackingEvent};
use tracking_contract::{Contract, Request};
use tracking_mock::{MockConfig, MockServer};

const OPTIONS: [&str; 6] = [
    "carrier",
    "tracking_url",
    "shipped_at",
    "invoice_value",
    "delivered_at",
    "events",
];

/// The row with the options whose bits are set in `mask`.
fn row(mask: usize) -> Shipment {
    let has = |option: &str| {
        let bit = OPTIONS.iter().position(|o| *o == option).unwrap();
        mask & (1 << bit) != 0
    };
    let price = || "24.95".parse().unwrap();
    Shipment {
        provider: Some(Provider::VTEX_OMS),
        order_ref: format!("v{mask}-01"),
        tracking_number: format!("BR{mask:09}BR"),
        invoice_number: Some(format!("INV-{mask}")),
        carrier: has("carrier").then(|| "Correios".into()),
        tracking_url: has("tracking_url").then(|| format!("https://track.example.com/{mask}")),
        shipped_at: has("shipped_at").then(|| "2024-04-09T15:00:00Z".parse().unwrap()),
        invoice_value: has("invoice_value").then(|| "49.90".parse().unwrap()),
        line_items: if has("invoice_value") {
            vec![LineItem {
                id: "1".into(),
                quantity: 2,
                price: Some(price()),
            }]
        } else {
            Vec::new()
        },
        delivered_at: has("delivered_at").then(|| "2024-04-11T18:05:00Z".parse().unwrap()),
        events: if has("events") {
            vec![TrackingEvent {
                city: Some("Rio de Janeiro".into()),
                state: Some("RJ".into()),
                description: "Coletado pela transportadora".into(),
                date: "2024-04-09".parse().unwrap(),
            }]
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

fn vtex_document() -> PathBuf {
    std::env::var_os("UPSTREAM_VTEX_DOCUMENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/vtex-shapes.json")
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vtex_request_of_every_row_shape_is_valid_under_vtexs_document_and_ours() {
    let document = vtex_document();
    let text = std::fs::read_to_string(&document).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let theirs = Contract::from_json(&document, json).unwrap();

    // The mock checks every request against our spec, and records it.
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let client = vtex_oms_client::Client::with_app_key(
        &mock.base_url("vtex-oms").unwrap(),
        "mock-app-key",
        "mock-app-token",
    )
    .unwrap();
    let pusher = Pusher::new().with_client(client);
    let shapes = 1 << OPTIONS.len();
    for mask in 0..shapes {
        let shipment = row(mask);
        if let Err(e) = pusher.push(&shipment).await {
            panic!("row shape {mask:06b} ({:?}): {e}", shipment);
        }
    }

    let ledger = mock.ledger();
    let mut violations = Vec::new();
    for entry in &ledger {
        let request = Request {
            method: &entry.method,
            path: &entry.path,
            body: entry.body.as_ref(),
            ..Default::default()
        };
        if let Err(found) = theirs.validate_request(&request) {
            for v in found {
                violations.push(format!(
                    "{} {} #{}: {v}",
                    entry.operation, entry.path, entry.seq
                ));
            }
        }
    }
    let refused: std::collections::BTreeSet<&str> = violations
        .iter()
        .filter_map(|v| v.split(':').next())
        .collect();
    println!(
        "{} of {} requests valid under {}",
        ledger.len() - refused.len(),
        ledger.len(),
        document.display()
    );
    // 64 shapes: one invoice call each, and the events PUT for the 48 with
    // a delivery or events.
    assert_eq!(ledger.len(), shapes + shapes * 3 / 4, "{ledger:#?}");
    assert!(
        violations.is_empty(),
        "{} of {} requests refused by {} ({} violations):\n{}",
        refused.len(),
        ledger.len(),
        document.display(),
        violations.len(),
        violations.join("\n")
    );
}
