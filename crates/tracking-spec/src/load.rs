//! Loading a spec: YAML text → JSON value (checked for what must hold before
//! typing it) → `openapiv3::OpenAPI`. Every failure names the file and the node.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{JsonPath, SpecError};

/// A spec as loaded: the raw JSON tree (for locations and JSON Schema work) and
/// the typed document (for generation).
#[derive(Debug, Clone)]
pub struct Spec {
    /// The document as plain JSON, `$ref`s unresolved.
    pub json: Value,
    /// The same document, typed.
    pub openapi: openapiv3::OpenAPI,
}

/// Reads and parses the spec at `file`.
pub fn load(file: &Path) -> Result<Spec, SpecError> {
    let text = std::fs::read_to_string(file).map_err(|source| SpecError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    parse(file, &text)
}

/// Parses spec text; `file` is only used in error messages.
pub fn parse(file: &Path, text: &str) -> Result<Spec, SpecError> {
    let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        SpecError::Syntax {
            file: file.to_path_buf(),
            line,
            column,
            message: e.to_string(),
        }
    })?;
    let json = to_json(file, &JsonPath::root(), yaml)?;
    check_version(file, &json)?;
    check_refs(file, &json, &json, &JsonPath::root())?;
    let openapi = serde_path_to_error::deserialize(json.clone()).map_err(|e| {
        let mut path = JsonPath::root();
        for segment in e.path().iter() {
            path = match segment {
                serde_path_to_error::Segment::Seq { index } => path.index(*index),
                serde_path_to_error::Segment::Map { key } => path.key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => path.key(variant.clone()),
                serde_path_to_error::Segment::Unknown => path,
            };
        }
        SpecError::invalid(
            file,
            path,
            format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
        )
    })?;
    Ok(Spec { json, openapi })
}

/// YAML allows keys that JSON does not (`200:` is an integer key); OpenAPI
/// means them as strings, so scalars become string keys here.
fn to_json(file: &Path, at: &JsonPath, yaml: yaml_serde::Value) -> Result<Value, SpecError> {
    use yaml_serde::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            let number = if let Some(i) = n.as_i64() {
                Some(i.into())
            } else if let Some(u) = n.as_u64() {
                Some(u.into())
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64)
            };
            Value::Number(number.ok_or_else(|| {
                SpecError::invalid(file, at.clone(), format!("{n} is not a JSON number"))
            })?)
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| to_json(file, &at.index(i), v))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut map = Map::new();
            for (k, v) in mapping {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(SpecError::invalid(
                            file,
                            at.clone(),
                            format!("mapping key {other:?} is not a string"),
                        ));
                    }
                };
                let value = to_json(file, &at.key(key.clone()), v)?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => {
            return Err(SpecError::invalid(
                file,
                at.clone(),
                format!("YAML tag {} has no meaning in OpenAPI", tagged.tag),
            ));
        }
    })
}

fn check_version(file: &Path, json: &Value) -> Result<(), SpecError> {
    let at = JsonPath::root().key("openapi");
    match json.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => Ok(()),
        Some(v) => Err(SpecError::invalid(
            file,
            at,
            format!(
                "OpenAPI {v} is not supported: progenitor 0.15 reads OpenAPI 3.0.x only; write the spec as 3.0.3"
            ),
        )),
        None => Err(SpecError::invalid(
            file,
            at,
            "missing `openapi: 3.0.3` (is this an OpenAPI 3.0 document?)",
        )),
    }
}

/// Every `$ref` must be local and point at an existing node: progenitor would
/// otherwise panic deep inside type generation.
fn check_refs(file: &Path, root: &Value, node: &Value, at: &JsonPath) -> Result<(), SpecError> {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let at = at.key("$ref");
                let Some(reference) = reference.as_str() else {
                    return Err(SpecError::invalid(file, at, "`$ref` must be a string"));
                };
                let Some(pointer) = reference.strip_prefix('#') else {
                    return Err(SpecError::invalid(
                        file,
                        at,
                        format!(
                            "`$ref: {reference}` points outside this file; only local references (#/...) are supported"
                        ),
                    ));
                };
                if root.pointer(pointer).is_none() {
                    return Err(SpecError::invalid(
                        file,
                        at,
                        format!(
                            "`$ref: {reference}` does not resolve: there is no node at {}",
                            JsonPath::from_pointer(pointer)
                        ),
                    ));
                }
            }
            for (key, value) in map {
                check_refs(file, root, value, &at.key(key.clone()))?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_refs(file, root, v, &at.index(i))),
        _ => Ok(()),
    }
}
