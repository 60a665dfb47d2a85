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

/// Where generating a document failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The component schema, or the node inside it, that fails alone.
    Schema(JsonPath),
    /// The operations that fail alone, each with what it refers to, and
    /// what the generator said of each.
    Operations(Vec<(JsonPath, String)>),
}

impl Place {
    /// The first place, for a message.
    pub fn first(&self) -> Option<&JsonPath> {
        match self {
            Place::Schema(at) => Some(at),
            Place::Operations(all) => all.first().map(|(at, _)| at),
        }
    }
}

/// What generating a document says when it fails (`None`: it does not).
pub type Failure<'a> = &'a dyn Fn(&Value) -> Option<String>;

/// Where generating `json` fails, if a piece of it fails alone.
pub fn locate(json: &Value, fails: Failure) -> Option<Place> {
    let empty = Map::new();
    let schemas = json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let all: BTreeSet<String> = schemas.keys().cloned().collect();
    if fails(&document(json, &all, None)).is_some() {
        return locate_schema(json, schemas, fails).map(Place::Schema);
    }
    // The schemas generate: the operations that fail, each alone with what
    // it refers to (so that each try is small).
    let paths = json.get("paths").and_then(Value::as_object)?;
    let mut failing = Vec::new();
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
            let doc = operation_document(json, path, alone);
            if let Some(message) = fails(&doc) {
                let at = JsonPath::root().key("paths").key(path.clone());
                failing.push((at.key(method.clone()), message));
            }
        }
    }
    (!failing.is_empty()).then_some(Place::Operations(failing))
}

/// The component schema that fails with the fewest schemas around it, and
/// the deepest node inside it that fails alone.
fn locate_schema(json: &Value, schemas: &Map<String, Value>, fails: Failure) -> Option<JsonPath> {
    let (_, name) = schemas
        .keys()
        .map(|name| (closure(schemas, [name.as_str()]), name))
        .filter(|(around, _)| fails(&document(json, around, None)).is_some())
        .min_by_key(|(around, _)| around.len())?;
    let mut deepest = JsonPath::root()
        .key("components")
        .key("schemas")
        .key(name.clone());
    let mut nodes = Vec::new();
    subschemas(&schemas[name], &deepest, &mut nodes);
    for (node_at, node, required) in nodes {
        let mut refs = BTreeSet::new();
        references(node, &mut refs);
        let around = closure(schemas, refs.iter().map(String::as_str));
        // A node that needs the failing schema would fail for it.
        if !around.contains(name)
            && node_at.segments().count() > deepest.segments().count()
            && fails(&document(json, &around, Some((node, required)))).is_some()
        {
            deepest = node_at;
        }
    }
    Some(deepest)
}

/// A document of one path item (`item`, one operation in it) and the
/// components it refers to, transitively.
fn operation_document(json: &Value, path: &str, item: Map<String, Value>) -> Value {
    let mut components = Map::new();
    let mut todo: Vec<String> = Vec::new();
    pointers(&Value::Object(item.clone()), &mut todo);
    let mut seen = BTreeSet::new();
    while let Some(pointer) = todo.pop() {
        if !seen.insert(pointer.clone()) {
            continue;
        }
        let Some(node) = json.pointer(&pointer) else {
            continue;
        };
        let mut parts = pointer.trim_start_matches('/').splitn(3, '/');
        let (Some("components"), Some(section), Some(name)) =
            (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        if name.contains('/') {
            continue;
        }
        let section = components
            .entry(section.to_string())
            .or_insert_with(|| json!({}));
        section[name] = node.clone();
        pointers(node, &mut todo);
    }
    json!({
        "openapi": json.get("openapi").cloned().unwrap_or(json!("3.0.3")),
        "info": json.get("info").cloned().unwrap_or(json!({"title": "", "version": ""})),
        "paths": {path: item},
        "components": components,
    })
}

/// The local JSON pointers `node`'s `$ref`s name.
fn pointers(node: &Value, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(pointer) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                found.push(pointer.to_string());
            }
            map.values().for_each(|v| pointers(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| pointers(v, found)),
        _ => {}
    }
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
    let mut all = Vec::new();
    pointers(node, &mut all);
    found.extend(
        all.iter()
            .filter_map(|p| p.strip_prefix("/components/schemas/"))
            .map(|name| name.replace("~1", "/").replace("~0", "~")),
    );
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
