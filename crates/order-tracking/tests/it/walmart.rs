//! A Walmart shipping update is applied once: the order is read before
//! every send, lines that carry the row's tracking number make it
//! delivered, lines shipped under another number make it a changed row,
//! and an update whose answer was lost is sent again only when no line
//! carries its number. Against the mock started `stateful`, whose
//! getAnOrder shows the line statuses its updates set, and whose token
//! endpoint issues the tokens its calls need in `WM_SEC.ACCESS_TOKEN`.

use crate::common;

use order_tracking::{LineItem, Provider, PushError, Shipment, plan_change};
use tracking_mock::{Faults, LedgerEntry, applied, tracking_number_counts};

/// The mock's purchase order (getAnOrder's example): line 1 (one of it)
/// and line 2 (two), both acknowledged, seller order 92344, method Value.
const ORDER: &str = "1815367951431";

fn shipment(tracking: &str) -> Shipment {
    Shipment {
        provider: Some(Provider::WALMART),
        order_ref: ORDER.into(),
        tracking_number: tracking.into(),
        carrier: Some("UPS".into()),
        line_items: vec![LineItem {
            id: "1".into(),
            quantity: 1,
            price: None,
        }],
        ..Default::default()
    }
}

fn operations(ledger: &[LedgerEntry]) -> Vec<&str> {
    ledger.iter().map(|e| e.operation.as_str()).collect()
}

fn on_the_update(faults: Faults) -> Faults {
    Faults {
        only: vec!["shippingUpdates".into()],
        ..faults
    }
}

#[tokio::test]
async fn an_update_ships_the_rows_lines_with_the_orders_seller_id_and_method() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        shipped_at: Some("2026-12-04T19:09:02Z".parse().unwrap()),
        line_items: vec![
            LineItem {
                id: "1".into(),
                quantity: 1,
                price: None,
            },
            LineItem {
                id: "2".into(),
                quantity: 2,
                price: None,
            },
        ],
        ..shipment("1Z999AA10123456784")
    };
    let receipt = pusher.push(&row).await.unwrap();
    assert_eq!(receipt.operations, ["shippingUpdates"]);
    assert!(!receipt.already_applied);
    let ledger = mock.ledger();
    assert_eq!(operations(&ledger), ["getAnOrder", "shippingUpdates"]);
    let lines = &ledger[1].body.as_ref().unwrap()["orderShipment"]["orderLines"]["orderLine"];
    assert_eq!(lines.as_array().unwrap().len(), 2);
    let line = &lines[1];
    assert_eq!(line["lineNumber"], "2");
    assert_eq!(line["sellerOrderId"], "92344");
    let status = &line["orderLineStatuses"]["orderLineStatus"][0];
    assert_eq!(status["status"], "Shipped");
    assert_eq!(status["statusQuantity"]["amount"], "2");
    let tracking = &status["trackingInfo"];
    assert_eq!(tracking["carrierName"]["carrier"], "UPS");
    assert_eq!(tracking["methodCode"], "Value");
    assert_eq!(tracking["shipDateTime"], 1_796_411_342_000_i64);
    assert_eq!(tracking["trackingNumber"], "1Z999AA10123456784");
}

#[tokio::test]
async fn a_carrier_walmart_does_not_name_goes_with_its_tracking_url_or_is_refused() {
    let (mock, pusher) = common::stateful().await;
    let without_url = Shipment {
        carrier: Some("Purolator".into()),
        ..shipment("329000000001")
    };
    let PushError::Invalid(fields) = pusher.push(&without_url).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(fields[0].field, "tracking_url", "{fields:?}");
    assert!(mock.ledger().is_empty());
    let with_url = Shipment {
        tracking_url: Some("https://www.purolator.com/en/shipping/tracker?pin=329000000001".into()),
        service: Some("express".into()),
        target: Some("SO-1".into()),
        ..without_url
    };
    pusher.push(&with_url).await.unwrap();
    let body = mock.ledger()[1].body.clone().unwrap();
    let line = &body["orderShipment"]["orderLines"]["orderLine"][0];
    assert_eq!(line["sellerOrderId"], "SO-1");
    let tracking = &line["orderLineStatuses"]["orderLineStatus"][0]["trackingInfo"];
    assert_eq!(tracking["carrierName"]["otherCarrier"], "Purolator");
    assert!(tracking["carrierName"].get("carrier").is_none());
    assert_eq!(tracking["methodCode"], "Express");
    assert_eq!(
        tracking["trackingURL"],
        "https://www.purolator.com/en/shipping/tracker?pin=329000000001"
    );
}

