//! Connections: a half-sent request is dropped, a slow whole one answered; shutdown lets the request in flight finish.

use std::time::Duration;

use serde_json::{Value, json};
use tracking_mock::{Faults, MockConfig, MockServer};

use crate::common::*;

/// The credentials the mock accepts (`tracking_mock::credentials`).
const VTEX_APP_KEY: &str = "mock-app-key";
const VTEX_APP_TOKEN: &str = "mock-app-token";

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
