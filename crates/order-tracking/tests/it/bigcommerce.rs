//! A BigCommerce shipment is created once: when the create's answer is
//! lost, the order's shipments are read, and it is sent again only when
//! none carries the tracking number. Against the mock started `stateful`,
//! whose shipment list holds the shipments created through it.

use crate::common;

use order_tracking::{LineItem, Provider, PushError, Shipment, changed_fields, plan_change};
use tracking_mock::{Faults, LedgerEntry, applied, tracking_number_counts};

fn shipment(tracking: &str) -> Shipment {
    Shipment {
        provider: Some(Provider::BIGCOMMERCE),
        order_ref: "225".into(),
        tracking_number: tracking.into(),
        carrier: Some("UPS".into()),
        line_items: vec![LineItem {
            id: "194".into(),
            quantity: 1,
            price: None,
        }],
        target: Some("127".into()),
        ..Default::default()
    }
}

fn on_the_create(faults: Faults) -> Faults {
    Faults {
        only: vec!["createOrderShipments".into()],
        ..faults
    }
}

fn operations(ledger: &[LedgerEntry]) -> Vec<&str> {
    ledger.iter().map(|e| e.operation.as_str()).collect()
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
    let ledger = mock.ledger();
    // Found in the list, and given the row's fields (an idempotent PUT),
    // as the create would have set them.
    assert_eq!(
        operations(&ledger),
        [
            "createOrderShipments",
            "getOrderShipments",
            "updateOrderShipment"
        ]
    );
    assert_eq!(ledger[2].body.as_ref().unwrap()["tracking_carrier"], "ups");
    // The number arrived once: the PUT changes the shipment found with it
    // and does not send it again.
    assert_eq!(
        tracking_number_counts(applied(&ledger)),
        [("1Z1".to_string(), 1)].into()
    );
    // One shipment: the PUT adds none.
    assert_eq!(
        ledger
            .iter()
            .filter(|e| e.operation == "createOrderShipments")
            .count(),
        1
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
    common::assert_lost_three_times(&error, "createOrderShipments");
    // Three lookups, each answered 204 (no shipments), and nothing created.
    assert_eq!(operations(&mock.ledger()), ["getOrderShipments"; 3]);
    assert!(mock.ledger().iter().all(|e| e.status == 204));

    mock.set_faults(Faults::none()).unwrap();
    let (provider, plan) = pusher.check(&shipment("1Z2")).unwrap();
    let receipt = pusher.resume(provider, plan).await.unwrap();
    assert!(!receipt.already_applied);
    let ledger = mock.ledger();
    assert_eq!(
        tracking_number_counts(applied(&ledger)),
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
        [
            "createOrderShipments",
            "getOrderShipments",
            "updateOrderShipment"
        ]
    );
}

/// A row whose carrier was corrected in the file after a crash left its
/// create in doubt: found, and given the corrected fields.
#[tokio::test]
async fn a_create_found_by_its_lookup_gets_the_rows_fields_as_they_are_now() {
    let (mock, pusher) = common::stateful().await;
    pusher.push(&shipment("1Z6")).await.unwrap();
    let corrected = Shipment {
        carrier: Some("FedEx".into()),
        tracking_url: None,
        ..shipment("1Z6")
    };
    let (provider, plan) = pusher.check(&corrected).unwrap();
    pusher.resume(provider, plan).await.unwrap();
    let ledger = mock.ledger();
    let update = ledger.last().unwrap();
    assert_eq!(update.operation, "updateOrderShipment");
    let body = update.body.as_ref().unwrap();
    assert_eq!(body["tracking_carrier"], "fedex");
    // Fields the row has not: cleared, not kept.
    assert_eq!(body["tracking_link"], "");
    assert_eq!(body["shipping_method"], "");
}

/// A read before the create that fails leaves nothing in doubt: the create
/// was not sent.
#[tokio::test]
async fn a_failed_read_before_the_create_is_not_in_doubt() {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(Faults {
        server_error: 1.0,
        only: vec!["getOrderShippingAddresses".into()],
        ..Faults::none()
    })
    .unwrap();
    let row = Shipment {
        target: None,
        ..shipment("1Z7")
    };
    let error = pusher.push(&row).await.unwrap_err();
    let PushError::Failed {
        in_doubt, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(!in_doubt, "{message}");
    assert!(message.contains("nothing was sent"), "{message}");
    assert!(
        mock.ledger()
            .iter()
            .all(|e| e.operation != "createOrderShipments")
    );
}

#[tokio::test]
async fn a_row_without_items_or_address_takes_them_from_the_order() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        line_items: Vec::new(),
        target: None,
        ..shipment("1Z4")
    };
    pusher.push(&row).await.unwrap();
    let ledger = mock.ledger();
    assert_eq!(
        operations(&ledger),
        [
            "getOrderProducts",
            "getOrderShippingAddresses",
            "createOrderShipments"
        ]
    );
    // The mock's order: product 194 (2 ordered, none shipped) and 195
    // (shipped already); one address, 127.
    let body = ledger[2].body.as_ref().unwrap();
    assert_eq!(
        body["items"],
        serde_json::json!([{"order_product_id": 194, "quantity": 2}])
    );
    assert_eq!(body["order_address_id"], 127);
    assert_eq!(body["tracking_carrier"], "ups");
}

#[tokio::test]
async fn a_changed_row_updates_the_shipment_that_carries_its_number() {
    let (mock, pusher) = common::stateful().await;
    pusher.push(&shipment("1Z5")).await.unwrap();
    let new = Shipment {
        carrier: Some("FedEx".into()),
        tracking_url: Some("https://track.example.com/1Z5".into()),
        ..shipment("1Z5")
    };
    let old = shipment("1Z5");
    let changed = changed_fields(&old, &new, Provider::BIGCOMMERCE);
    let plan = plan_change(&old, &new, Provider::BIGCOMMERCE).unwrap();
    assert_eq!(plan.operations(), ["updateOrderShipment"], "{changed:?}");
    pusher.send(Provider::BIGCOMMERCE, plan).await.unwrap();
    let ledger = mock.ledger();
    assert_eq!(
        operations(&ledger),
        [
            "createOrderShipments",
            "getOrderShipments",
            "updateOrderShipment"
        ]
    );
    let update = &ledger[2];
    assert_eq!(update.body.as_ref().unwrap()["tracking_carrier"], "fedex");
    // The mock's list gives every shipment the example's id.
    assert_eq!(update.path_params["shipment_id"], "6");

    // Its items cannot change.
    let items = Shipment {
        line_items: vec![LineItem {
            id: "195".into(),
            quantity: 1,
            price: None,
        }],
        ..shipment("1Z5")
    };
    let error = plan_change(&old, &items, Provider::BIGCOMMERCE).unwrap_err();
    assert!(error.to_string().contains("line_items"), "{error}");
}
