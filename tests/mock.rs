//! The spec-driven mock, driven by the generated clients and by raw HTTP:
//! good requests are accepted, decoded and entered in the ledger; bad ones
//! are refused with the right status and every violation; faults are
//! deterministic and never enter the ledger, even under load.

use std::collections::BTreeSet;
use std::time::Duration;

use contract_tests::call::{Args, call, credentials};
use contract_tests::spec::all_specs;
use serde_json::{Value, json};
use tracking_mock::credentials::{
    CRUX_TOKEN, SELLERCLOUD_PASSWORD, SELLERCLOUD_USERNAME, VTEX_APP_KEY, VTEX_APP_TOKEN,
    VTEX_USER_TOKEN,
};
use tracking_mock::{Faults, MockConfig, MockServer, REDACTED, SpecSource};
use tracking_runtime::{ClientConfig, RetryPolicy};

async fn mock() -> MockServer {
    MockServer::start(MockConfig::builtin()).await.unwrap()
}

fn no_retries() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy::none())
}

#[tokio::test]
async fn every_operation_of_every_client_is_accepted_decoded_and_recorded() {
    let mock = MockServer::start(credentials::accepted_by(MockConfig::builtin()))
        .await
        .unwrap();
    let mut expected = Vec::new();
    for spec in all_specs() {
        let base_url = mock.base_url(&spec.name).unwrap();
        for op in spec.operations() {
            let args = Args::from_examples(&op);
            let outcome = call(&spec.name, &base_url, &no_retries(), &op.id, &args).await;
            let decoded = outcome.unwrap_or_else(|e| panic!("{} {}: {e:?}", spec.name, op.id));
            let success = op.success();
            assert_eq!(
                decoded.is_some(),
                success.has_body,
                "{} {}",
                spec.name,
                op.id
            );
            // The ledger shows the logins' passwords redacted.
            let mut body = args.body;
            if matches!(op.id.as_str(), "userLogin" | "createToken") {
                for pointer in ["/password", "/Password"] {
                    if let Some(field) = body.as_mut().and_then(|b| b.pointer_mut(pointer)) {
                        *field = json!(REDACTED);
                    }
                }
            }
            expected.push((spec.name.clone(), op.id.clone(), body));
        }
    }
    let ledger = mock.ledger();
    let same = |a: &Option<Value>, b: &Option<Value>| match (a, b) {
        (Some(a), Some(b)) => contract_tests::spec::same_json(a, b),
        (a, b) => a == b,
    };
    for (provider, operation, body) in expected {
        assert!(
            ledger.iter().any(|e| e.provider == provider
                && e.operation == operation
                && same(&e.body, &body)),
            "{provider} {operation} missing from the ledger"
        );
    }
    // SellerCloud's calls each got a token from the mock's own createToken first.
    let tokens = ledger
        .iter()
        .filter(|e| e.operation == "createToken")
        .count();
    assert_eq!(
        tokens, 4,
        "three authenticated calls (one client each) and createToken itself"
    );
}

