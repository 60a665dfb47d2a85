//! Every operation of every client, called with its spec's examples against a
//! local recording server: the request on the wire is the documented one, and
//! every documented response decodes into the typed result or typed error.

use std::time::Duration;

use contract_tests::call::{Args, Outcome, call};
use contract_tests::server::{Recorded, RecordingServer, Reply};
use contract_tests::spec::{Operation, SpecFile, all_specs, same_json, text};
use serde_json::{Value, json};
use tracking_runtime::{ClientConfig, RetryPolicy};

fn config() -> ClientConfig {
    ClientConfig::default()
        .with_retry(RetryPolicy::none())
        .with_timeouts(Duration::from_secs(5), Duration::from_secs(10))
}

/// The bearer token the server hands out to a login that issues them.
const ISSUED_TOKEN: &str = "issued-bearer-token";

fn token_reply() -> Reply {
    Reply::json(
        200,
        json!({"access_token": ISSUED_TOKEN, "token_type": "Bearer", "expires_in": 3600}),
    )
}

/// Whether `request` is a call of the spec's OAuth token endpoint or of its
/// login that issues tokens
/// (which the client makes before the call under test).
fn is_token_request(spec: &SpecFile, request: &Recorded) -> bool {
    let oauth = tracking_spec::token_paths(&spec.json);
    oauth.iter().any(|(_, path)| request.path == *path)
        || spec.operations().iter().any(|op| {
            op.issues_tokens()
                && request.method.as_str() == op.method
                && request.path == format!("{}{}", spec.base_path(), op.example_path())
        })
}

/// Calls `op` with `body` against a server that answers token requests with
/// a token and the call itself with `reply`; returns the call's requests
/// (token requests left out) and outcome.
async fn exchange(
    spec: &SpecFile,
    op: &Operation,
    body: Option<Value>,
    reply: Reply,
) -> (Vec<Recorded>, Outcome) {
    let token_op = op.issues_tokens();
    let server = RecordingServer::start({
        let spec = spec.clone();
        move |r, _| {
            if is_token_request(&spec, r) && !token_op {
                token_reply()
            } else {
                reply.clone()
            }
        }
    })
    .await;
    let base_url = server.url(&spec.base_path());
    let outcome = call(
        &spec.name,
        &base_url,
        &config(),
        &op.id,
        &Args::with_body(op, body),
    )
    .await;
    let calls = server
        .requests()
        .into_iter()
        .filter(|r| token_op || !is_token_request(spec, r))
        .collect();
    (calls, outcome)
}

fn success_reply(op: &Operation) -> Reply {
    let success = op.success();
    match success.examples.first() {
        Some(example) => Reply::json(success.status, example.value.clone()),
        None => Reply::status(success.status),
    }
}

/// The credential headers `request` carries for `op`: those of one of its
/// security alternatives, each with the value the client was given (the
/// mock's defaults, `tracking_mock::credentials`: in an `Authorization`
/// header after the word of its scheme) or the bearer token the server
/// issued. An error says what is missing.
fn auth_headers(op: &Operation, request: &Recorded) -> Result<Vec<String>, String> {
    if !op.secured {
        return Ok(Vec::new());
    }
    for alternative in &op.security {
        let holds = alternative.iter().all(|scheme| {
            // What the platform asks beside the credential, on every request.
            if scheme.also.iter().any(|h| request.header(h).is_none()) {
                return false;
            }
            let Some(value) = request.header(&scheme.header) else {
                return false;
            };
            if scheme.bearer && scheme.header == "authorization" {
                return value == format!("Bearer {ISSUED_TOKEN}");
            }
            if scheme.bearer {
                return value == ISSUED_TOKEN;
            }
            let expected = tracking_mock::credentials::api_key(&scheme.name);
            value == expected
                || (scheme.header == "authorization"
                    && value.split_once(' ').is_some_and(|(_, v)| v == expected))
        });
        if holds {
            return Ok(alternative
                .iter()
                .flat_map(|s| std::iter::once(&s.header).chain(&s.also))
                .cloned()
                .collect());
        }
    }
    Err(format!("no security alternative holds: {:?}", op.security))
}

fn user_agent(spec: &SpecFile) -> String {
    // Each spec's client crate is named after it.
    format!("{}-client/{}", spec.name, env!("CARGO_PKG_VERSION"))
}

