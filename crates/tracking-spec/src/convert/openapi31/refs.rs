//! A `$ref` with siblings. 3.1 applies them; 3.0 ignores them. In a schema
//! the reference becomes the one member of an `allOf`, beside which the
//! siblings apply as before. Elsewhere (a parameter, a response) 3.1 allows
//! only `summary` and `description`, which override the target's: 3.0 has
//! no place for them, so they are dropped, noted.

use serde_json::{Map, Value, json};

use crate::{Finding, JsonPath};

/// In a schema.
pub fn in_schema(_at: &JsonPath, schema: &mut Map<String, Value>) {
    if schema.len() < 2 {
        return;
    }
    let Some(reference) = schema.remove("$ref") else {
        return;
    };
    let target = json!({"$ref": reference});
    match schema.get_mut("allOf") {
        Some(Value::Array(all_of)) => all_of.insert(0, target),
        _ => {
            schema.insert("allOf".into(), json!([target]));
        }
    }
}

/// Everywhere but in schemas (which [`in_schema`] has rewritten already).
pub fn elsewhere(node: &mut Value, at: &JsonPath, notes: &mut Vec<Finding>) {
    match node {
        Value::Object(map) => {
            // In a schema's `properties`, `$ref` is a property's name.
            let names = at.key_from_end(0) == Some("properties");
            if !names && map.contains_key("$ref") && map.len() > 1 {
                let siblings: Vec<String> = map.keys().filter(|k| *k != "$ref").cloned().collect();
                map.retain(|k, _| k == "$ref");
                notes.push(Finding::new(
                    "openapi31-ref-siblings",
                    at.clone(),
                    format!(
                        "{} beside a `$ref`: OpenAPI 3.0 has no place for them here, dropped",
                        siblings.join(", ")
                    ),
                ));
                return;
            }
            for (key, value) in map.iter_mut() {
                if crate::is_data(at, key, value) {
                    continue;
                }
                elsewhere(value, &at.key(key.clone()), notes);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                elsewhere(item, &at.index(i), notes);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_ref_with_siblings_is_an_all_of_beside_them() {
        let mut schema = json!({"$ref": "#/components/schemas/Money", "description": "the total"});
        in_schema(&JsonPath::root(), schema.as_object_mut().unwrap());
        assert_eq!(
            schema,
            json!({"allOf": [{"$ref": "#/components/schemas/Money"}], "description": "the total"})
        );
        let mut alone = json!({"$ref": "#/components/schemas/Money"});
        in_schema(&JsonPath::root(), alone.as_object_mut().unwrap());
        assert_eq!(alone, json!({"$ref": "#/components/schemas/Money"}));
    }

    #[test]
    fn a_property_named_ref_is_a_property() {
        let mut doc =
            json!({"properties": {"$ref": {"type": "string"}, "display": {"type": "string"}}});
        let before = doc.clone();
        let mut notes = Vec::new();
        elsewhere(&mut doc, &JsonPath::root(), &mut notes);
        assert_eq!(doc, before);
        assert!(notes.is_empty());
    }

    #[test]
    fn elsewhere_siblings_are_dropped_with_a_note() {
        let mut doc = json!({"parameters": [
            {"$ref": "#/components/parameters/Limit", "description": "how many"},
            {"$ref": "#/components/parameters/Page"}
        ]});
        let mut notes = Vec::new();
        elsewhere(&mut doc, &JsonPath::root(), &mut notes);
        assert_eq!(
            doc,
            json!({"parameters": [
                {"$ref": "#/components/parameters/Limit"},
                {"$ref": "#/components/parameters/Page"}
            ]})
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].path.to_string(), "$.parameters[0]");
    }
}
