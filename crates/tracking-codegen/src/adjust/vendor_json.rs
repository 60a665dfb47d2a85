//! Vendor JSON media types (`application/vnd.retailer.v10+json`, bol.com's
//! and Allegro's) are JSON, but progenitor types only `application/json`:
//! it refuses such a request body and takes such a response as bytes. Each
//! is given to progenitor as `application/json`, and the client still
//! sends the exact type: the operation's `x-content-type` and `x-accept`,
//! which the `pre` hook puts on the request (`hooks.rs`). progenitor's PR
//! #1415 for them is still open.

use serde_json::{Map, Value};
use tracking_spec::JsonPath;

use super::responses::ACCEPT;
use super::{Finding, operations_mut};

/// Set on an operation whose request body was vendor JSON: the media type
/// the client sends as `Content-Type`.
pub const CONTENT_TYPE: &str = "x-content-type";

/// Whether `media` is JSON under a vendor's name (`+json`), not JSON itself.
fn is_vendor_json(media: &str) -> bool {
    let essence = tracking_spec::media_essence(media);
    essence != "application/json" && tracking_spec::is_json_media(media)
}

/// The vendor JSON media type `content` would be renamed from.
fn vendor_of(content: &Map<String, Value>) -> Option<String> {
    if content
        .keys()
        .any(|m| tracking_spec::media_essence(m) == "application/json")
    {
        return None;
    }
    content.keys().find(|m| is_vendor_json(m)).cloned()
}

/// Renames the one vendor JSON media type of `content` (when it has no
/// `application/json`) to `application/json`; the name it had.
fn rename(content: &mut Map<String, Value>) -> Option<String> {
    let vendor = vendor_of(content)?;
    let media = content.remove(&vendor)?;
    content.insert("application/json".into(), media);
    Some(vendor)
}

/// Gives every vendor JSON body to progenitor as JSON, noting each.
pub fn as_json(json: &mut Value, notes: &mut Vec<Finding>) {
    // What each shared response and body is, before it is renamed below.
    let shared: Map<String, Value> = json
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let bodies: Map<String, Value> = json
        .pointer("/components/requestBodies")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (at, _, _, op) in operations_mut(json) {
        let body = op
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut);
        if let Some(vendor) = body.and_then(rename) {
            notes.push(Finding::new(
                "vendor-json",
                at.key("requestBody").key("content").key(vendor.clone()),
                format!("sent as JSON, with `Content-Type: {vendor}`"),
            ));
            op.insert(CONTENT_TYPE.into(), Value::String(vendor));
        }
        // A body given by reference: its media type, before it is renamed
        // below (the operation still sends it).
        let shared_body = op
            .get("requestBody")
            .and_then(|b| b.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/requestBodies/"))
            .and_then(|name| bodies.get(name))
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
            .and_then(vendor_of);
        if let Some(vendor) = shared_body {
            op.insert(CONTENT_TYPE.into(), Value::String(vendor));
        }
        // What the client asks for: the success answers' types (an error's,
        // such as `application/problem+json`, comes whatever is asked).
        let mut accept: Vec<String> = Vec::new();
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            for (status, response) in responses.iter_mut() {
                let success = status.starts_with('2') || status == "default";
                let reference = response.get("$ref").and_then(Value::as_str);
                if let Some(name) =
                    reference.and_then(|r| r.strip_prefix("#/components/responses/"))
                {
                    let vendor = shared
                        .get(name)
                        .and_then(|r| r.get("content"))
                        .and_then(Value::as_object)
                        .and_then(vendor_of);
                    accept.extend(vendor.filter(|_| success));
                    continue;
                }
                let content = response.get_mut("content").and_then(Value::as_object_mut);
                if let Some(vendor) = content.and_then(rename) {
                    notes.push(Finding::new(
                        "vendor-json",
                        at.key("responses")
                            .key(status.clone())
                            .key("content")
                            .key(vendor.clone()),
                        if success {
                            format!("read as JSON, asked for with `Accept: {vendor}`")
                        } else {
                            "read as JSON".to_string()
                        },
                    ));
                    if success {
                        accept.push(vendor);
                    }
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        accept.retain(|media| seen.insert(media.clone()));
        if !accept.is_empty() {
            op.insert(ACCEPT.into(), Value::String(accept.join(", ")));
        }
    }
    for (section, what) in [
        ("responses", "read as JSON, asked for with `Accept`"),
        ("requestBodies", "sent as JSON, with its `Content-Type`"),
    ] {
        let at = JsonPath::root().key("components").key(section);
        let Some(shared) = json
            .pointer_mut(&format!("/components/{section}"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (name, node) in shared.iter_mut() {
            let content = node.get_mut("content").and_then(Value::as_object_mut);
            if let Some(vendor) = content.and_then(rename) {
                notes.push(Finding::new(
                    "vendor-json",
                    at.key(name.clone()).key("content").key(vendor.clone()),
                    format!("{what}: {vendor}"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vendor_json_is_json_to_progenitor_and_its_type_is_kept_for_the_wire() {
        let v10 = "application/vnd.retailer.v10+json";
        let mut doc = json!({
            "paths": {"/shipments": {"post": {
                "requestBody": {"content": {v10: {"schema": {"type": "object"}}}},
                "responses": {
                    "202": {"description": "", "content": {v10: {"schema": {"type": "object"}}}},
                    "400": {"$ref": "#/components/responses/Problem"}
                }
            }, "get": {
                "responses": {"200": {"description": "", "content": {
                    "application/json": {"schema": {"type": "string"}},
                    v10: {"schema": {"type": "string"}}
                }}}
            }}},
            "components": {"responses": {"Problem": {"description": "", "content": {
                "application/vnd.retailer.v10+json;charset=UTF-8": {"schema": {"type": "object"}}
            }}}}
        });
        let mut notes = Vec::new();
        as_json(&mut doc, &mut notes);
        let post = &doc["paths"]["/shipments"]["post"];
        assert_eq!(post["x-content-type"], v10);
        assert_eq!(
            post["x-accept"],
            // Not the 400's: an error's type comes whatever is asked.
            v10
        );
        assert!(post["requestBody"]["content"]["application/json"].is_object());
        assert!(post["responses"]["202"]["content"]["application/json"].is_object());
        assert!(
            doc["components"]["responses"]["Problem"]["content"]["application/json"].is_object()
        );
        // Plain JSON offered beside it: nothing to do.
        let get = &doc["paths"]["/shipments"]["get"];
        assert!(get.get("x-accept").is_none());
        assert_eq!(
            get["responses"]["200"]["content"]
                .as_object()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(notes.len(), 3, "{notes:?}");
    }

    #[test]
    fn a_body_by_reference_is_sent_with_its_vendor_type_too() {
        let v10 = "application/vnd.retailer.v10+json";
        let mut doc = json!({
            "paths": {"/shipments": {"put": {
                "requestBody": {"$ref": "#/components/requestBodies/Shipment"},
                "responses": {"204": {"description": ""}}
            }}},
            "components": {"requestBodies": {"Shipment": {"content": {v10: {"schema": {"type": "object"}}}}}}
        });
        let mut notes = Vec::new();
        as_json(&mut doc, &mut notes);
        assert_eq!(doc["paths"]["/shipments"]["put"]["x-content-type"], v10);
        assert!(
            doc["components"]["requestBodies"]["Shipment"]["content"]["application/json"]
                .is_object()
        );
        assert_eq!(notes.len(), 1);
    }
}