async fn raw(
    mock: &MockServer,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, String, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", mock.url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = response.text().await.unwrap();
    (
        status,
        content_type,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The mock's default VTEX app key pair.
const VTEX_AUTH: [(&str, &str); 2] = [
    ("x-vtex-api-appkey", VTEX_APP_KEY),
    ("x-vtex-api-apptoken", VTEX_APP_TOKEN),
];

/// The `Authorization` value of the mock's default Crux token.
fn crux_auth() -> String {
    format!("Token {CRUX_TOKEN}")
}

/// A SellerCloud login with the mock's default account.
fn sellercloud_login() -> String {
    json!({"Username": SELLERCLOUD_USERNAME, "Password": SELLERCLOUD_PASSWORD}).to_string()
}

#[tokio::test]
async fn a_bad_request_gets_422_with_every_violation() {
    let mock = mock().await;
    let body = r#"{"isDelivered": "yes", "deliveredDate": "2022-10-01T21:15:00Z", "events": [{"city": "Rio"}], "extra": 1}"#;
    let (status, content_type, problem) = raw(
        &mock,
        reqwest::Method::PUT,
        "/vtex-oms/api/oms/pvt/orders/o-1/invoice/1/tracking",
        &VTEX_AUTH,
        Some(body),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(problem["operation"], "updateTrackingStatus");
    let violations = problem["violations"].as_array().unwrap();
    let pointers: BTreeSet<&str> = violations
        .iter()
        .map(|v| v["pointer"].as_str().unwrap())
        .collect();
    for expected in ["", "/isDelivered", "/deliveredDate", "/events/0"] {
        assert!(
            pointers.contains(expected),
            "{expected:?} not in {problem:#}"
        );
    }
    assert!(
        violations.iter().any(|v| v["message"]
            .as_str()
            .unwrap()
            .contains("\"description\" is a required property")),
        "{problem:#}"
    );
    assert!(
        violations
            .iter()
            .all(|v| v["rule"].as_str().unwrap().starts_with("#/"))
    );
    assert!(
        mock.ledger().is_empty(),
        "refused requests are not in the ledger"
    );
}

#[tokio::test]
async fn missing_credentials_get_401() {
    let mock = mock().await;
    let body = r#"{"trackingNumber": "BR1", "trackingUrl": null, "courier": null, "dispatchedDate": null}"#;
    let (status, _, problem) = raw(
        &mock,
        reqwest::Method::PATCH,
        "/vtex-oms/api/oms/pvt/orders/o/invoice/1",
        &VTEX_AUTH[..1],
        Some(body),
    )
    .await;
    assert_eq!(status, 401);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("header X-VTEX-API-AppToken"),
        "{problem}"
    );
    // The alternative user token is enough.
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::PATCH,
        "/vtex-oms/api/oms/pvt/orders/o/invoice/1",
        &[("VtexIdclientAutCookie", VTEX_USER_TOKEN)],
        Some(body),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::PUT,
        "/crux/orders/tracking/0e63ac67-7c45-454d-b2ef-bb6b5ed387c3/X/",
        &[],
        Some("{}"),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_sellercloud_token_must_come_from_the_mocks_own_create_token() {
    let mock = mock().await;
    let path = "/sellercloud/rest/api/PurchaseOrders/1/TrackingNumber";
    let body = Some(r#"{"TrackingNumber": "1Z"}"#);
    let (status, _, problem) = raw(
        &mock,
        reqwest::Method::PUT,
        path,
        &[("authorization", "Bearer made-up")],
        body,
    )
    .await;
    assert_eq!(status, 401);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("issued by createToken"),
        "{problem}"
    );

    let (status, _, token) = raw(
        &mock,
        reqwest::Method::POST,
        "/sellercloud/rest/api/token",
        &[],
        Some(&sellercloud_login()),
    )
    .await;
    assert_eq!(status, 200);
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    assert_ne!(
        bearer, "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcGkifQ.c2lnbmF0dXJl",
        "a fresh token, not the example's"
    );
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::PUT,
        path,
        &[("authorization", bearer.as_str())],
        body,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn tokens_expire_as_expires_in_says_and_the_client_renews() {
    let mut specs = SpecSource::builtin();
    let sellercloud = specs.iter_mut().find(|s| s.name == "sellercloud").unwrap();
    assert!(sellercloud.text.contains("expires_in: 3600\n"));
    sellercloud.text = sellercloud
        .text
        .replace("expires_in: 3600\n", "expires_in: 1\n");
    let mock = MockServer::start(MockConfig {
        specs,
        ..MockConfig::builtin()
    })
    .await
    .unwrap();

    let (_, _, token) = raw(
        &mock,
        reqwest::Method::POST,
        "/sellercloud/rest/api/token",
        &[],
        Some(&sellercloud_login()),
    )
    .await;
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let path = "/sellercloud/rest/api/PurchaseOrders/1/TrackingNumber";
    let body = Some(r#"{"TrackingNumber": "1Z"}"#);
    assert_eq!(
        raw(
            &mock,
            reqwest::Method::PUT,
            path,
            &[("authorization", bearer.as_str())],
            body
        )
        .await
        .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        raw(
            &mock,
            reqwest::Method::PUT,
            path,
            &[("authorization", bearer.as_str())],
            body
        )
        .await
        .0,
        401,
        "expired"
    );

    // The client renews before expiry (or after the 401) and gets through.
    let client = sellercloud_client::Client::with_credentials_and_config(
        &mock.base_url("sellercloud").unwrap(),
        SELLERCLOUD_USERNAME,
        SELLERCLOUD_PASSWORD,
        &no_retries(),
    )
    .unwrap();
    for _ in 0..2 {
        client
            .update_purchase_order_tracking()
            .id(1)
            .body_map(|b| b.tracking_number(Some("1Z".into())))
            .send()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
}

#[tokio::test]
async fn prefer_chooses_the_status_and_the_example() {
    let mock = mock().await;
    let client =
        crux_client::Client::with_token(&mock.base_url("crux").unwrap(), CRUX_TOKEN).unwrap();
    let error = client
        .update_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .tracking_number("X")
        .body_map(|b| b.carrier(Some("UPS".into())))
        .send()
        .await
        .unwrap();
    assert_eq!(error.status().as_u16(), 200, "lowest 2xx by default");

    let path = "/crux/orders/tracking/0e63ac67-7c45-454d-b2ef-bb6b5ed387c3/X/";
    let token = crux_auth();
    let auth = ("authorization", token.as_str());
    let (status, _, body) = raw(
        &mock,
        reqwest::Method::PUT,
        path,
        &[auth, ("prefer", "code=404")],
        Some("{}"),
    )
    .await;
    assert_eq!((status, body), (404, json!({"detail": "Not found."})));
    let (status, _, body) = raw(
        &mock,
        reqwest::Method::PUT,
        path,
        &[auth, ("prefer", "example=retailer")],
        Some("{}"),
    )
    .await;
    assert_eq!(
        (status, body),
        (409, json!({"detail": "Only suppliers may add tracking."}))
    );
    let (status, _, body) = raw(
        &mock,
        reqwest::Method::PUT,
        path,
        &[auth, ("prefer", "code=418")],
        Some("{}"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        mock.ledger().len(),
        1,
        "only the 2xx answer is an accepted request"
    );
}

#[tokio::test]
async fn malformed_large_and_unknown_requests_get_clear_answers() {
    let mock = MockServer::start(MockConfig {
        body_limit: 1000,
        ..MockConfig::builtin()
    })
    .await
    .unwrap();
    let path = "/vtex-oms/api/oms/pvt/orders/o/invoice/1";
    let (status, _, problem) = raw(
        &mock,
        reqwest::Method::PATCH,
        path,
        &VTEX_AUTH,
        Some("{\"trackingNumber\": \n  \"BR1\",}"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("trailing comma"),
        "{problem}"
    );
    assert_eq!(
        (problem["line"].clone(), problem["column"].clone()),
        (json!(2), json!(9))
    );

    let big = format!(
        "{{\"trackingNumber\": \"{}\", \"trackingUrl\": null, \"courier\": null, \"dispatchedDate\": null}}",
        "x".repeat(2000)
    );
    let (status, _, problem) =
        raw(&mock, reqwest::Method::PATCH, path, &VTEX_AUTH, Some(&big)).await;
    assert_eq!(status, 413);
    assert_eq!(problem["limit"], 1000);

    let (status, _, problem) = raw(
        &mock,
        reqwest::Method::GET,
        "/vtex-oms/api/nothing",
        &VTEX_AUTH,
        None,
    )
    .await;
    assert_eq!(status, 404);
    let listed = problem["operations"].as_array().unwrap();
    assert_eq!(listed.len(), 3, "the provider's operations: {problem:#}");
    let (status, _, problem) = raw(&mock, reqwest::Method::GET, "/nowhere", &[], None).await;
    assert_eq!(status, 404);
    assert_eq!(
        problem["operations"].as_array().unwrap().len(),
        10,
        "every operation of every provider"
    );
}

#[tokio::test]
async fn the_ledger_and_faults_are_reachable_over_http() {
    let mock = mock().await;
    let body = Some(
        r#"{"trackingNumber": "BR1", "trackingUrl": null, "courier": null, "dispatchedDate": null}"#,
    );
    raw(
        &mock,
        reqwest::Method::PATCH,
        "/vtex-oms/api/oms/pvt/orders/o%2F1/invoice/1",
        &VTEX_AUTH,
        body,
    )
    .await;
    let (status, _, ledger) = raw(&mock, reqwest::Method::GET, "/_mock/ledger", &[], None).await;
    assert_eq!(status, 200);
    assert_eq!(ledger, serde_json::to_value(mock.ledger()).unwrap());
    assert_eq!(ledger[0]["path_params"]["orderId"], "o/1", "decoded");
    assert_eq!(ledger[0]["body"]["trackingNumber"], "BR1");

    let faults = r#"{"unavailable": 1.0}"#;
    let mut put = reqwest::Client::new()
        .put(format!("{}/_mock/faults", mock.url()))
        .body(faults)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(
        raw(
            &mock,
            reqwest::Method::PATCH,
            "/vtex-oms/api/oms/pvt/orders/o/invoice/1",
            &VTEX_AUTH,
            body
        )
        .await
        .0,
        503
    );
    put = reqwest::Client::new()
        .put(format!("{}/_mock/faults", mock.url()))
        .body(r#"{"unavailable": 2}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 400);

    // Faults limited to operations: only the ones named get them, and a
    // name no spec has is refused (a typo would silently disable them).
    let only = |names: &str| format!(r#"{{"unavailable": 1.0, "only": [{names}]}}"#);
    put = reqwest::Client::new()
        .put(format!("{}/_mock/faults", mock.url()))
        .body(only(r#""updatePartialInvoic""#))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 400);
    let refused = put.text().await.unwrap();
    assert!(refused.contains("updatePartialInvoic"), "{refused}");
    let unknown = Faults {
        only: vec!["nope".into()],
        ..Faults::none()
    };
    assert!(mock.set_faults(unknown).is_err());
    let named = Faults {
        unavailable: 1.0,
        only: vec!["updatePartialInvoice".into()],
        ..Faults::none()
    };
    mock.set_faults(named).unwrap();
    let patch = || {
        raw(
            &mock,
            reqwest::Method::PATCH,
            "/vtex-oms/api/oms/pvt/orders/o/invoice/2",
            &VTEX_AUTH,
            body,
        )
    };
    assert_eq!(patch().await.0, 503, "the operation named in `only`");
    put = reqwest::Client::new()
        .put(format!("{}/_mock/faults", mock.url()))
        .body(only(r#""addOrderTracking""#))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(patch().await.0, 200, "not an operation named in `only`");
    mock.set_faults(Faults::none()).unwrap();

    let (_, _, ledger) = raw(&mock, reqwest::Method::GET, "/_mock/ledger", &[], None).await;
    assert_eq!(
        ledger.as_array().unwrap().len(),
        2,
        "faulted requests are not entered"
    );
}

#[tokio::test]
async fn faults_are_deterministic_for_a_seed() {
    let faults = Faults {
        too_many_requests: 0.2,
        server_error: 0.1,
        unavailable: 0.1,
        ..Faults::none()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let mock = MockServer::start(
            MockConfig::builtin()
                .with_faults(faults.clone())
                .with_seed(42),
        )
        .await
        .unwrap();
        let mut statuses = Vec::new();
        for _ in 0..50 {
            statuses.push(
                raw(
                    &mock,
                    reqwest::Method::PATCH,
                    "/vtex-oms/api/oms/pvt/orders/o/invoice/1",
                    &VTEX_AUTH,
                    Some(r#"{"trackingNumber": "B", "trackingUrl": null, "courier": null, "dispatchedDate": null}"#),
                )
                .await
                .0,
            );
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    for status in [200, 429, 500, 503] {
        assert!(
            runs[0].contains(&status),
            "{status} never drawn in {:?}",
            runs[0]
        );
    }
}

/// One VTEX PATCH, not retried, to a mock that drops every connection as
/// `faults` says: the mock and the error, checked to be a transport error.
async fn dropped_patch(
    faults: Faults,
) -> (
    MockServer,
    tracking_runtime::ApiError<vtex_oms_client::types::VtexError>,
) {
    let mock = MockServer::start(MockConfig::builtin().with_faults(faults))
        .await
        .unwrap();
    let client = vtex_oms_client::Client::with_app_key_and_config(
        &mock.base_url("vtex-oms").unwrap(),
        VTEX_APP_KEY,
        VTEX_APP_TOKEN,
        &no_retries(),
    )
    .unwrap();
    let error = client
        .update_partial_invoice()
        .order_id("o")
        .invoice_number("1")
        .body_map(|b| contract_tests::call::tracking_only(b, "B"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), tracking_runtime::ErrorKind::Transport(_)),
        "{error:?}"
    );
    (mock, error)
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_not_an_answer() {
    let (mock, _) = dropped_patch(Faults {
        drop_connection: 1.0,
        ..Faults::none()
    })
    .await;
    assert!(mock.ledger().is_empty());
}

#[tokio::test]
async fn a_drop_after_apply_is_recorded_but_never_answered() {
    let (mock, error) = dropped_patch(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    })
    .await;
    assert!(error.in_doubt());
    let ledger = mock.ledger();
    assert_eq!(ledger.len(), 1, "applied although never answered");
    assert_eq!(ledger[0].operation, "updatePartialInvoice");
}

/// 2,000 pushes, 32 at a time, with 20% faults: the ledger holds exactly
/// the pushes whose call succeeded, each once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_load_with_faults_the_ledger_holds_exactly_the_successes() {
    let faults = Faults {
        too_many_requests: 0.08,
        retry_after_secs: 0,
        server_error: 0.02,
        unavailable: 0.05,
        drop_connection: 0.05,
        ..Faults::none()
    };
    let mock = MockServer::start(MockConfig::builtin().with_faults(faults).with_seed(7))
        .await
        .unwrap();
    // 18% of attempts meet a fault that is retried (429, 503, a drop): with
    // 7 attempts, 2,000 calls lose every one about once in a hundred runs
    // (0.18^7 × 2,000); with 13, never in practice (0.18^13 × 2,000 < 1e-6).
    let config = ClientConfig::default().with_retry(RetryPolicy {
        max_retries: 12,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_elapsed: Duration::from_secs(30),
        retry_unsafe_methods: false,
    });
    let crux = crux_client::Client::with_token_and_config(
        &mock.base_url("crux").unwrap(),
        CRUX_TOKEN,
        &config,
    )
    .unwrap();
    let vtex = vtex_oms_client::Client::with_app_key_and_config(
        &mock.base_url("vtex-oms").unwrap(),
        VTEX_APP_KEY,
        VTEX_APP_TOKEN,
        &config,
    )
    .unwrap();

    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..2000 {
        let permit = semaphore.clone().acquire_owned().await.unwrap();
        let (crux, vtex) = (crux.clone(), vtex.clone());
        tasks.spawn(async move {
            let marker = format!("T-{i}");
            // Err(Some(status)) for an answer, Err(None) for no answer.
            let outcome = if i % 2 == 0 {
                // PUT: idempotent, so even a dropped connection is retried.
                crux.update_order_tracking()
                    .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
                    .tracking_number(marker.clone())
                    .body_map(|b| b.carrier(Some("UPS".into())))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| e.status().map(|s| s.as_u16()))
            } else {
                // PATCH, marked `x-idempotent` in the spec: retried too.
                vtex.update_partial_invoice()
                    .order_id("o-1")
                    .invoice_number("1")
                    .body_map(|b| contract_tests::call::tracking_only(b, marker.clone()))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| e.status().map(|s| s.as_u16()))
            };
            drop(permit);
            (i, marker, outcome)
        });
    }
    let mut succeeded = BTreeSet::new();
    let mut failed = 0;
    while let Some(result) = tasks.join_next().await {
        let (_, marker, outcome) = result.unwrap();
        match outcome {
            Ok(()) => {
                succeeded.insert(marker);
            }
            Err(why) => {
                failed += 1;
                // 500 is never retried; 429 and 503 always are, and so is a
                // dropped connection for both calls (a PUT, and a PATCH the
                // spec marks `x-idempotent`): losing all 13 attempts to them
                // is too unlikely to explain a failure (see the policy).
                let explained = why == Some(500);
                assert!(explained, "{marker} failed with {why:?}");
            }
        }
    }
    let ledger = mock.ledger();
    let recorded: Vec<String> = ledger
        .iter()
        .map(|e| match e.operation.as_str() {
            "updateOrderTracking" => e.path_params["tracking_number"].clone(),
            _ => e.body.as_ref().unwrap()["trackingNumber"]
                .as_str()
                .unwrap()
                .to_string(),
        })
        .collect();
    let unique: BTreeSet<String> = recorded.iter().cloned().collect();
    assert_eq!(unique.len(), recorded.len(), "a push was recorded twice");
    assert_eq!(
        unique, succeeded,
        "the ledger differs from the successful calls"
    );
    assert_eq!(succeeded.len() + failed, 2000);
    assert!(
        failed > 0 && failed < 300,
        "{failed} failures: the faults should fail some calls, not most"
    );
}

const PASSWORD: &str = "pa55word-never-in-the-ledger";

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

/// Sends `parts` on a fresh connection to the mock, each after its pause,
/// then reads until the mock closes the connection (or 2 s pass): what it
/// answered, whether it closed, and how long after the last part.
async fn slow_client(
    mock: &MockServer,
    parts: Vec<(Duration, String)>,
) -> (String, bool, Duration) {
    let addr = mock.addr();
    // Plain blocking I/O on a thread of its own: the mock keeps the runtime.
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        for (pause, part) in &parts {
            std::thread::sleep(*pause);
            stream.write_all(part.as_bytes()).unwrap();
        }
        let sent = std::time::Instant::now();
        let mut answer = Vec::new();
        let mut chunk = [0; 4096];
        let closed = loop {
            match stream.read(&mut chunk) {
                Ok(0) => break true,
                Ok(n) => answer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
                // The read timed out: the connection is still open.
                Err(_) => break false,
            }
        };
        (
            String::from_utf8_lossy(&answer).into_owned(),
            closed,
            sent.elapsed(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_half_sent_header_is_disconnected_but_a_slow_complete_request_is_answered() {
    let mock = MockServer::start(MockConfig {
        header_timeout: Duration::from_millis(300),
        ..MockConfig::builtin()
    })
    .await
    .unwrap();

    // The header never ends: closed at the timeout, without an answer.
    let (answer, closed, after) = slow_client(
        &mock,
        vec![(Duration::ZERO, "GET / HTTP/1.1\r\nHost: x\r\n".into())],
    )
    .await;
    assert!(closed, "still open after {after:?}");
    assert!(
        after < Duration::from_millis(1500),
        "closed after {after:?}"
    );
    assert_eq!(answer, "");

    // A header sent in pieces within the timeout, then its body long after
    // it: only the header is timed.
    let body = r#"{"trackingNumber": "SLOW1", "trackingUrl": null, "courier": null, "dispatchedDate": null}"#;
    let header = format!(
        "x-vtex-api-appkey: {VTEX_APP_KEY}\r\nx-vtex-api-apptoken: {VTEX_APP_TOKEN}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let (answer, _, _) = slow_client(
        &mock,
        vec![
            (
                Duration::ZERO,
                "PATCH /vtex-oms/api/oms/pvt/orders/o/invoice/1 HTTP/1.1\r\nHost: x\r\n".into(),
            ),
            (Duration::from_millis(150), header),
            (Duration::from_millis(500), body.into()),
        ],
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Nor is the time taken to answer.
    mock.set_faults(Faults {
        delay: 1.0,
        delay_ms: 600,
        ..Faults::none()
    })
    .unwrap();
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::PATCH,
        "/vtex-oms/api/oms/pvt/orders/o/invoice/1",
        &VTEX_AUTH,
        Some(r#"{"trackingNumber": "SLOW2", "trackingUrl": null, "courier": null, "dispatchedDate": null}"#),
    )
    .await;
    assert_eq!(status, 200);
    let numbers: Vec<Value> = mock
        .ledger()
        .iter()
        .map(|e| e.body.as_ref().unwrap()["trackingNumber"].clone())
        .collect();
    assert_eq!(numbers, [json!("SLOW1"), json!("SLOW2")]);
}

/// One VTEX PATCH: its status and `Retry-After`, if any.
async fn vtex_patch(client: &reqwest::Client, mock_url: &str, i: usize) -> (u16, Option<String>) {
    let response = client
        .patch(format!(
            "{mock_url}/vtex-oms/api/oms/pvt/orders/o/invoice/{i}"
        ))
        .header("x-vtex-api-appkey", VTEX_APP_KEY)
        .header("x-vtex-api-apptoken", VTEX_APP_TOKEN)
        .header("content-type", "application/json")
        .body(format!(r#"{{"trackingNumber": "T{i}", "trackingUrl": null, "courier": null, "dispatchedDate": null}}"#))
        .send()
        .await
        .unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (response.status().as_u16(), retry_after)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_provider_admits_its_burst_and_answers_the_rest_429() {
    let mock = MockServer::start(MockConfig::builtin().with_throttle("vtex-oms", 5.0))
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let mut sent = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (client, url) = (client.clone(), mock.url());
        sent.spawn(async move { vtex_patch(&client, &url, i).await });
    }
    let mut accepted = 0;
    while let Some(answer) = sent.join_next().await {
        match answer.unwrap() {
            (200, None) => accepted += 1,
            // A token comes back every 200 ms: the next second.
            (429, Some(retry_after)) => assert_eq!(retry_after, "1"),
            other => panic!("{other:?}"),
        }
    }
    // The burst of 5, and one more if the 20 took over 200 ms to arrive.
    assert!((5..=6).contains(&accepted), "{accepted} accepted");
    assert_eq!(mock.ledger().len(), accepted, "a 429 is not applied");
    assert_eq!(mock.throttled(), 20 - accepted as u64);
    assert_eq!(mock.throttled_at("vtex-oms"), 20 - accepted as u64);
    let (_, _, counted) = raw(&mock, reqwest::Method::GET, "/_mock/throttled", &[], None).await;
    assert_eq!(counted, json!({"vtex-oms": 20 - accepted}));

    // Another provider is not throttled.
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::PUT,
        "/crux/orders/tracking/0e63ac67-7c45-454d-b2ef-bb6b5ed387c3/X/",
        &[("authorization", crux_auth().as_str())],
        Some("{}"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(mock.throttled_at("crux"), 0);

    // Throttling what the mock does not serve, or at no rate, is refused.
    for config in [
        MockConfig::builtin().with_throttle("sellercloudd", 3.0),
        MockConfig::builtin().with_throttle("sellercloud", 0.0),
        MockConfig::builtin().with_throttle("sellercloud", f64::NAN),
    ] {
        assert!(matches!(
            MockServer::start(config).await,
            Err(tracking_mock::MockError::Config(_))
        ));
    }
}

/// 15 requests, one every 120 ms, to a provider throttled at 10 a second:
/// more than its burst, so they pass only because the bucket refills.
#[tokio::test]
async fn requests_paced_under_the_throttle_all_pass() {
    let mock = MockServer::start(MockConfig::builtin().with_throttle("vtex-oms", 10.0))
        .await
        .unwrap();
    let client = reqwest::Client::new();
    for i in 0..15 {
        // Each sent after the answer to the last, so never closer than 120 ms.
        assert_eq!(
            vtex_patch(&client, &mock.url(), i).await,
            (200, None),
            "request {i}"
        );
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
    assert_eq!(mock.throttled(), 0);
    assert_eq!(mock.ledger().len(), 15);
}

#[tokio::test]
async fn shutdown_lets_the_request_in_flight_finish_then_refuses_connections() {
    let mock = MockServer::start(MockConfig::builtin().with_faults(Faults {
        delay: 1.0,
        delay_ms: 500,
        ..Faults::none()
    }))
    .await
    .unwrap();
    let (addr, url) = (mock.addr(), mock.url());
    let in_flight = tokio::spawn(async move { vtex_patch(&reqwest::Client::new(), &url, 1).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let started = std::time::Instant::now();
    mock.shutdown().await;
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "shutdown returned before the request in flight was answered"
    );
    assert_eq!(in_flight.await.unwrap(), (200, None));
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

const ORDER: &str = "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3";
const CRUX_PUT: &str = "/crux/orders/tracking/0e63ac67-7c45-454d-b2ef-bb6b5ed387c3/X/";
const VTEX_PATCH: &str = "/vtex-oms/api/oms/pvt/orders/o/invoice/1";
const VTEX_BODY: &str =
    r#"{"trackingNumber": "BR1", "trackingUrl": null, "courier": null, "dispatchedDate": null}"#;
const SELLERCLOUD_PUT: &str = "/sellercloud/rest/api/PurchaseOrders/1/TrackingNumber";
const SELLERCLOUD_BODY: &str = r#"{"TrackingNumber": "1Z"}"#;

/// A SellerCloud login: its status and, when it worked, the `Authorization`
/// value of its token.
async fn sellercloud_token(mock: &MockServer, user: &str, password: &str) -> (u16, String) {
    let login = json!({"Username": user, "Password": password}).to_string();
    let (status, _, token) = raw(
        mock,
        reqwest::Method::POST,
        "/sellercloud/rest/api/token",
        &[],
        Some(&login),
    )
    .await;
    let bearer = token["access_token"]
        .as_str()
        .map(|t| format!("Bearer {t}"))
        .unwrap_or_default();
    (status, bearer)
}

/// A Crux login: its status and body.
async fn crux_login(mock: &MockServer, user: &str, password: &str) -> (u16, String, Value) {
    let login = json!({"username": user, "password": password}).to_string();
    raw(
        mock,
        reqwest::Method::POST,
        "/crux/organizations/user-login/",
        &[],
        Some(&login),
    )
    .await
}

/// The status of one call of each provider with `headers`.
async fn statuses_with(mock: &MockServer, headers: &[(&str, &str)]) -> [u16; 3] {
    let send = |path, body| raw(mock, reqwest::Method::PUT, path, headers, Some(body));
    [
        send(CRUX_PUT, "{}").await.0,
        raw(
            mock,
            reqwest::Method::PATCH,
            VTEX_PATCH,
            headers,
            Some(VTEX_BODY),
        )
        .await
        .0,
        send(SELLERCLOUD_PUT, SELLERCLOUD_BODY).await.0,
    ]
}

#[tokio::test]
async fn a_credential_the_mock_does_not_know_gets_401_and_the_defaults_200() {
    let mock = mock().await;
    let refused = [
        ("crux", CRUX_PUT, vec![("authorization", "Token anything")]),
        (
            "vtex-oms",
            VTEX_PATCH,
            vec![
                ("x-vtex-api-appkey", "made-up-key"),
                ("x-vtex-api-apptoken", VTEX_APP_TOKEN),
            ],
        ),
        (
            "vtex-oms",
            VTEX_PATCH,
            vec![
                ("x-vtex-api-appkey", VTEX_APP_KEY),
                ("x-vtex-api-apptoken", "made-up-token"),
            ],
        ),
        (
            "vtex-oms",
            VTEX_PATCH,
            vec![("VtexIdclientAutCookie", "made-up-user-token")],
        ),
        (
            "sellercloud",
            SELLERCLOUD_PUT,
            vec![("authorization", "Bearer made-up")],
        ),
    ];
    for (provider, path, headers) in &refused {
        let (method, body) = match *provider {
            "vtex-oms" => (reqwest::Method::PATCH, VTEX_BODY),
            "crux" => (reqwest::Method::PUT, "{}"),
            _ => (reqwest::Method::PUT, SELLERCLOUD_BODY),
        };
        let (status, content_type, problem) = raw(&mock, method, path, headers, Some(body)).await;
        assert_eq!(status, 401, "{provider} {headers:?}: {problem}");
        assert_eq!(content_type, "application/problem+json");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("tracking_mock::credentials"), "{detail}");
        for (_, value) in headers {
            let sent = value
                .trim_start_matches("Token ")
                .trim_start_matches("Bearer ");
            if sent.contains("made-up") || sent == "anything" {
                assert!(!detail.contains(sent), "the value sent is echoed: {detail}");
            }
        }
    }

    let (status, bearer) =
        sellercloud_token(&mock, SELLERCLOUD_USERNAME, SELLERCLOUD_PASSWORD).await;
    assert_eq!(status, 200);
    let crux = crux_auth();
    let vtex_user = [("VtexIdclientAutCookie", VTEX_USER_TOKEN)];
    let crux_and_vtex = [("authorization", crux.as_str()), VTEX_AUTH[0], VTEX_AUTH[1]];
    assert_eq!(statuses_with(&mock, &crux_and_vtex).await[..2], [200, 200]);
    assert_eq!(statuses_with(&mock, &vtex_user).await[1], 200);
    let sellercloud = [("authorization", bearer.as_str())];
    assert_eq!(statuses_with(&mock, &sellercloud).await[2], 200);
}

#[tokio::test]
async fn a_login_with_a_wrong_password_gets_401_and_with_the_defaults_a_token_that_works() {
    let mock = mock().await;
    let (status, content_type, problem) = crux_login(&mock, "mock-user", "wrong").await;
    assert_eq!(
        (status, content_type.as_str()),
        (401, "application/problem+json")
    );
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("username and password"), "{detail}");
    assert!(!detail.contains("wrong"), "{detail}");
    assert_eq!(
        sellercloud_token(&mock, SELLERCLOUD_USERNAME, "wrong")
            .await
            .0,
        401
    );
    assert_eq!(
        sellercloud_token(&mock, "someone", SELLERCLOUD_PASSWORD)
            .await
            .0,
        401
    );
    let operations: Vec<String> = mock.ledger().into_iter().map(|e| e.operation).collect();
    assert!(
        operations.is_empty(),
        "refused logins are not applied: {operations:?}"
    );

    let (status, _, session) = crux_login(
        &mock,
        tracking_mock::credentials::CRUX_USERNAME,
        tracking_mock::credentials::CRUX_PASSWORD,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(session["auth_token"], CRUX_TOKEN);
    // The client that logs in, then pushes.
    let crux = crux_client::Client::login(
        &mock.base_url("crux").unwrap(),
        tracking_mock::credentials::CRUX_USERNAME,
        tracking_mock::credentials::CRUX_PASSWORD,
        &no_retries(),
    )
    .await
    .unwrap();
    crux.update_order_tracking()
        .order_uuid(ORDER)
        .tracking_number("X")
        .body_map(|b| b.carrier(Some("UPS".into())))
        .send()
        .await
        .unwrap();
    let (status, bearer) =
        sellercloud_token(&mock, SELLERCLOUD_USERNAME, SELLERCLOUD_PASSWORD).await;
    assert_eq!(status, 200);
    let sellercloud = [("authorization", bearer.as_str())];
    assert_eq!(statuses_with(&mock, &sellercloud).await[2], 200);
}

#[tokio::test]
async fn credentials_added_are_accepted_besides_the_defaults() {
    let config = MockConfig::builtin()
        .with_credential("crux", "tokenAuth", "Token second-account")
        // A header's name does as well as its scheme's.
        .with_credential("vtex-oms", "X-VTEX-API-AppKey", "second-key")
        .with_credential("vtex-oms", "appToken", "second-token")
        .with_login("sellercloud", "second", "second-password")
        .with_login("crux", "second", "second-password");
    let mock = MockServer::start(config).await.unwrap();
    let second = [
        ("authorization", "Token second-account"),
        ("x-vtex-api-appkey", "second-key"),
        ("x-vtex-api-apptoken", "second-token"),
    ];
    assert_eq!(statuses_with(&mock, &second).await[..2], [200, 200]);
    let crux = crux_auth();
    let first = [("authorization", crux.as_str()), VTEX_AUTH[0], VTEX_AUTH[1]];
    assert_eq!(statuses_with(&mock, &first).await[..2], [200, 200]);
    let (status, bearer) = sellercloud_token(&mock, "second", "second-password").await;
    assert_eq!(status, 200);
    let sellercloud = [("authorization", bearer.as_str())];
    assert_eq!(statuses_with(&mock, &sellercloud).await[2], 200);
    let (status, _, session) = crux_login(&mock, "second", "second-password").await;
    assert_eq!(
        (status, session["auth_token"].clone()),
        (200, json!(CRUX_TOKEN))
    );
    assert_eq!(
        sellercloud_token(&mock, SELLERCLOUD_USERNAME, SELLERCLOUD_PASSWORD)
            .await
            .0,
        200,
        "the default account still works"
    );

    // A scheme the spec does not have, or a login where there is none, is
    // refused: a typo would otherwise leave the value unaccepted in silence.
    for config in [
        MockConfig::builtin().with_credential("crux", "tokenAuht", "Token x"),
        MockConfig::builtin().with_login("vtex-oms", "u", "p"),
    ] {
        assert!(matches!(
            MockServer::start(config).await,
            Err(tracking_mock::MockError::Config(_))
        ));
    }
}

#[tokio::test]
async fn a_spec_of_your_own_accepts_any_credential_and_any_login() {
    let mut specs = SpecSource::builtin();
    for spec in &mut specs {
        spec.name = format!("my-{}", spec.name);
    }
    let mock = MockServer::start(MockConfig {
        specs,
        ..MockConfig::builtin()
    })
    .await
    .unwrap();
    let path = CRUX_PUT.replace("/crux/", "/my-crux/");
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::PUT,
        &path,
        &[("authorization", "Token anything")],
        Some("{}"),
    )
    .await;
    assert_eq!(status, 200);
    let login = r#"{"username": "anyone", "password": "anything"}"#;
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::POST,
        "/my-crux/organizations/user-login/",
        &[],
        Some(login),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_method_a_path_does_not_serve_gets_405_with_allow() {
    let mock = mock().await;
    for (method, path, allow) in [
        (
            reqwest::Method::GET,
            format!("/crux/orders/tracking/{ORDER}/"),
            "POST",
        ),
        (reqwest::Method::DELETE, CRUX_PUT.to_string(), "PUT"),
        (reqwest::Method::POST, SELLERCLOUD_PUT.to_string(), "PUT"),
        (
            reqwest::Method::GET,
            "/vtex-oms/api/oms/pvt/orders/o/invoice/1".to_string(),
            "PATCH",
        ),
    ] {
        let response = reqwest::Client::new()
            .request(method.clone(), format!("{}{path}", mock.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 405);
        assert_eq!(problem["allow"], json!([allow]));
    }
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::GET,
        "/crux/orders/nothing/",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 404, "a path no operation serves");
    assert!(mock.ledger().is_empty());
}

/// A request (method, path, headers, body) and the status expected.
type Case<'a> = (
    reqwest::Method,
    &'a str,
    Vec<(&'a str, &'a str)>,
    Option<&'a str>,
    u16,
);

/// One request to the mock and what the mock's own document says of its
/// answer: the operation it was for, the status, and every violation of the
/// document (none expected).
async fn judged(
    mock: &MockServer,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (String, u16, Vec<tracking_contract::Violation>) {
    let provider = mock
        .providers()
        .into_iter()
        .find(|p| path.starts_with(&format!("/{p}/")))
        .unwrap();
    let document = mock.openapi(&provider).unwrap();
    let contract =
        tracking_contract::Contract::from_json(format!("{provider} (mock)").as_ref(), document)
            .unwrap();
    let mount = mock.base_url(&provider).unwrap()[mock.url().len()..].to_string();
    let (op, _) = contract
        .route(method.as_str(), &path[mount.len()..])
        .unwrap();
    let id = op.id.clone();
    let (status, content_type, answer) = raw(mock, method, path, headers, body).await;
    let violations = if content_type.is_empty() {
        contract.validate_response(&id, status, None).unwrap()
    } else {
        contract
            .validate_response_as(&id, status, &content_type, &answer)
            .unwrap()
    };
    (id, status, violations)
}

#[tokio::test]
async fn the_mocks_own_document_is_openapi_and_documents_what_the_mock_answers() {
    let mock = MockServer::start(
        MockConfig {
            body_limit: 1000,
            ..MockConfig::builtin()
        }
        .stateful(),
    )
    .await
    .unwrap();
    for provider in mock.providers() {
        let url = format!("{}/_mock/openapi/{provider}", mock.url());
        let text = reqwest::get(&url).await.unwrap().text().await.unwrap();
        let origin = format!("mock's {provider}");
        let loaded = tracking_spec::parse(origin.as_ref(), &text)
            .unwrap_or_else(|e| panic!("{provider}: {e}"));
        assert_eq!(Some(&loaded.json), mock.openapi(&provider).as_ref());
        assert_eq!(
            loaded.json["servers"][0]["url"].as_str(),
            mock.base_url(&provider).as_deref()
        );
        tracking_contract::Contract::from_json(origin.as_ref(), loaded.json).unwrap();
    }
    assert!(mock.openapi("nope").is_none());
    let (status, _, _) = raw(
        &mock,
        reqwest::Method::GET,
        "/_mock/openapi/nope",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 404);

    let (_, bearer) = sellercloud_token(&mock, SELLERCLOUD_USERNAME, SELLERCLOUD_PASSWORD).await;
    let crux = crux_auth();
    let crux = [("authorization", crux.as_str())];
    let sellercloud = [("authorization", bearer.as_str())];
    let big = format!("{{\"TrackingNumber\": \"{}\"}}", "x".repeat(2000));
    let login = sellercloud_login();
    use reqwest::Method as M;
    let cases: Vec<Case> = vec![
        // The mock's own answers.
        (
            M::PATCH,
            VTEX_PATCH,
            VTEX_AUTH.to_vec(),
            Some(r#"{"trackingNumber": 1}"#),
            422,
        ),
        (
            M::POST,
            "/crux/organizations/user-login/",
            vec![],
            Some(r#"{"username": "u"}"#),
            422,
        ),
        (
            M::PATCH,
            VTEX_PATCH,
            VTEX_AUTH[..1].to_vec(),
            Some(VTEX_BODY),
            401,
        ),
        (
            M::PUT,
            CRUX_PUT,
            vec![("authorization", "Token anything")],
            Some("{}"),
            401,
        ),
        (
            M::PUT,
            SELLERCLOUD_PUT,
            vec![("authorization", "Bearer made-up")],
            Some(SELLERCLOUD_BODY),
            401,
        ),
        (
            M::POST,
            "/crux/organizations/user-login/",
            vec![],
            Some(r#"{"username": "u", "password": "p"}"#),
            401,
        ),
        (
            M::POST,
            "/sellercloud/rest/api/token",
            vec![],
            Some(r#"{"Username": "u", "Password": "p"}"#),
            401,
        ),
        (
            M::PATCH,
            VTEX_PATCH,
            VTEX_AUTH.to_vec(),
            Some("{\"trackingNumber\": \n  \"BR1\",}"),
            400,
        ),
        (
            M::PUT,
            CRUX_PUT,
            vec![crux[0], ("prefer", "code=418")],
            Some("{}"),
            400,
        ),
        (
            M::PUT,
            SELLERCLOUD_PUT,
            sellercloud.to_vec(),
            Some(&big),
            413,
        ),
        // Stateful: X was never added.
        (M::PUT, CRUX_PUT, crux.to_vec(), Some("{}"), 404),
        // The provider's answers, from the spec.
        (
            M::PATCH,
            VTEX_PATCH,
            VTEX_AUTH.to_vec(),
            Some(VTEX_BODY),
            200,
        ),
        (
            M::PUT,
            CRUX_PUT,
            vec![crux[0], ("prefer", "code=409")],
            Some("{}"),
            409,
        ),
        (
            M::POST,
            "/sellercloud/rest/api/token",
            vec![],
            Some(&login),
            200,
        ),
        (
            M::PUT,
            SELLERCLOUD_PUT,
            sellercloud.to_vec(),
            Some(SELLERCLOUD_BODY),
            200,
        ),
    ];
    for (method, path, headers, body, expected) in cases {
        let (operation, status, violations) = judged(&mock, method, path, &headers, body).await;
        assert_eq!(status, expected, "{operation}");
        assert!(
            violations.is_empty(),
            "{operation} {status}: {violations:?}"
        );
    }

    // Faults, and a throttled provider.
    for (unavailable, server_error, too_many_requests, expected) in [
        (1.0, 0.0, 0.0, 503),
        (0.0, 1.0, 0.0, 500),
        (0.0, 0.0, 1.0, 429),
    ] {
        mock.set_faults(Faults {
            unavailable,
            server_error,
            too_many_requests,
            ..Faults::none()
        })
        .unwrap();
        for (method, path, headers, body) in [
            (M::PATCH, VTEX_PATCH, VTEX_AUTH.to_vec(), VTEX_BODY),
            (
                M::PUT,
                SELLERCLOUD_PUT,
                sellercloud.to_vec(),
                SELLERCLOUD_BODY,
            ),
        ] {
            let (operation, status, violations) =
                judged(&mock, method, path, &headers, Some(body)).await;
            assert_eq!(status, expected, "{operation}");
            assert!(
                violations.is_empty(),
                "{operation} {status}: {violations:?}"
            );
        }
    }
    mock.set_faults(Faults::none()).unwrap();
    let throttled = MockServer::start(MockConfig::builtin().with_throttle("crux", 1.0))
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let (operation, status, violations) =
            judged(&throttled, M::PUT, CRUX_PUT, &crux, Some("{}")).await;
        assert!(
            violations.is_empty(),
            "{operation} {status}: {violations:?}"
        );
        statuses.push(status);
    }
    assert_eq!(statuses, [200, 429]);
}
