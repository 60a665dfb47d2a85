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

/// Renames the one vendor JSON media type of `content` (when it has no
/// `application/json`) to `application/json`; the name it had.
fn rename(content: &mut Map<String, Value>) -> Option<String> {
    if content
        .keys()
        .any(|m| tracking_spec::media_essence(m) == "application/json")
    {
        return None;
    }
    let vendor = content.keys().find(|m| is_vendor_json(m))?.clone();
    let media = content.remove(&vendor)?;
    content.insert("application/json".into(), media);
    Some(vendor)
}

/// Gives every vendor JSON body to progenitor as JSON, noting each.
pub fn as_json(json: &mut Value, notes: &mut Vec<Finding>) {
    // What each shared response is, before it is renamed below.
    let shared: Map<String, Value> = json
        .pointer("/components/responses")
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
        let mut accept: Vec<String> = Vec::new();
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            for (status, response) in responses.iter_mut() {
                let reference = response.get("$ref").and_then(Value::as_str);
                if let Some(name) =
                    reference.and_then(|r| r.strip_prefix("#/components/responses/"))
                {
                    let vendor = shared
                        .get(name)
                        .and_then(|r| r.get("content"))
                        .and_then(Value::as_object)
                        .filter(|c| {
                            !c.keys()
                                .any(|m| tracking_spec::media_essence(m) == "application/json")
                        })
                        .and_then(|c| c.keys().find(|m| is_vendor_json(m)).cloned());
                    accept.extend(vendor);
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
                        format!("read as JSON, asked for with `Accept: {vendor}`"),
                    ));
                    accept.push(vendor);
                }
            }
        }
        accept.dedup();
        if !accept.is_empty() {
            op.insert(ACCEPT.into(), Value::String(accept.join(", ")));
        }
    }
    let at = JsonPath::root().key("components").key("responses");
    if let Some(responses) = json
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for (name, response) in responses.iter_mut() {
            let content = response.get_mut("content").and_then(Value::as_object_mut);
            if let Some(vendor) = content.and_then(rename) {
                notes.push(Finding::new(
                    "vendor-json",
                    at.key(name.clone()).key("content").key(vendor.clone()),
                    format!("read as JSON, asked for with `Accept: {vendor}`"),
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
            format!("{v10}, application/vnd.retailer.v10+json;charset=UTF-8")
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
}
