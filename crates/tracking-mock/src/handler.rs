//! One request, start to end: admin endpoints, routing, throttling, faults,
//! credentials, validation, the answer, the ledger.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use tracing::Instrument;

use crate::ledger::LedgerEntry;
use crate::problem::problem;
use crate::provider::{Provider, examples};
use crate::resources::{self, Effect};
use crate::throttle::retry_after_secs;
use crate::{Faults, Shared};

/// Handles one request in a `request` span (its sequence number, method and
/// path; then its provider, operation and any fault, once known), ending
/// with a debug event with the status. Neither shows a header, a query or
/// a body: they may hold credentials and passwords.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let seq = shared.next_seq();
    let span = tracing::debug_span!(
        "request",
        seq,
        method = %request.method(),
        path = request.uri().path(),
        provider = tracing::field::Empty,
        operation = tracing::field::Empty,
        fault = tracing::field::Empty,
    );
    let started = Instant::now();
    let response = answer(shared, seq, request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::debug!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "answered"
        )
    });
    response
}

async fn answer(shared: Arc<Shared>, seq: u64, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();

    if let Some(admin) = path.strip_prefix("/_mock/") {
        let body = to_bytes(body, shared.body_limit).await.unwrap_or_default();
        return admin_endpoint(&shared, &parts.method, admin, &parts.headers, &body);
    }

    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let too_large = || {
        problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request body too large",
            format!("the body exceeds the limit of {} bytes", shared.body_limit),
            json!({"limit": shared.body_limit}),
        )
    };
    if declared.is_some_and(|n| n > shared.body_limit) {
        return too_large();
    }
    let Ok(bytes) = to_bytes(body, shared.body_limit).await else {
        return too_large();
    };

    // An oauth2 scheme's token endpoint, outside throttling and faults.
    if let Some((provider, endpoint)) = shared
        .providers
        .iter()
        .find_map(|p| Some((p, p.token_endpoint(&path)?)))
    {
        tracing::Span::current().record("provider", provider.name.as_str());
        if parts.method != Method::POST {
            return method_not_allowed(&parts.method, &path, &["POST".to_string()]);
        }
        let answer = provider.exchange(
            endpoint,
            header_text(&parts.headers, "authorization").as_deref(),
            header_text(&parts.headers, "content-type").as_deref(),
            &bytes,
            || shared.fresh_token(&provider.name),
        );
        let (status, body) = match answer {
            Ok(body) => (StatusCode::OK, body),
            Err((status, body)) => (
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                body,
            ),
        };
        let mut response = Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CACHE_CONTROL, "no-store");
        if status == StatusCode::UNAUTHORIZED {
            response = response.header(header::WWW_AUTHENTICATE, "Basic");
        }
        return response
            .body(Body::from(body.to_string()))
            .unwrap_or_default();
    }

    let Some((provider, rest)) = shared
        .providers
        .iter()
        .find_map(|p| Some((p, mount_rest(&path, &p.mount)?)))
    else {
        return not_found(&shared, &parts.method, &path, None);
    };
    let span = tracing::Span::current();
    span.record("provider", provider.name.as_str());

    // Throttling first: a real provider counts calls before it reads them.
    if let Some(throttle) = shared.throttles.get(&provider.name)
        && let Err(wait) = throttle.admit(Instant::now())
    {
        let mut response = problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            format!(
                "{} is throttled to {} requests per second",
                provider.name, throttle.rate
            ),
            json!({"provider": provider.name, "rate": throttle.rate, "burst": throttle.burst}),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after_secs(wait).into());
        return response;
    }

    let Some((operation, path_params)) = provider.contract.route(parts.method.as_str(), rest)
    else {
        let allowed = provider.methods_at(rest);
        if allowed.is_empty() {
            return not_found(&shared, &parts.method, &path, Some(provider));
        }
        return method_not_allowed(&parts.method, &path, &allowed);
    };
    let operation_id = operation.id.clone();
    span.record("operation", operation_id.as_str());

    // Faults come next: the provider is down or throttling whatever is asked.
    let faults = shared.faults();
    let fault = if faults.apply_to(&operation_id) {
        draw(&shared, &faults)
    } else {
        Fault::None
    };
    if !matches!(fault, Fault::None) {
        span.record("fault", tracing::field::debug(&fault));
    }
    match fault {
        Fault::None | Fault::DropAfterApply | Fault::ApplyLate => {}
        Fault::Delay => tokio::time::sleep(Duration::from_millis(faults.delay_ms)).await,
        Fault::TooManyRequests => {
            let mut response = problem(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                "injected fault",
                json!({}),
            );
            if let Ok(value) = faults.retry_after_secs.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        Fault::ServerError => {
            return problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Server error",
                "injected fault",
                json!({}),
            );
        }
        Fault::Unavailable => {
            return problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service unavailable",
                "injected fault",
                json!({}),
            );
        }
        Fault::Drop => return dropped_connection(),
    }

    let body = if bytes.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(value) => Some(value),
            Err(e) => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "Malformed JSON",
                    format!("the body is not JSON: {e}"),
                    json!({"line": e.line(), "column": e.column()}),
                );
            }
        }
    };

    let header_value = |name: &str| header_text(&parts.headers, name);
    if let Some(missing) = provider.missing_credentials(&operation_id, header_value) {
        return problem(
            StatusCode::UNAUTHORIZED,
            "Missing or invalid credentials",
            missing,
            json!({}),
        );
    }

    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
        .collect();
    let checked = tracking_contract::Request {
        method: parts.method.as_str(),
        path: rest,
        query: parts.uri.query(),
        headers,
        body: body.as_ref(),
    };
    if let Err(violations) = provider.contract.validate_request(&checked) {
        let listed: Vec<Value> = violations
            .iter()
            .map(|v| json!({"part": v.part, "pointer": v.pointer, "rule": v.rule, "message": v.message}))
            .collect();
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Request does not match the spec",
            format!("{} violation(s) of {operation_id}", violations.len()),
            json!({"operation": operation_id, "violations": listed}),
        );
    }

    // A login's credentials are in its body: checked once the body is valid.
    if let Some(refused) = provider.refused_login(&operation_id, body.as_ref()) {
        return problem(
            StatusCode::UNAUTHORIZED,
            "Unknown account",
            refused,
            json!({"operation": operation_id}),
        );
    }

    let (mut status, mut answer) = match choose_answer(
        provider,
        &operation_id,
        header_text(&parts.headers, "prefer").as_deref(),
    ) {
        Ok(chosen) => chosen,
        Err(message) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "Cannot answer as asked",
                message,
                json!({}),
            );
        }
    };
    let listing = provider
        .tracking
        .get(&operation_id)
        .and_then(|facts| facts.lists.as_ref());
    if let (Some(listing), Some(resources), true) = (
        listing,
        shared.resources.as_ref(),
        (200..300).contains(&status),
    ) {
        let record = path_params
            .get(&listing.record)
            .cloned()
            .unwrap_or_default();
        let numbers = crate::lock(resources).numbers(&provider.name, &listing.record, &record);
        let documents_204 = provider
            .contract
            .operation(&operation_id)
            .is_ok_and(|op| op.statuses().any(|s| s == 204));
        answer = resources::listing(answer.as_ref(), &listing.numbers, &numbers, documents_204);
        if answer.is_none() {
            status = 204;
        }
    }
    let quantities = provider
        .tracking
        .get(&operation_id)
        .and_then(|facts| facts.quantities.as_ref());
    if let (Some(quantities), Some(record), Some(resources), true) = (
        quantities,
        quantities.and_then(|q| path_params.get(q.record.as_ref()?)),
        shared.resources.as_ref(),
        (200..300).contains(&status),
    ) && let Some(body) = answer.take()
    {
        answer = Some(crate::lock(resources).with_quantities(
            &provider.name,
            record,
            &quantities.place,
            body,
        ));
    }
    let lines = provider
        .tracking
        .get(&operation_id)
        .and_then(|facts| facts.lines.as_ref());
    if let (Some(lines), Some(record), Some(resources), true) = (
        lines,
        lines.and_then(|l| path_params.get(l.record.as_ref()?)),
        shared.resources.as_ref(),
        (200..300).contains(&status),
    ) && let Some(body) = answer.take()
    {
        answer = Some(crate::lock(resources).with_lines(&provider.name, record, lines, body));
    }
    if (200..300).contains(&status) {
        let effect = shared
            .resources
            .is_some()
            .then(|| Effect::of(provider, &operation_id, &path_params, body.as_ref()));
        let entry = LedgerEntry {
            seq,
            idempotent: provider.idempotent(&operation_id),
            provider: provider.name.clone(),
            operation: operation_id.clone(),
            tracking_numbers: provider.tracking_numbers(&operation_id, body.as_ref()),
            method: parts.method.to_string(),
            path: rest.to_string(),
            path_params,
            // Passwords never enter the ledger.
            body: body.map(|mut body| {
                provider.redact(&operation_id, &mut body);
                body
            }),
            status,
            received_at_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0),
        };
        if matches!(fault, Fault::ApplyLate) {
            let delay = Duration::from_millis(faults.delay_ms);
            let later = shared.clone();
            let mut pending = crate::lock(&shared.late);
            while pending.try_join_next().is_some() {}
            pending.spawn(async move {
                tokio::time::sleep(delay).await;
                let _ = later.commit(effect, entry);
            });
            return dropped_connection();
        }
        if let Err(missing) = shared.commit(effect, entry) {
            return problem(
                StatusCode::NOT_FOUND,
                "Not found",
                missing,
                json!({"operation": operation_id}),
            );
        }
        if let Some(answer) = answer.as_mut() {
            if provider.issues_tokens(&operation_id) {
                provider.issue_token(answer, shared.fresh_token(&provider.name));
            } else {
                provider.answer_login(&operation_id, answer);
            }
        }
        if matches!(fault, Fault::DropAfterApply) {
            return dropped_connection();
        }
    }
    let mut builder = Response::builder().status(status);
    for (name, value) in provider.answer_headers(&operation_id, status) {
        builder = builder.header(name, value);
    }
    match answer {
        Some(json) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string())),
        None => builder.body(Body::empty()),
    }
    .unwrap_or_default()
}

