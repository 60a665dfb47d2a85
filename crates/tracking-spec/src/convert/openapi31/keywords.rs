//! Schema keywords of JSON Schema 2020-12 that OpenAPI 3.0 does not have.
//! `contentEncoding: base64` and `contentMediaType` of a string are 3.0's
//! `format: byte` and `format: binary`; the others cannot be said in 3.0
//! and are dropped, each noted at its node.

use serde_json::{Map, Value};

use crate::{Finding, JsonPath};

/// Keywords with no 3.0 form, and what dropping one loosens.
const DROPPED: &[(&str, &str)] = &[
    ("prefixItems", "the items' types by position"),
    ("if", "a condition"),
    ("then", "a condition"),
    ("else", "a condition"),
    ("dependentSchemas", "a dependency between properties"),
    ("dependentRequired", "a dependency between properties"),
    ("unevaluatedProperties", "a limit on properties"),
    ("unevaluatedItems", "a limit on items"),
    ("contains", "a constraint on items"),
    ("minContains", "a constraint on items"),
    ("maxContains", "a constraint on items"),
    ("propertyNames", "a constraint on property names"),
    ("patternProperties", "the properties matched by pattern"),
    (
        "$defs",
        "local definitions (a `$ref` into them no longer resolves)",
    ),
    ("$id", "an identifier"),
    ("$anchor", "an anchor"),
    ("$schema", "the dialect"),
    ("$comment", "a comment"),
    ("$dynamicRef", "a dynamic reference"),
    ("$dynamicAnchor", "a dynamic anchor"),
    ("contentSchema", "the schema of encoded content"),
];

pub fn rewrite(at: &JsonPath, schema: &mut Map<String, Value>, notes: &mut Vec<Finding>) {
    let string = schema.get("type").and_then(Value::as_str) == Some("string");
    if let Some(encoding) = schema.remove("contentEncoding") {
        if string && encoding == "base64" && !schema.contains_key("format") {
            schema.insert("format".into(), "byte".into());
        } else {
            notes.push(Finding::new(
                "openapi31-keyword",
                at.key("contentEncoding"),
                format!("contentEncoding {encoding} has no OpenAPI 3.0 form: dropped"),
            ));
        }
    }
    if let Some(media) = schema.remove("contentMediaType") {
        if string && !schema.contains_key("format") {
            schema.insert("format".into(), "binary".into());
        } else if !string || schema.get("format").and_then(Value::as_str) != Some("binary") {
            notes.push(Finding::new(
                "openapi31-keyword",
                at.key("contentMediaType"),
                format!("contentMediaType {media} has no OpenAPI 3.0 form here: dropped"),
            ));
        }
    }
    for (keyword, what) in DROPPED {
        if schema.remove(*keyword).is_some() {
            notes.push(Finding::new(
                "openapi31-keyword",
                at.key(*keyword),
                format!("`{keyword}` has no OpenAPI 3.0 form: dropped, and with it {what}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_keywords_are_formats_and_the_rest_are_dropped_node_by_node() {
        let mut schema = json!({
            "type": "string", "contentEncoding": "base64", "$comment": "label PDF"
        });
        let mut notes = Vec::new();
        let at = JsonPath::root().key("label");
        rewrite(&at, schema.as_object_mut().unwrap(), &mut notes);
        assert_eq!(schema, json!({"type": "string", "format": "byte"}));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].path.to_string(), "$.label['$comment']");

        let mut schema = json!({"type": "string", "contentMediaType": "image/png"});
        rewrite(&at, schema.as_object_mut().unwrap(), &mut notes);
        assert_eq!(schema, json!({"type": "string", "format": "binary"}));

        let mut schema = json!({"type": "array", "prefixItems": [{"type": "string"}]});
        rewrite(&at, schema.as_object_mut().unwrap(), &mut notes);
        assert_eq!(schema, json!({"type": "array"}));
        assert_eq!(notes.len(), 2);
    }
}