#[tokio::test]
async fn an_update_applied_whose_answer_was_lost_is_found_on_the_lines_and_not_sent_again() {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(on_the_update(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let receipt = pusher.push(&shipment("1Z1")).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        ["getAnOrder", "shippingUpdates", "getAnOrder"]
    );
    assert_eq!(
        tracking_number_counts(applied(&mock.ledger())),
        [("1Z1".to_string(), 1)].into()
    );
}

#[tokio::test]
async fn an_update_lost_before_it_was_applied_is_sent_again_once_the_lines_lack_it() {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(on_the_update(Faults {
        drop_connection: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let error = pusher.push(&shipment("1Z2")).await.unwrap_err();
    common::assert_lost_three_times(&error, "shippingUpdates");
    mock.set_faults(Faults::none()).unwrap();
    let (provider, plan) = pusher.check(&shipment("1Z2")).unwrap();
    let receipt = pusher.resume(provider, plan).await.unwrap();
    assert!(!receipt.already_applied);
    assert_eq!(
        tracking_number_counts(applied(&mock.ledger())),
        [("1Z2".to_string(), 1)].into()
    );
}

#[tokio::test]
async fn a_row_pushed_again_is_delivered_without_a_send() {
    let (mock, pusher) = common::stateful().await;
    pusher.push(&shipment("1Z3")).await.unwrap();
    let receipt = pusher.push(&shipment("1Z3")).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        ["getAnOrder", "shippingUpdates", "getAnOrder"]
    );
}

#[tokio::test]
async fn a_line_shipped_under_another_number_is_a_changed_row_and_nothing_is_sent() {
    let (mock, pusher) = common::stateful().await;
    pusher.push(&shipment("1Z4")).await.unwrap();
    let error = pusher.push(&shipment("1Z5")).await.unwrap_err();
    let PushError::Invalid(fields) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(fields[0].field, "tracking_number");
    assert!(
        fields[0].message.contains("line 1 with 1Z4")
            && fields[0].message.contains("A changed row"),
        "{fields:?}"
    );
    assert_eq!(
        operations(&mock.ledger()),
        ["getAnOrder", "shippingUpdates", "getAnOrder"]
    );
}

#[tokio::test]
async fn a_row_without_lines_ships_every_line_left() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        line_items: Vec::new(),
        ..shipment("1Z6")
    };
    pusher.push(&row).await.unwrap();
    let ledger = mock.ledger();
    let lines = &ledger[1].body.as_ref().unwrap()["orderShipment"]["orderLines"]["orderLine"];
    let shipped: Vec<(&str, &str)> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["lineNumber"].as_str().unwrap(),
                l["orderLineStatuses"]["orderLineStatus"][0]["statusQuantity"]["amount"]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(shipped, [("1", "1"), ("2", "2")]);
    // Nothing is left for another package of the whole order.
    let next = Shipment {
        line_items: Vec::new(),
        ..shipment("1Z7")
    };
    let PushError::Invalid(fields) = pusher.push(&next).await.unwrap_err() else {
        panic!()
    };
    assert!(
        fields[0]
            .message
            .contains("has no line left to ship on Walmart"),
        "{fields:?}"
    );
}

#[tokio::test]
async fn a_row_walmart_cannot_take_is_refused_naming_its_fields_and_nothing_is_sent() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        service: Some("Ground".into()),
        delivered_at: Some("2026-12-05T10:00:00Z".parse().unwrap()),
        carrier: None,
        ..shipment("1Z8")
    };
    let PushError::Invalid(fields) = pusher.push(&row).await.unwrap_err() else {
        panic!()
    };
    let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, ["delivered_at", "service", "carrier"], "{fields:?}");
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn a_change_is_not_sent_and_says_what_to_do_instead() {
    let old = shipment("1Z9");
    let new = Shipment {
        carrier: Some("FedEx".into()),
        ..shipment("1Z9")
    };
    let text = plan_change(&old, &new, Provider::WALMART)
        .unwrap_err()
        .to_string();
    assert!(text.contains("Seller Center"), "{text}");
}

#[tokio::test]
async fn refused_client_credentials_are_refused_credentials_and_never_shown() {
    let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin())
        .await
        .unwrap();
    let token = walmart_client::auth::client_token(
        &mock.token_url("walmart").unwrap(),
        tracking_mock::token::CLIENT_ID,
        "revoked-client-SECRET",
    )
    .unwrap();
    let client =
        walmart_client::Client::with_client_token(&mock.base_url("walmart").unwrap(), token)
            .unwrap();
    let pusher = order_tracking::Pusher::new().with_client(client);
    let error = pusher.push(&shipment("1Z10")).await.unwrap_err();
    let PushError::Failed { status, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*status, Some(401), "{error}");
    assert!(!format!("{error:?}{error}").contains("revoked-client-SECRET"));
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn two_rows_of_one_order_in_flight_at_once_never_both_ship_what_is_left() {
    let (mock, pusher) = common::stateful().await;
    let rows = [
        Shipment {
            line_items: Vec::new(),
            ..shipment("1Z11")
        },
        Shipment {
            line_items: Vec::new(),
            ..shipment("1Z12")
        },
    ];
    let (first, second) = tokio::join!(pusher.push(&rows[0]), pusher.push(&rows[1]));
    // One ships every line; the other reads after it and finds none left.
    let refused = [&first, &second]
        .iter()
        .filter(|r| matches!(r, Err(PushError::Invalid(_))))
        .count();
    assert_eq!(refused, 1, "{first:?} {second:?}");
    let updates = mock
        .ledger()
        .iter()
        .filter(|e| e.operation == "shippingUpdates")
        .count();
    assert_eq!(updates, 1);
}
