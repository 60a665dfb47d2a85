//! The consumer's own test, against the mock provider in-process.

use shipment_notifier::notify_shipped;
use tracking_mock::{MockConfig, MockServer};

#[tokio::test]
async fn a_shipment_reaches_crux_once_with_its_tracking_number() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let client = crux_client::Client::with_token(
        &mock.base_url("crux").unwrap(),
        "mock-token-auth",
    )
    .unwrap();

    let order = "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3";
    assert!(notify_shipped(&client, order, "1Z999AA10123456784", "UPS").await.unwrap());

    let ledger = mock.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].operation, crux_client::operation_ids::ADD_ORDER_TRACKING);
    assert_eq!(ledger[0].path_params["order_uuid"], order);
    let body = ledger[0].body.as_ref().unwrap();
    assert_eq!(body["tracking_numbers"][0]["tracking"], "1Z999AA10123456784");
    assert_eq!(body["tracking_numbers"][0]["carrier"], "UPS");
}

#[tokio::test]
async fn a_wrong_token_is_an_error_that_names_the_operation() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let client =
        crux_client::Client::with_token(&mock.base_url("crux").unwrap(), "wrong").unwrap();
    let error = notify_shipped(&client, "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3", "1Z999AA10123456784", "UPS")
        .await
        .unwrap_err();
    assert_eq!(error.operation(), "addOrderTracking");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(!error.to_string().contains("wrong"), "no secret in messages: {error}");
}
