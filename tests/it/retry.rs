//! Retries: what is retried, how often, how long the client waits, and what
//! is never replayed. Each test counts the requests the server saw.

use std::time::{Duration, Instant};

use contract_tests::sellercloud::{is_token, token_reply};
use contract_tests::server::{Recorded, RecordingServer, Reply};
use serde_json::json;
use tracking_runtime::{ClientConfig, ErrorKind, RetryPolicy};

fn policy(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_elapsed: Duration::from_secs(10),
        retry_unsafe_methods: false,
    }
}

fn crux(server: &RecordingServer, retry: RetryPolicy) -> crux_client::Client {
    crux_client::Client::with_token_and_config(
        &server.url(""),
        "t",
        &ClientConfig::default().with_retry(retry),
    )
    .unwrap()
}

fn vtex(server: &RecordingServer, config: ClientConfig) -> vtex_oms_client::Client {
    vtex_oms_client::Client::with_app_key_and_config(&server.url(""), "k", "t", &config).unwrap()
}

/// A PUT (idempotent).
async fn put(
    client: &crux_client::Client,
) -> Result<u16, tracking_runtime::ApiError<crux_client::types::CruxError>> {
    client
        .update_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .tracking_number("1Z")
        .body(crux_client::types::UpdateOrderTrackingRequest::default())
        .send()
        .await
        .map(|r| r.status().as_u16())
}

/// A SellerCloud PUT of a purchase order's tracking number, after a login.
async fn po_tracking(
    server: &RecordingServer,
    retry: RetryPolicy,
) -> Result<(), tracking_runtime::ApiError<sellercloud_client::types::SellerCloudError>> {
    let client = sellercloud_client::Client::with_credentials_and_config(
        &server.url("/rest"),
        "u",
        "p",
        &ClientConfig::default().with_retry(retry),
    )
    .unwrap();
    contract_tests::sellercloud::po_tracking(&client).await
}

/// A POST (not idempotent: VTEX records a second invoice when it is sent twice).
async fn invoice(
    client: &vtex_oms_client::Client,
) -> Result<(), tracking_runtime::ApiError<vtex_oms_client::types::VtexError>> {
    let body =
        serde_json::from_value::<vtex_oms_client::types::InvoiceNotificationRequest>(json!({
            "type": "Output", "issuanceDate": "2024-04-09T12:26:18Z", "invoiceNumber": "1",
            "invoiceValue": "100", "items": [{"id": "1", "price": 100, "quantity": 1}]
        }))
        .unwrap();
    client
        .invoice_notification()
        .order_id("o-1")
        .body(body)
        .send()
        .await
        .map(|_| ())
}

/// A server that answers `first()` to the first request and `then()` to
/// every later one.
async fn first_then(
    first: impl Fn() -> Reply + Send + Sync + 'static,
    then: impl Fn() -> Reply + Send + Sync + 'static,
) -> RecordingServer {
    RecordingServer::start(move |_, n| if n == 0 { first() } else { then() }).await
}

fn receipt() -> Reply {
    Reply::json(
        200,
        json!({"date": "2017-03-29T18:04:31.0521233+00:00", "orderId": "o-1", "receipt": "r"}),
    )
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let server = first_then(
        || Reply::status(429).header("retry-after", "1"),
        || Reply::status(200),
    )
    .await;
    let started = Instant::now();
    assert_eq!(put(&crux(&server, policy(3))).await.unwrap(), 200);
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured: {:?}",
        started.elapsed()
    );
}

