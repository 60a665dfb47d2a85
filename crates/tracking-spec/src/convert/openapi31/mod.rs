//! OpenAPI 3.1 to 3.0, where 3.0 can say the same; what it cannot is
//! dropped and noted node by node:
//!
//! - [`document`]: webhooks and other fields 3.0 lacks;
//! - [`booleans`]: `true` and `false` subschemas;
//! - [`refs`]: `$ref` with siblings;
//! - [`types`]: `type` lists (`[X, "null"]` is `nullable`);
//! - [`values`]: `const`, `examples` lists, numeric exclusive bounds;
//! - [`keywords`]: JSON Schema keywords 3.0 does not have.

mod booleans;
mod document;
mod keywords;
mod refs;
mod types;
mod values;

use serde_json::Value;

use crate::{Finding, JsonPath};

/// `doc` (an OpenAPI 3.1 document) as OpenAPI 3.0.
pub fn convert(mut doc: Value, notes: &mut Vec<Finding>) -> Value {
    let Value::Object(map) = &mut doc else {
        return doc;
    };
    document::rewrite(map, notes);
    super::schemas::each(&mut doc, &mut |at, schema| {
        booleans::rewrite(schema);
        refs::in_schema(at, schema);
        types::rewrite(at, schema, notes);
        values::rewrite(at, schema, notes);
        keywords::rewrite(at, schema, notes);
    });
    refs::elsewhere(&mut doc, &JsonPath::root(), notes);
    doc
}
