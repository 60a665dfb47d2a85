//! The walk over every schema of a document, for the conversions that
//! rewrite schemas: each schema is visited before its subschemas, so a
//! rule's change (a keyword moved or dropped) is what the walk goes on into.

use serde_json::{Map, Value};

use crate::JsonPath;

/// Keywords whose value is one subschema.
const ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
/// Keywords whose value is a list of subschemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/// Keywords whose value maps names to subschemas.
const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// Calls `visit` on every schema of `doc`: those of `components.schemas`
/// (and Swagger 2.0's `definitions`) and every `schema` of a parameter,
/// header or media type, then their subschemas.
pub fn each(doc: &mut Value, visit: &mut dyn FnMut(&JsonPath, &mut Map<String, Value>)) {
    walk_document(doc, &JsonPath::root(), visit);
}

fn walk_document(
    node: &mut Value,
    at: &JsonPath,
    visit: &mut dyn FnMut(&JsonPath, &mut Map<String, Value>),
) {
    match node {
        Value::Object(map) => {
            let top_definitions = *at == JsonPath::root();
            let components = *at == JsonPath::root().key("components");
            for (key, value) in map.iter_mut() {
                if crate::is_data(at, key, value) {
                    continue;
                }
                let here = at.key(key.clone());
                if key == "schema" {
                    walk_schema(value, &here, visit);
                } else if (components && key == "schemas")
                    || (top_definitions && key == "definitions")
                {
                    if let Value::Object(schemas) = value {
                        for (name, schema) in schemas.iter_mut() {
                            walk_schema(schema, &here.key(name.clone()), visit);
                        }
                    }
                } else {
                    walk_document(value, &here, visit);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk_document(item, &at.index(i), visit);
            }
        }
        _ => {}
    }
}

fn walk_schema(
    node: &mut Value,
    at: &JsonPath,
    visit: &mut dyn FnMut(&JsonPath, &mut Map<String, Value>),
) {
    let Value::Object(map) = node else {
        return;
    };
    visit(at, map);
    for (key, value) in map.iter_mut() {
        let here = at.key(key.clone());
        match value {
            Value::Object(_) if ONE.contains(&key.as_str()) => walk_schema(value, &here, visit),
            Value::Array(items) if LIST.contains(&key.as_str()) => {
                for (i, item) in items.iter_mut().enumerate() {
                    walk_schema(item, &here.index(i), visit);
                }
            }
            Value::Object(schemas) if MAP.contains(&key.as_str()) => {
                for (name, schema) in schemas.iter_mut() {
                    walk_schema(schema, &here.key(name.clone()), visit);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_schema_is_visited_and_no_example_is() {
        let mut doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"default": {"description": "", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                    "example": {"schema": {"type": "not a schema"}}
                }}}}
            }}},
            "components": {"schemas": {"A": {
                "properties": {"b": {"allOf": [{"type": "integer"}]}},
                "additionalProperties": {"type": "boolean"}
            }}}
        });
        let mut seen = Vec::new();
        each(&mut doc, &mut |at, _| seen.push(at.to_string()));
        seen.sort();
        assert_eq!(
            seen,
            [
                "$.components.schemas.A",
                "$.components.schemas.A.additionalProperties",
                "$.components.schemas.A.properties.b",
                "$.components.schemas.A.properties.b.allOf[0]",
                "$.paths['/a'].get.parameters[0].schema",
                "$.paths['/a'].get.responses.default.content['application/json'].schema",
                "$.paths['/a'].get.responses.default.content['application/json'].schema.items",
            ]
        );
    }
}
