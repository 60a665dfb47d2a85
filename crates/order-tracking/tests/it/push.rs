//! order-tracking against the mock providers: each provider gets the right
//! calls, invalid shipments are refused field by field without a request,
//! and bulk pushes respect their concurrency and rate limits.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common;

use futures_util::StreamExt;
use order_tracking::{LineItem, Provider, PushError, Pusher, Shipment, TrackingEvent};
use tracking_mock::{MockConfig, MockServer};
use tracking_runtime::ClientConfig;

async fn setup() -> (MockServer, Pusher) {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let pusher = common::pusher(&mock, &ClientConfig::default());
    (mock, pusher)
}

fn crux(tracking: &str) -> Shipment {
    Shipment {
        provider: Some(Provider::CRUX),
        order_ref: "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3".into(),
        tracking_number: tracking.into(),
        carrier: Some("UPS".into()),
        service: Some("Ground".into()),
        cost: Some("34.38".parse().unwrap()),
        line_items: vec![LineItem {
            id: "e2c1bcab-43ef-48b8-9aa7-513755a92abc".into(),
            quantity: 2,
            price: Some("27".parse().unwrap()),
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn each_provider_gets_its_calls() {
    let (mock, pusher) = setup().await;
    let receipt = pusher.push(&crux("1Z1")).await.unwrap();
    assert_eq!(receipt.operations, ["addOrderTracking"]);

    let vtex = Shipment {
        provider: Some(Provider::VTEX_OMS),
        order_ref: "v1-01".into(),
        tracking_number: "BR1".into(),
        carrier: Some("Correios".into()),
        invoice_number: Some("0102".into()),
        invoice_value: Some("49.90".parse().unwrap()),
        line_items: vec![LineItem {
            id: "1".into(),
            quantity: 1,
            price: Some("49.90".parse().unwrap()),
        }],
        events: vec![TrackingEvent {
            city: Some("Rio de Janeiro".into()),
            state: Some("RJ".into()),
            description: "Coletado".into(),
            date: "2024-04-09".parse().unwrap(),
        }],
        ..Default::default()
    };
    let receipt = pusher.push(&vtex).await.unwrap();
    assert_eq!(
        receipt.operations,
        ["invoiceNotification", "updateTrackingStatus"]
    );
    assert!(receipt.reference.is_some(), "VTEX's receipt is kept");

    let sellercloud = Shipment {
        provider: Some(Provider::SELLERCLOUD),
        order_ref: "18227".into(),
        tracking_number: "C1".into(),
        carrier: Some("OnTrac".into()),
        target: Some("po-multiple".into()),
        ..Default::default()
    };
    assert_eq!(
        pusher.push(&sellercloud).await.unwrap().operations,
        ["addPurchaseOrderTrackingNumbers"]
    );

    let ledger = mock.ledger();
    let sent = |op: &str| {
        ledger
            .iter()
            .find(|e| e.operation == op)
            .and_then(|e| e.body.clone())
            .unwrap()
    };
    let crux_body = sent("addOrderTracking");
    assert_eq!(
        crux_body["tracking_numbers"][0]["line_items"][0]["quantity"],
        2
    );
    assert_eq!(crux_body["tracking_numbers"][0]["ship_cost"], 34.38);
    let invoice = sent("invoiceNotification");
    assert_eq!(
        invoice["invoiceValue"], "4990",
        "VTEX takes cents as a string"
    );
    assert_eq!(invoice["items"][0]["price"], 4990);
    assert_eq!(invoice["trackingNumber"], "BR1");
    let multiple = sent("addPurchaseOrderTrackingNumbers");
    assert_eq!(multiple["TrackingNumbers"][0]["ShippingCarrier"], "Other");
    assert_eq!(multiple["TrackingNumbers"][0]["OtherCarrier"], "OnTrac");
}

#[tokio::test]
async fn invalid_shipments_are_refused_field_by_field_without_a_request() {
    let (mock, pusher) = setup().await;
    let bad = Shipment {
        order_ref: "not-a-uuid".into(),
        tracking_number: " ".into(),
        ..crux("x")
    };
    let Err(PushError::Invalid(errors)) = pusher.push(&bad).await else {
        panic!("accepted")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["tracking_number", "order_ref", "tracking_number"]);

    let order = Shipment {
        provider: Some(Provider::SELLERCLOUD),
        order_ref: "12".into(),
        tracking_number: "T".into(),
        ..Default::default()
    };
    let Err(PushError::Invalid(errors)) = pusher.push(&order).await else {
        panic!("accepted")
    };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "carrier: required for a SellerCloud sales order",
            "service: required for a SellerCloud sales order",
            "shipped_at: required for a SellerCloud sales order"
        ]
    );

    let no_provider = Shipment {
        provider: None,
        ..crux("x")
    };
    assert_eq!(
        pusher.push(&no_provider).await.unwrap_err(),
        PushError::NoProvider
    );
    assert!(mock.ledger().is_empty(), "nothing was sent");

    let only_crux = Pusher::new().with_default_provider(Some(Provider::VTEX_OMS));
    let vtex = Shipment {
        provider: None,
        invoice_number: Some("1".into()),
        order_ref: "o".into(),
        tracking_number: "t".into(),
        ..Default::default()
    };
    assert_eq!(
        only_crux.push(&vtex).await.unwrap_err(),
        PushError::NotConfigured(Provider::VTEX_OMS)
    );
}

/// A provider stand-in that counts how many requests it holds at once.
async fn counting_server() -> (String, Arc<AtomicUsize>) {
    let (now, max) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let seen = max.clone();
    let app = axum::Router::new().fallback(move || {
        let (now, max) = (now.clone(), max.clone());
        async move {
            let current = now.fetch_add(1, Ordering::SeqCst) + 1;
            max.fetch_max(current, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            now.fetch_sub(1, Ordering::SeqCst);
            axum::http::StatusCode::CREATED
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_push_keeps_to_its_concurrency_and_tags_each_result() {
    let (url, max_in_flight) = counting_server().await;
    let pusher = Pusher::new().with_client(crux_client::Client::with_token(&url, "t").unwrap());
    let shipments = futures_util::stream::iter((0..40).map(|i| (i, crux(&format!("T{i}")))));
    let results: Vec<(usize, bool)> = pusher
        .push_all(shipments, 8)
        .map(|(i, r)| (i, r.is_ok()))
        .collect()
        .await;
    assert!(results.iter().all(|(_, ok)| *ok));
    let mut tags: Vec<usize> = results.iter().map(|(i, _)| *i).collect();
    tags.sort();
    assert_eq!(
        tags,
        (0..40).collect::<Vec<_>>(),
        "one result per shipment, with its tag"
    );
    let max = max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 8, "{max} in flight at once, limit 8");
    assert!(max > 1, "never concurrent");
}

#[tokio::test]
async fn a_rate_limit_spaces_the_calls() {
    let (mock, pusher) = setup().await;
    let pusher = pusher.with_rate_limit(Provider::CRUX, 20.0);
    let started = Instant::now();
    let shipments = futures_util::stream::iter((0..10).map(|i| (i, crux(&format!("R{i}")))));
    let results: Vec<_> = pusher.push_all(shipments, 10).collect().await;
    assert!(results.iter().all(|(_, r)| r.is_ok()));
    // 10 starts at 20 a second: the last starts 450 ms after the first.
    assert!(
        started.elapsed() >= Duration::from_millis(440),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mock.ledger().len(), 10);
}

#[tokio::test]
async fn a_plan_knows_its_calls_and_whether_it_may_be_sent_again() {
    let (_mock, pusher) = setup().await;
    let vtex_partial = |events: Vec<TrackingEvent>| Shipment {
        provider: Some(Provider::VTEX_OMS),
        order_ref: "v1-01".into(),
        tracking_number: "BR1".into(),
        invoice_number: Some("0102".into()),
        events,
        ..Default::default()
    };
    let event = TrackingEvent {
        city: Some("Rio de Janeiro".into()),
        state: Some("RJ".into()),
        description: "Coletado".into(),
        date: "2024-04-09".parse().unwrap(),
    };
    let sellercloud = |target: &str| Shipment {
        provider: Some(Provider::SELLERCLOUD),
        order_ref: "18227".into(),
        tracking_number: "C1".into(),
        carrier: Some("UPS".into()),
        service: Some("Ground".into()),
        shipped_at: Some("2024-04-09T12:26:18Z".parse().unwrap()),
        target: Some(target.into()),
        ..Default::default()
    };
    let vtex_invoice = |events: Vec<TrackingEvent>| Shipment {
        invoice_value: Some("49.90".parse().unwrap()),
        line_items: vec![LineItem {
            id: "1".into(),
            quantity: 1,
            price: Some("49.90".parse().unwrap()),
        }],
        ..vtex_partial(events)
    };
    // A call that may not be repeated anywhere in the plan makes it unsafe
    // to send again: a POST, or VTEX's events PUT (`x-idempotent: false`).
    // PUTs and the PATCH the VTEX spec marks `x-idempotent` are safe.
    let cases = [
        (crux("1Z9"), false),
        (vtex_partial(vec![]), true),
        (vtex_partial(vec![event.clone()]), false),
        (vtex_invoice(vec![]), false),
        (vtex_invoice(vec![event]), false),
        (sellercloud("order"), true),
        (sellercloud("po"), true),
        (sellercloud("po-multiple"), false),
    ];
    for (shipment, repeatable) in cases {
        let (provider, plan) = pusher.check(&shipment).unwrap();
        assert_eq!(plan.repeatable(), repeatable, "{plan:?}");
        let operations = plan.operations();
        let receipt = pusher.send(provider, plan).await.unwrap();
        assert_eq!(
            receipt.operations, operations,
            "the plan names what is sent"
        );
    }
}

#[test]
fn rows_vtex_would_refuse_are_refused_before_anything_is_sent() {
    let shipment = Shipment {
        provider: Some(Provider::VTEX_OMS),
        order_ref: "v1-01".into(),
        tracking_number: "BR1".into(),
        invoice_number: Some("inv".into()),
        invoice_value: Some("0.00".parse().unwrap()),
        line_items: vec![order_tracking::LineItem {
            id: "1".into(),
            quantity: 1,
            price: Some("0.00".parse().unwrap()),
        }],
        events: vec![TrackingEvent {
            city: None,
            state: Some(" ".into()),
            description: "Coletado".into(),
            date: "2024-04-09".parse().unwrap(),
        }],
        ..Default::default()
    };
    let errors = order_tracking::plan(&shipment, Provider::VTEX_OMS).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["events[0].city", "events[0].state", "invoice_value"],
        "{errors:?}"
    );
    assert!(
        errors.iter().all(|e| e.message.contains("VTEX")),
        "{errors:?}"
    );
}
