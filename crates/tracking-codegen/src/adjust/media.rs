//! Bodies progenitor can type. It takes one request media type per operation
//! (and panics on two), among `application/json`, `application/x-www-form-
//! urlencoded`, `application/octet-stream` and `text/plain`; it panics on a
//! JSON body with `encoding` and on a JSON response without a schema.

use serde_json::{Map, Value, json};
use tracking_spec::JsonPath;

use super::{Finding, operations_mut};

/// The request media types progenitor sends, in the order one is kept when
/// a body offers several.
pub const REQUEST_MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

pub use tracking_spec::media_essence as essence;

/// Whether progenitor reads a body of this media type as JSON.
pub fn progenitor_reads_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

/// One media type per request body (the first of [`REQUEST_MEDIA_TYPES`]
/// it offers); JSON bodies with a schema and without `encoding`.
pub fn settle_request_bodies(json: &mut Value, notes: &mut Vec<Finding>) {
    for (at, _, _, op) in operations_mut(json) {
        let Some(content) = op
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        settle_body(content, &at.key("requestBody").key("content"), notes);
    }
    // Bodies given by reference are settled where they are defined.
    let at = JsonPath::root().key("components").key("requestBodies");
    if let Some(bodies) = json
        .pointer_mut("/components/requestBodies")
        .and_then(Value::as_object_mut)
    {
        for (name, body) in bodies.iter_mut() {
            if let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) {
                settle_body(content, &at.key(name.clone()).key("content"), notes);
            }
        }
    }
}

/// One request body's media types (at `at`): the first progenitor sends.
fn settle_body(content: &mut Map<String, Value>, at: &JsonPath, notes: &mut Vec<Finding>) {
    if content.len() > 1 {
        let offered: Vec<String> = content.keys().cloned().collect();
        let kept = REQUEST_MEDIA_TYPES
            .iter()
            .find_map(|wanted| offered.iter().find(|m| essence(m) == *wanted).cloned());
        if let Some(kept) = kept {
            content.retain(|m, _| *m == kept);
            notes.push(Finding::new(
                "several-media-types",
                at.clone(),
                format!(
                    "the request body offers {}; the client sends `{kept}` (progenitor takes one)",
                    offered.join(", ")
                ),
            ));
        }
    }
    settle_json(content, at, "request body", notes);
}

/// JSON responses with a schema (any JSON when they give none) and without
/// `encoding`. Only inline responses: a `$ref`'d one is settled where it is
/// defined, in `components.responses`.
pub fn settle_json_responses(json: &mut Value, notes: &mut Vec<Finding>) {
    for (at, _, _, op) in operations_mut(json) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        for (status, response) in responses.iter_mut() {
            if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                let at = at.key("responses").key(status.clone()).key("content");
                settle_json(content, &at, "response", notes);
            }
        }
    }
    let at = JsonPath::root().key("components").key("responses");
    if let Some(responses) = json
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for (name, response) in responses.iter_mut() {
            if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                settle_json(
                    content,
                    &at.key(name.clone()).key("content"),
                    "response",
                    notes,
                );
            }
        }
    }
}

fn settle_json(
    content: &mut Map<String, Value>,
    at: &JsonPath,
    what: &str,
    notes: &mut Vec<Finding>,
) {
    for (media_type, media) in content.iter_mut() {
        if !progenitor_reads_json(media_type) {
            continue;
        }
        let Some(media) = media.as_object_mut() else {
            continue;
        };
        let at = at.key(media_type.clone());
        if media.remove("encoding").is_some() {
            notes.push(Finding::new(
                "json-encoding",
                at.key("encoding"),
                format!("`encoding` of a JSON {what} dropped: it applies to multipart and form bodies only"),
            ));
        }
        if !media.contains_key("schema") {
            media.insert("schema".into(), json!({}));
            notes.push(Finding::new(
                "json-schema",
                at,
                format!("a JSON {what} without a schema: typed as any JSON (`serde_json::Value`)"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_media_type_is_kept_json_first() {
        let mut doc = json!({"paths": {"/a": {"post": {"requestBody": {"content": {
            "application/xml": {"schema": {}},
            "text/plain": {"schema": {"type": "string"}},
            "application/json; charset=utf-8": {"schema": {"type": "object"}, "encoding": {}},
        }}}}}});
        let mut notes = Vec::new();
        settle_request_bodies(&mut doc, &mut notes);
        let content = doc["paths"]["/a"]["post"]["requestBody"]["content"]
            .as_object()
            .unwrap();
        assert_eq!(
            content.keys().collect::<Vec<_>>(),
            ["application/json; charset=utf-8"]
        );
        assert!(
            content["application/json; charset=utf-8"]
                .get("encoding")
                .is_none()
        );
        let rules: Vec<_> = notes.iter().map(|n| n.rule).collect();
        assert_eq!(rules, ["several-media-types", "json-encoding"]);
    }

    #[test]
    fn a_json_response_without_a_schema_is_any_json() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {}}}}}}},
            "components": {"responses": {"E": {"description": "", "content": {"application/json": {}}}}}
        });
        let mut notes = Vec::new();
        settle_json_responses(&mut doc, &mut notes);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(
            doc["components"]["responses"]["E"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(notes.len(), 2);
    }
}
