//! A Crux POST whose answer is lost is looked up before it is sent again, so
//! that it is applied exactly once; against the mock started `stateful`,
//! which answers 404 for a tracking number it never created, as Crux does.

use crate::common;

use std::time::Duration;

use order_tracking::providers::crux;
use order_tracking::{LineItem, Provider, PushError, Shipment};
use tracking_mock::{Faults, LedgerEntry, applied, tracking_number_counts};

const ORDER: &str = "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3";

fn crux(tracking: &str) -> Shipment {
    Shipment {
        provider: Some(Provider::CRUX),
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
    let (mock, pusher) = common::stateful().await;
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
    // The lookup sets the add's own fields, without the number: nothing
    // changes, and it counts for no shipment.
    let lookup = &ledger[1];
    assert_eq!(lookup.body, Some(serde_json::json!({"carrier": "UPS"})));
    assert_eq!(lookup.path_params["tracking_number"], "1Z1");
    assert_eq!(lookup.path_params["order_uuid"], ORDER);
    assert_eq!(
        tracking_number_counts(applied(&ledger)),
        [("1Z1".to_string(), 1)].into()
    );
}

#[tokio::test]
async fn a_post_lost_before_it_was_applied_is_sent_again_after_the_lookup_says_so() {
    let (mock, pusher) = common::stateful().await;
    // Every POST is lost before it is applied: each is looked up (404) and
    // sent again; after three the last lookup says none was applied yet, but
    // the last may still be: the push fails in doubt, to be looked up first.
    mock.set_faults(on_the_post(Faults {
        drop_connection: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let error = pusher.push(&crux("1Z2")).await.unwrap_err();
    common::assert_lost_three_times(&error, "addOrderTracking");
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
    let (mock, pusher) = common::stateful().await;
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
    let (mock, pusher) = common::stateful().await;
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
    let (mock, pusher) = common::stateful().await;
    let invoice = Shipment {
        provider: Some(Provider::VTEX_OMS),
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

#[tokio::test]
async fn drops_before_and_after_applying_leave_every_add_applied_once_or_failed() {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(on_the_post(Faults {
        drop_connection: 0.3,
        drop_after_apply: 0.3,
        ..Faults::none()
    }))
    .unwrap();
    let mut found = 0;
    let mut outcomes = Vec::new();
    for i in 0..30 {
        let number = format!("1Z-{i}");
        let pushed = pusher.push(&crux(&number)).await;
        if let Ok(receipt) = &pushed {
            found += usize::from(receipt.already_applied);
        }
        outcomes.push((number, pushed));
    }
    let adds: Vec<_> = mock
        .ledger()
        .into_iter()
        .filter(|e| e.operation == "addOrderTracking")
        .collect();
    let counts = tracking_number_counts(&adds);
    for (number, pushed) in &outcomes {
        let applied = counts.get(number).copied().unwrap_or(0);
        match pushed {
            Ok(_) => assert_eq!(applied, 1, "{number}"),
            Err(e) => {
                assert!(
                    matches!(
                        e,
                        PushError::Failed {
                            in_doubt: false,
                            ..
                        }
                    ),
                    "{number}: {e:?}"
                );
                assert_eq!(applied, 0, "{number}");
            }
        }
    }
    // Lookups found adds applied before their connection dropped (a drop
    // before applying, looked up and resent, is the test above).
    assert!(found > 0, "no lookup found an applied add");
}

#[tokio::test]
async fn the_lookup_waits_for_a_provider_still_applying_the_add() {
    let (mock, pusher) = common::stateful().await;
    // The add is applied a second after its connection dropped.
    mock.set_faults(on_the_post(Faults {
        apply_late: 1.0,
        delay_ms: 1000,
        ..Faults::none()
    }))
    .unwrap();
    let patient = pusher.clone().with_lookup_delay(Duration::from_secs(3));
    let receipt = patient.push(&crux("1Z7")).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        ["addOrderTracking", "updateOrderTracking"]
    );

    // Looking too soon misses it, and the add is applied more than once:
    // what the delay is for.
    let hasty = pusher.with_lookup_delay(Duration::ZERO);
    let _ = hasty.push(&crux("1Z8")).await;
    mock.settle().await;
    let adds = mock
        .ledger()
        .iter()
        .filter(|e| e.tracking_numbers() == ["1Z8"])
        .count();
    assert!(adds > 1, "{:?}", mock.ledger());
}

#[tokio::test]
async fn an_order_with_only_some_of_the_numbers_is_left_in_doubt() {
    let (mock, pusher) = common::stateful().await;
    pusher.push(&crux("1Z5")).await.unwrap();
    let (provider, mut plan) = pusher.check(&crux("1Z5")).unwrap();
    let Some(crux::Calls::Add { body, .. }) = plan.calls_mut() else {
        panic!("{plan:?}")
    };
    let mut other = body.tracking_numbers[0].clone();
    other.tracking = "1Z6".parse().unwrap();
    body.tracking_numbers.push(other);
    let error = pusher.resume(provider, plan).await.unwrap_err();
    let message = in_doubt_post(&error);
    assert!(
        message.contains("some of its tracking numbers"),
        "{message}"
    );
    assert_eq!(
        tracking_number_counts(&mock.ledger()),
        [("1Z5".to_string(), 1)].into()
    );
}

#[tokio::test]
async fn an_add_with_nothing_but_the_number_has_no_lookup() {
    let (mock, pusher) = common::stateful().await;
    // Its lookup would be an empty update, which Crux does not document.
    let bare = Shipment {
        carrier: None,
        ..crux("1Z9")
    };
    let (provider, plan) = pusher.check(&bare).unwrap();
    assert!(!plan.has_lookup() && !plan.resumable());
    mock.set_faults(on_the_post(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let error = pusher.send(provider, plan).await.unwrap_err();
    let message = in_doubt_post(&error);
    assert!(message.contains("addOrderTracking"), "{message}");
    assert_eq!(operations(&mock.ledger()), ["addOrderTracking"]);
}
