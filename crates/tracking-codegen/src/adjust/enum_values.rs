//! String enums whose values are one Rust name. typify makes a variant of
//! each value (`add` and `Add` are both `Add`; `reactions-+1` and
//! `reactions--1` both `Reactions1`, even with its second try) and panics
//! when two are one (GitHub's SCIM and search operations). Such a schema
//! loses its `enum` and is a plain string: the same values go on the wire,
//! unchecked by the type, with a note.

use std::collections::BTreeSet;

use heck::ToPascalCase;
use serde_json::Value;
use tracking_spec::JsonPath;

use super::Finding;

/// typify's `sanitize` of a variant name, in Pascal case.
fn variant(raw: &str) -> String {
    let out = match raw {
        "+1" => "plus1".to_pascal_case(),
        "-1" => "minus1".to_pascal_case(),
        _ => raw
            .replace('\'', "")
            .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
            .to_pascal_case(),
    };
    match out.chars().next() {
        None => "X".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("X{out}"),
    }
}

/// Whether typify finds distinct variant names for `values` (on its first
/// try, or on its second, with the elided characters as `X`).
fn distinct(values: &[&str]) -> bool {
    let unique = |names: Vec<String>| names.iter().collect::<BTreeSet<_>>().len() == names.len();
    unique(values.iter().map(|v| variant(v)).collect())
        || unique(
            values
                .iter()
                .map(|v| variant(&v.replace(|c: char| c == '_' || !c.is_alphanumeric(), "X")))
                .collect(),
        )
}

/// Drops the `enum` of every string enum of `json` typify cannot name.
pub fn plain_strings(json: &mut Value, notes: &mut Vec<Finding>) {
    walk(json, &JsonPath::root(), notes);
}

fn walk(node: &mut Value, at: &JsonPath, notes: &mut Vec<Finding>) {
    match node {
        Value::Object(map) => {
            // A schema's `properties` map names, not keywords.
            let names = at.key_from_end(0) == Some("properties");
            if !names && let Some(Value::Array(values)) = map.get("enum") {
                // A `null` among them (a nullable enum) is no variant.
                let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                let others = values
                    .iter()
                    .filter(|v| !v.is_string() && !v.is_null())
                    .count();
                if others == 0 && !distinct(&strings) {
                    notes.push(Finding::new(
                        "enum-variant-names",
                        at.key("enum"),
                        format!(
                            "the values {} are one Rust name to typify: a plain string instead of an enum",
                            strings.join(", ")
                        ),
                    ));
                    map.remove("enum");
                }
            }
            for (key, value) in map.iter_mut() {
                if !tracking_spec::is_data(at, key, value) {
                    walk(value, &at.key(key.clone()), notes);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &at.index(i), notes);
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
    fn values_typify_cannot_name_apart_make_a_plain_string() {
        let mut doc = json!({"components": {"schemas": {
            "Op": {"type": "string", "enum": ["add", "Add", "remove"]},
            "Reaction": {"type": "string", "enum": ["reactions-+1", "reactions--1"]},
            "Sort": {"type": "string", "enum": ["created", "updated", "+1", "-1"]},
            "Case": {"type": "string", "enum": ["a-b", "aB"]},
            "Nullable": {"type": "string", "nullable": true, "enum": ["add", "Add", null]},
            "Patch": {"type": "object", "properties": {"default": {"type": "string", "enum": ["add", "Add"]}}}
        }}});
        let mut notes = Vec::new();
        plain_strings(&mut doc, &mut notes);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Op"], json!({"type": "string"}));
        assert_eq!(schemas["Reaction"], json!({"type": "string"}));
        // Distinct, or made distinct by typify's second try: kept.
        assert!(schemas["Sort"]["enum"].is_array());
        assert!(schemas["Case"]["enum"].is_array());
        let at: Vec<String> = notes.iter().map(|n| n.path.to_string()).collect();
        assert_eq!(
            at,
            [
                "$.components.schemas.Nullable.enum",
                "$.components.schemas.Op.enum",
                "$.components.schemas.Patch.properties.default.enum",
                "$.components.schemas.Reaction.enum"
            ]
        );
    }
}
