//! Swagger 2.0 to OpenAPI 3.0, as the OpenAPI Initiative's migration
//! describes it, one module per rule:
//!
//! - [`servers`]: `host`, `basePath` and `schemes`;
//! - [`media`]: `consumes` and `produces`;
//! - [`body`]: `body` and `formData` parameters as request bodies;
//! - [`parameters`]: the other parameters and headers, their types as schemas;
//! - [`collection`]: `collectionFormat` as a style;
//! - [`responses`]: bodies by media type, with their examples;
//! - [`components`]: `definitions`, `parameters`, `responses` and
//!   `securityDefinitions`, with their `$ref`s;
//! - [`security`]: each security definition as a security scheme;
//! - [`schema`]: `type: file`, `discriminator`, `x-nullable`;
//! - [`operations`]: paths and operations, which use the rules above.
//!
//! `x-` extensions are kept where they are.

mod body;
mod collection;
mod components;
mod media;
mod operations;
mod parameters;
mod responses;
mod schema;
mod security;
mod servers;

use serde_json::{Map, Value};

use crate::{Finding, JsonPath};

/// What a 2.0 document keeps as it is.
const KEPT: &[&str] = &["info", "tags", "externalDocs", "security"];
/// What the rules above take in.
const CONVERTED: &[&str] = &[
    "swagger",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
];

/// `doc` (a Swagger 2.0 document) as OpenAPI 3.0.
pub fn convert(doc: Value, notes: &mut Vec<Finding>) -> Value {
    let Value::Object(source) = doc else {
        return doc;
    };
    let mut out = Map::new();
    out.insert("openapi".into(), "3.0.3".into());
    for (key, value) in &source {
        if KEPT.contains(&key.as_str()) || key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        } else if !CONVERTED.contains(&key.as_str()) {
            notes.push(Finding::new(
                "swagger-document",
                JsonPath::root().key(key.clone()),
                "not a field of a Swagger 2.0 document: dropped",
            ));
        }
    }
    let servers = servers::servers(&source, source.get("schemes"), &JsonPath::root(), notes);
    out.insert("servers".into(), servers);
    out.insert("paths".into(), operations::paths(&source, notes));
    if let Some(components) = components::components(&source, notes) {
        out.insert("components".into(), components);
    }
    let mut doc = Value::Object(out);
    components::rewrite_refs(&mut doc);
    super::schemas::each(&mut doc, &mut |at, node| schema::schema(at, node));
    doc
}
