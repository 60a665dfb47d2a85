//! Credentials: SellerCloud's token is fetched once for many concurrent
//! calls, renewed on expiry and after a 401; Crux logs in; no secret ever
//! shows in `Debug`, error messages or logs.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use contract_tests::sellercloud::{is_token, po_tracking};
use contract_tests::server::{Recorded, RecordingServer, Reply};
use serde_json::json;
use tracking_runtime::{ClientConfig, RetryPolicy};

const PASSWORD: &str = "pa55word-never-shown";

fn config() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy::none())
}

/// A token reply whose token is `tok-<n>`, n = how many token requests came before.
fn numbered_token(requests: &[Recorded], expires_in: u64) -> Reply {
    let n = requests.iter().filter(|r| is_token(r)).count() + 1;
    Reply::json(
        200,
        json!({"access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": expires_in}),
    )
}

/// A SellerCloud server: tokens numbered from 1, tracking calls answered by `tracking`.
async fn sellercloud(
    expires_in: u64,
    tracking: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> (RecordingServer, Arc<Mutex<Vec<Recorded>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let server = RecordingServer::start(move |r, _| {
        let mut log = log.lock().unwrap();
        let reply = if is_token(r) {
            numbered_token(&log, expires_in).delayed(Duration::from_millis(50))
        } else {
            tracking(r)
        };
        log.push(r.clone());
        reply
    })
    .await;
    (server, seen)
}

fn client(server: &RecordingServer) -> sellercloud_client::Client {
    sellercloud_client::Client::with_credentials_and_config(
        &server.url("/rest"),
        "api",
        PASSWORD,
        &config(),
    )
    .unwrap()
}

/// A SellerCloud server that answers 401 to `tok-1`, as if it had revoked it.
async fn revoking_tok_1() -> RecordingServer {
    let (server, _) = sellercloud(3600, |r| {
        if r.header("authorization") == Some("Bearer tok-1") {
            Reply::status(401)
        } else {
            Reply::status(200)
        }
    })
    .await;
    server
}

/// 16 pushes at once, each of which must succeed.
async fn push_16_at_once(client: &sellercloud_client::Client) {
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let client = client.clone();
        calls.spawn(async move { push(&client).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
}

async fn push(client: &sellercloud_client::Client) -> Result<(), String> {
    po_tracking(client).await.map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_is_fetched_for_many_concurrent_calls() {
    let (server, _) = sellercloud(3600, |_| Reply::status(200)).await;
    let client = client(&server);
    push_16_at_once(&client).await;
    let requests = server.requests();
    assert_eq!(requests.iter().filter(|r| is_token(r)).count(), 1);
    let tracking: Vec<_> = requests.iter().filter(|r| !is_token(r)).collect();
    assert_eq!(tracking.len(), 16);
    assert!(
        tracking
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer tok-1"))
    );
    let token_request = requests.iter().find(|r| is_token(r)).unwrap();
    assert_eq!(
        token_request.json(),
        json!({"Username": "api", "Password": PASSWORD})
    );
    assert_eq!(
        token_request.header("authorization"),
        None,
        "createToken is public: no credentials"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_renew_the_token_once() {
    // The provider revoked tok-1: every call gets a 401 with it. The first
    // to renew it fetches tok-2; the others see that tok-1 is no longer the
    // current token and use tok-2 without a fetch of their own.
    let server = revoking_tok_1().await;
    let client = client(&server);
    push_16_at_once(&client).await;
    let requests = server.requests();
    assert_eq!(
        requests.iter().filter(|r| is_token(r)).count(),
        2,
        "tok-1, then tok-2 once"
    );
    let resent = requests
        .iter()
        .filter(|r| r.header("authorization") == Some("Bearer tok-2"))
        .count();
    assert_eq!(resent, 16);
}

#[tokio::test]
async fn the_token_is_renewed_before_it_expires() {
    // expires_in 1 s: renewed from 0.8 s on.
    let (server, _) = sellercloud(1, |_| Reply::status(200)).await;
    let client = client(&server);
    push(&client).await.unwrap();
    push(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await;
    push(&client).await.unwrap();
    let auth: Vec<_> = server
        .requests()
        .iter()
        .filter(|r| !is_token(r))
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(auth, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_again() {
    let server = revoking_tok_1().await;
    let client = client(&server);
    push(&client).await.unwrap();
    let requests = server.requests();
    let order: Vec<_> = requests
        .iter()
        .map(|r| {
            if is_token(r) {
                "token".to_string()
            } else {
                r.header("authorization").unwrap().to_string()
            }
        })
        .collect();
    assert_eq!(order, ["token", "Bearer tok-1", "token", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_second_401_is_reported_not_looped() {
    let (server, _) = sellercloud(3600, |_| {
        Reply::json(
            401,
            json!({"Message": "Authorization has been denied for this request."}),
        )
    })
    .await;
    let client = client(&server);
    let error = push(&client).await.unwrap_err();
    assert!(
        error.starts_with("updatePurchaseOrderTracking failed: HTTP 401"),
        "{error}"
    );
    assert!(error.contains("Authorization has been denied"), "{error}");
    let requests = server.requests();
    assert_eq!(requests.iter().filter(|r| is_token(r)).count(), 2);
    assert_eq!(requests.iter().filter(|r| !is_token(r)).count(), 2);
}

#[tokio::test]
async fn a_refused_login_fails_the_call_without_showing_the_password() {
    let server = RecordingServer::start(|r, _| {
        if is_token(r) {
            Reply::json(
                400,
                json!({"Message": "The user name or password is incorrect."}),
            )
        } else {
            Reply::status(200)
        }
    })
    .await;
    let client = client(&server);
    let error = po_tracking(&client).await.unwrap_err();
    // The login's own error, with its status, under a variant to match on.
    let tracking_runtime::ErrorKind::Credentials(credentials) = error.kind() else {
        panic!("{error:?}");
    };
    assert_eq!(credentials.status().map(|s| s.as_u16()), Some(400));
    let text = tracking_runtime::report(&error);
    assert!(
        text.starts_with("updatePurchaseOrderTracking: request not sent: the credentials could not be had: createToken failed: HTTP 400"),
        "{text}"
    );
    assert!(text.contains("password is incorrect"), "{text}");
    assert!(!text.contains(PASSWORD) && !format!("{error:?}").contains(PASSWORD));
    assert_eq!(
        server.count("/api/PurchaseOrders/18227/TrackingNumber"),
        0,
        "nothing sent without a token"
    );
}

#[tokio::test]
async fn crux_login_then_calls_with_the_token() {
    let server = RecordingServer::start(|r, _| {
        if r.path == "/organizations/user-login/" {
            Reply::json(
                200,
                json!({"auth_token": "crux-session-token", "org_type": "supplier"}),
            )
        } else {
            Reply::status(201)
        }
    })
    .await;
    let client =
        crux_client::Client::login_and_config(&server.url(""), "user", PASSWORD, &config())
            .await
            .unwrap();
    client
        .add_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .body_map(|b| {
            b.tracking_numbers(vec![crux_client::types::TrackingNumber {
                tracking: "1Z".parse().unwrap(),
                carrier: None,
                method: None,
                ship_cost: None,
                weight: None,
                line_items: vec![],
            }])
        })
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].json(),
        json!({"username": "user", "password": PASSWORD})
    );
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(
        requests[1].header("authorization"),
        Some("Token crux-session-token")
    );
}

/// A wrong SellerCloud password, as the mock refuses it: the call fails
/// with `ErrorKind::Credentials`, and its status is createToken's 401.
#[tokio::test]
async fn a_wrong_sellercloud_password_is_matched_on_its_401() {
    let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin())
        .await
        .unwrap();
    let client = sellercloud_client::Client::with_credentials_and_config(
        &mock.base_url("sellercloud").unwrap(),
        tracking_mock::credentials::USERNAME,
        "not-the-password",
        &config(),
    )
    .unwrap();
    let error = po_tracking(&client).await.unwrap_err();
    match error.kind() {
        tracking_runtime::ErrorKind::Credentials(refused) => {
            assert_eq!(refused.status().map(|s| s.as_u16()), Some(401), "{error:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.in_doubt());
    assert!(!tracking_runtime::report(&error).contains("not-the-password"));
    assert!(
        mock.ledger().iter().all(|e| e.operation == "createToken"),
        "nothing but the login reached the mock"
    );
}
