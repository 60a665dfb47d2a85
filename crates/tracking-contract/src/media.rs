//! Media types: which are JSON, and the JSON schema of a body.

use serde_json::Value;

/// A media type without its parameters, lower case: `application/json` of
/// `Application/JSON; charset=utf-8`.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type is JSON: `application/json`, or a structured
/// syntax suffix `+json` (RFC 6839) such as `application/problem+json`.
pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// The JSON media type of a request body or response, and its schema.
pub(crate) fn json_schema(node: &Value) -> Option<(&str, &Value)> {
    node.get("content")?
        .as_object()?
        .iter()
        .find(|(media, _)| media.starts_with("application/json"))
        .map(|(media, m)| {
            (
                media.as_str(),
                m.get("schema").unwrap_or(&Value::Bool(true)),
            )
        })
}
