//! Where progenitor or typify failed. Their errors name no place ("type
//! error value does not conform to the given schema", from a `default` of
//! the wrong type in BigCommerce's tax provider document), so the document
//! is generated again piece by piece: each component schema alone (with
//! the schemas it refers to), then the node inside it that fails alone,
//! then each operation alone. The smallest piece that fails is the place.
//! It runs only after a failure.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use tracking_spec::{JsonPath, METHODS};

/// The name of the component a probed node is a property of.
const PROBE: &str = "LocateProbe";

/// Where generating `json` fails (`fails`: whether a document does), if a
/// piece of it fails alone.
pub fn locate(json: &Value, fails: &dyn Fn(&Value) -> bool) -> Option<JsonPath> {
    let empty = Map::new();
    let schemas = json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let at = JsonPath::root().key("components").key("schemas");
    // The component that fails with the fewest schemas around it.
    let failing = schemas
        .keys()
        .map(|name| (closure(schemas, [name.as_str()]), name))
        .filter(|(around, _)| fails(&document(json, around, None)))
        .min_by_key(|(around, _)| around.len());
    if let Some((_, name)) = failing {
        let mut deepest = at.key(name.clone());
        let mut nodes = Vec::new();
        subschemas(&schemas[name], &deepest, &mut nodes);
        for (node_at, node, required) in nodes {
            let mut refs = BTreeSet::new();
            references(node, &mut refs);
            let around = closure(schemas, refs.iter().map(String::as_str));
            // A node that needs the failing schema would fail for it.
            if !around.contains(name)
                && node_at.segments().count() > deepest.segments().count()
                && fails(&document(json, &around, Some((node, required))))
            {
                deepest = node_at;
            }
        }
        return Some(deepest);
    }
    // Else the operation that fails alone, with every component.
    let paths = json.get("paths").and_then(Value::as_object)?;
    let mut doc = json.clone();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in item.keys().filter(|m| METHODS.contains(&m.as_str())) {
            let alone: Map<String, Value> = item
                .iter()
                .filter(|(k, _)| *k == method || !METHODS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            doc["paths"] = json!({path.clone(): alone});
            if fails(&doc) {
                return Some(
                    JsonPath::root()
                        .key("paths")
                        .key(path.clone())
                        .key(method.clone()),
                );
            }
        }
    }
    None
}

/// A document of `json`'s version with no paths and only the schemas
/// `keep` (and `probe`, as a property of a component of its own).
fn document(json: &Value, keep: &BTreeSet<String>, probe: Option<(&Value, bool)>) -> Value {
    let mut schemas: Map<String, Value> = json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(name, _)| keep.contains(*name))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect();
    if let Some((probe, required)) = probe {
        // A property, required or not as where it is: typify checks the
        // `default` of an optional one only.
        let mut holder = json!({"type": "object", "properties": {"probe": probe}});
        if required {
            holder["required"] = json!(["probe"]);
        }
        schemas.insert(PROBE.into(), holder);
    }
    json!({
        "openapi": json.get("openapi").cloned().unwrap_or(json!("3.0.3")),
        "info": json.get("info").cloned().unwrap_or(json!({"title": "", "version": ""})),
        "paths": {},
        "components": {"schemas": schemas},
    })
}

/// The schemas `names` are, and every schema they refer to, transitively.
fn closure<'a>(
    schemas: &Map<String, Value>,
    names: impl IntoIterator<Item = &'a str>,
) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut todo: Vec<String> = names.into_iter().map(str::to_string).collect();
    while let Some(name) = todo.pop() {
        if !found.insert(name.clone()) {
            continue;
        }
        let mut refs = BTreeSet::new();
        if let Some(schema) = schemas.get(&name) {
            references(schema, &mut refs);
        }
        todo.extend(refs.into_iter().filter(|r| !found.contains(r)));
    }
    found
}

/// The component schemas `node` refers to.
fn references(node: &Value, found: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found.insert(name.replace("~1", "/").replace("~0", "~"));
            }
            map.values().for_each(|v| references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

/// Every subschema inside `schema` (not itself), with where it is and
/// whether it is a required property.
fn subschemas<'a>(schema: &'a Value, at: &JsonPath, found: &mut Vec<(JsonPath, &'a Value, bool)>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    let required = |name: &str| {
        map.get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|n| n == name))
    };
    for (key, value) in map {
        let here = at.key(key.clone());
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                for (name, sub) in properties {
                    let here = here.key(name.clone());
                    found.push((here.clone(), sub, required(name)));
                    subschemas(sub, &here, found);
                }
            }
            ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                found.push((here.clone(), value, true));
                subschemas(value, &here, found);
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(items)) => {
                for (i, sub) in items.iter().enumerate() {
                    let here = here.index(i);
                    found.push((here.clone(), sub, true));
                    subschemas(sub, &here, found);
                }
            }
            _ => {}
        }
    }
}
