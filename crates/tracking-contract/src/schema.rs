//! OpenAPI 3.0 Schema Objects → JSON Schema (draft 7) that `jsonschema` checks.
//!
//! What differs, and what is done about it:
//! - `nullable: true` → `null` added to `type` (and to `enum`); without a
//!   `type`, or with `allOf`/`anyOf`/`oneOf` (e.g. `type: string, nullable:
//!   true, allOf: [$ref]`) → `anyOf: [{type: null}, schema]`.
//!   `jsonschema` knows nothing of `nullable`, so without this null would be
//!   refused where the spec allows it.
//! - `readOnly` properties are not allowed in requests, `writeOnly` ones not
//!   in responses (and are dropped from `required` there).
//! - `$ref: #/components/schemas/X` → `#/definitions/X`, carried along.
//! - Boolean `exclusiveMinimum`/`exclusiveMaximum` (draft 4 style) → numbers.
//! - `format: int32/int64` → the integer's range; `date`, `date-time`,
//!   `uuid` are checked as formats; other formats are annotations.
//! - OpenAPI-only keywords (`example`, `xml`, `discriminator`, `x-…`) go.

use serde_json::{Map, Value, json};

/// Which way a body travels: what `readOnly`/`writeOnly` mean depends on it.
pub use tracking_spec::Direction;

const DROPPED: &[&str] = &[
    "example",
    "xml",
    "externalDocs",
    "discriminator",
    "deprecated",
    "nullable",
    "readOnly",
    "writeOnly",
];

/// Converts one OpenAPI schema node (its `$ref`s pointing into `#/definitions`).
pub fn convert(schema: &Value, direction: Direction) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if let Some(Value::String(reference)) = map.get("$ref") {
        let target = reference
            .strip_prefix("#/components/schemas/")
            .map_or(reference.clone(), |name| format!("#/definitions/{name}"));
        return json!({"$ref": target});
    }
    let mut out = Map::new();
    for (key, value) in map {
        if DROPPED.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let converted = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| {
                        let forbidden = match direction {
                            Direction::Request => flag(property, "readOnly"),
                            Direction::Response => flag(property, "writeOnly"),
                        };
                        let converted = if forbidden {
                            Value::Bool(false)
                        } else {
                            convert(property, direction)
                        };
                        (name.clone(), converted)
                    })
                    .collect(),
            ),
            "required" => {
                let properties = map.get("properties");
                Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|name| {
                            let property = name.as_str().and_then(|n| properties?.get(n));
                            !property.is_some_and(|p| match direction {
                                Direction::Request => flag(p, "readOnly"),
                                Direction::Response => flag(p, "writeOnly"),
                            })
                        })
                        .cloned()
                        .collect(),
                )
            }
            "items" | "not" => convert(value, direction),
            "additionalProperties" => match value {
                Value::Bool(_) => value.clone(),
                other => convert(other, direction),
            },
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| convert(s, direction))
                    .collect(),
            ),
            "exclusiveMinimum" | "exclusiveMaximum" => match value {
                Value::Bool(true) => {
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    match map.get(bound) {
                        Some(limit) => limit.clone(),
                        None => continue,
                    }
                }
                Value::Bool(false) => continue,
                other => other.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    // A bound made exclusive above must not also stay inclusive.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(exclusive) == Some(&Value::Bool(true)) {
            out.remove(bound);
        }
    }
    if let Some(range) = map
        .get("format")
        .and_then(Value::as_str)
        .and_then(integer_range)
    {
        out.entry("minimum").or_insert(json!(range.0));
        out.entry("maximum").or_insert(json!(range.1));
    }
    if flag(schema, "nullable") {
        return nullable(out);
    }
    Value::Object(out)
}

fn flag(schema: &Value, name: &str) -> bool {
    schema.get(name).and_then(Value::as_bool).unwrap_or(false)
}

fn integer_range(format: &str) -> Option<(i64, i64)> {
    match format {
        "int32" => Some((i32::MIN.into(), i32::MAX.into())),
        "int64" => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

fn nullable(mut schema: Map<String, Value>) -> Value {
    // A composition (`type: string, nullable: true, allOf: [$ref]`) would
    // still refuse null in its parts: null is an alternative to the whole.
    let composed = ["allOf", "anyOf", "oneOf", "$ref"]
        .iter()
        .any(|k| schema.contains_key(*k));
    match schema.get_mut("type") {
        Some(Value::String(t)) if !composed => {
            let t = std::mem::take(t);
            schema.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(schema)
        }
        _ => json!({"anyOf": [{"type": "null"}, schema]}),
    }
}

/// A JSON Schema document for `schema` (an OpenAPI node of `spec`), with every
/// component schema of `spec` under `definitions`.
pub fn document(spec: &Value, schema: &Value, direction: Direction) -> Value {
    let definitions: Map<String, Value> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, s)| (name.clone(), convert(s, direction)))
        .collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": definitions,
        "allOf": [convert(schema, direction)],
    })
}

