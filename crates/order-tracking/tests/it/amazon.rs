//! An Amazon package is confirmed once: when the confirmation's answer is
//! lost, the order's quantities shipped are read, and it is sent again only
//! when they show it was not applied; when an earlier package could
//! explain them, the row is uncertain. Against the mock started
//! `stateful`, whose reads answer the quantities shipped through it, and
//! whose token endpoint issues the access tokens its calls need in
//! `x-amz-access-token`.

use crate::common;

use order_tracking::{LineItem, Provider, PushError, Shipment, plan_change};
use tracking_mock::{Faults, LedgerEntry, applied, tracking_number_counts};

/// The mock's order item (the example of getOrderItems: one ordered).
const ITEM: &str = "05015851154158";

fn shipment(tracking: &str) -> Shipment {
    Shipment {
        provider: Some(Provider::AMAZON),
        order_ref: "902-1845936-5435065".into(),
        tracking_number: tracking.into(),
        carrier: Some("UPS".into()),
        line_items: vec![LineItem {
            id: ITEM.into(),
            quantity: 1,
            price: None,
        }],
        ..Default::default()
    }
}

fn operations(ledger: &[LedgerEntry]) -> Vec<&str> {
    ledger.iter().map(|e| e.operation.as_str()).collect()
}

fn on_the_confirmation(faults: Faults) -> Faults {
    Faults {
        only: vec!["confirmShipment".into()],
        ..faults
    }
}

#[tokio::test]
async fn a_package_is_confirmed_with_the_carriers_amazon_code_and_a_stable_reference() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        shipped_at: Some("2026-12-04T19:09:02Z".parse().unwrap()),
        service: Some("UPS Ground".into()),
        ..shipment("1Z999AA10123456784")
    };
    let receipt = pusher.push(&row).await.unwrap();
    assert_eq!(receipt.operations, ["confirmShipment"]);
    let ledger = mock.ledger();
    let body = ledger[0].body.as_ref().unwrap();
    assert_eq!(body["marketplaceId"], "ATVPDKIKX0DER");
    let package = &body["packageDetail"];
    assert_eq!(package["carrierCode"], "UPS");
    assert!(package.get("carrierName").is_none(), "{package}");
    assert_eq!(package["shippingMethod"], "UPS Ground");
    assert_eq!(package["trackingNumber"], "1Z999AA10123456784");
    assert_eq!(package["shipDate"], "2026-12-04T19:09:02Z");
    assert_eq!(
        package["orderItems"],
        serde_json::json!([{"orderItemId": ITEM, "quantity": 1}])
    );
    // The same reference for the same package, in every run.
    let reference = package["packageReferenceId"].as_str().unwrap().to_string();
    assert_eq!(receipt.reference, Some(format!("package {reference}")));
    let (_, again) = pusher.check(&row).unwrap();
    let (_, first) = pusher.check(&row).unwrap();
    assert_eq!(format!("{again:?}"), format!("{first:?}"));
    assert!(reference.parse::<u64>().unwrap() > 0);
}

#[tokio::test]
async fn a_carrier_without_an_amazon_code_goes_as_other_with_its_name() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        carrier: Some("Purolator".into()),
        target: Some("A2EUQ1WTGCTBG2".into()),
        ..shipment("329000000001")
    };
    pusher.push(&row).await.unwrap();
    let body = mock.ledger()[0].body.clone().unwrap();
    assert_eq!(body["packageDetail"]["carrierCode"], "Other");
    assert_eq!(body["packageDetail"]["carrierName"], "Purolator");
    // The row's target is its marketplace.
    assert_eq!(body["marketplaceId"], "A2EUQ1WTGCTBG2");
}

