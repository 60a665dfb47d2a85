//! Media types: which are JSON, and the JSON schema of a body.

use serde_json::Value;

pub(crate) use tracking_spec::media_essence as essence;

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
