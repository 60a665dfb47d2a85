//! Properties of one schema whose Rust names collide (`Message` and
//! `message`, `Tid` and `tid` in VTEX's Orders API) would be two fields of
//! one name, which does not compile. The property whose name is already its
//! Rust name keeps it; each other one is renamed in the document to
//! `<name>_<n>`, a name found nowhere else in it, so that its field is
//! `<name>_<n>` in snake case. The `wire_names` pass then puts the wire name
//! back into the field's `#[serde(rename = …)]`, so requests and responses
//! still carry `Message`.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::Value;
use tracking_spec::JsonPath;

use super::{Adjusted, Finding};

/// Rust's keywords, which typify suffixes with `_`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// The field name typify gives a property (its `sanitize` in snake case).
pub fn field_name(property: &str) -> String {
    let cleaned: String = property
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut name = cleaned.to_snake_case();
    if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        name = format!("x{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Renames colliding properties everywhere in `json`.
pub fn separate_colliding_properties(json: &mut Value, adjusted: &mut Adjusted) {
    let mut strings = BTreeSet::new();
    collect_strings(json, &mut strings);
    walk(json, &JsonPath::root(), &mut strings, adjusted);
}

fn collect_strings(node: &Value, strings: &mut BTreeSet<String>) {
    match node {
        Value::String(s) => {
            strings.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, strings)),
        Value::Object(map) => {
            for (key, value) in map {
                strings.insert(key.clone());
                collect_strings(value, strings);
            }
        }
        _ => {}
    }
}

fn walk(node: &mut Value, at: &JsonPath, strings: &mut BTreeSet<String>, adjusted: &mut Adjusted) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                let renames = collisions(properties, strings);
                if !renames.is_empty() {
                    apply(map, &renames);
                    for (from, to) in &renames {
                        adjusted.notes.push(Finding::new(
                            "colliding-properties",
                            at.key("properties").key(from.clone()),
                            format!(
                                "`{from}` and another property are both the Rust field `{}`: its field is `{}` (on the wire it stays `{from}`)",
                                field_name(from),
                                field_name(to)
                            ),
                        ));
                        adjusted.renamed.push((to.clone(), from.clone()));
                    }
                }
            }
            for (key, value) in map.iter_mut() {
                walk(value, &at.key(key.clone()), strings, adjusted);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter_mut().enumerate() {
                walk(value, &at.index(i), strings, adjusted);
            }
        }
        _ => {}
    }
}

/// The properties to rename (name → new name) so that no two share a field.
fn collisions(
    properties: &serde_json::Map<String, Value>,
    strings: &mut BTreeSet<String>,
) -> BTreeMap<String, String> {
    let mut by_field: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for name in properties.keys() {
        by_field.entry(field_name(name)).or_default().push(name);
    }
    let mut fields: BTreeSet<String> = by_field.keys().cloned().collect();
    let mut renames = BTreeMap::new();
    for (field, mut names) in by_field.into_iter().filter(|(_, names)| names.len() > 1) {
        // The one already named as its field keeps it, else the first.
        let keeper = names.iter().position(|n| **n == field).unwrap_or(0);
        names.remove(keeper);
        for name in names {
            let mut n = 2;
            let renamed = loop {
                let candidate = format!("{name}_{n}");
                if !strings.contains(&candidate) && !fields.contains(&field_name(&candidate)) {
                    break candidate;
                }
                n += 1;
            };
            strings.insert(renamed.clone());
            fields.insert(field_name(&renamed));
            renames.insert(name.clone(), renamed);
        }
    }
    renames
}

/// Renames the properties in `schema` and in its `required`.
fn apply(schema: &mut serde_json::Map<String, Value>, renames: &BTreeMap<String, String>) {
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        let old = std::mem::take(properties);
        for (name, value) in old {
            let name = renames.get(&name).cloned().unwrap_or(name);
            properties.insert(name, value);
        }
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        for name in required.iter_mut() {
            if let Some(renamed) = name.as_str().and_then(|n| renames.get(n)) {
                *name = Value::String(renamed.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn colliding_properties_get_distinct_fields_and_keep_their_wire_names() {
        let mut doc = json!({"components": {"schemas": {"Tx": {
            "type": "object",
            "required": ["Message"],
            "properties": {
                "Message": {"type": "string"}, "message": {"type": "string"},
                "Tid": {"type": "string"}, "TID": {"type": "string"}, "Tid_2": {"type": "string"},
            }
        }}}});
        let mut adjusted = Adjusted::default();
        separate_colliding_properties(&mut doc, &mut adjusted);
        let schema = &doc["components"]["schemas"]["Tx"];
        let names: BTreeSet<_> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        // `message` keeps its name; `Message` becomes `Message_2`. Neither
        // `TID` nor `Tid` is its field's name, so the first keeps it, and
        // the other skips `Tid_2`, which the schema has.
        assert!(
            names.contains("message") && names.contains("Message_2"),
            "{names:?}"
        );
        assert!(
            names.contains("TID") && names.contains("Tid_2") && names.contains("Tid_3"),
            "{names:?}"
        );
        assert_eq!(schema["required"], json!(["Message_2"]));
        let fields: BTreeSet<_> = names.iter().map(|n| field_name(n)).collect();
        assert_eq!(fields.len(), names.len(), "{fields:?}");
        assert!(
            adjusted
                .renamed
                .contains(&("Message_2".into(), "Message".into()))
        );
        assert_eq!(adjusted.notes.len(), 2);
    }

    #[test]
    fn field_names_are_typifys() {
        assert_eq!(field_name("orderId"), "order_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("1st"), "x1st");
        assert_eq!(field_name("e-mail"), "e_mail");
    }
}
