//! `type` as a list: `[X, "null"]` is `type: X` with `nullable: true`;
//! several types are an `anyOf` of one type each (the other keywords stay
//! beside it: each applies to its own type only, in both versions).

use serde_json::{Map, Value, json};

use crate::{Finding, JsonPath};

pub fn rewrite(at: &JsonPath, schema: &mut Map<String, Value>, notes: &mut Vec<Finding>) {
    null_members(schema);
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        schema.insert("type".into(), json!(["null"]));
    }
    let Some(Value::Array(types)) = schema.get("type") else {
        return;
    };
    let null = types.iter().any(|t| t == "null");
    let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    schema.remove("type");
    match others.as_slice() {
        [] => {
            // Only null: 3.0 has no null type; nullable with no other value
            // is as near as it gets.
            schema.insert("nullable".into(), true.into());
            schema.insert("enum".into(), json!([null]));
            notes.push(Finding::new(
                "openapi31-type",
                at.key("type"),
                "`type: null` has no OpenAPI 3.0 form: written as nullable with the one value null",
            ));
        }
        [one] => {
            schema.insert("type".into(), one.clone());
        }
        several => {
            let any_of: Vec<Value> = several.iter().map(|t| json!({"type": t})).collect();
            if schema.contains_key("anyOf") {
                let existing = schema.remove("anyOf").unwrap_or_default();
                let all_of = schema
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(all_of) = all_of {
                    all_of.push(json!({"anyOf": existing}));
                    all_of.push(json!({"anyOf": any_of}));
                }
            } else {
                schema.insert("anyOf".into(), Value::Array(any_of));
            }
        }
    }
    if null {
        schema.insert("nullable".into(), true.into());
    }
}

/// `anyOf`/`oneOf` with a `{type: "null"}` member (3.1's usual way to say
/// nullable): the member goes, and the schema is nullable; one member left
/// is the `allOf` of it (a lone `$ref` beside `nullable` would be ignored).
fn null_members(schema: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = schema.get_mut(key) else {
            continue;
        };
        let is_null = |m: &Value| {
            m.get("type") == Some(&json!("null")) || m.get("type") == Some(&json!(["null"]))
        };
        if !members.iter().any(is_null) {
            continue;
        }
        members.retain(|m| !is_null(m));
        let left = std::mem::take(members);
        schema.remove(key);
        schema.insert("nullable".into(), true.into());
        match left.len() {
            0 => {}
            1 => {
                let all_of = schema
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(all_of) = all_of {
                    all_of.extend(left);
                }
            }
            _ => {
                schema.insert(key.into(), Value::Array(left));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(value: Value) -> (Value, usize) {
        let mut map = value.as_object().unwrap().clone();
        let mut notes = Vec::new();
        rewrite(&JsonPath::root(), &mut map, &mut notes);
        (Value::Object(map), notes.len())
    }

    #[test]
    fn a_type_and_null_is_nullable() {
        assert_eq!(
            of(json!({"type": ["string", "null"], "format": "date"})),
            (
                json!({"type": "string", "format": "date", "nullable": true}),
                0
            )
        );
        assert_eq!(
            of(json!({"type": ["integer"]})),
            (json!({"type": "integer"}), 0)
        );
    }

    #[test]
    fn a_null_member_of_any_of_or_one_of_makes_the_schema_nullable() {
        assert_eq!(
            of(json!({"anyOf": [{"$ref": "#/components/schemas/Sample"}, {"type": "null"}]})),
            (
                json!({"allOf": [{"$ref": "#/components/schemas/Sample"}], "nullable": true}),
                0
            )
        );
        assert_eq!(
            of(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            (
                json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}),
                0
            )
        );
        // `type: "null"` as a string is the list of one.
        assert_eq!(
            of(json!({"type": "null"})),
            (json!({"nullable": true, "enum": [null]}), 1)
        );
    }

    #[test]
    fn several_types_are_any_of_and_null_alone_is_a_note() {
        assert_eq!(
            of(json!({"type": ["string", "integer", "null"], "minimum": 1})),
            (
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "minimum": 1, "nullable": true}),
                0
            )
        );
        assert_eq!(
            of(json!({"type": ["null"]})),
            (json!({"nullable": true, "enum": [null]}), 1)
        );
    }
}