/// A Retry-After no budget can hold (u64::MAX seconds) ends the retries
/// with the 429, never overflows.
#[tokio::test]
async fn an_absurd_retry_after_ends_the_retries() {
    let server =
        RecordingServer::always(Reply::status(429).header("retry-after", &u64::MAX.to_string()))
            .await;
    let error = put(&crux(&server, policy(3))).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = first_then(
        || {
            let at = std::time::SystemTime::now() + Duration::from_secs(2);
            Reply::status(503).header("retry-after", &httpdate_fmt(at))
        },
        || Reply::status(200),
    )
    .await;
    let started = Instant::now();
    assert_eq!(put(&crux(&server, policy(3))).await.unwrap(), 200);
    assert_eq!(server.requests().len(), 2);
    // An HTTP date has whole seconds: at least 1 s of the 2 remain.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

fn httpdate_fmt(at: std::time::SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

#[tokio::test]
async fn a_503_then_success_is_retried_for_a_post_too() {
    // 503 and 429 mean the request was not processed: safe for any method.
    let server = first_then(|| Reply::status(503), receipt).await;
    invoice(&vtex(
        &server,
        ClientConfig::default().with_retry(policy(3)),
    ))
    .await
    .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("x-vtex-api-apptoken"), Some("t"));
    assert_same_request(&requests[0], &requests[1]);
}

/// A retry sends a copy of the request made before each attempt: it must put
/// exactly the first attempt's request on the wire, credentials included.
fn assert_same_request(first: &Recorded, again: &Recorded) {
    assert_eq!(first.method, again.method);
    assert_eq!(first.path, again.path);
    assert_eq!(first.query, again.query);
    assert_eq!(first.headers, again.headers);
    assert_eq!(first.body, again.body);
    assert!(!first.body.is_empty() || first.method == "GET");
}

#[tokio::test]
async fn every_attempt_puts_the_same_request_on_the_wire() {
    // Crux: a token header; a PUT with a path parameter that needs encoding.
    let server = first_then(|| Reply::status(503), || Reply::status(200)).await;
    let client = crux(&server, policy(3));
    client
        .update_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .tracking_number("1Z 99/é")
        .body_map(|b| b.carrier(Some("UPS".to_string())))
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[0].path.contains("/1Z%2099%2F%C3%A9/"),
        "{}",
        requests[0].path
    );
    assert_same_request(&requests[0], &requests[1]);

    // VTEX (two app-key headers, a POST body with nested items): in
    // `a_503_then_success_is_retried_for_a_post_too`.

    // SellerCloud: a bearer token fetched first.
    let server = RecordingServer::start(|r, _| {
        if is_token(r) {
            token_reply("t", 3600)
        } else {
            Reply::status(503)
        }
    })
    .await;
    let error = po_tracking(&server, policy(2)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/TrackingNumber"))
        .collect();
    assert_eq!(sent.len(), 3, "1 attempt + 2 retries");
    assert_eq!(sent[0].header("authorization"), Some("Bearer t"));
    assert_same_request(&sent[0], &sent[1]);
    assert_same_request(&sent[0], &sent[2]);
}

#[tokio::test]
async fn a_retry_carries_the_credentials_of_its_time() {
    // The token expires while the client waits out a Retry-After: the
    // retry is made after the wait, with the token renewed meanwhile.
    let server = RecordingServer::start(|r, n| {
        if is_token(r) {
            token_reply(&format!("tok-{n}"), 1)
        } else if r.header("authorization") == Some("Bearer tok-0") {
            Reply::status(503).header("retry-after", "1")
        } else {
            Reply::status(200)
        }
    })
    .await;
    po_tracking(&server, policy(3)).await.unwrap();
    let order: Vec<String> = server
        .requests()
        .iter()
        .map(|r| match r.header("authorization") {
            Some(token) => token.to_string(),
            None => "token".to_string(),
        })
        .collect();
    assert_eq!(order, ["token", "Bearer tok-0", "token", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_retry_that_cannot_get_credentials_reports_the_last_answer() {
    // As above, but the token cannot be renewed for the retry: the call
    // ends with the provider's last answer, not with the login's failure.
    let server = RecordingServer::start(|r, n| {
        if is_token(r) && n == 0 {
            token_reply("tok-0", 1)
        } else if is_token(r) {
            Reply::status(500)
        } else {
            Reply::status(503).header("retry-after", "1")
        }
    })
    .await;
    let error = po_tracking(&server, policy(3)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    assert_eq!(
        server.count("/TrackingNumber"),
        1,
        "nothing sent without credentials"
    );
}

#[tokio::test]
async fn sellercloud_rate_limit_reset_time_is_waited_for() {
    let server = RecordingServer::start(|r, n| {
        if is_token(r) {
            token_reply("t", 3600)
        } else if n == 1 {
            let reset = chrono::Utc::now() + chrono::Duration::milliseconds(1200);
            Reply::json(
                429,
                json!({"Error": "Too many requests.", "RateLimitResetTime": reset.to_rfc3339()}),
            )
        } else {
            Reply::status(200)
        }
    })
    .await;
    let started = Instant::now();
    po_tracking(&server, policy(3)).await.unwrap();
    assert_eq!(server.count("/TrackingNumber"), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "RateLimitResetTime not honoured: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retries_run_out_and_report_the_last_answer() {
    let server = RecordingServer::always(Reply::json(503, json!({"detail": "down"}))).await;
    let error = put(&crux(&server, policy(2))).await.unwrap_err();
    assert_eq!(server.requests().len(), 3, "1 attempt + 2 retries");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.to_string().contains("down"), "{error}");
    // The error says how many attempts were made, and over how long.
    let (attempts, took) = error.tries().unwrap();
    assert_eq!(attempts, 3);
    assert!(
        error.to_string().ends_with(&format!(
            "(after 3 attempts over {:.1} s)",
            took.as_secs_f64()
        )),
        "{error}"
    );
    // One attempt says nothing of it.
    let once = put(&crux(&server, policy(0))).await.unwrap_err();
    assert_eq!(once.tries(), None);
    assert!(!once.to_string().contains("attempts"), "{once}");
}

#[tokio::test]
async fn an_exhausted_429_keeps_its_body_after_it_was_read_for_the_reset_time() {
    let server = RecordingServer::always(Reply::json(
        429,
        json!({"Error": "Too many requests.", "RateLimitResetTime": "2000-01-01T00:00:00"}),
    ))
    .await;
    let error = put(&crux(&server, policy(1))).await.unwrap_err();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(error.to_string().contains("Too many requests."), "{error}");
}

#[tokio::test]
async fn a_wait_past_the_budget_ends_the_retries() {
    let server = RecordingServer::always(Reply::status(429).header("retry-after", "3600")).await;
    let started = Instant::now();
    let error = put(&crux(&server, policy(5))).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = RecordingServer::always(Reply::status(503)).await;
    put(&crux(&server, RetryPolicy::none())).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = RecordingServer::always(Reply::json(422, json!({"detail": "no"}))).await;
    let error = put(&crux(&server, policy(3))).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert!(!error.in_doubt(), "a refusal is a clear answer");
}

#[tokio::test]
async fn a_502_is_retried_for_a_put_but_not_for_a_post() {
    let server = first_then(|| Reply::status(502), || Reply::status(200)).await;
    assert_eq!(put(&crux(&server, policy(3))).await.unwrap(), 200);
    assert_eq!(server.requests().len(), 2);

    let server = first_then(|| Reply::status(502), receipt).await;
    let error = invoice(&vtex(
        &server,
        ClientConfig::default().with_retry(policy(3)),
    ))
    .await
    .unwrap_err();
    assert_eq!(
        server.requests().len(),
        1,
        "a POST that a gateway may have passed on is not replayed"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(error.in_doubt(), "a gateway may have passed it on");
}

#[tokio::test]
async fn a_502_is_retried_for_the_patch_the_spec_marks_idempotent() {
    assert!(vtex_oms_client::IDEMPOTENT_OPERATIONS.contains(&"updatePartialInvoice"));
    assert!(!vtex_oms_client::IDEMPOTENT_OPERATIONS.contains(&"invoiceNotification"));
    let server = first_then(|| Reply::status(502), receipt).await;
    let client = vtex(&server, ClientConfig::default().with_retry(policy(3)));
    client
        .update_partial_invoice()
        .order_id("o-1")
        .invoice_number("1")
        .body_map(|b| contract_tests::vtex::tracking_only(b, "1Z"))
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "x-idempotent: the PATCH is sent again");
    assert_eq!(requests[0].method, "PATCH");
}

#[tokio::test]
async fn a_post_that_timed_out_after_sending_is_not_replayed() {
    let server = first_then(|| receipt().delayed(Duration::from_secs(2)), receipt).await;
    let config = ClientConfig::default()
        .with_retry(policy(3))
        .with_timeouts(Duration::from_secs(1), Duration::from_millis(300));
    let error = invoice(&vtex(&server, config.clone())).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
    assert!(
        error.in_doubt(),
        "a timeout after sending leaves it in doubt"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "the invoice may have been recorded: not sent again"
    );

    // The same failure on an idempotent PUT is retried.
    let server = first_then(
        || Reply::status(200).delayed(Duration::from_secs(2)),
        || Reply::status(200),
    )
    .await;
    let client = crux_client::Client::with_token_and_config(&server.url(""), "t", &config).unwrap();
    assert_eq!(put(&client).await.unwrap(), 200);
    assert_eq!(server.requests().len(), 2);

    // Opting in replays the POST as well.
    let server = first_then(|| receipt().delayed(Duration::from_secs(2)), receipt).await;
    let mut retry = policy(3);
    retry.retry_unsafe_methods = true;
    invoice(&vtex(&server, config.with_retry(retry)))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    // Nothing listens: the request never left, so retrying is safe.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let retry = RetryPolicy {
        initial_backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(1),
        ..policy(2)
    };
    let client = vtex_oms_client::Client::with_app_key_and_config(
        &url,
        "k",
        "t",
        &ClientConfig::default().with_retry(retry),
    )
    .unwrap();
    let started = Instant::now();
    let error = invoice(&client).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport(e) if e.is_connect()),
        "{error:?}"
    );
    assert!(!error.in_doubt(), "a connection never made carried nothing");
    assert!(
        error.to_string().starts_with("invoiceNotification failed"),
        "{error}"
    );
    // Both retries waited: at least 100 ms (half of 200, the fixed part) + 200 ms.
    // Without retries the refusal comes back in about a millisecond.
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}
