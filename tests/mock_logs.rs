//! The mock's logs say, per request, what was asked and answered, and never
//! a credential or a password. Alone in its test binary: tracing's
//! per-callsite cache would otherwise hide events from this test's
//! subscriber when other tests run first on other threads.

use contract_tests::logs::Captured;
use tracking_mock::{MockConfig, MockServer};

const SECRETS: [&str; 5] = [
    "crux-pa55word",
    "sellercloud-pa55word",
    "crux-secret-token",
    "vtex-secret-key",
    "vtex-secret-token",
];

#[tokio::test]
async fn each_request_is_logged_without_its_credentials() {
    let logs = Captured::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());

    // The current-thread runtime of the test runs the mock too, so it logs
    // to the subscriber above.
    let config = MockConfig::builtin()
        .with_login("crux", "u", SECRETS[0])
        .with_login("sellercloud", "u", SECRETS[1])
        .with_credential("crux", "tokenAuth", format!("Token {}", SECRETS[2]))
        .with_credential("vtex-oms", "appKey", SECRETS[3])
        .with_credential("vtex-oms", "appToken", SECRETS[4]);
    let mock = MockServer::start(config).await.unwrap();
    let client = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        client
            .post(format!("{}{path}", mock.url()))
            .json(&body)
            .send()
    };
    let crux_login = serde_json::json!({"username": "u", "password": SECRETS[0]});
    let answer = post("/crux/organizations/user-login/", crux_login)
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let sellercloud_login = serde_json::json!({"Username": "u", "Password": SECRETS[1]});
    let token: serde_json::Value = post("/sellercloud/rest/api/token", sellercloud_login)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let issued = token["access_token"].as_str().unwrap().to_string();
    let crux =
        crux_client::Client::with_token(&mock.base_url("crux").unwrap(), SECRETS[2]).unwrap();
    crux.update_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .tracking_number("1Z")
        .body_map(|b| b.carrier(Some("UPS".into())))
        .send()
        .await
        .unwrap();
    let vtex = vtex_oms_client::Client::with_app_key(
        &mock.base_url("vtex-oms").unwrap(),
        SECRETS[3],
        SECRETS[4],
    )
    .unwrap();
    vtex.update_partial_invoice()
        .order_id("o-1")
        .invoice_number("1")
        .body_map(|b| contract_tests::vtex::tracking_only(b, "BR1"))
        .send()
        .await
        .unwrap();
    // Refused, and with its password in the body the 422 quotes.
    let bad_login = serde_json::json!({"username": "u", "password": SECRETS[0], "extra": 1});
    let answer = post("/crux/organizations/user-login/", bad_login)
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    mock.shutdown().await;

    let text = logs.text();
    for (operation, status) in [
        ("userLogin", 200),
        ("createToken", 200),
        ("updateOrderTracking", 200),
        ("updatePartialInvoice", 200),
        ("userLogin", 422),
    ] {
        assert!(
            text.lines().any(|line| line.contains("answered")
                && line.contains(operation)
                && line.contains(&format!("status={status}"))),
            "no line for {operation} answered {status} in:\n{text}"
        );
    }
    assert!(
        text.contains(
            r#"path="/crux/organizations/user-login/" provider="crux" operation="userLogin""#
        ),
        "{text}"
    );
    for secret in SECRETS.iter().chain([&issued.as_str()]) {
        assert!(!text.contains(secret), "{secret} in the logs:\n{text}");
    }
}
