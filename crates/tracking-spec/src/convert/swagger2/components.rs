//! `definitions`, `parameters`, `responses` and `securityDefinitions`
//! become `components`, and every `$ref` to them is pointed at its new
//! place. `body` and `formData` parameters are not components in 3.0: each
//! is made part of the request body of the operations that name it.

use serde_json::{Map, Value};

use super::{media, parameters, responses, security};
use crate::{Finding, JsonPath};

/// The 3.0 `components` of a 2.0 document (`None` when it has none).
pub fn components(source: &Map<String, Value>, notes: &mut Vec<Finding>) -> Option<Value> {
    let mut components = Map::new();
    if let Some(Value::Object(definitions)) = source.get("definitions") {
        components.insert("schemas".into(), Value::Object(definitions.clone()));
    }
    if let Some(Value::Object(list)) = source.get("parameters") {
        let at = JsonPath::root().key("parameters");
        let converted: Map<String, Value> = list
            .iter()
            .filter_map(|(name, parameter)| {
                let fields = parameter.as_object()?;
                let location = fields.get("in").and_then(Value::as_str);
                if matches!(location, Some("body" | "formData")) {
                    return None;
                }
                let at = at.key(name.clone());
                Some((name.clone(), parameters::parameter(fields, &at, notes)))
            })
            .collect();
        if !converted.is_empty() {
            components.insert("parameters".into(), Value::Object(converted));
        }
    }
    if let Some(Value::Object(list)) = source.get("responses") {
        let at = JsonPath::root().key("responses");
        let bodies = list.values().any(|r| r.get("schema").is_some());
        let mut guessed = Vec::new();
        let produces = media::of(
            "produces",
            &Map::new(),
            source,
            &at,
            if bodies { &mut *notes } else { &mut guessed },
        );
        let converted: Map<String, Value> = list
            .iter()
            .filter_map(|(name, response)| {
                let at = at.key(name.clone());
                Some((
                    name.clone(),
                    responses::response(response.as_object()?, &produces, &at, notes),
                ))
            })
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(list)) = source.get("securityDefinitions") {
        let at = JsonPath::root().key("securityDefinitions");
        let converted: Map<String, Value> = list
            .iter()
            .filter_map(|(name, definition)| {
                let at = at.key(name.clone());
                Some((
                    name.clone(),
                    security::scheme(definition.as_object()?, &at, notes),
                ))
            })
            .collect();
        components.insert("securitySchemes".into(), Value::Object(converted));
    }
    (!components.is_empty()).then_some(Value::Object(components))
}

/// Points every `$ref` of `node` at the component it now is (not in data,
/// [`crate::is_data`]).
pub fn rewrite_refs(node: &mut Value) {
    rewrite(node, &JsonPath::root());
}

fn rewrite(node: &mut Value, at: &JsonPath) {
    match node {
        Value::Object(map) => {
            // In a schema's `properties`, `$ref` is a property's name.
            let names = at.key_from_end(0) == Some("properties");
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(reference) if key == "$ref" && !names => {
                        for (from, to) in [
                            ("#/definitions/", "#/components/schemas/"),
                            ("#/parameters/", "#/components/parameters/"),
                            ("#/responses/", "#/components/responses/"),
                        ] {
                            if let Some(rest) = reference.strip_prefix(from) {
                                *reference = format!("{to}{rest}");
                                break;
                            }
                        }
                    }
                    _ if crate::is_data(at, key, value) => {}
                    _ => rewrite(value, &at.key(key.clone())),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                rewrite(item, &at.index(i));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_point_at_components_and_examples_are_left_alone() {
        let mut doc = json!({
            "a": {"$ref": "#/definitions/Pet"},
            "b": [{"$ref": "#/parameters/limit"}, {"$ref": "#/responses/NotFound"}],
            "c": {"$ref": "other.json#/definitions/Pet"},
            "responses": {"default": {"schema": {"$ref": "#/definitions/Error"}}},
            "example": {"$ref": "#/definitions/Pet"},
            "properties": {"example": {"$ref": "#/definitions/Sample"}}
        });
        rewrite_refs(&mut doc);
        assert_eq!(
            doc,
            json!({
                "a": {"$ref": "#/components/schemas/Pet"},
                "b": [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/responses/NotFound"}],
                "c": {"$ref": "other.json#/definitions/Pet"},
                "responses": {"default": {"schema": {"$ref": "#/components/schemas/Error"}}},
                "example": {"$ref": "#/definitions/Pet"},
                "properties": {"example": {"$ref": "#/components/schemas/Sample"}}
            })
        );
    }

    #[test]
    fn definitions_parameters_responses_and_security_become_components() {
        let source = json!({
            "produces": ["application/json"],
            "definitions": {"Pet": {"type": "object"}},
            "parameters": {
                "limit": {"name": "limit", "in": "query", "type": "integer"},
                "pet": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}
            },
            "responses": {"NotFound": {"description": "none", "schema": {"type": "string"}}},
            "securityDefinitions": {"key": {"type": "apiKey", "name": "k", "in": "header"}}
        });
        let mut notes = Vec::new();
        let components = components(source.as_object().unwrap(), &mut notes).unwrap();
        assert_eq!(
            components,
            json!({
                "schemas": {"Pet": {"type": "object"}},
                "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
                "responses": {"NotFound": {"description": "none",
                    "content": {"application/json": {"schema": {"type": "string"}}}}},
                "securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}
            })
        );
        assert!(notes.is_empty());
    }
}
