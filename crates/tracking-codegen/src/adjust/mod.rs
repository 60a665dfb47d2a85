//! Changes made to a document before progenitor reads it, each where
//! progenitor would otherwise panic or write code that does not compile, and
//! each reported as a [`Finding`] so that nothing changes silently. The
//! project's own specs need none of them (`cargo xtask check` says so); they
//! are for documents nobody here wrote.
//!
//! In order:
//! 1. [`text`]: line breaks in descriptions as `\n` (a bare `\r` in a doc
//!    comment does not compile);
//! 2. [`operation_ids`]: an operationId for every operation (progenitor
//!    names the method after it);
//! 3. [`path_parameters`]: path parameters the template lacks dropped
//!    (progenitor panics on them);
//! 4. [`vendor_json`]: `+json` media types given as JSON, their exact type
//!    kept for the wire;
//! 5. [`media`]: one request media type per operation, and JSON bodies that
//!    progenitor can type (a schema, no `encoding`);
//! 6. [`responses`]: one body type per class of responses;
//! 7. [`names`]: properties and parameters whose Rust names collide get
//!    distinct ones (their wire names are put back by the `wire_names` pass);
//! 8. [`type_names`]: schemas whose Rust type names collide get distinct
//!    ones (typify would write both, or merge them);
//! 9. [`enum_values`]: string enums whose values are one Rust name are
//!    plain strings (typify panics on them).

pub mod enum_values;
pub mod media;
pub mod names;
pub mod operation_ids;
pub mod path_parameters;
pub mod responses;
pub mod text;
pub mod type_names;
pub mod vendor_json;

use serde_json::Value;
pub use tracking_spec::Finding;
use tracking_spec::{JsonPath, METHODS};

/// What the adjustments did to a document.
#[derive(Debug, Default)]
pub struct Adjusted {
    /// Every change, for the maintainer.
    pub notes: Vec<Finding>,
    /// Properties and parameters renamed for Rust: the name given, and the
    /// wire name the `wire_names` pass puts back.
    pub renamed: Vec<(String, String)>,
    /// Every parameter renamed (path parameters too, whose names are not on
    /// the wire): the name given, and the document's, by which the JSON
    /// call still takes it.
    pub parameters: Vec<(String, String)>,
    /// Whether it made the change a spec asked for (`x-success-as-bytes`),
    /// the one change that leaves no note.
    pub asked: bool,
}

/// Adjusts `json` in place.
pub fn adjust(json: &mut Value) -> Adjusted {
    let mut adjusted = Adjusted::default();
    text::normalise_line_breaks(json, &JsonPath::root(), &mut adjusted.notes);
    operation_ids::fill_in(json, &mut adjusted.notes);
    path_parameters::drop_absent(json, &mut adjusted.notes);
    vendor_json::as_json(json, &mut adjusted.notes);
    media::settle_request_bodies(json, &mut adjusted.notes);
    media::settle_json_responses(json, &mut adjusted.notes);
    adjusted.asked = responses::settle_classes(json, &mut adjusted.notes);
    names::separate_colliding_names(json, &mut adjusted);
    type_names::separate_colliding_types(json, &mut adjusted.notes);
    enum_values::plain_strings(json, &mut adjusted.notes);
    adjusted
}

/// Every operation of `json` (path items given inline), with its path and
/// method, mutably.
pub(crate) fn operations_mut(
    json: &mut Value,
) -> impl Iterator<
    Item = (
        JsonPath,
        String,
        String,
        &mut serde_json::Map<String, Value>,
    ),
> {
    json.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .flat_map(|(path, item)| {
            let path = path.clone();
            item.as_object_mut()
                .into_iter()
                .flat_map(|item| item.iter_mut())
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .filter_map(move |(method, op)| {
                    let at = JsonPath::root()
                        .key("paths")
                        .key(path.clone())
                        .key(method.clone());
                    Some((at, path.clone(), method.clone(), op.as_object_mut()?))
                })
        })
}
