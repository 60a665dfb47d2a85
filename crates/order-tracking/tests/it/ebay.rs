//! An eBay fulfillment is created once: when the create's answer is lost,
//! the order's fulfillments are read, and it is sent again only when none
//! carries the tracking number. Against the mock started `stateful`, whose
//! fulfillment list holds the fulfillments created through it, and whose
//! token endpoint issues the access tokens its calls need.

use crate::common;

use order_tracking::{LineItem, Provider, PushError, Shipment, plan_change};
use tracking_mock::{Faults, LedgerEntry, applied, tracking_number_counts};

fn shipment(tracking: &str) -> Shipment {
    Shipment {
        provider: Some(Provider::EBAY),
        order_ref: "01-03955-36441".into(),
        tracking_number: tracking.into(),
        carrier: Some("USPS".into()),
        line_items: vec![LineItem {
            id: "10000001234101".into(),
            quantity: 2,
            price: None,
        }],
        ..Default::default()
    }
}

fn operations(ledger: &[LedgerEntry]) -> Vec<&str> {
    ledger.iter().map(|e| e.operation.as_str()).collect()
}

fn on_the_create(faults: Faults) -> Faults {
    Faults {
        only: vec!["createShippingFulfillment".into()],
        ..faults
    }
}

#[tokio::test]
async fn a_fulfillment_is_created_with_the_carriers_ebay_code_and_its_id_kept() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        carrier: Some("DHL eCommerce".into()),
        shipped_at: Some("2026-12-04T19:09:02Z".parse().unwrap()),
        ..shipment("9400100000000000000001")
    };
    let receipt = pusher.push(&row).await.unwrap();
    assert_eq!(receipt.operations, ["createShippingFulfillment"]);
    // The id of eBay's Location (the mock answers the spec's example).
    assert_eq!(
        receipt.reference.as_deref(),
        Some("fulfillment 9405509699937003457459")
    );
    let ledger = mock.ledger();
    let body = ledger[0].body.as_ref().unwrap();
    assert_eq!(body["shippingCarrierCode"], "DHLGlobalMail");
    assert_eq!(body["trackingNumber"], "9400100000000000000001");
    assert_eq!(body["shippedDate"], "2026-12-04T19:09:02Z");
    assert_eq!(
        body["lineItems"],
        serde_json::json!([{"lineItemId": "10000001234101", "quantity": 2}])
    );
}

#[tokio::test]
async fn a_create_applied_whose_answer_was_lost_is_found_in_the_list_and_not_sent_again() {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(on_the_create(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let receipt = pusher.push(&shipment("1Z1")).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        ["createShippingFulfillment", "getShippingFulfillments"]
    );
    assert_eq!(
        tracking_number_counts(applied(&mock.ledger())),
        [("1Z1".to_string(), 1)].into()
    );
}

#[tokio::test]
async fn a_create_lost_before_it_was_applied_is_sent_again_once_the_list_lacks_it() {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(on_the_create(Faults {
        drop_connection: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let error = pusher.push(&shipment("1Z2")).await.unwrap_err();
    common::assert_lost_three_times(&error, "createShippingFulfillment");
    assert_eq!(operations(&mock.ledger()), ["getShippingFulfillments"; 3]);

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
async fn a_resume_after_a_delivered_create_sends_nothing_again() {
    let (mock, pusher) = common::stateful().await;
    pusher.push(&shipment("1Z3")).await.unwrap();
    let (provider, plan) = pusher.check(&shipment("1Z3")).unwrap();
    let receipt = pusher.resume(provider, plan).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        ["createShippingFulfillment", "getShippingFulfillments"]
    );
}

#[tokio::test]
async fn a_row_without_line_items_ships_what_the_order_has_left() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        line_items: Vec::new(),
        ..shipment("1Z4")
    };
    pusher.push(&row).await.unwrap();
    let ledger = mock.ledger();
    assert_eq!(
        operations(&ledger),
        [
            "getOrder",
            "getShippingFulfillments",
            "createShippingFulfillment"
        ]
    );
    // The mock's order: line item …101 (2 bought) and …102 (1), none
    // shipped yet.
    assert_eq!(
        ledger[2].body.as_ref().unwrap()["lineItems"],
        serde_json::json!([
            {"lineItemId": "10000001234101", "quantity": 2},
            {"lineItemId": "10000001234102", "quantity": 1}
        ])
    );

    // The next package of the whole order: what the fulfillments hold is
    // shipped (the mock's list gives each the example's line item …101,
    // 2 of it), so only …102 is left.
    let next = Shipment {
        line_items: Vec::new(),
        ..shipment("1Z5")
    };
    pusher.push(&next).await.unwrap();
    let ledger = mock.ledger();
    assert_eq!(
        ledger.last().unwrap().body.as_ref().unwrap()["lineItems"],
        serde_json::json!([{"lineItemId": "10000001234102", "quantity": 1}])
    );
}

#[tokio::test]
async fn a_row_ebay_cannot_take_is_refused_naming_its_fields_and_nothing_is_sent() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        carrier: Some("Canada Post".into()),
        target: Some("127".into()),
        ..shipment("1Z6")
    };
    let PushError::Invalid(fields) = pusher.push(&row).await.unwrap_err() else {
        panic!()
    };
    let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, ["target", "carrier"], "{fields:?}");
    assert!(
        fields[1]
            .message
            .contains("no eBay carrier code for Canada Post"),
        "{fields:?}"
    );
    let no_carrier = Shipment {
        carrier: None,
        ..shipment("1Z6")
    };
    let PushError::Invalid(fields) = pusher.push(&no_carrier).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(fields[0].field, "carrier");
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn a_change_is_not_sent_and_says_what_to_do_instead() {
    let old = shipment("1Z7");
    let new = Shipment {
        carrier: Some("UPS".into()),
        ..shipment("1Z7")
    };
    let error = plan_change(&old, &new, Provider::EBAY).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("eBay has no call that changes"), "{text}");
    assert!(text.contains("Seller Hub"), "{text}");
}

#[tokio::test]
async fn a_refused_refresh_token_is_a_refused_credential_and_never_shown() {
    let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin())
        .await
        .unwrap();
    let token = ebay_client::auth::user_token(
        &mock.token_url("ebay").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
        "v^1.1#expired-refresh-token",
    )
    .unwrap();
    let client =
        ebay_client::Client::with_user_token(&mock.base_url("ebay").unwrap(), token).unwrap();
    let pusher = order_tracking::Pusher::new().with_client(client);
    let error = pusher.push(&shipment("1Z8")).await.unwrap_err();
    let PushError::Failed {
        status, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    // OAuth's 400 invalid_grant, told as refused credentials.
    assert_eq!(*status, Some(401), "{message}");
    assert!(Provider::EBAY.refuses_credentials(status.unwrap()));
    assert!(message.contains("invalid_grant"), "{message}");
    assert!(!message.contains("expired-refresh-token"), "{message}");
    assert!(!format!("{error:?}").contains("expired-refresh-token"));
    // Nothing reached the API.
    assert!(mock.ledger().is_empty());
}
