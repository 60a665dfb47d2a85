//! Faults: deterministic for a seed, reachable over HTTP, dropped connections before or after applying, and a ledger that holds exactly the successes under load.

use std::collections::BTreeSet;
use std::time::Duration;

use tracking_mock::{Faults, MockConfig, MockServer};
use tracking_runtime::{ClientConfig, RetryPolicy};

use crate::common::*;

/// The credentials the mock accepts (`tracking_mock::credentials`).
const CRUX_TOKEN: &str = "mock-token-auth";
const VTEX_APP_KEY: &str = "mock-app-key";
const VTEX_APP_TOKEN: &str = "mock-app-token";

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
                    .body_map(|b| contract_tests::vtex::tracking_only(b, marker.clone()))
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
