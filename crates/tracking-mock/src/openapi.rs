//! The mock's own OpenAPI document of each provider, served at
//! `GET /_mock/openapi/<provider>` and returned by
//! [`MockServer::openapi`](crate::MockServer::openapi): the provider's spec,
//! with `servers` naming the mock, and with the answers the mock itself may
//! give added to every operation. The provider's spec stays what the
//! provider answers (its clients are generated from it); this document is
//! what a tool testing the mock (Schemathesis, say) holds it to.
//!
//! Every answer the mock makes itself, rather than a provider answer it
//! plays from the spec, is a problem (RFC 9457, `application/problem+json`,
//! the [`MockProblem`](PROBLEM) schema). That is chosen case by case, and
//! comes out the same in every case:
//!
//! - 422, the request does not match the spec: no provider documents that
//!   situation (where a provider documents a 422, it is for a request it
//!   can read but not apply, such as a quantity above the one ordered; a
//!   request that breaks its rules gets a 400), and the problem lists every violation with its
//!   pointer and rule, which no provider's error body has room for.
//! - 401, credentials missing or not accepted, and a login with an unknown
//!   account: every provider documents 401 with an `application/json` body,
//!   but its message says nothing of what is needed ("Invalid token."); the
//!   mock's says which headers, or which login fields, would pass. The
//!   problem is added beside the provider's media type.
//! - 400, a body that is not JSON or a `Prefer` that cannot be answered:
//!   the answer gives the line and column, or what the operation documents.
//! - 404, an update of what a stateful mock never saw created: the problem
//!   says what is missing.
//! - 413, a body above the mock's limit: no provider documents it.
//! - 429, 500 and 503 from injected faults and throttling: a provider may
//!   document 429 and 500 with bodies of its own, but these are the mock's
//!   faults, not the provider's, and a test must be able to tell them from
//!   a provider answer it asked for with `Prefer: code=429` (which comes as
//!   the spec's `application/json` example).
//!
//! Two answers cannot be documented per operation, because no operation is
//! asked for: 404 to a path no operation serves, and 405 (with `Allow`) to
//! a method the path's operations do not serve.
//!
//! A login that checks accounts also gets a request example with one the
//! mock accepts (`mockAccount`), so that a tool trying the examples gets
//! in: the spec's own examples are the provider's, which the mock refuses.

use serde_json::{Value, json};
use tracking_spec::follow_ref;

use crate::provider::Provider;

/// The name of the problem schema in `components/schemas`.
const PROBLEM: &str = "MockProblem";

/// The media type of every answer the mock makes itself.
pub(crate) const PROBLEM_MEDIA_TYPE: &str = "application/problem+json";

/// `provider`'s document, served from `base_url` (the URL its client is
/// given), for a mock that refuses bodies above `body_limit` bytes.
pub(crate) fn document(provider: &Provider, base_url: &str, body_limit: usize) -> Value {
    let spec = provider.contract.json();
    let mut document = spec.clone();
    document["servers"] = json!([{
        "url": base_url,
        "description": "tracking-mock, standing in for the provider"
    }]);
    let about = "Served by tracking-mock: the provider's spec, with the answers the mock itself may give (application/problem+json) added to every operation.";
    document["info"]["description"] =
        match spec.pointer("/info/description").and_then(Value::as_str) {
            Some(text) => Value::String(format!("{about}\n\n{text}")),
            None => Value::String(about.into()),
        };
    for op in provider.contract.operations() {
        let pointer = format!(
            "/paths/{}/{}",
            tracking_spec::pointer_token(&op.path),
            op.method.to_lowercase()
        );
        let Some(node) = document.pointer_mut(&pointer) else {
            continue;
        };
        add_account_example(provider, &op.id, spec, node);
        let Some(Value::Object(responses)) = node.get_mut("responses") else {
            continue;
        };
        for (status, when) in own_answers(provider, &op.id, body_limit) {
            let key = status.to_string();
            let mut response = match responses.get(&key) {
                Some(documented) => {
                    let mut response = follow_ref(spec, documented).clone();
                    let text = response
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    response["description"] = Value::String(format!(
                        "{text} The mock itself answers {PROBLEM_MEDIA_TYPE} when {when}."
                    ));
                    response
                }
                None => json!({
                    "description": format!("The mock itself answers {PROBLEM_MEDIA_TYPE} when {when} (the provider documents no {status})."),
                }),
            };
            response["content"][PROBLEM_MEDIA_TYPE] =
                json!({"schema": {"$ref": format!("#/components/schemas/{PROBLEM}")}});
            responses.insert(key, response);
        }
    }
    document["components"]["schemas"][PROBLEM] = problem_schema();
    document
}

