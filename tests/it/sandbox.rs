//! Amazon's own examples as contract cases: its document pairs requests
//! with the sandbox's answers (`x-amzn-api-sandbox`). For each operation of
//! our Amazon spec, each request whose paired answer is a success is valid
//! by our spec, each one whose paired answer is a 400 is refused by it or
//! explained below, and each answer is decoded by our client.

use std::path::PathBuf;
use std::sync::Arc;

use contract_tests::server::{RecordingServer, Reply};
use serde_json::Value;
use tracking_contract::{Contract, Request};
use tracking_runtime::Secret;
use tracking_runtime::auth::HeaderAuth;

/// 400 cases our spec takes, and why they are right to: the sandbox picks
/// its canned answer by the order id alone.
const EXPLAINED: &[(&str, &str, &str)] = &[
    (
        "getOrder",
        "TEST_CASE_400",
        "the sandbox answers 400 for this canned order id; the request itself is well formed",
    ),
    (
        "getOrderItems",
        "TEST_CASE_400",
        "the sandbox answers 400 for this canned order id; the request itself is well formed",
    ),
];

/// One request and answer of the sandbox.
struct Case {
    operation: String,
    method: String,
    path: String,
    order_id: String,
    body: Option<Value>,
    status: u16,
    answer: Value,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every sandbox case of the operations our spec has.
fn cases(ours: &Contract) -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("corpus/amazon/ordersV0.json")).unwrap();
    let theirs: Value = serde_json::from_str(&text).unwrap();
    let mut found = Vec::new();
    for (template, item) in theirs["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if ours.operation(id).is_err() {
                continue;
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                let statics = response
                    .pointer("/x-amzn-api-sandbox/static")
                    .and_then(Value::as_array);
                for case in statics.into_iter().flatten() {
                    let params = &case["request"]["parameters"];
                    let order_id = params["orderId"]["value"].as_str().unwrap().to_string();
                    found.push(Case {
                        operation: id.to_string(),
                        method: method.to_uppercase(),
                        path: template.replace("{orderId}", &order_id),
                        order_id,
                        body: params.get("body").map(|b| b["value"].clone()),
                        status: status.parse().unwrap(),
                        answer: case["response"].clone(),
                    });
                }
            }
        }
    }
    found
}

fn ours() -> Contract {
    Contract::load(&root().join("../specs/amazon.yaml")).unwrap()
}

#[test]
fn amazons_sandbox_requests_are_valid_by_our_spec_or_refused_as_amazon_refuses_them() {
    let ours = ours();
    let cases = cases(&ours);
    let (mut valid, mut refused, mut explained) = (0, 0, 0);
    for case in &cases {
        let request = Request {
            method: &case.method,
            path: &case.path,
            body: case.body.as_ref(),
            ..Default::default()
        };
        let verdict = ours.validate_request(&request);
        let what = format!("{} {} → {}", case.operation, case.order_id, case.status);
        match case.status {
            200..=299 => {
                assert!(verdict.is_ok(), "{what}: {verdict:?}");
                valid += 1;
            }
            400 => match verdict {
                Err(violations) => {
                    assert!(!violations.is_empty(), "{what}");
                    refused += 1;
                }
                Ok(_) => {
                    assert!(
                        EXPLAINED
                            .iter()
                            .any(|(op, id, _)| *op == case.operation && *id == case.order_id),
                        "{what}: Amazon answers 400, our spec takes it, and nothing explains why"
                    );
                    explained += 1;
                }
            },
            other => panic!("{what}: a sandbox case of status {other}"),
        }
    }
    println!("{valid} valid, {refused} refused, {explained} explained");
    // The document's cases for these three operations: four successes
    // (confirmShipment, getOrderItems and getOrder's two) and three 400s.
    assert_eq!((valid, refused, explained), (4, 1, 2));
}

