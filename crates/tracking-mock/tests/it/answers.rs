//! What the mock answers: every operation of every client accepted, decoded and recorded; bad, malformed and unknown requests refused with the right status and every violation; `Prefer`; its own OpenAPI document.

use std::collections::BTreeSet;

use contract_tests::call::{Args, call};
use contract_tests::spec::all_specs;
use serde_json::{Value, json};
use tracking_mock::{Faults, MockConfig, MockServer, REDACTED};

use crate::common::*;

/// The credentials the mock accepts (`tracking_mock::credentials`).
const CRUX_TOKEN: &str = "mock-token-auth";
const SELLERCLOUD_PASSWORD: &str = tracking_mock::credentials::PASSWORD;
const SELLERCLOUD_USERNAME: &str = tracking_mock::credentials::USERNAME;

#[tokio::test]
async fn every_operation_of_every_client_is_accepted_decoded_and_recorded() {
    let mock = MockServer::start(MockConfig::builtin().with_example_logins())
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
    let every: usize = tracking_mock::SpecSource::builtin()
        .iter()
        .map(|source| {
            let spec = tracking_spec::parse(&source.origin, &source.text).unwrap();
            spec.openapi.operations().count()
        })
        .sum();
    assert_eq!(
        problem["operations"].as_array().unwrap().len(),
        every,
        "every operation of every provider"
    );
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
