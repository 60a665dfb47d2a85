//! Parameters other than `body` and `formData`, and response headers: their
//! type keywords move into a `schema`, and `collectionFormat` becomes a
//! style.

use serde_json::{Map, Value};

use super::collection;
use crate::{Finding, JsonPath};

/// The keywords of a 2.0 parameter, header or `items` that are its schema's.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// The schema of a parameter, header or form field: its schema keywords
/// (`items` made a schema too, `type: file` a binary string).
pub fn schema_of(
    fields: &Map<String, Value>,
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Map<String, Value> {
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        let Some(value) = fields.get(*key) else {
            continue;
        };
        match (*key, value) {
            ("items", Value::Object(items)) => {
                let at = at.key("items");
                if let Some(format) = items.get("collectionFormat").and_then(Value::as_str)
                    && format != "csv"
                {
                    notes.push(Finding::new(
                        "swagger-collection-format",
                        at.key("collectionFormat"),
                        format!("an array within an array, {format:?}-separated, has no OpenAPI 3.0 style: dropped"),
                    ));
                }
                schema.insert("items".into(), Value::Object(schema_of(items, &at, notes)));
            }
            ("type", Value::String(t)) if t == "file" => {
                schema.insert("type".into(), "string".into());
                schema.insert("format".into(), "binary".into());
            }
            ("format", _) if schema.get("format").is_some() => {}
            _ => {
                schema.insert((*key).into(), value.clone());
            }
        }
    }
    schema
}

/// A 2.0 parameter (not `body` nor `formData`) as a 3.0 one.
pub fn parameter(fields: &Map<String, Value>, at: &JsonPath, notes: &mut Vec<Finding>) -> Value {
    let location = fields.get("in").and_then(Value::as_str).unwrap_or("");
    let mut parameter = Map::new();
    for (key, value) in fields {
        if matches!(
            key.as_str(),
            "name" | "in" | "description" | "required" | "allowEmptyValue" | "example"
        ) || key.starts_with("x-")
        {
            parameter.insert(key.clone(), value.clone());
        }
    }
    if location == "path" {
        // 2.0 and 3.0 both require it; some documents leave it out.
        parameter.insert("required".into(), true.into());
    }
    if fields.get("type").and_then(Value::as_str) == Some("array") {
        let format = fields.get("collectionFormat").and_then(Value::as_str);
        collection::style(format, location, &mut parameter, at, notes);
    }
    let schema = match fields.get("schema") {
        // Not 2.0, but written so: the intent is plain.
        Some(schema) if !fields.contains_key("type") => {
            notes.push(Finding::new(
                "swagger-parameters",
                at.key("schema"),
                "a `schema` on a parameter that is not a body (OpenAPI 3.0's form, not 2.0's): taken as its schema",
            ));
            schema.clone()
        }
        _ => Value::Object(schema_of(fields, at, notes)),
    };
    parameter.insert("schema".into(), schema);
    Value::Object(parameter)
}

/// A 2.0 response header as a 3.0 one.
pub fn header(fields: &Map<String, Value>, at: &JsonPath, notes: &mut Vec<Finding>) -> Value {
    let mut header = Map::new();
    for (key, value) in fields {
        if key == "description" || key.starts_with("x-") {
            header.insert(key.clone(), value.clone());
        }
    }
    if fields.get("type").and_then(Value::as_str) == Some("array") {
        let format = fields.get("collectionFormat").and_then(Value::as_str);
        // Headers are `simple` in 3.0: only a note can come of it.
        collection::style(format, "header", &mut Map::new(), at, notes);
    }
    header.insert("schema".into(), Value::Object(schema_of(fields, at, notes)));
    Value::Object(header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_keywords_move_into_a_schema_and_the_rest_stay() {
        let mut notes = Vec::new();
        let converted = parameter(
            json!({
                "name": "tags", "in": "query", "description": "tags to filter by",
                "required": false, "type": "array", "items": {"type": "string", "enum": ["a", "b"]},
                "collectionFormat": "csv", "maxItems": 5, "x-example": "a"
            })
            .as_object()
            .unwrap(),
            &JsonPath::root(),
            &mut notes,
        );
        assert_eq!(
            converted,
            json!({
                "name": "tags", "in": "query", "description": "tags to filter by",
                "required": false, "style": "form", "explode": false, "x-example": "a",
                "schema": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "maxItems": 5}
            })
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn a_path_parameter_is_required_and_a_header_keeps_its_description() {
        let mut notes = Vec::new();
        let converted = parameter(
            json!({"name": "id", "in": "path", "type": "integer", "format": "int64"})
                .as_object()
                .unwrap(),
            &JsonPath::root(),
            &mut notes,
        );
        assert_eq!(
            converted,
            json!({"name": "id", "in": "path", "required": true,
                "schema": {"type": "integer", "format": "int64"}})
        );
        let converted = header(
            json!({"description": "calls left", "type": "integer", "format": "int32"})
                .as_object()
                .unwrap(),
            &JsonPath::root(),
            &mut notes,
        );
        assert_eq!(
            converted,
            json!({"description": "calls left", "schema": {"type": "integer", "format": "int32"}})
        );
    }

    #[test]
    fn a_parameter_written_the_3_0_way_keeps_its_schema_and_example() {
        let mut notes = Vec::new();
        let converted = parameter(
            json!({"name": "limit", "in": "query", "example": 10,
                "schema": {"type": "integer", "maximum": 100}})
            .as_object()
            .unwrap(),
            &JsonPath::root(),
            &mut notes,
        );
        assert_eq!(
            converted,
            json!({"name": "limit", "in": "query", "example": 10,
                "schema": {"type": "integer", "maximum": 100}})
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn a_nested_array_s_own_format_is_a_note() {
        let mut notes = Vec::new();
        parameter(
            json!({"name": "m", "in": "query", "type": "array", "collectionFormat": "multi",
                "items": {"type": "array", "collectionFormat": "pipes", "items": {"type": "integer"}}})
            .as_object()
            .unwrap(),
            &JsonPath::root().key("p"),
            &mut notes,
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].path.to_string(), "$.p.items.collectionFormat");
    }
}
