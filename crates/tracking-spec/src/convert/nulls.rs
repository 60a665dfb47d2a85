//! A `null` where a map or a list belongs (an older published copy of
//! BigCommerce's Orders V2 has `components.requestBodies: null`): read as
//! empty, noted. Found where typing the document fails on it, so that any
//! place of the document is covered and a valid one costs nothing.

use serde_json::{Map, Value};

use crate::{Finding, JsonPath};

/// Makes the node at `at` empty if it is a `null` that typing refused
/// (`message`) as a map or a list; the note, or `None` when it is not one.
pub fn settle(json: &mut Value, at: &JsonPath, message: &str) -> Option<Finding> {
    if !message.starts_with("invalid type: null") {
        return None;
    }
    let (empty, what) = if message.contains("expected a sequence") {
        (Value::Array(Vec::new()), "a list")
    } else if message.contains("expected a map") || message.contains("expected struct") {
        (Value::Object(Map::new()), "a map")
    } else {
        return None;
    };
    let mut node = json;
    for segment in at.segments() {
        node = match node {
            Value::Object(map) => map.get_mut(&segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    // Where `openapiv3` flattens (paths, responses), the error names the
    // container only: the null is the first one in it outside data.
    let (node, at) = first_null(node, at.clone())?;
    *node = empty;
    Some(Finding::new(
        "null-as-empty",
        at,
        format!("`null` where {what} belongs: read as empty"),
    ))
}

/// The first `null` in `node` (itself included) that is not data
/// ([`crate::is_data`]).
fn first_null(node: &mut Value, at: JsonPath) -> Option<(&mut Value, JsonPath)> {
    match node {
        Value::Null => Some((node, at)),
        Value::Object(map) => map
            .iter_mut()
            .filter(|(key, value)| !crate::is_data(&at, key, value))
            .find_map(|(key, value)| first_null(value, at.key(key.clone()))),
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .find_map(|(i, value)| first_null(value, at.index(i))),
        _ => None,
    }
}
