//! The OAuth 2 token source (`tracking_runtime::oauth`), as eBay's user
//! tokens work: a refresh token exchanged at the token endpoint with the
//! client's Basic credentials; one exchange for many calls in flight, a new
//! one before the token expires and once after a 401; no secret shown.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use contract_tests::server::{Recorded, RecordingServer, Reply};
use serde_json::json;
use tracking_runtime::oauth::OAuthToken;
use tracking_runtime::{ClientConfig, ErrorKind, RetryPolicy};

const CLIENT_SECRET: &str = "client-secret-NEVER-SHOWN";
const REFRESH_TOKEN: &str = "v^1.1#refresh-NEVER-SHOWN";
const SCOPE: &str = "https://api.ebay.com/oauth/api_scope/sell.fulfillment";

fn is_token(r: &Recorded) -> bool {
    r.path == "/identity/v1/oauth2/token"
}

/// A token endpoint issuing `tok-<n>` (n: the exchange's number) valid for
/// `expires_in` seconds, and an API that takes the tokens `valid` allows.
async fn platform(
    expires_in: u64,
    valid: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> RecordingServer {
    let exchanges = std::sync::atomic::AtomicUsize::new(0);
    RecordingServer::start(move |r, _| {
        if is_token(r) {
            let n = exchanges.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            return Reply::json(
                200,
                json!({"access_token": format!("tok-{n}"), "expires_in": expires_in, "token_type": "User Access Token"}),
            )
            .delayed(Duration::from_millis(50));
        }
        let token = r
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .unwrap_or_default();
        if valid(token) {
            Reply::json(200, json!([]))
        } else {
            Reply::json(401, json!([{"status": 401, "message": "token expired"}]))
        }
    })
    .await
}

fn auth(server: &RecordingServer) -> OAuthToken {
    OAuthToken::refresh_token(
        &server.url("/identity/v1/oauth2/token"),
        "my-client-id",
        CLIENT_SECRET,
        REFRESH_TOKEN,
    )
    .unwrap()
    .with_scopes([SCOPE])
}

/// A generated client (BigCommerce's, for its simple GET) with `auth`.
fn api(server: &RecordingServer, auth: OAuthToken) -> bigcommerce_client::Client {
    bigcommerce_client::Client::with_auth_and_config(
        &server.url(""),
        Arc::new(auth.into_auth()),
        &ClientConfig::default().with_retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn tokens(server: &RecordingServer) -> Vec<Recorded> {
    server.requests().into_iter().filter(is_token).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_exchange_serves_many_calls_in_flight_and_is_made_as_ebay_asks() {
    let server = platform(7200, |t| t == "tok-1").await;
    let client = api(&server, auth(&server));
    let calls = (0..20).map(|_| client.get_order_products().order_id(1).send());
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let exchanges = tokens(&server);
    assert_eq!(exchanges.len(), 1, "{exchanges:#?}");
    let exchange = &exchanges[0];
    assert_eq!(exchange.method, "POST");
    assert_eq!(
        exchange.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // Basic base64("my-client-id:client-secret-NEVER-SHOWN"), as the form
    // encoding of each part (RFC 6749 §2.3.1) leaves them.
    let basic = exchange.header("authorization").unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(basic.strip_prefix("Basic ").unwrap())
        .unwrap();
    let decoded = String::from_utf8(decoded).unwrap();
    assert_eq!(decoded, format!("my-client-id:{CLIENT_SECRET}"));
    let form: Vec<(String, String)> = form_urlencoded::parse(&exchange.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(
        form.contains(&("grant_type".into(), "refresh_token".into())),
        "{form:?}"
    );
    assert!(
        form.contains(&("refresh_token".into(), REFRESH_TOKEN.into())),
        "{form:?}"
    );
    assert!(form.contains(&("scope".into(), SCOPE.into())), "{form:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_about_to_expire_is_renewed_before_it_is_sent() {
    // Valid for 1 s: renewed from 0.8 s on.
    let server = platform(1, |t| t.starts_with("tok-")).await;
    let client = api(&server, auth(&server));
    client
        .get_order_products()
        .order_id(1)
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await;
    client
        .get_order_products()
        .order_id(1)
        .send()
        .await
        .unwrap();
    let sent: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| !is_token(r))
        .filter_map(|r| r.header("authorization").map(str::to_string))
        .collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-2"]);
    assert_eq!(tokens(&server).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_renews_the_token_once_and_the_call_goes_through() {
    // The platform revoked tok-1.
    let server = platform(7200, |t| t == "tok-2").await;
    let client = api(&server, auth(&server));
    client
        .get_order_products()
        .order_id(1)
        .send()
        .await
        .unwrap();
    assert_eq!(tokens(&server).len(), 2);
    // A token that is refused again is not renewed in a loop.
    let server = platform(7200, |_| false).await;
    let client = api(&server, auth(&server));
    let error = client
        .get_order_products()
        .order_id(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(tokens(&server).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_refresh_token_is_a_credential_error_that_shows_no_secret() {
    let server = RecordingServer::start(|r, _| {
        if is_token(r) {
            Reply::json(
                400,
                json!({"error": "invalid_grant", "error_description": "the provided authorization refresh token is invalid or was issued to another client"}),
            )
        } else {
            Reply::json(200, json!([]))
        }
    })
    .await;
    let auth = auth(&server);
    let shown = format!("{auth:?}");
    let client = api(&server, auth);
    let error = client
        .get_order_products()
        .order_id(1)
        .send()
        .await
        .unwrap_err();
    let ErrorKind::Credentials(credentials) = error.kind() else {
        panic!("{error:?}");
    };
    assert_eq!(credentials.status().map(|s| s.as_u16()), Some(400));
    let report = tracking_runtime::report(&error);
    assert!(report.contains("invalid_grant"), "{report}");
    // Nothing was sent to the API without a token.
    assert_eq!(server.requests().len(), 1);
    for text in [report, format!("{error:?}"), shown] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
        assert!(!text.contains(REFRESH_TOKEN), "{text}");
    }
}

/// Login with Amazon (Amazon's SP-API) and Walmart take the token alone in
/// a header of their own: `x-amz-access-token: <token>`, no
/// `Authorization`. Amazon's exchange carries the client's secret in the
/// form. Renewal after a 401 works on that header too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_goes_alone_in_the_platform_s_header_and_is_renewed_there() {
    let exchanges = std::sync::atomic::AtomicUsize::new(0);
    let server = RecordingServer::start(move |r, _| {
        if is_token(r) {
            let n = exchanges.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            return Reply::json(
                200,
                json!({"access_token": format!("Atza|tok-{n}"), "expires_in": 3600, "token_type": "bearer"}),
            );
        }
        // Amazon revoked the first token.
        match r.header("x-amz-access-token") {
            Some("Atza|tok-2") if r.header("authorization").is_none() => Reply::json(200, json!([])),
            _ => Reply::json(401, json!({"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied."}]})),
        }
    })
    .await;
    let token = OAuthToken::refresh_token(
        &server.url("/identity/v1/oauth2/token"),
        "amzn1.application-oa2-client.id",
        CLIENT_SECRET,
        REFRESH_TOKEN,
    )
    .unwrap()
    .with_client_secret_in_body();
    let client = bigcommerce_client::Client::with_auth_and_config(
        &server.url(""),
        Arc::new(
            token
                .into_auth()
                .in_header(reqwest::header::HeaderName::from_static(
                    "x-amz-access-token",
                )),
        ),
        &ClientConfig::default().with_retry(RetryPolicy::none()),
    )
    .unwrap();
    client
        .get_order_shipments()
        .order_id(1)
        .send()
        .await
        .unwrap();
    assert_eq!(tokens(&server).len(), 2);
    let exchange = &tokens(&server)[0];
    let form: Vec<(String, String)> = form_urlencoded::parse(&exchange.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(
        form.contains(&("client_secret".into(), CLIENT_SECRET.into())),
        "{form:?}"
    );
    assert!(exchange.header("authorization").is_none());
    let calls: Vec<Recorded> = server
        .requests()
        .into_iter()
        .filter(|r| !is_token(r))
        .collect();
    let sent: Vec<Option<&str>> = calls
        .iter()
        .map(|c| c.header("x-amz-access-token"))
        .collect();
    assert_eq!(sent, [Some("Atza|tok-1"), Some("Atza|tok-2")]);
    assert!(calls.iter().all(|c| c.header("authorization").is_none()));
}

/// Walmart's way: client credentials (HTTP Basic, no refresh token) at
/// `/v3/token`, the token alone in `WM_SEC.ACCESS_TOKEN`, and on every
/// request, the token's and each retry's included, `WM_SVC.NAME` and a
/// `WM_QOS.CORRELATION_ID` of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walmart_requests_carry_its_service_name_and_a_fresh_correlation_id_each() {
    let server = RecordingServer::start(move |r, n| {
        if r.path == "/v3/token" {
            return Reply::json(
                200,
                json!({"access_token": "wm-token", "expires_in": 900, "token_type": "Bearer"}),
            );
        }
        // The first call is throttled once, then answered.
        if n == 1 {
            return Reply::json(429, json!({})).header("retry-after", "0");
        }
        Reply::json(200, json!({"order": {"purchaseOrderId": "1815367951431"}}))
    })
    .await;
    let token = walmart_client::auth::client_token(
        &server.url("/v3/token"),
        "walmart-client-id",
        CLIENT_SECRET,
    )
    .unwrap();
    let client = walmart_client::Client::with_client_token_and_config(
        &server.url(""),
        token,
        &ClientConfig::default().with_retry(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
            max_elapsed: Duration::from_secs(5),
            retry_unsafe_methods: false,
        }),
    )
    .unwrap();
    client
        .get_an_order()
        .purchase_order_id("1815367951431")
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/v3/token",
            "/v3/orders/1815367951431",
            "/v3/orders/1815367951431"
        ]
    );
    // The exchange: client credentials, HTTP Basic, no secret in the form.
    let exchange = &requests[0];
    let form: Vec<(String, String)> = form_urlencoded::parse(&exchange.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(
        form.contains(&("grant_type".into(), "client_credentials".into())),
        "{form:?}"
    );
    assert!(!String::from_utf8_lossy(&exchange.body).contains(CLIENT_SECRET));
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("walmart-client-id:{CLIENT_SECRET}"));
    assert_eq!(
        exchange.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    let mut ids = std::collections::BTreeSet::new();
    for request in &requests {
        assert_eq!(request.header("wm_svc.name"), Some("Walmart Marketplace"));
        let id = request.header("wm_qos.correlation_id").unwrap();
        assert!(uuid_like(id), "{id}");
        ids.insert(id.to_string());
    }
    assert_eq!(ids.len(), 3, "a correlation id per request: {ids:?}");
    for call in &requests[1..] {
        assert_eq!(call.header("wm_sec.access_token"), Some("wm-token"));
        assert!(call.header("authorization").is_none());
    }
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}