#[test]
fn the_refused_confirmation_is_refused_for_its_ship_date() {
    let ours = ours();
    let case = cases(&ours)
        .into_iter()
        .find(|c| c.operation == "confirmShipment" && c.status == 400)
        .unwrap();
    let request = Request {
        method: &case.method,
        path: &case.path,
        body: case.body.as_ref(),
        ..Default::default()
    };
    let violations = ours.validate_request(&request).unwrap_err();
    let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|v| v.contains("shipDate")), "{text:?}");
}

fn client(base_url: &str) -> amazon_client::Client {
    let token = Secret::from("sandbox-token".to_string());
    let auth = HeaderAuth::new([("x-amz-access-token", &token)]).unwrap();
    amazon_client::Client::with_auth(base_url, Arc::new(auth)).unwrap()
}

#[tokio::test]
async fn every_sandbox_answer_is_decoded_by_our_client() {
    let ours = ours();
    let cases = cases(&ours);
    assert_eq!(cases.len(), 7);
    let valid_body: amazon_client::types::ConfirmShipmentRequest = serde_json::from_value(
        cases
            .iter()
            .find(|c| c.operation == "confirmShipment" && c.status == 204)
            .and_then(|c| c.body.clone())
            .unwrap(),
    )
    .unwrap();
    for case in &cases {
        let reply = if case.status == 204 {
            Reply::status(204)
        } else {
            Reply::json(case.status, case.answer.clone())
        };
        let server = RecordingServer::always(reply).await;
        let client = client(&server.url(""));
        let what = format!("{} {} → {}", case.operation, case.order_id, case.status);
        // The error bodies' first code, or the success's own check.
        let code = |errors: &[amazon_client::types::Error]| errors.first().map(|e| e.code.clone());
        match case.operation.as_str() {
            "confirmShipment" => {
                let outcome = client
                    .confirm_shipment()
                    .order_id(case.order_id.as_str())
                    .body(valid_body.clone())
                    .send()
                    .await;
                match case.status {
                    204 => assert!(outcome.is_ok(), "{what}: {outcome:?}"),
                    _ => {
                        let error = outcome.unwrap_err();
                        let body = error.body().unwrap_or_else(|| panic!("{what}: {error}"));
                        assert_eq!(
                            code(&body.errors).as_deref(),
                            Some("Invalid Input"),
                            "{what}"
                        );
                    }
                }
            }
            "getOrder" => {
                let outcome = client
                    .get_order()
                    .order_id(case.order_id.as_str())
                    .send()
                    .await;
                match case.status {
                    200 => {
                        let order = outcome.unwrap().into_inner().payload.unwrap();
                        assert_eq!(
                            order.amazon_order_id,
                            case.answer["payload"]["AmazonOrderId"]
                        );
                    }
                    _ => {
                        let error = outcome.unwrap_err();
                        let body = error.body().unwrap_or_else(|| panic!("{what}: {error}"));
                        assert_eq!(
                            code(&body.errors).as_deref(),
                            Some("InvalidInput"),
                            "{what}"
                        );
                    }
                }
            }
            "getOrderItems" => {
                let outcome = client
                    .get_order_items()
                    .order_id(case.order_id.as_str())
                    .send()
                    .await;
                match case.status {
                    200 => {
                        let page = outcome.unwrap().into_inner().payload.unwrap();
                        let expected = case.answer["payload"]["OrderItems"].as_array().unwrap();
                        assert_eq!(page.order_items.len(), expected.len(), "{what}");
                        assert_eq!(page.order_items[0].quantity_shipped, Some(0), "{what}");
                    }
                    _ => {
                        let error = outcome.unwrap_err();
                        let body = error.body().unwrap_or_else(|| panic!("{what}: {error}"));
                        assert_eq!(
                            code(&body.errors).as_deref(),
                            Some("InvalidInput"),
                            "{what}"
                        );
                    }
                }
            }
            other => panic!("{other}"),
        }
    }
}
