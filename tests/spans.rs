//! Each call has one span, `call`, which carries the operation, method, path,
//! final status and attempts; and nothing is recorded into the caller's own
//! spans when a filter turns the call's span off. Alone in its test binary:
//! tracing's per-callsite cache would otherwise mix the two subscribers.

use contract_tests::logs::Captured;
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
        .body_map(|b| b.tracking_number("1Z".to_string()))
        .send()
        .await
        .unwrap();
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
