//! Where a 2.0 schema says a thing otherwise than 3.0: `type: file` is a
//! binary string, `discriminator` a property name (now an object), and the
//! common `x-nullable` extension is 3.0's `nullable` (the extension is
//! kept, as every `x-` is).

use serde_json::{Map, Value, json};

use crate::JsonPath;

/// Rewrites one schema.
pub fn schema(_at: &JsonPath, schema: &mut Map<String, Value>) {
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), "string".into());
        schema.insert("format".into(), "binary".into());
    }
    if let Some(Value::String(property)) = schema.get("discriminator") {
        let discriminator = json!({"propertyName": property});
        schema.insert("discriminator".into(), discriminator);
    }
    if schema.get("x-nullable").and_then(Value::as_bool) == Some(true) {
        schema.insert("nullable".into(), true.into());
        // Beside a `$ref` it would be ignored: the reference becomes the
        // one member of an `allOf`, beside which it applies.
        if let Some(reference) = schema.remove("$ref") {
            schema.insert("allOf".into(), json!([{"$ref": reference}]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(value: Value) -> Value {
        let mut map = value.as_object().unwrap().clone();
        schema(&JsonPath::root(), &mut map);
        Value::Object(map)
    }

    #[test]
    fn file_discriminator_and_x_nullable_say_it_the_3_0_way() {
        assert_eq!(
            of(json!({"type": "file"})),
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            of(json!({"type": "object", "discriminator": "petType"})),
            json!({"type": "object", "discriminator": {"propertyName": "petType"}})
        );
        assert_eq!(
            of(json!({"type": "string", "x-nullable": true})),
            json!({"type": "string", "x-nullable": true, "nullable": true})
        );
        assert_eq!(
            of(json!({"$ref": "#/components/schemas/Sample", "x-nullable": true})),
            json!({"allOf": [{"$ref": "#/components/schemas/Sample"}], "x-nullable": true, "nullable": true})
        );
    }
}
