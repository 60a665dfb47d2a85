//! No secret (token, app key, password) ever shows in `Debug`, in an error's
//! text or in the logs, while it does go on the wire. Alone in its test
//! binary: tracing's per-callsite cache would otherwise hide events from the
//! test's subscriber when other tests run first on other threads.

use contract_tests::logs::Captured;
use contract_tests::sellercloud::is_token;
use contract_tests::server::{RecordingServer, Reply};
use serde_json::json;
use tracking_runtime::{ClientConfig, RetryPolicy};

const PASSWORD: &str = "pa55word-never-shown";

fn config() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy::none())
}

#[tokio::test]
async fn secrets_never_show_in_debug_errors_or_logs() {
    let logs = Captured::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());

    let secrets = [
        "crux-secret-token",
        "vtex-secret-key",
        "vtex-secret-token",
        PASSWORD,
        "tok-1",
    ];
    // Every call fails after being sent, so errors are produced too.
    let server = RecordingServer::start(|r, _| {
        if is_token(r) {
            Reply::json(200, json!({"access_token": "tok-1", "expires_in": 3600}))
        } else {
            Reply::json(401, json!({"Message": "no"}))
        }
    })
    .await;
    let base = server.url("");
    let crux = crux_client::Client::with_token_and_config(&base, secrets[0], &config()).unwrap();
    let vtex =
        vtex_oms_client::Client::with_app_key_and_config(&base, secrets[1], secrets[2], &config())
            .unwrap();
    let sellercloud =
        sellercloud_client::Client::with_credentials_and_config(&base, "api", PASSWORD, &config())
            .unwrap();

    let mut shown = vec![
        format!("{crux:?}"),
        format!("{vtex:?}"),
        format!("{sellercloud:?}"),
    ];
    let login = crux_client::types::LoginRequest {
        username: "u".into(),
        password: PASSWORD.into(),
    };
    shown.push(format!("{login:?}"));
    let crux_error = crux
        .update_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .tracking_number("1Z")
        .body(crux_client::types::UpdateOrderTrackingRequest::default())
        .send()
        .await
        .unwrap_err();
    shown.push(format!("{crux_error} {crux_error:?}"));
    let vtex_error = vtex
        .update_partial_invoice()
        .order_id("o")
        .invoice_number("1")
        .body_map(|b| contract_tests::vtex::tracking_only(b, "1Z"))
        .send()
        .await
        .unwrap_err();
    shown.push(format!("{vtex_error} {vtex_error:?}"));
    let sellercloud_error = sellercloud
        .update_purchase_order_tracking()
        .id(18227)
        .body_map(|b| b.tracking_number(Some("1Z".to_string())))
        .send()
        .await
        .unwrap_err();
    shown.push(format!("{sellercloud_error} {sellercloud_error:?}"));
    let token = sellercloud
        .create_token()
        .body(sellercloud_client::types::TokenRequest {
            username: "api".into(),
            password: PASSWORD.into(),
        })
        .send()
        .await
        .unwrap();
    shown.push(format!("{token:?}"));
    shown.push(logs.text());

    // The secrets did go on the wire...
    let wire: Vec<_> = server
        .requests()
        .iter()
        .map(|r| format!("{:?} {}", r.headers, String::from_utf8_lossy(&r.body)))
        .collect();
    assert!(
        wire.iter().any(|w| w.contains(secrets[0])) && wire.iter().any(|w| w.contains(PASSWORD))
    );
    // ...and nowhere else.
    assert!(
        shown.last().unwrap().contains("updateOrderTracking"),
        "the logs were captured: {}",
        shown.last().unwrap()
    );
    for text in &shown {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} shown in: {text}");
        }
    }
}