/// Compiles a [`document`]: draft 7, with the formats that matter checked
/// (`uuid` is not a draft 7 format, so it is added).
pub fn validator(
    document: &Value,
) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_format("uuid", is_uuid)
        .build(document)
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Where the rule at `schema_path` (a pointer into [`document`]'s output)
/// stands in the spec, whose schema node is at `schema_at` (a JSON pointer).
pub fn spec_location(schema_path: &str, schema_at: &str) -> String {
    if let Some(rest) = schema_path.strip_prefix("/definitions/") {
        format!("#/components/schemas/{rest}")
    } else if let Some(rest) = schema_path.strip_prefix("/allOf/0") {
        format!("#{schema_at}{rest}")
    } else {
        format!("#{schema_at}{schema_path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(schema: &Value, instance: &Value, direction: Direction) -> bool {
        validator(&document(&json!({}), schema, direction))
            .unwrap()
            .is_valid(instance)
    }

    #[test]
    fn null_is_accepted_exactly_where_nullable_says() {
        let plain = json!({"type": "string"});
        let nullable = json!({"type": "string", "nullable": true});
        let nullable_enum = json!({"type": "string", "enum": ["a"], "nullable": true});
        let nullable_all_of = json!({"nullable": true, "allOf": [{"type": "string"}]});
        for direction in [Direction::Request, Direction::Response] {
            assert!(!valid(&plain, &Value::Null, direction));
            assert!(valid(&nullable, &Value::Null, direction));
            assert!(valid(&nullable, &json!("x"), direction));
            assert!(!valid(&nullable, &json!(1), direction));
            assert!(valid(&nullable_enum, &Value::Null, direction));
            assert!(!valid(&nullable_enum, &json!("b"), direction));
            assert!(valid(&nullable_all_of, &Value::Null, direction));
            assert!(!valid(&nullable_all_of, &json!(1), direction));
        }
    }

    #[test]
    fn read_only_and_write_only_depend_on_the_direction() {
        let schema = json!({
            "type": "object",
            "required": ["id", "secret"],
            "properties": {"id": {"type": "string", "readOnly": true}, "secret": {"type": "string", "writeOnly": true}}
        });
        assert!(valid(&schema, &json!({"secret": "s"}), Direction::Request));
        assert!(!valid(
            &schema,
            &json!({"secret": "s", "id": "i"}),
            Direction::Request
        ));
        assert!(valid(&schema, &json!({"id": "i"}), Direction::Response));
        assert!(!valid(
            &schema,
            &json!({"id": "i", "secret": "s"}),
            Direction::Response
        ));
    }

    #[test]
    fn formats_that_matter_are_checked() {
        let direction = Direction::Request;
        assert!(valid(
            &json!({"type": "string", "format": "date"}),
            &json!("2015-06-23"),
            direction
        ));
        assert!(!valid(
            &json!({"type": "string", "format": "date"}),
            &json!("23/06/2015"),
            direction
        ));
        assert!(valid(
            &json!({"type": "string", "format": "date-time"}),
            &json!("2024-04-09T12:26:18.210Z"),
            direction
        ));
        assert!(!valid(
            &json!({"type": "string", "format": "date-time"}),
            &json!("2022-10-01 21:15"),
            direction
        ));
        assert!(valid(
            &json!({"type": "string", "format": "uuid"}),
            &json!("e2c1bcab-43ef-48b8-9aa7-513755a92abc"),
            direction
        ));
        assert!(!valid(
            &json!({"type": "string", "format": "uuid"}),
            &json!("e2c1bcab"),
            direction
        ));
        assert!(valid(
            &json!({"type": "string", "format": "password"}),
            &json!("anything"),
            direction
        ));
        assert!(!valid(
            &json!({"type": "integer", "format": "int32"}),
            &json!(3_000_000_000_i64),
            direction
        ));
        // Two decimal places, exactly, whatever binary floating point makes of them.
        let cents = json!({"type": "number", "format": "decimal", "multipleOf": 0.01});
        for ok in [
            json!(34.38),
            json!(17.2),
            json!(27),
            json!(0.3),
            json!(1234567.89),
        ] {
            assert!(valid(&cents, &ok, direction), "{ok}");
        }
        for bad in [json!(34.385), json!(0.30000000000000004), json!("34.38")] {
            assert!(!valid(&cents, &bad, direction), "{bad}");
        }
    }

    #[test]
    fn exclusive_bounds_and_openapi_keywords() {
        let schema = json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "example": 1, "x-note": "n"});
        assert!(!valid(&schema, &json!(0), Direction::Request));
        assert!(valid(&schema, &json!(0.5), Direction::Request));
    }
}
