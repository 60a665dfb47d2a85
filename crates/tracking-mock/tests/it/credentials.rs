//! Credentials as the providers check them: 401 without, tokens from the mock's own logins that expire, credentials and logins added, a spec of your own.

use std::time::Duration;

use serde_json::json;
use tracking_mock::{MockConfig, MockServer, SpecSource};

use crate::common::*;

/// The credentials the mock accepts (`tracking_mock::credentials`).
const CRUX_TOKEN: &str = "mock-token-auth";
const SELLERCLOUD_PASSWORD: &str = tracking_mock::credentials::PASSWORD;
const SELLERCLOUD_USERNAME: &str = tracking_mock::credentials::USERNAME;
const VTEX_APP_KEY: &str = "mock-app-key";
const VTEX_APP_TOKEN: &str = "mock-app-token";
const VTEX_USER_TOKEN: &str = "mock-user-token";

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
        tracking_mock::credentials::USERNAME,
        tracking_mock::credentials::PASSWORD,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(session["auth_token"], CRUX_TOKEN);
    // The client that logs in, then pushes.
    let crux = crux_client::Client::login_and_config(
        &mock.base_url("crux").unwrap(),
        tracking_mock::credentials::USERNAME,
        tracking_mock::credentials::PASSWORD,
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

/// `GET /_mock/credentials/<provider>` gives headers that every secured
/// operation of every built-in provider accepts (a request with them gets
/// past the credentials, to the body's check), where none are refused.
#[tokio::test]
async fn the_credentials_endpoint_passes_every_secured_operation() {
    let mock = crate::common::mock().await;
    for source in tracking_mock::SpecSource::builtin() {
        let name = &source.name;
        let (status, _, answer) = raw(
            &mock,
            reqwest::Method::GET,
            &format!("/_mock/credentials/{name}"),
            &[],
            None,
        )
        .await;
        assert_eq!(status, 200, "{name}: {answer}");
        let headers: Vec<(String, String)> = answer["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        assert!(!headers.is_empty(), "{name}");
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (_, _, document) = raw(
            &mock,
            reqwest::Method::GET,
            &format!("/_mock/openapi/{name}"),
            &[],
            None,
        )
        .await;
        let mount = mock.base_url(name).unwrap()[mock.url().len()..].to_string();
        let mut secured = 0;
        for (template, item) in document["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if op
                    .get("security")
                    .is_some_and(|s| s == &serde_json::json!([]))
                {
                    continue;
                }
                secured += 1;
                let path = template
                    .split('/')
                    .map(|s| if s.starts_with('{') { "1" } else { s })
                    .collect::<Vec<_>>()
                    .join("/");
                let method: reqwest::Method = method.to_uppercase().parse().unwrap();
                let url = format!("{mount}{path}");
                let (with, _, body) = raw(&mock, method.clone(), &url, &headers, Some("{}")).await;
                assert_ne!(with, 401, "{name} {method} {url}: {body}");
                let (without, _, _) = raw(&mock, method, &url, &[], Some("{}")).await;
                assert_eq!(without, 401, "{name} {url}");
            }
        }
        assert!(secured > 0, "{name}");
    }
}
