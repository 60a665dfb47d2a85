//! RFC 9457 problem details, the body of every error the mock itself makes.

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

/// A problem+json response.
pub(crate) fn problem(
    status: StatusCode,
    title: &str,
    detail: impl Into<String>,
    extra: Value,
) -> Response {
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail.into(),
    });
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, crate::openapi::PROBLEM_MEDIA_TYPE)
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}
