//! One body type per class of responses. progenitor gives each operation one
//! success type (of `default`, 101 and 2xx) and one error type (of
//! `default`, 4xx and 5xx), and panics (`response_types.len() <= 1`) when
//! the responses of a class have different bodies. Rather than refuse the
//! document:
//! - success responses with different bodies are all received as bytes
//!   (`ResponseValue<ByteStream>`), so that every one stays a success;
//! - error responses with different bodies keep the body most of them have
//!   (a typed one first); the others are left out of the typed errors and
//!   come back as `ErrorKind::UnexpectedStatus`, with their status and body
//!   text.
//!
//! Other statuses (1xx but 101, 3xx) are in neither class, as in progenitor.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tracking_spec::follow_ref;

use super::media::progenitor_reads_json;
use super::{Finding, operations_mut};

/// What a response's body becomes in progenitor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A JSON body of this schema (its `$ref`, or the inline schema itself).
    Typed(String),
    /// No body.
    None,
    /// A body of another media type: bytes.
    Raw,
    /// A 101 without a JSON body: the upgraded connection.
    Upgrade,
}

impl Kind {
    fn describe(&self) -> String {
        match self {
            Kind::Typed(schema) if schema.starts_with('#') => format!("`{schema}`"),
            Kind::Typed(_) => "an inline schema".into(),
            Kind::None => "no body".into(),
            Kind::Raw => "a non-JSON body".into(),
            Kind::Upgrade => "an upgrade".into(),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Success,
    Error,
}

fn in_class(status: &str, class: Class) -> bool {
    let status = status.to_ascii_uppercase();
    if status == "DEFAULT" {
        return true;
    }
    match class {
        Class::Success => {
            status == "101" || status == "2XX" || status.starts_with('2') && status.len() == 3
        }
        Class::Error => matches!(status.as_bytes().first(), Some(b'4' | b'5')) && status.len() == 3,
    }
}

/// progenitor's order of statuses: codes by number, `NXX` as N00, `default` last.
fn rank(status: &str) -> u16 {
    let status = status.to_ascii_uppercase();
    if status == "DEFAULT" {
        return 1000;
    }
    match status.strip_suffix("XX") {
        Some(n) => n.parse::<u16>().map(|n| n * 100).unwrap_or(1000),
        None => status.parse().unwrap_or(1000),
    }
}

fn kind(root: &Value, status: &str, response: &Value) -> Kind {
    let response = follow_ref(root, response);
    let content = response.get("content").and_then(Value::as_object);
    let json = content.and_then(|c| c.iter().find(|(m, _)| progenitor_reads_json(m)));
    match json {
        Some((_, media)) => {
            let schema = media.get("schema").cloned().unwrap_or(json!({}));
            Kind::Typed(match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference.to_string(),
                None => schema.to_string(),
            })
        }
        None if status == "101" => Kind::Upgrade,
        None if content.is_some_and(|c| !c.is_empty()) => Kind::Raw,
        None => Kind::None,
    }
}

/// The statuses of `class` in `responses` by their kind, as progenitor
/// counts them (a `default` after a `2XX` range does not count as success).
fn kinds(
    root: &Value,
    responses: &serde_json::Map<String, Value>,
    class: Class,
) -> BTreeMap<Kind, Vec<String>> {
    let mut statuses: Vec<&String> = responses.keys().filter(|s| in_class(s, class)).collect();
    statuses.sort_by_key(|s| rank(s));
    if class == Class::Success
        && let [.., range, default] = statuses.as_slice()
        && range.eq_ignore_ascii_case("2XX")
        && default.eq_ignore_ascii_case("default")
    {
        statuses.pop();
    }
    let mut kinds: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
    for status in statuses {
        kinds
            .entry(kind(root, status, &responses[status]))
            .or_default()
            .push(status.clone());
    }
    kinds
}

fn listed(kinds: &BTreeMap<Kind, Vec<String>>) -> String {
    kinds
        .iter()
        .map(|(kind, statuses)| format!("{} → {}", statuses.join(", "), kind.describe()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An operation's `x-success-as-bytes: true`: its success answers are
/// received as bytes, as the `mixed-success-bodies` rule makes them.
pub const SUCCESS_AS_BYTES: &str = "x-success-as-bytes";

/// Set on an operation whose success answers were made bytes: the media
/// types they had, which the client sends as `Accept` (the hooks read it).
pub const ACCEPT: &str = "x-accept";

/// Settles every operation whose success or error responses have more
/// than one body type. True when it changed an operation that asked for
/// it (`x-success-as-bytes`), which leaves no note.
pub fn settle_classes(json: &mut Value, notes: &mut Vec<Finding>) -> bool {
    let mut asked = false;
    let root = json.clone();
    for (at, _, _, op) in operations_mut(json) {
        // The spec's author asks for bytes (a typed body and a 204 without
        // one, say): the adjustment is what it says, so no note.
        let as_bytes = op.get(SUCCESS_AS_BYTES).and_then(Value::as_bool) == Some(true);
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        let at = at.key("responses");
        let mut accept = None;
        // Making a shared `default` bytes may mix the errors: settle again.
        for _ in 0..3 {
            let success = kinds(&root, responses, Class::Success);
            if success.len() > 1 {
                // What the answers were, for the `Accept` header the
                // client still sends (progenitor sends none for bytes).
                let mut media: Vec<String> = Vec::new();
                for status in success.values().flatten() {
                    let content = follow_ref(&root, &responses[status]).get("content");
                    for key in content
                        .and_then(Value::as_object)
                        .into_iter()
                        .flat_map(|c| c.keys())
                    {
                        if !media.contains(key) {
                            media.push(key.clone());
                        }
                    }
                }
                if !media.is_empty() {
                    accept = Some(media.join(", "));
                }
                for status in success.values().flatten() {
                    let description = follow_ref(&root, &responses[status])
                        .get("description")
                        .cloned()
                        .unwrap_or(json!(""));
                    responses[status] = json!({
                        "description": description,
                        "content": {"application/octet-stream": {}},
                    });
                }
                if as_bytes {
                    asked = true;
                    continue;
                }
                notes.push(Finding::new(
                    "mixed-success-bodies",
                    at.clone(),
                    format!(
                        "the success responses have different bodies ({}); all are received as bytes (`ResponseValue<ByteStream>`)",
                        listed(&success)
                    ),
                ));
                continue;
            }
            let errors = kinds(&root, responses, Class::Error);
            if errors.len() > 1 {
                let keep = errors
                    .iter()
                    .max_by_key(|(kind, statuses)| (matches!(kind, Kind::Typed(_)), statuses.len()))
                    .map(|(kind, _)| kind.clone())
                    .unwrap_or(Kind::None);
                let left_out: Vec<String> = errors
                    .iter()
                    .filter(|(kind, _)| **kind != keep)
                    .flat_map(|(_, statuses)| statuses.clone())
                    .collect();
                for status in &left_out {
                    responses.remove(status);
                }
                notes.push(Finding::new(
                    "mixed-error-bodies",
                    at.clone(),
                    format!(
                        "the error responses have different bodies ({}); the typed error is {}, and {} come back as `ErrorKind::UnexpectedStatus` with their body",
                        listed(&errors),
                        keep.describe(),
                        left_out.join(", ")
                    ),
                ));
                continue;
            }
            break;
        }
        // A vendor type's `Accept` (`vendor_json`) is what was written.
        if let Some(accept) = accept
            && !op.contains_key(ACCEPT)
        {
            op.insert(ACCEPT.into(), json!(accept));
        }
    }
    asked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle(responses: Value) -> (Value, Vec<Finding>) {
        let mut doc = json!({
            "paths": {"/a": {"post": {"responses": responses}}},
            "components": {
                "schemas": {"E": {"type": "object"}},
                "responses": {"Shared": {"description": "shared", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}}}
            }
        });
        let mut notes = Vec::new();
        settle_classes(&mut doc, &mut notes);
        (doc["paths"]["/a"]["post"]["responses"].clone(), notes)
    }

    fn typed(schema: Value) -> Value {
        json!({"description": "", "content": {"application/json": {"schema": schema}}})
    }

    #[test]
    fn errors_keep_the_typed_body_most_have() {
        // VTEX's startHandling: 401 and 409 carry a body, 403, 404 and 429 none.
        let body = json!({"type": "object", "properties": {"error": {"type": "string"}}});
        let (responses, notes) = settle(json!({
            "204": {"description": ""},
            "401": typed(body.clone()), "409": typed(body),
            "403": {"description": ""}, "404": {"description": ""}, "429": {"description": ""},
        }));
        let left: Vec<_> = responses.as_object().unwrap().keys().cloned().collect();
        assert_eq!(left, ["204", "401", "409"]);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, "mixed-error-bodies");
        assert!(
            notes[0].message.contains("403, 404, 429 come back"),
            "{}",
            notes[0]
        );
        assert_eq!(notes[0].path.to_string(), "$.paths['/a'].post.responses");
    }

    #[test]
    fn successes_with_different_bodies_are_all_bytes_and_stay_successes() {
        let (responses, notes) = settle(json!({
            "200": typed(json!({"$ref": "#/components/schemas/E"})),
            "204": {"description": "empty"},
            "404": {"$ref": "#/components/responses/Shared"},
        }));
        for status in ["200", "204"] {
            assert_eq!(
                responses[status]["content"],
                json!({"application/octet-stream": {}}),
                "{status}"
            );
        }
        assert_eq!(responses["204"]["description"], "empty");
        assert_eq!(responses["404"]["$ref"], "#/components/responses/Shared");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, "mixed-success-bodies");
    }

    #[test]
    fn an_operation_that_asks_for_bytes_gets_them_without_a_note() {
        let mut doc = json!({"paths": {"/a": {"get": {
            "x-success-as-bytes": true,
            "responses": {
                "200": typed(json!({"type": "array"})),
                "204": {"description": "none"},
            }
        }}}});
        let mut notes = Vec::new();
        assert!(settle_classes(&mut doc, &mut notes), "it asked");
        assert!(notes.is_empty(), "{notes:?}");
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"],
            json!({"application/octet-stream": {}})
        );
    }

    #[test]
    fn statuses_outside_both_classes_and_a_default_after_a_range_do_not_mix() {
        // propolis-server: a 101 upgrade, and 4XX/5XX errors.
        let shared = json!({"$ref": "#/components/responses/Shared"});
        let (_, notes) = settle(json!({
            "101": {"description": "", "content": {"*/*": {}}},
            "4XX": shared.clone(), "5XX": shared,
        }));
        assert!(notes.is_empty(), "{notes:?}");
        let (_, notes) = settle(json!({
            "2XX": typed(json!({"$ref": "#/components/schemas/E"})),
            "302": {"description": "moved"},
            "default": {"$ref": "#/components/responses/Shared"},
        }));
        assert!(notes.is_empty(), "{notes:?}");
    }
}