#[tokio::test]
async fn a_confirmation_applied_whose_answer_was_lost_is_found_by_its_quantities_and_not_sent_again()
 {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(on_the_confirmation(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    // A row that ships what is left: the order is read before, so its
    // quantities then are known.
    let row = Shipment {
        line_items: Vec::new(),
        ..shipment("1Z1")
    };
    let receipt = pusher.push(&row).await.unwrap();
    assert!(receipt.already_applied);
    assert_eq!(
        operations(&mock.ledger()),
        [
            "getOrderItems",
            "confirmShipment",
            "getOrder",
            "getOrderItems"
        ]
    );
    assert_eq!(
        tracking_number_counts(applied(&mock.ledger())),
        [("1Z1".to_string(), 1)].into()
    );
}

#[tokio::test]
async fn a_confirmation_lost_before_it_was_applied_is_sent_again_once_nothing_shipped() {
    let (mock, pusher) = common::stateful().await;
    mock.set_faults(on_the_confirmation(Faults {
        drop_connection: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let error = pusher.push(&shipment("1Z2")).await.unwrap_err();
    common::assert_lost_three_times(&error, "confirmShipment");
    // The order showed nothing shipped: getOrder was enough.
    assert_eq!(operations(&mock.ledger()), ["getOrder"; 3]);

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
async fn a_package_an_earlier_one_could_explain_is_uncertain_neither_resent_nor_delivered() {
    let (mock, pusher) = common::stateful().await;
    pusher.push(&shipment("1Z3")).await.unwrap();
    // A later run resumes a row left in doubt: the quantities shipped
    // would be the same whether it or the package before was applied.
    let (provider, plan) = pusher.check(&shipment("1Z4")).unwrap();
    let error = pusher.resume(provider, plan).await.unwrap_err();
    let PushError::Failed {
        in_doubt: true,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(
        message.contains("an earlier package of the same items could explain them"),
        "{message}"
    );
    assert_eq!(
        operations(&mock.ledger()),
        ["confirmShipment", "getOrder", "getOrderItems"]
    );
}

#[tokio::test]
async fn a_row_without_items_ships_what_the_order_has_left() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        line_items: Vec::new(),
        ..shipment("1Z5")
    };
    pusher.push(&row).await.unwrap();
    let ledger = mock.ledger();
    assert_eq!(operations(&ledger), ["getOrderItems", "confirmShipment"]);
    assert_eq!(
        ledger[1].body.as_ref().unwrap()["packageDetail"]["orderItems"],
        serde_json::json!([{"orderItemId": ITEM, "quantity": 1}])
    );
    // The order's one item has shipped: nothing is left for another.
    let next = Shipment {
        line_items: Vec::new(),
        ..shipment("1Z6")
    };
    let PushError::Invalid(fields) = pusher.push(&next).await.unwrap_err() else {
        panic!()
    };
    assert!(
        fields[0]
            .message
            .contains("has no item left to ship on Amazon"),
        "{fields:?}"
    );
    assert_eq!(mock.ledger().len(), 3);
}

#[tokio::test]
async fn a_row_amazon_cannot_take_is_refused_naming_its_fields_and_nothing_is_sent() {
    let (mock, pusher) = common::stateful().await;
    let row = Shipment {
        carrier: Some("Fedx Freight".into()),
        invoice_number: Some("INV-1".into()),
        ..shipment("1Z7")
    };
    let PushError::Invalid(fields) = pusher.push(&row).await.unwrap_err() else {
        panic!()
    };
    let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, ["invoice_number", "carrier"], "{fields:?}");
    assert!(fields[1].message.contains("unknown carrier"), "{fields:?}");
    let no_carrier = Shipment {
        carrier: None,
        ..shipment("1Z7")
    };
    let PushError::Invalid(fields) = pusher.push(&no_carrier).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(fields[0].field, "carrier");
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn a_change_is_not_sent_and_says_what_to_do_instead() {
    let old = shipment("1Z8");
    let new = Shipment {
        carrier: Some("FedEx".into()),
        ..shipment("1Z8")
    };
    let error = plan_change(&old, &new, Provider::AMAZON).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("Amazon has no call that changes"), "{text}");
    assert!(text.contains("Seller Central"), "{text}");
}

#[tokio::test]
async fn a_refused_refresh_token_is_a_refused_credential_and_never_shown() {
    let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin())
        .await
        .unwrap();
    let token = amazon_client::auth::lwa_token(
        &mock.token_url("amazon").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
        "Atzr|expired-refresh-token",
    )
    .unwrap();
    let client =
        amazon_client::Client::with_lwa_token(&mock.base_url("amazon").unwrap(), token).unwrap();
    let seller = order_tracking::providers::amazon::Seller::new(client, "ATVPDKIKX0DER");
    let pusher = order_tracking::Pusher::new().with_client(seller);
    let error = pusher.push(&shipment("1Z9")).await.unwrap_err();
    let PushError::Failed {
        status, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, Some(401), "{message}");
    assert!(Provider::AMAZON.refuses_credentials(status.unwrap()));
    assert!(Provider::AMAZON.refuses_credentials(403));
    assert!(!format!("{error:?}{error}").contains("expired-refresh-token"));
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn confirmations_keep_to_amazons_usage_plan_ten_at_once_then_two_a_second() {
    let (mock, pusher) = common::stateful().await;
    let rows: Vec<Shipment> = (0..12)
        .map(|i| Shipment {
            order_ref: format!("902-{i:07}-1059050"),
            ..shipment(&format!("1ZPACE{i:04}"))
        })
        .collect();
    let pushes = rows.iter().map(|row| pusher.push(row));
    for outcome in futures_util::future::join_all(pushes).await {
        outcome.unwrap();
    }
    let mut arrivals: Vec<u64> = mock.ledger().iter().map(|e| e.received_at_ms).collect();
    arrivals.sort();
    assert_eq!(arrivals.len(), 12);
    let after = |i: usize| arrivals[i] - arrivals[0];
    // The burst of ten may come at once; the two after it are spaced by
    // the rate (2 a second), and never sooner.
    assert!(after(10) >= 450, "{arrivals:?}");
    assert!(after(11) >= 950, "{arrivals:?}");

    // Left aside (a mock's run), nothing holds them.
    let (mock, pusher) = common::stateful().await;
    let pusher = pusher.without_usage_plans();
    let begin = std::time::Instant::now();
    let pushes = rows.iter().map(|row| pusher.push(row));
    for outcome in futures_util::future::join_all(pushes).await {
        outcome.unwrap();
    }
    assert_eq!(mock.ledger().len(), 12);
    assert!(begin.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn two_rows_of_one_order_in_flight_at_once_never_both_ship_what_is_left() {
    let (mock, pusher) = common::stateful().await;
    let rows = [
        Shipment {
            line_items: Vec::new(),
            ..shipment("1Z21")
        },
        Shipment {
            line_items: Vec::new(),
            ..shipment("1Z22")
        },
    ];
    let (first, second) = tokio::join!(pusher.push(&rows[0]), pusher.push(&rows[1]));
    let refused = [&first, &second]
        .iter()
        .filter(|r| matches!(r, Err(PushError::Invalid(_))))
        .count();
    assert_eq!(refused, 1, "{first:?} {second:?}");
    let confirmations = mock
        .ledger()
        .iter()
        .filter(|e| e.operation == "confirmShipment")
        .count();
    assert_eq!(confirmations, 1);
}