/// Gives a login that checks accounts a request example with one it
/// accepts, so that a tool trying the examples logs in (the spec's own
/// examples are the provider's, which the mock refuses).
fn add_account_example(provider: &Provider, operation: &str, spec: &Value, node: &mut Value) {
    let Some(mut request) = node.get("requestBody").map(|b| follow_ref(spec, b).clone()) else {
        return;
    };
    let Some(name) = tracking_spec::json_media(spec, &request).map(|(name, _)| name.to_string())
    else {
        return;
    };
    let first = tracking_spec::examples(spec, &request["content"][&name])
        .first()
        .map(|(_, v)| (*v).clone())
        .unwrap_or_default();
    let Some(value) = provider.with_account(operation, first) else {
        return;
    };
    let media = &mut request["content"][&name];
    // `example` and `examples` exclude each other.
    if let Some(example) = media.as_object_mut().and_then(|m| m.remove("example")) {
        media["examples"]["provider"] = json!({"value": example});
    }
    media["examples"]["mockAccount"] = json!({
        "summary": "An account this mock accepts (tracking_mock::credentials)",
        "value": value
    });
    node["requestBody"] = request;
}

/// The statuses the mock itself may answer to `operation`, each with when.
fn own_answers(provider: &Provider, operation: &str, body_limit: usize) -> Vec<(u16, String)> {
    let mut answers = vec![
        (
            400,
            "the body is not JSON, or `Prefer` asks for a status or example the operation does not document".to_string(),
        ),
        (
            413,
            format!("the body is larger than the mock's limit ({body_limit} bytes)"),
        ),
        (
            422,
            "the request does not match the provider's spec (every violation is listed)".into(),
        ),
        (
            429,
            "the provider is throttled (MockConfig::with_throttle, --throttle) or 429s are injected (faults)".into(),
        ),
        (500, "500s are injected (faults)".into()),
        (503, "503s are injected (faults)".into()),
    ];
    if provider.needs_credentials(operation) {
        answers.push((
            401,
            "credentials are missing or not accepted (see tracking_mock::credentials)".into(),
        ));
    }
    if provider.checks_login(operation) {
        answers.push((
            401,
            "the username and password are not an account the mock accepts (see tracking_mock::credentials)".into(),
        ));
    }
    if provider.needs_existing(operation) {
        answers.push((
            404,
            "the mock runs stateful (MockConfig::stateful; the command line unless --stateless) and what the call changes was never created through it".into(),
        ));
    }
    answers.sort();
    answers
}

/// The schema of the mock's problems: RFC 9457's members, and those the
/// mock adds to some.
fn problem_schema() -> Value {
    let string = json!({"type": "string"});
    json!({
        "type": "object",
        "description": "An answer of the mock itself, not of the provider (RFC 9457 problem details): `detail` says what was wrong and what would pass.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "description": "Always about:blank."},
            "title": {"type": "string", "description": "The kind of problem."},
            "status": {"type": "integer", "description": "The HTTP status."},
            "detail": {"type": "string", "description": "What was wrong, and what is needed."},
            "operation": {"type": "string", "description": "The operationId, for a request that reached one."},
            "violations": {
                "type": "array",
                "description": "For a 422: every way the request breaks the spec.",
                "items": {
                    "type": "object",
                    "required": ["part", "pointer", "rule", "message"],
                    "properties": {
                        "part": string,
                        "pointer": string,
                        "rule": string,
                        "message": string
                    }
                }
            },
            "limit": {"type": "integer", "description": "For a 413: the largest body accepted, in bytes."},
            "line": {"type": "integer", "description": "For a body that is not JSON: where the error is."},
            "column": {"type": "integer", "description": "For a body that is not JSON: where the error is."},
            "provider": {"type": "string", "description": "For a throttled request: the provider."},
            "rate": {"type": "number", "description": "For a throttled request: requests per second admitted."},
            "burst": {"type": "number", "description": "For a throttled request: requests admitted at once."}
        }
    })
}