/// The 404 for a provider `name` not served, listing those that are.
fn no_such_provider(shared: &Shared, name: &str) -> Response {
    let names: Vec<&str> = shared.providers.iter().map(|p| p.name.as_str()).collect();
    problem(
        StatusCode::NOT_FOUND,
        "No such provider",
        format!("no provider is named {name}"),
        json!({"providers": names}),
    )
}

/// The path after `mount`, if the path is under it.
fn mount_rest<'a>(path: &'a str, mount: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(mount)?;
    (rest.starts_with('/') || rest.is_empty()).then_some(rest)
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn not_found(
    shared: &Shared,
    method: &Method,
    path: &str,
    provider: Option<&Provider>,
) -> Response {
    let operations: Vec<Value> = shared
        .providers
        .iter()
        .filter(|p| provider.is_none_or(|only| only.name == p.name))
        .flat_map(|p| {
            p.contract.operations().iter().map(move |o| json!({"provider": p.name, "operation": o.id, "method": o.method, "path": format!("{}{}", p.mount, o.path)}))
        })
        .collect();
    problem(
        StatusCode::NOT_FOUND,
        "No such operation",
        format!("no operation is {method} {path}"),
        json!({"operations": operations}),
    )
}

/// 405 to a method that none of the operations at `path` serves, with
/// `Allow` listing those they do (RFC 9110).
fn method_not_allowed(method: &Method, path: &str, allowed: &[String]) -> Response {
    let allow = allowed.join(", ");
    let mut response = problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        format!("{path} serves {allow}, not {method}"),
        json!({"allow": allowed}),
    );
    if let Ok(value) = allow.parse() {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// The status and body to answer with: the lowest 2xx and its first example,
/// or what `Prefer: code=…, example=…` asks for.
fn choose_answer(
    provider: &Provider,
    operation: &str,
    prefer: Option<&str>,
) -> Result<(u16, Option<Value>), String> {
    let spec = provider.contract.json();
    let op = provider
        .contract
        .operation(operation)
        .map_err(|e| e.to_string())?;
    let op_node =
        crate::provider::operation_node(spec, op).ok_or("operation vanished from the spec")?;
    let responses = op_node
        .get("responses")
        .and_then(Value::as_object)
        .ok_or("no responses")?;
    let mut code = None;
    let mut example = None;
    for preference in prefer.unwrap_or_default().split([',', ';']).map(str::trim) {
        match preference.split_once('=') {
            Some(("code", value)) => {
                code = Some(
                    value
                        .trim()
                        .parse::<u16>()
                        .map_err(|_| format!("Prefer: code={value} is not a status"))?,
                )
            }
            Some(("example", value)) => example = Some(value.trim().trim_matches('"').to_string()),
            _ => {}
        }
    }
    let documented: Vec<u16> = op.statuses().collect();
    let status = match code {
        Some(code) if documented.contains(&code) => code,
        Some(code) => {
            return Err(format!(
                "Prefer: code={code}, but {operation} documents {documented:?}"
            ));
        }
        None => match &example {
            // The lowest status that has the example asked for.
            Some(name) => *documented
                .iter()
                .find(|s| {
                    examples(spec, &responses[&s.to_string()])
                        .iter()
                        .any(|(n, _)| n.as_deref() == Some(name.as_str()))
                })
                .ok_or_else(|| {
                    format!("Prefer: example={name}, but no response of {operation} has it")
                })?,
            None => *documented
                .iter()
                .find(|s| (200..300).contains(*s))
                .or(documented.first())
                .ok_or("no statuses")?,
        },
    };
    let response = tracking_spec::follow_ref(spec, &responses[&status.to_string()]);
    let found = examples(spec, response);
    let has_body = response
        .get("content")
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty());
    let body = match (&example, found.as_slice()) {
        (Some(name), found) => Some(
            found
                .iter()
                .find(|(n, _)| n.as_deref() == Some(name.as_str()))
                .map(|(_, v)| (*v).clone())
                .ok_or_else(|| format!("Prefer: example={name}, but the {status} response of {operation} has no such example"))?,
        ),
        (None, [(_, first), ..]) => Some((*first).clone()),
        (None, []) if has_body => return Err(format!("the {status} response of {operation} has no example to answer with")),
        (None, []) => None,
    };
    Ok((status, body))
}