#[tokio::test]
async fn every_operation_puts_the_documented_request_on_the_wire() {
    let mut checked = 0;
    for spec in all_specs() {
        let contract = tracking_contract::Contract::load(&spec.path).unwrap();
        for op in spec.operations() {
            let bodies: Vec<Option<Value>> = if op.has_body {
                assert!(
                    !op.request_examples.is_empty(),
                    "{}: {} has a body but no request example",
                    spec.name,
                    op.id
                );
                op.request_examples
                    .iter()
                    .map(|e| Some(e.value.clone()))
                    .collect()
            } else {
                vec![None]
            };
            for body in bodies {
                let (mut requests, outcome) =
                    exchange(&spec, &op, body.clone(), success_reply(&op)).await;
                let what = format!(
                    "{} {} with {}",
                    spec.name,
                    op.id,
                    body.as_ref().map_or("no body".into(), |b| b.to_string())
                );
                assert_eq!(requests.len(), 1, "{what}: {requests:#?}");
                let request = requests.remove(0);
                assert!(outcome.is_ok(), "{what}: {outcome:?}");

                assert_eq!(request.method.as_str(), op.method, "{what}: method");
                assert_eq!(
                    request.path,
                    format!("{}{}", spec.base_path(), op.example_path()),
                    "{what}: path"
                );
                // Every query parameter with its example, in any order.
                let mut sent: Vec<(String, String)> = request
                    .query
                    .as_deref()
                    .map(|q| {
                        q.split('&')
                            .filter_map(|pair| pair.split_once('='))
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                sent.sort();
                let mut expected: Vec<(String, String)> = op
                    .params
                    .iter()
                    .filter(|p| p.location == "query")
                    .filter_map(|p| Some((p.name.clone(), text(p.example.as_ref()?))))
                    .collect();
                expected.sort();
                assert_eq!(sent, expected, "{what}: query");
                if let Some(body) = &body {
                    let sent = request.json();
                    assert!(
                        same_json(&sent, body),
                        "{what}: body sent differs from the example:\nsent     {sent}\nexample  {body}"
                    );
                    assert_eq!(
                        request.header("content-type"),
                        Some("application/json"),
                        "{what}"
                    );
                }

                let auth = auth_headers(&op, &request).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(
                    request.header("user-agent"),
                    Some(user_agent(&spec).as_str()),
                    "{what}"
                );
                assert_eq!(request.header("accept"), Some("application/json"), "{what}");
                // Only documented headers (plus HTTP's own) go on the wire:
                // in particular not progenitor's `api-version`.
                let allowed = [
                    "host",
                    "user-agent",
                    "accept",
                    "content-type",
                    "content-length",
                ];
                for name in request.headers.keys() {
                    assert!(
                        allowed.contains(&name.as_str()) || auth.iter().any(|a| a == name.as_str()),
                        "{what}: undocumented header {name} on the wire"
                    );
                }
                // And the contract engine, independently, accepts what went on the wire.
                let sent = (!request.body.is_empty()).then(|| request.json());
                let headers: Vec<(&str, &str)> = request
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or_default()))
                    .collect();
                let checked_request = tracking_contract::Request {
                    method: request.method.as_str(),
                    path: request.path.strip_prefix(&spec.base_path()).unwrap(),
                    query: request.query.as_deref(),
                    headers,
                    body: sent.as_ref(),
                };
                match contract.validate_request(&checked_request) {
                    Ok(matched) => {
                        assert_eq!(matched.id, op.id, "{what}: routed to another operation")
                    }
                    Err(violations) => {
                        panic!("{what}: the validator refuses the request: {violations:#?}")
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 12, "only {checked} requests checked");
}

#[tokio::test]
async fn every_documented_response_decodes_into_its_typed_result_or_error() {
    let mut checked = 0;
    for spec in all_specs() {
        for op in spec.operations() {
            let body = op.request_examples.first().map(|e| e.value.clone());
            for response in &op.responses {
                assert!(
                    !response.has_body || !response.examples.is_empty(),
                    "{} {}: response {} has a body but no example",
                    spec.name,
                    op.id,
                    response.status
                );
                let cases: Vec<Option<&Value>> = if response.has_body {
                    response.examples.iter().map(|e| Some(&e.value)).collect()
                } else {
                    vec![None]
                };
                for example in cases {
                    let reply = match example {
                        Some(v) => Reply::json(response.status, v.clone()),
                        None => Reply::status(response.status),
                    };
                    let (requests, outcome) = exchange(&spec, &op, body.clone(), reply).await;
                    let what = format!("{} {} → {}", spec.name, op.id, response.status);
                    // A client with a renewable token sends once more after a 401.
                    let renews = op.bearer() && response.status == 401;
                    assert_eq!(
                        requests.len(),
                        if renews { 2 } else { 1 },
                        "{what}: {requests:#?}"
                    );
                    if (200..300).contains(&response.status) {
                        let decoded = outcome.unwrap_or_else(|e| panic!("{what}: {e:?}"));
                        match (example, decoded) {
                            (Some(example), Some(decoded)) => assert!(
                                same_json(example, &decoded),
                                "{what}: decoded body differs:\ndecoded {decoded}\nexample {example}"
                            ),
                            (None, None) => {}
                            (example, decoded) => {
                                panic!("{what}: example {example:?}, decoded {decoded:?}")
                            }
                        }
                    } else {
                        let failure = outcome.err().unwrap_or_else(|| panic!("{what}: succeeded"));
                        assert_eq!(
                            failure.status,
                            Some(response.status),
                            "{what}: {}",
                            failure.message
                        );
                        assert!(
                            failure.message.contains(&op.id),
                            "{what}: message does not name the operation: {}",
                            failure.message
                        );
                        match (example, &failure.body) {
                            (Some(example), Some(decoded)) => assert!(
                                same_json(example, decoded),
                                "{what}: decoded error differs:\ndecoded {decoded}\nexample {example}"
                            ),
                            (None, None) => {}
                            (example, decoded) => {
                                panic!("{what}: example {example:?}, decoded {decoded:?}")
                            }
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} responses checked");
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = RecordingServer::always(Reply::status(200)).await;
    let client = crux_client::Client::with_token(&server.url(""), "t").unwrap();
    client
        .update_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .tracking_number("1Z 99/9?#%é")
        .body(crux_client::types::UpdateOrderTrackingRequest::default())
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].path,
        "/orders/tracking/0e63ac67-7c45-454d-b2ef-bb6b5ed387c3/1Z%2099%2F9%3F%23%25%C3%A9/"
    );
}

#[tokio::test]
async fn a_response_with_an_added_field_still_decodes() {
    let server = RecordingServer::always(Reply::json(
        200,
        json!({"date": "2017-03-29T18:04:31.0521233+00:00", "orderId": "o-1", "receipt": "r-1", "addedByVtexLater": {"x": 1}}),
    ))
    .await;
    let client = vtex_oms_client::Client::with_app_key(&server.url(""), "k", "t").unwrap();
    let receipt = client
        .update_partial_invoice()
        .order_id("o-1")
        .invoice_number("1")
        .body_map(|b| contract_tests::vtex::tracking_only(b, "BR1"))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(receipt.receipt.as_deref(), Some("r-1"));
    assert_eq!(
        receipt.date.as_deref(),
        Some("2017-03-29T18:04:31.0521233+00:00"),
        "the provider's timestamp text is kept as sent"
    );
}

#[tokio::test]
async fn an_undocumented_status_keeps_its_body_and_names_the_operation() {
    let server =
        RecordingServer::start(|_, _| Reply::status(418).header("content-type", "text/plain"))
            .await;
    let client = crux_client::Client::with_token(&server.url(""), "t").unwrap();
    let error = client
        .update_order_tracking()
        .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
        .tracking_number("X")
        .body(crux_client::types::UpdateOrderTrackingRequest::default())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.operation(), "updateOrderTracking");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    assert!(matches!(
        error.kind(),
        tracking_runtime::ErrorKind::UnexpectedStatus { .. }
    ));
    let text = error.to_string();
    assert!(
        text.starts_with("updateOrderTracking failed: HTTP 418"),
        "{text}"
    );
}

#[tokio::test]
async fn an_error_body_that_does_not_match_the_spec_keeps_status_and_text() {
    let server = RecordingServer::start(|_, _| Reply::status(404)).await;
    let client = vtex_oms_client::Client::with_app_key(&server.url(""), "k", "t").unwrap();
    let error = client
        .update_partial_invoice()
        .order_id("o-1")
        .invoice_number("1")
        .body_map(|b| contract_tests::vtex::tracking_only(b, "BR1"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            tracking_runtime::ErrorKind::InvalidBody { .. }
        ),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(
        error
            .to_string()
            .starts_with("updatePartialInvoice: HTTP 404 Not Found with a body"),
        "{error}"
    );
}

#[test]
fn server_helpers_match_the_specs_servers() {
    let specs = all_specs();
    let servers = |name: &str| -> Vec<String> {
        let spec = specs.iter().find(|s| s.name == name).unwrap();
        spec.json["servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let mut url = s["url"].as_str().unwrap().to_string();
                for (var, def) in s
                    .get("variables")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    url = url.replace(&format!("{{{var}}}"), def["default"].as_str().unwrap());
                }
                url
            })
            .collect()
    };
    assert_eq!(
        servers("crux"),
        [
            crux_client::servers::SANDBOX,
            crux_client::servers::PRODUCTION
        ]
    );
    assert_eq!(
        servers("vtex-oms"),
        [vtex_oms_client::servers::base_url("apiexamples")]
    );
    assert_eq!(
        servers("sellercloud"),
        [
            sellercloud_client::servers::base_url("xx"),
            sellercloud_client::servers::base_url_us("xx")
        ]
    );
}

#[tokio::test]
async fn invalid_values_are_refused_before_anything_is_sent() {
    use tracking_runtime::Decimal2;
    assert!("34.38".parse::<Decimal2>().is_ok());
    for bad in ["34.385", "34,38", "1e3", ""] {
        assert!(bad.parse::<Decimal2>().is_err(), "{bad:?} accepted");
    }
    let server = RecordingServer::always(Reply::status(200)).await;
    let client = crux_client::Client::with_token(&server.url(""), "t").unwrap();
    let error = client
        .update_order_tracking()
        .order_uuid("not-a-uuid")
        .tracking_number("1Z")
        .body_map(|b| b.ship_cost("34.38".parse::<Decimal2>().ok()))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), tracking_runtime::ErrorKind::Request(_)),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.starts_with("updateOrderTracking: request not sent"),
        "{text}"
    );
    assert!(text.contains("order_uuid"), "names the parameter: {text}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_argument_an_operation_does_not_take_is_refused_before_anything_is_sent() {
    // Every operation of every client, with its examples and one name too
    // many (a misspelt parameter would otherwise go unsent without a word).
    for spec in all_specs() {
        let server = RecordingServer::always(Reply::status(200)).await;
        for op in spec.operations() {
            let mut args = Args::from_examples(&op);
            args.params.insert("order_uid".into(), json!("1"));
            let outcome = call(
                &spec.name,
                &server.url(&spec.base_path()),
                &config(),
                &op.id,
                &args,
            )
            .await;
            let Err(failure) = outcome else {
                panic!(
                    "{} {}: an unknown argument was taken: {outcome:?}",
                    spec.name, op.id
                )
            };
            assert!(
                failure.message.contains("takes no argument order_uid"),
                "{} {}: {}",
                spec.name,
                op.id,
                failure.message
            );
        }
        let calls: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| !is_token_request(&spec, r))
            .collect();
        assert!(calls.is_empty(), "{}: {calls:?}", spec.name);
    }
}

/// Each layer of a failed call says its own part once: the chain printed
/// whole (anyhow's `{:#}`, as eyre and tracing do too) names each cause
/// once, and the call's own Display is one short line.
#[tokio::test]
async fn an_error_chain_prints_each_cause_once() {
    // A port nothing listens on: the connection is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let config = ClientConfig::default().with_retry(RetryPolicy::none());
    let client = crux_client::Client::with_token_and_config(&url, "t", &config).unwrap();
    let error = client
        .update_order_tracking()
        .order_uuid(uuid_of("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3"))
        .tracking_number("1Z")
        .body_map(|b| b.carrier(Some("UPS".into())))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "updateOrderTracking failed: no complete answer"
    );
    let chain = format!("{:#}", anyhow::Error::from(error));
    for cause in [
        "updateOrderTracking failed",
        "error sending request",
        "Connection refused",
    ] {
        assert_eq!(chain.matches(cause).count(), 1, "{cause:?} in {chain}");
    }
}

fn uuid_of(text: &str) -> uuid::Uuid {
    text.parse().unwrap()
}
