//! Loading a spec: YAML text → JSON value (checked for what must hold before
//! typing it) → `openapiv3::OpenAPI`. Every failure names the file and the node.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{JsonPath, SpecError};
use crate::{Finding, Format};

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

/// A document as a platform published it (Swagger 2.0, OpenAPI 3.0 or
/// 3.1), made OpenAPI 3.0 ([`crate::convert`]).
#[derive(Debug, Clone)]
pub struct Document {
    /// The document as OpenAPI 3.0.
    pub spec: Spec,
    /// The format it was published in.
    pub format: Format,
    /// What the conversion lost or guessed, node by node (none for 3.0).
    pub notes: Vec<Finding>,
}

/// Reads the document at `file`, in any format [`crate::convert`] reads.
/// A project spec is read with [`load`] instead, which takes 3.0 only.
pub fn load_document(file: &Path) -> Result<Document, SpecError> {
    let text = std::fs::read_to_string(file).map_err(|source| SpecError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    parse_document(file, &text)
}

/// Parses document text in any format [`crate::convert`] reads.
pub fn parse_document(file: &Path, text: &str) -> Result<Document, SpecError> {
    let json = parse_tree(file, text)?;
    let (format, json, mut notes) = crate::convert::to_openapi_30(json)
        .map_err(|(at, message)| SpecError::invalid(file, at, message))?;
    Ok(Document {
        spec: typed_with(file, json, Some(&mut notes))?,
        format,
        notes,
    })
}

/// Parses spec text; `file` names it in error messages, and a `.json` file
/// is read as JSON (every JSON escape, surrogate pairs included), any other
/// as YAML. The project's specs are OpenAPI 3.0, and nothing else is taken.
pub fn parse(file: &Path, text: &str) -> Result<Spec, SpecError> {
    let json = parse_tree(file, text)?;
    check_version(file, &json)?;
    typed(file, json)
}

/// Text as a JSON tree, not yet checked as OpenAPI (for readers of
/// documents too large or loose to type, such as `xtask upstream`).
pub fn parse_tree(file: &Path, text: &str) -> Result<Value, SpecError> {
    Ok(if is_json_file(file) {
        serde_json::from_str(text).map_err(|e| SpecError::Syntax {
            file: file.to_path_buf(),
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?
    } else {
        let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            SpecError::Syntax {
                file: file.to_path_buf(),
                format: "YAML",
                line,
                column,
                message: e.to_string(),
            }
        })?;
        to_json(file, &JsonPath::root(), yaml)?
    })
}

/// An OpenAPI 3.0 tree whose `$ref`s resolve, typed.
fn typed(file: &Path, json: Value) -> Result<Spec, SpecError> {
    typed_with(file, json, None)
}

/// [`typed`], and for a published document (`nulls`: its notes) a `null`
/// where a map or list belongs read as empty ([`crate::convert::nulls`]).
fn typed_with(
    file: &Path,
    mut json: Value,
    mut nulls: Option<&mut Vec<Finding>>,
) -> Result<Spec, SpecError> {
    check_refs(file, &json, &json, &JsonPath::root())?;
    loop {
        let error = match serde_path_to_error::deserialize(&json) {
            Ok(openapi) => return Ok(Spec { json, openapi }),
            Err(e) => e,
        };
        let mut path = JsonPath::root();
        for segment in error.path().iter() {
            path = match segment {
                serde_path_to_error::Segment::Seq { index } => path.index(*index),
                serde_path_to_error::Segment::Map { key } => path.key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => path.key(variant.clone()),
                serde_path_to_error::Segment::Unknown => path,
            };
        }
        let message = error.inner().to_string();
        // Each turn makes one `null` of the document not null: it ends.
        if let Some(notes) = nulls.as_deref_mut()
            && let Some(note) = crate::convert::nulls::settle(&mut json, &path, &message)
        {
            notes.push(note);
            continue;
        }
        return Err(SpecError::invalid(
            file,
            path,
            format!("not a valid OpenAPI 3.0 node: {message}"),
        ));
    }
}

/// Whether `file` is read as JSON: its extension is `.json` (any case).
pub fn is_json_file(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The extensions a spec file may have: `.yaml`, `.yml` and `.json`.
pub const SPEC_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

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
            // In a schema's `properties`, `$ref` is a property's name
            // (GitHub's SCIM schemas have one).
            let names = at.key_from_end(0) == Some("properties");
            if let Some(reference) = map.get("$ref").filter(|_| !names) {
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
                if !crate::is_data(at, key, value) {
                    check_refs(file, root, value, &at.key(key.clone()))?;
                }
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

/// The spec named `name` in `dir`: `<name>.yaml`, `<name>.yml` or
/// `<name>.json`. Exactly one of them must exist: two would be two sources
/// of truth for one client.
pub fn find_spec(dir: &Path, name: &str) -> Result<std::path::PathBuf, String> {
    let found: Vec<_> = SPEC_EXTENSIONS
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .filter(|path| path.is_file())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "no spec `{name}` in {}: looked for {name}.yaml, {name}.yml and {name}.json",
            dir.display()
        )),
        several => Err(format!(
            "spec `{name}` is in {} files, {}: keep one",
            several.len(),
            several
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// Every spec in `dir`, sorted by name: one per name (see [`find_spec`]).
pub fn specs_in(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| SPEC_EXTENSIONS.iter().any(|x| e == *x))
        })
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names.dedup();
    names.iter().map(|name| find_spec(dir, name)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_read_as_json_with_every_escape() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "\ud83d\udcd8 Book", "version": "1"}, "paths": {}}"#;
        let spec = parse(Path::new("book.json"), text).unwrap();
        assert_eq!(spec.openapi.info.title, "\u{1f4d8} Book");
        // The same text as YAML is refused: YAML has no surrogate pairs.
        let error = parse(Path::new("book.yaml"), text).unwrap_err().to_string();
        assert!(error.contains("not valid YAML"), "{error}");
        let error = parse(Path::new("book.json"), "{\"openapi\": ")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("book.json:1:12: not valid JSON"),
            "{error}"
        );
    }

    #[test]
    fn a_published_document_s_null_maps_and_lists_are_read_as_empty_and_a_spec_s_refused() {
        let text = r#"{"openapi": "3.0.1", "info": {"title": "Orders", "version": "2"},
            "paths": {"/orders": {"get": {"tags": null, "responses": {"200": {"description": "ok"}}}}},
            "components": {"requestBodies": null}}"#;
        let document = parse_document(Path::new("orders.json"), text).unwrap();
        let notes: Vec<String> = document.notes.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            notes,
            [
                "at $.components.requestBodies: `null` where a map belongs: read as empty [null-as-empty]",
                "at $.paths['/orders'].get.tags: `null` where a list belongs: read as empty [null-as-empty]",
            ]
        );
        assert!(
            document
                .spec
                .openapi
                .components
                .unwrap()
                .request_bodies
                .is_empty()
        );
        // Our own specs are written here: a null is a mistake to fix.
        let error = parse(Path::new("orders.json"), text)
            .unwrap_err()
            .to_string();
        assert!(error.contains("invalid type: null"), "{error}");
    }

    #[test]
    fn a_ref_inside_an_example_is_data() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {
                "examples": {"group": {"value": {"members": [{"$ref": "https://api.github.com/scim/v2/Users/1"}]}}},
                "schemas": {"Group": {"type": "object", "example": {"$ref": "elsewhere"}, "x-a": {"$ref": "x"},
                    "properties": {"$ref": {"type": "string"}}}}
            }}"##;
        parse(Path::new("github.json"), text).unwrap();
        // A reference that is one still has to resolve.
        let broken = text.replace(r#""x-a""#, r##""not": {"$ref": "#/nowhere"}, "x-b""##);
        let error = parse(Path::new("github.json"), &broken)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("$.components.schemas.Group.not['$ref']"),
            "{error}"
        );
    }

    #[test]
    fn a_default_response_s_ref_is_checked() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"default": {"$ref": "#/components/responses/Missing"}}}}}}"##;
        let error = parse(Path::new("a.json"), text).unwrap_err().to_string();
        assert!(error.contains("does not resolve"), "{error}");
    }

    #[test]
    fn a_spec_is_found_by_name_once() {
        let dir = std::env::temp_dir().join(format!("find-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(
            find_spec(&dir, "acme")
                .unwrap_err()
                .contains("no spec `acme`")
        );
        std::fs::write(dir.join("acme.json"), "{}").unwrap();
        assert_eq!(find_spec(&dir, "acme").unwrap(), dir.join("acme.json"));
        std::fs::write(dir.join("acme.yaml"), "{}").unwrap();
        let error = find_spec(&dir, "acme").unwrap_err();
        assert!(error.contains("is in 2 files"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
