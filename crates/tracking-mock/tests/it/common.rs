//! What the mock's tests share: a mock, raw requests, the default credentials.

use std::time::Duration;

use serde_json::{Value, json};
use tracking_mock::{Faults, MockConfig, MockServer};
use tracking_runtime::{ClientConfig, RetryPolicy};

/// The credentials the mock accepts (`tracking_mock::credentials`).
const CRUX_TOKEN: &str = "mock-token-auth";
const SELLERCLOUD_PASSWORD: &str = tracking_mock::credentials::PASSWORD;
const SELLERCLOUD_USERNAME: &str = tracking_mock::credentials::USERNAME;
const VTEX_APP_KEY: &str = "mock-app-key";
const VTEX_APP_TOKEN: &str = "mock-app-token";

pub(crate) async fn mock() -> MockServer {
    MockServer::start(MockConfig::builtin()).await.unwrap()
}

pub(crate) fn no_retries() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy::none())
}

pub(crate) async fn raw(
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
pub(crate) const VTEX_AUTH: [(&str, &str); 2] = [
    ("x-vtex-api-appkey", VTEX_APP_KEY),
    ("x-vtex-api-apptoken", VTEX_APP_TOKEN),
];

/// The `Authorization` value of the mock's default Crux token.
pub(crate) fn crux_auth() -> String {
    format!("Token {CRUX_TOKEN}")
}

/// A SellerCloud login with the mock's default account.
pub(crate) fn sellercloud_login() -> String {
    json!({"Username": SELLERCLOUD_USERNAME, "Password": SELLERCLOUD_PASSWORD}).to_string()
}

/// One VTEX PATCH, not retried, to a mock that drops every connection as
/// `faults` says: the mock and the error, checked to be a transport error.
pub(crate) async fn dropped_patch(
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
        .body_map(|b| contract_tests::vtex::tracking_only(b, "B"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), tracking_runtime::ErrorKind::Transport(_)),
        "{error:?}"
    );
    (mock, error)
}

pub(crate) const PASSWORD: &str = "pa55word-never-in-the-ledger";

/// Sends `parts` on a fresh connection to the mock, each after its pause,
/// then reads until the mock closes the connection (or 2 s pass): what it
/// answered, whether it closed, and how long after the last part.
pub(crate) async fn slow_client(
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

/// One VTEX PATCH: its status and `Retry-After`, if any.
pub(crate) async fn vtex_patch(
    client: &reqwest::Client,
    mock_url: &str,
    i: usize,
) -> (u16, Option<String>) {
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

pub(crate) const ORDER: &str = "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3";
pub(crate) const CRUX_PUT: &str = "/crux/orders/tracking/0e63ac67-7c45-454d-b2ef-bb6b5ed387c3/X/";
pub(crate) const VTEX_PATCH: &str = "/vtex-oms/api/oms/pvt/orders/o/invoice/1";
pub(crate) const VTEX_BODY: &str =
    r#"{"trackingNumber": "BR1", "trackingUrl": null, "courier": null, "dispatchedDate": null}"#;
pub(crate) const SELLERCLOUD_PUT: &str = "/sellercloud/rest/api/PurchaseOrders/1/TrackingNumber";
pub(crate) const SELLERCLOUD_BODY: &str = r#"{"TrackingNumber": "1Z"}"#;

/// A SellerCloud login: its status and, when it worked, the `Authorization`
/// value of its token.
pub(crate) async fn sellercloud_token(
    mock: &MockServer,
    user: &str,
    password: &str,
) -> (u16, String) {
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
pub(crate) async fn crux_login(
    mock: &MockServer,
    user: &str,
    password: &str,
) -> (u16, String, Value) {
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
pub(crate) async fn statuses_with(mock: &MockServer, headers: &[(&str, &str)]) -> [u16; 3] {
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

/// A request (method, path, headers, body) and the status expected.
pub(crate) type Case<'a> = (
    reqwest::Method,
    &'a str,
    Vec<(&'a str, &'a str)>,
    Option<&'a str>,
    u16,
);

/// One request to the mock and what the mock's own document says of its
/// answer: the operation it was for, the status, and every violation of the
/// document (none expected).
pub(crate) async fn judged(
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
