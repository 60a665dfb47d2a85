//! BigCommerce, eBay, Amazon and Walmart as the consumer calls them,
//! against the mock, the last three through their token endpoints.

use shipment_notifier::marketplaces::{
    ship_on_amazon, ship_on_bigcommerce, ship_on_ebay, ship_on_walmart,
};
use tracking_mock::{MockConfig, MockServer};

#[tokio::test]
async fn a_shipment_reaches_bigcommerce_with_the_store_token() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let client = bigcommerce_client::Client::with_access_token(
        &mock.base_url("bigcommerce").unwrap(),
        "mock-access-token",
    )
    .unwrap();
    ship_on_bigcommerce(&client, 225, 127, 194, 1, "1Z999AA10123456784")
        .await
        .unwrap();
    let ledger = mock.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].operation, "createOrderShipments");
    assert_eq!(ledger[0].body.as_ref().unwrap()["tracking_carrier"], "ups");
}

#[tokio::test]
async fn a_fulfillment_reaches_ebay_with_a_token_from_the_refresh_token() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let token = ebay_client::auth::user_token(
        &mock.token_url("ebay").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
        tracking_mock::token::REFRESH_TOKEN,
    )
    .unwrap();
    let client =
        ebay_client::Client::with_user_token(&mock.base_url("ebay").unwrap(), token).unwrap();
    ship_on_ebay(&client, "01-03955-36441", "10000001234101", 2, "9405509699937003457459")
        .await
        .unwrap();
    let ledger = mock.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].operation, "createShippingFulfillment");
    assert_eq!(ledger[0].body.as_ref().unwrap()["shippingCarrierCode"], "USPS");
}

#[tokio::test]
async fn a_refresh_token_ebay_refuses_is_an_error_without_it() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let token = ebay_client::auth::user_token(
        &mock.token_url("ebay").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
        "v^1.1#revoked-refresh-token",
    )
    .unwrap();
    let client =
        ebay_client::Client::with_user_token(&mock.base_url("ebay").unwrap(), token).unwrap();
    let error = ship_on_ebay(&client, "01-03955-36441", "10000001234101", 1, "1Z1")
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("revoked-refresh-token"), "{shown}");
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn a_confirmation_reaches_amazon_with_a_token_in_its_header() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let token = amazon_client::auth::lwa_token(
        &mock.token_url("amazon").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
        tracking_mock::token::REFRESH_TOKEN,
    )
    .unwrap();
    let client =
        amazon_client::Client::with_lwa_token(&mock.base_url("amazon").unwrap(), token).unwrap();
    ship_on_amazon(&client, "902-1106328-1059050", "79039765272157", 1, 1, "1Z999AA10123456784")
        .await
        .unwrap();
    let ledger = mock.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].operation, "confirmShipment");
    assert_eq!(
        ledger[0].body.as_ref().unwrap()["packageDetail"]["carrierCode"],
        "UPS"
    );
}

#[tokio::test]
async fn a_shipping_update_reaches_walmart_with_a_client_token() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let token = walmart_client::auth::client_token(
        &mock.token_url("walmart").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
    )
    .unwrap();
    let client =
        walmart_client::Client::with_client_token(&mock.base_url("walmart").unwrap(), token)
            .unwrap();
    ship_on_walmart(&client, "1815367951431", "1", "92344", 1, "1Z999AA10123456784")
        .await
        .unwrap();
    let ledger = mock.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].operation, "shippingUpdates");
    assert_eq!(ledger[0].tracking_numbers, ["1Z999AA10123456784"]);
}
