//! Keywords 3.0 has in another form: `const` is a one-value `enum`, an
//! `examples` list is an `example` (the first; the others noted), and a
//! numeric `exclusiveMinimum` or `exclusiveMaximum` is the bound with
//! 3.0's boolean.

use serde_json::{Map, Value, json};

use crate::{Finding, JsonPath};

pub fn rewrite(at: &JsonPath, schema: &mut Map<String, Value>, notes: &mut Vec<Finding>) {
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), json!([value]));
    }
    if let Some(Value::Array(examples)) = schema.get("examples") {
        let count = examples.len();
        let first = examples.first().cloned();
        schema.remove("examples");
        if let Some(first) = first {
            schema.entry("example").or_insert(first);
        }
        if count > 1 {
            notes.push(Finding::new(
                "openapi31-examples",
                at.key("examples"),
                format!("{count} examples, and OpenAPI 3.0 schemas have one: the first kept"),
            ));
        }
    }
    bound(schema, "exclusiveMinimum", "minimum", |a, b| a >= b);
    bound(schema, "exclusiveMaximum", "maximum", |a, b| a <= b);
}

/// A numeric exclusive bound: the stricter of it and the inclusive one
/// (`stricter(exclusive, inclusive)`), written the 3.0 way.
fn bound(
    schema: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(limit)) = schema.get(exclusive).cloned() else {
        return;
    };
    let inclusive_limit = schema.get(inclusive).and_then(Value::as_f64);
    let use_exclusive = match (limit.as_f64(), inclusive_limit) {
        (Some(e), Some(i)) => stricter(e, i),
        _ => true,
    };
    if use_exclusive {
        schema.insert(inclusive.into(), Value::Number(limit));
        schema.insert(exclusive.into(), true.into());
    } else {
        schema.remove(exclusive);
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
    fn const_is_a_one_value_enum() {
        assert_eq!(of(json!({"const": "UPS"})), (json!({"enum": ["UPS"]}), 0));
    }

    #[test]
    fn an_examples_list_is_its_first_example_and_more_are_noted() {
        assert_eq!(of(json!({"examples": ["a"]})), (json!({"example": "a"}), 0));
        assert_eq!(
            of(json!({"examples": ["a", "b"]})),
            (json!({"example": "a"}), 1)
        );
    }

    #[test]
    fn numeric_exclusive_bounds_are_bounds_with_the_3_0_boolean() {
        assert_eq!(
            of(json!({"exclusiveMinimum": 0})),
            (json!({"minimum": 0, "exclusiveMinimum": true}), 0)
        );
        // The stricter bound wins: above 5 beats at least 3; at most 10 beats below 12.
        assert_eq!(
            of(json!({"exclusiveMinimum": 5, "minimum": 3, "maximum": 10, "exclusiveMaximum": 12})),
            (
                json!({"minimum": 5, "exclusiveMinimum": true, "maximum": 10}),
                0
            )
        );
        // Already 3.0's boolean: left alone.
        assert_eq!(
            of(json!({"minimum": 1, "exclusiveMinimum": true})),
            (json!({"minimum": 1, "exclusiveMinimum": true}), 0)
        );
    }
}
