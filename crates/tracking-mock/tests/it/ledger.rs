//! The ledger never shows a password.

use serde_json::{Value, json};
use tracking_mock::{MockConfig, MockServer, REDACTED};

use crate::common::*;

/// The ledger never shows a login's password (the fields the spec marks
/// `format: password`), neither from `ledger()` nor over HTTP, while the
/// rest of the body is there.
#[tokio::test]
async fn passwords_never_show_in_the_ledger() {
    let config = MockConfig::builtin()
        .with_login("crux", "shipping@example.com", PASSWORD)
        .with_login("sellercloud", "api@example.com", PASSWORD);
    let mock = MockServer::start(config).await.unwrap();
    let crux_login = json!({"username": "shipping@example.com", "password": PASSWORD});
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::POST,
        "/crux/organizations/user-login/",
        &[],
        Some(&crux_login.to_string()),
    )
    .await;
    assert_eq!(status, 200);
    // SellerCloud's login, as its client makes it before a push.
    let sellercloud = sellercloud_client::Client::with_credentials_and_config(
        &mock.base_url("sellercloud").unwrap(),
        "api@example.com",
        PASSWORD,
        &no_retries(),
    )
    .unwrap();
    sellercloud
        .update_purchase_order_tracking()
        .id(1)
        .body_map(|b| b.tracking_number(Some("1Z".into())))
        .send()
        .await
        .unwrap();

    let ledger = mock.ledger();
    let operations: Vec<&str> = ledger.iter().map(|e| e.operation.as_str()).collect();
    assert_eq!(
        operations,
        ["userLogin", "createToken", "updatePurchaseOrderTracking"]
    );
    let crux = ledger[0].body.as_ref().unwrap();
    assert_eq!(
        crux,
        &json!({"username": "shipping@example.com", "password": REDACTED})
    );
    let token = ledger[1].body.as_ref().unwrap();
    assert_eq!(
        token,
        &json!({"Username": "api@example.com", "Password": REDACTED})
    );
    assert_eq!(ledger[2].body, Some(json!({"TrackingNumber": "1Z"})));
    let shown = format!("{} {ledger:?}", serde_json::to_string(&ledger).unwrap());
    assert!(!shown.contains(PASSWORD), "{shown}");

    let over_http = reqwest::get(format!("{}/_mock/ledger", mock.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!over_http.contains(PASSWORD), "{over_http}");
    assert_eq!(
        serde_json::from_str::<Value>(&over_http).unwrap(),
        serde_json::to_value(&ledger).unwrap()
    );
}
