//! Boolean schemas: 3.1 (JSON Schema) lets a subschema be `true` (anything)
//! or `false` (nothing); 3.0 has objects only. `true` is `{}`, `false` is
//! `{not: {}}`: the same meaning.

use serde_json::{Map, Value, json};

/// Keywords whose value is one subschema, a list of them, or a map of them.
const ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
];
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
const MAP: &[&str] = &["properties", "patternProperties"];

fn object(value: &mut Value) {
    match value {
        Value::Bool(true) => *value = json!({}),
        Value::Bool(false) => *value = json!({"not": {}}),
        _ => {}
    }
}

/// Makes the boolean subschemas of `schema` objects.
pub fn rewrite(schema: &mut Map<String, Value>) {
    for (key, value) in schema.iter_mut() {
        // `additionalProperties: true|false` is 3.0 too.
        if ONE.contains(&key.as_str()) && key != "additionalProperties" {
            object(value);
        } else if LIST.contains(&key.as_str()) {
            value.as_array_mut().into_iter().flatten().for_each(object);
        } else if MAP.contains(&key.as_str()) {
            value
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
                .for_each(object);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_is_any_and_false_is_none() {
        let mut schema = json!({
            "properties": {"anything": true, "nothing": false},
            "items": true,
            "allOf": [true],
            "additionalProperties": false
        });
        rewrite(schema.as_object_mut().unwrap());
        assert_eq!(
            schema,
            json!({
                "properties": {"anything": {}, "nothing": {"not": {}}},
                "items": {},
                "allOf": [{}],
                "additionalProperties": false
            })
        );
    }
}
