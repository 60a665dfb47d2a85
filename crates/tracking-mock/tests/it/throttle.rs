//! A throttled provider: its burst admitted, the rest answered 429; requests paced under it all pass.

use std::time::Duration;

use serde_json::json;
use tracking_mock::{MockConfig, MockServer};

use crate::common::*;

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
