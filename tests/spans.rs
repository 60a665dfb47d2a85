//! Each call has one span, `call`, which carries the operation, method, path,
//! final status and attempts; and nothing is recorded into the caller's own
//! spans when a filter turns the call's span off. Alone in its test binary:
//! tracing's per-callsite cache would otherwise mix the two subscribers.

use contract_tests::logs::Captured;
use contract_tests::sellercloud::{is_token, po_tracking, token_reply};
use contract_tests::server::{RecordingServer, Reply};
use serde_json::json;
use tracing::Instrument;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

/// One `updatePartialInvoice` that gets a 503 and then VTEX's receipt.
async fn call_once() {
    let server = RecordingServer::start(|_, n| {
        if n == 0 {
            Reply::status(503)
        } else {
            Reply::json(
                200,
                json!({"date": "2017-03-29T18:04:31.0521233+00:00", "orderId": "o-1", "receipt": "r"}),
            )
        }
    })
    .await;
    let retry = tracking_runtime::RetryPolicy {
        initial_backoff: std::time::Duration::from_millis(1),
        ..Default::default()
    };
    let client = vtex_oms_client::Client::with_app_key_and_config(
        &server.url(""),
        "k",
        "t",
        &tracking_runtime::ClientConfig::default().with_retry(retry),
    )
    .unwrap();
    client
        .update_partial_invoice()
        .order_id("o-1")
        .invoice_number("7")
        .body_map(|b| contract_tests::vtex::tracking_only(b, "1Z"))
        .send()
        .await
        .unwrap();
}

/// One SellerCloud call, which first logs in with another call.
async fn nested_call() {
    let server = RecordingServer::start(|r, _| {
        if is_token(r) {
            token_reply("t", 3600)
        } else {
            Reply::status(200)
        }
    })
    .await;
    let client =
        sellercloud_client::Client::with_credentials(&server.url("/rest"), "u", "p").unwrap();
    po_tracking(&client).await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn the_call_span_carries_what_happened_and_never_writes_into_the_callers() {
    // Everything on: the call's span shows its fields on its last event.
    let logs = Captured::default();
    {
        let _guard = tracing::subscriber::set_default(logs.subscriber());
        call_once().await;
    }
    let text = logs.text();
    let ok = text
        .lines()
        .find(|l| l.contains(" ok "))
        .unwrap_or_else(|| panic!("an `ok` event: {text}"));
    for field in [
        "call{operation=\"updatePartialInvoice\"",
        "method=PATCH",
        "path=\"/api/oms/pvt/orders/o-1/invoice/7\"",
        "attempts=2",
        "status=200",
    ] {
        assert!(ok.contains(field), "{field} in {ok}");
    }

    // A call made inside another (SellerCloud's login, on the first call's
    // first attempt) has its own span, and the outer call's fields still go
    // to the outer call's.
    let logs = Captured::default();
    {
        let _guard = tracing::subscriber::set_default(logs.subscriber());
        nested_call().await;
    }
    let text = logs.text();
    let ok: Vec<&str> = text.lines().filter(|l| l.contains(" ok ")).collect();
    assert_eq!(ok.len(), 2, "{text}");
    let (login, push) = (ok[0], ok[1]);
    // The login's event, inside the outer call's span, which has nothing of
    // the login's.
    assert!(
        login.contains(
            "call{operation=\"updatePurchaseOrderTracking\"}:call{operation=\"createToken\" \
             method=POST path=\"/rest/api/token\" attempts=1 status=200}"
        ),
        "{login}"
    );
    assert!(
        push.contains("call{operation=\"updatePurchaseOrderTracking\""),
        "{push}"
    );
    for field in [
        "method=PUT",
        "path=\"/rest/api/PurchaseOrders/18227/TrackingNumber\"",
        "attempts=1",
        "status=200",
    ] {
        assert!(push.contains(field), "{field} in {push}");
    }

    // The runtime's spans filtered out, the application's kept: the
    // application's span, which happens to have fields of the same names,
    // stays as the application left it.
    let logs = Captured::default();
    let writer = logs.clone();
    let filter = tracing_subscriber::filter::Targets::new()
        .with_target("tracking_runtime", tracing::Level::ERROR)
        .with_target("spans", tracing::Level::TRACE);
    let subscriber = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_filter(filter),
    );
    {
        let _guard = tracing::subscriber::set_default(subscriber);
        let span = tracing::info_span!(
            "request",
            status = tracing::field::Empty,
            method = tracing::field::Empty,
            path = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        call_once().instrument(span.clone()).await;
        span.in_scope(|| tracing::info!("handled"));
    }
    let text = logs.text();
    let handled = text
        .lines()
        .find(|l| l.contains("handled"))
        .unwrap_or_else(|| panic!("a `handled` event: {text}"));
    assert!(handled.contains("request:"), "{handled}");
    for field in ["status=", "method=", "path=", "attempts="] {
        assert!(!handled.contains(field), "{field} leaked into {handled}");
    }
}
