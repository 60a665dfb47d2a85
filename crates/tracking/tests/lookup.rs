//! A Crux POST whose answer is lost is looked up before it is sent again, so
//! that it is applied exactly once; against the mock started `stateful`,
//! which answers 404 for a tracking number it never created, as Crux does.

mod common;

use std::time::Duration;

use order_tracking::{LineItem, Provider, PushError, Pusher, Shipment};
use tracking_mock::{Faults, LedgerEntry, MockConfig, MockServer, applied, tracking_number_counts};
use tracking_runtime::{ClientConfig, RetryPolicy};

const ORDER: &str = "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3";

async fn setup() -> (MockServer, Pusher) {
    let mock = MockServer::start(MockConfig::builtin().stateful())
        .await
        .unwrap();
    let config = ClientConfig::default().with_retry(RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(5),
        retry_unsafe_methods: false,
    });
    let pusher = common::pusher(&mock, &config);
    (mock, pusher)
}

fn crux(tracking: &str) -> Shipment {
    Shipment {
        provider: Some(Provider::Crux),
        order_ref: ORDER.into(),
        tracking_number: tracking.into(),
        carrier: Some("UPS".into()),
        ..Default::default()
    }
}

/// Faults on Crux's add-tracking POST only.
fn on_the_post(faults: Faults) -> Faults {
    Faults {
        only: vec!["addOrderTracking".into()],
        ..faults
    }
}

/// The message of an error that leaves Crux's add-tracking POST in doubt.
fn in_doubt_post(error: &PushError) -> &str {
    match error {
        PushError::Failed {
            operation: "addOrderTracking",
            in_doubt: true,
            message,
            ..
        } => message,
        _ => panic!("not an add-tracking POST in doubt: {error:?}"),
    }
}

fn operations(ledger: &[LedgerEntry]) -> Vec<&str> {
    ledger.iter().map(|e| e.operation.as_str()).collect()
}

#[tokio::test]
async fn a_post_applied_whose_answer_was_lost_is_found_and_not_sent_again() {
    let (mock, pusher) = setup().await;
    mock.set_faults(on_the_post(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    }))
    .unwrap();

    let receipt = pusher.push(&crux("1Z1")).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(receipt.operations, ["addOrderTracking"]);

    let ledger = mock.ledger();
    assert_eq!(
        operations(&ledger),
        ["addOrderTracking", "updateOrderTracking"]
    );
    // The lookup changes nothing: an empty body on that tracking number.
    let lookup = &ledger[1];
    assert_eq!(lookup.body, Some(serde_json::json!({})));
    assert_eq!(lookup.path_params["tracking_number"], "1Z1");
    assert_eq!(lookup.path_params["order_uuid"], ORDER);
    assert_eq!(
        tracking_number_counts(applied(&ledger)),
        [("1Z1".to_string(), 1)].into()
    );
}

#[tokio::test]
async fn a_post_lost_before_it_was_applied_is_sent_again_after_the_lookup_says_so() {
    let (mock, pusher) = setup().await;
    // Every POST is lost: each round looks up (404) and sends again, and
    // after three the push gives up, in doubt, with nothing applied.
    mock.set_faults(on_the_post(Faults {
        drop_connection: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let error = pusher.push(&crux("1Z2")).await.unwrap_err();
    let message = in_doubt_post(&error);
    assert!(message.contains("no answer after 3 lookups"), "{message}");
    assert!(mock.ledger().is_empty(), "{:?}", mock.ledger());

    // The next attempt, a resume (as after a crash), looks up, finds
    // nothing, and sends it once.
    mock.set_faults(Faults::none()).unwrap();
    let (provider, plan) = pusher.check(&crux("1Z2")).unwrap();
    let receipt = pusher.resume(provider, plan).await.unwrap();
    assert!(!receipt.already_applied);
    assert_eq!(operations(&mock.ledger()), ["addOrderTracking"]);
}

#[tokio::test]
async fn a_resume_after_a_delivered_send_sends_nothing_again() {
    let (mock, pusher) = setup().await;
    pusher.push(&crux("1Z3")).await.unwrap();
    let (provider, plan) = pusher.check(&crux("1Z3")).unwrap();
    let receipt = pusher.resume(provider, plan).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        ["addOrderTracking", "updateOrderTracking"]
    );
}

#[tokio::test]
async fn a_failed_lookup_leaves_the_shipment_in_doubt_and_sends_nothing() {
    let (mock, pusher) = setup().await;
    mock.set_faults(Faults {
        unavailable: 1.0,
        ..Faults::none()
    })
    .unwrap();
    let (provider, plan) = pusher.check(&crux("1Z4")).unwrap();
    let error = pusher.resume(provider, plan).await.unwrap_err();
    let message = in_doubt_post(&error);
    assert!(message.contains("looking it up failed"), "{message}");
    assert!(message.contains("503"), "{message}");
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn a_plan_without_a_lookup_is_not_resumed() {
    let (mock, pusher) = setup().await;
    let invoice = Shipment {
        provider: Some(Provider::VtexOms),
        order_ref: "v1-01".into(),
        tracking_number: "BR1".into(),
        invoice_number: Some("77".into()),
        invoice_value: Some("49.90".parse().unwrap()),
        line_items: vec![LineItem {
            id: "1".into(),
            quantity: 1,
            price: Some("49.90".parse().unwrap()),
        }],
        ..Default::default()
    };
    let (provider, plan) = pusher.check(&invoice).unwrap();
    assert!(!plan.has_lookup() && !plan.repeatable());
    let error = pusher.resume(provider, plan).await.unwrap_err();
    assert!(
        matches!(
            &error,
            PushError::Failed {
                operation: "invoiceNotification",
                in_doubt: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(mock.ledger().is_empty());

    // A plan whose calls may be repeated is simply sent again.
    let partial = Shipment {
        invoice_value: None,
        line_items: Vec::new(),
        ..invoice.clone()
    };
    pusher.push(&invoice).await.unwrap();
    let (provider, plan) = pusher.check(&partial).unwrap();
    let receipt = pusher.resume(provider, plan).await.unwrap();
    assert!(!receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        ["invoiceNotification", "updatePartialInvoice"]
    );
}