#[derive(Debug)]
enum Fault {
    None,
    TooManyRequests,
    ServerError,
    Unavailable,
    Drop,
    DropAfterApply,
    ApplyLate,
    Delay,
}

fn draw(shared: &Shared, faults: &Faults) -> Fault {
    let (roll, delay_roll) = shared.roll();
    let mut edge = 0.0;
    for (rate, fault) in [
        (faults.too_many_requests, Fault::TooManyRequests),
        (faults.server_error, Fault::ServerError),
        (faults.unavailable, Fault::Unavailable),
        (faults.drop_connection, Fault::Drop),
        (faults.drop_after_apply, Fault::DropAfterApply),
        (faults.apply_late, Fault::ApplyLate),
    ] {
        edge += rate;
        if roll < edge {
            return fault;
        }
    }
    if delay_roll < faults.delay {
        Fault::Delay
    } else {
        Fault::None
    }
}

/// A response whose body fails at once: the server closes the connection
/// without a complete answer, as a crashed provider would.
fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::other("injected dropped connection"))
    });
    Response::builder()
        .status(StatusCode::OK)
        .body(Body::from_stream(failing))
        .unwrap_or_default()
}

fn admin_endpoint(
    shared: &Shared,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let json_response = |value: Value| {
        Response::builder()
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(value.to_string()))
            .unwrap_or_default()
    };
    match (method.as_str(), path) {
        ("GET", "ledger") => {
            json_response(serde_json::to_value(shared.ledger()).unwrap_or_default())
        }
        ("DELETE", "ledger") => {
            shared.clear_ledger();
            Response::builder()
                .status(StatusCode::NO_CONTENT)
                .body(Body::empty())
                .unwrap_or_default()
        }
        ("GET", openapi) if openapi.starts_with("openapi/") => {
            let name = &openapi["openapi/".len()..];
            let Some(provider) = shared.providers.iter().find(|p| p.name == name) else {
                return no_such_provider(shared, name);
            };
            // The host the client reached the mock at; without one, a URL
            // relative to the document's.
            let origin = header_text(headers, "host")
                .map(|host| format!("http://{host}"))
                .unwrap_or_default();
            json_response(crate::openapi::document(
                provider,
                &format!("{origin}{}", provider.mount),
                shared.body_limit,
            ))
        }
        ("GET", credentials) if credentials.starts_with("credentials/") => {
            let name = &credentials["credentials/".len()..];
            let Some(provider) = shared.providers.iter().find(|p| p.name == name) else {
                return no_such_provider(shared, name);
            };
            let headers: serde_json::Map<String, Value> = provider
                .client_headers(|| shared.fresh_token(&provider.name))
                .into_iter()
                .map(|(name, value)| (name, Value::String(value)))
                .collect();
            json_response(json!({ "headers": headers }))
        }
        ("GET", "throttled") => {
            json_response(serde_json::to_value(shared.throttled()).unwrap_or_default())
        }
        ("GET", "faults") => {
            json_response(serde_json::to_value(shared.faults()).unwrap_or_default())
        }
        ("PUT", "faults") => match serde_json::from_slice::<Faults>(body)
            .map_err(|e| e.to_string())
            .and_then(|f| {
                shared
                    .check_faults(&f)
                    .map_err(|e| e.to_string())
                    .map(|_| f)
            }) {
            Ok(faults) => {
                shared.set_faults(faults.clone());
                json_response(serde_json::to_value(faults).unwrap_or_default())
            }
            Err(e) => problem(StatusCode::BAD_REQUEST, "Invalid faults", e, json!({})),
        },
        _ => problem(
            StatusCode::NOT_FOUND,
            "No such mock endpoint",
            format!("{method} /_mock/{path}"),
            json!({"endpoints": ["GET /_mock/ledger", "DELETE /_mock/ledger", "GET /_mock/faults", "PUT /_mock/faults", "GET /_mock/throttled", "GET /_mock/openapi/<provider>", "GET /_mock/credentials/<provider>"]}),
        ),
    }
}
