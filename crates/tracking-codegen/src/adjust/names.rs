//! Names that would be one Rust name twice, which does not compile:
//! - properties of one schema (`Message` and `message`, `Tid` and `tid` in
//!   VTEX's Orders API) would be two fields of one name;
//! - a parameter named like a method progenitor's builder has (`send`,
//!   `new`, `body` and `body_map` beside a request body, `stream` on a
//!   paginated operation), or two parameters of one Rust name, would be two
//!   builder methods of one name.
//!
//! The one already named as its Rust name keeps it; each other one is
//! renamed in the document to `<name>-<n>`, a name found nowhere else in it,
//! so that its Rust name is `<name>_<n>`. The `wire_names` pass then puts
//! the wire name back where progenitor writes it (`#[serde(rename = …)]`,
//! the query or header name), so requests and responses still carry
//! `Message` or `send`. A path parameter's name is not on the wire: only
//! its template changes.

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

/// Renames colliding properties and parameters everywhere in `json`.
pub fn separate_colliding_names(json: &mut Value, adjusted: &mut Adjusted) {
    let mut strings = BTreeSet::new();
    collect_strings(json, &mut strings);
    walk(json, &JsonPath::root(), &mut strings, adjusted);
    parameters(json, &mut strings, adjusted);
}

/// A name for `name` found nowhere in the document, whose Rust name is in
/// none of `taken`; recorded in `strings` and `taken`.
fn unique(name: &str, strings: &mut BTreeSet<String>, taken: &mut BTreeSet<String>) -> String {
    let mut n = 2;
    loop {
        let candidate = format!("{name}-{n}");
        if !strings.contains(&candidate) && !taken.contains(&field_name(&candidate)) {
            strings.insert(candidate.clone());
            taken.insert(field_name(&candidate));
            return candidate;
        }
        n += 1;
    }
}

/// Renames the parameters whose builder methods would collide.
fn parameters(json: &mut Value, strings: &mut BTreeSet<String>, adjusted: &mut Adjusted) {
    // Each list with its `$ref`s followed, read before anything changes (not
    // a copy of the whole document: a large one is thousands of lists).
    let mut inlined = inlined_parameter_lists(json);
    let Some(paths) = json.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut moved_paths = Vec::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let at_item = JsonPath::root().key("paths").key(path.clone());
        // The path item's parameters: inline copies, so that a rename stays here.
        let mut shared = inlined
            .remove(&(path.clone(), "parameters"))
            .unwrap_or_default();
        let mut template = path.clone();
        for method in tracking_spec::METHODS {
            let Some(op) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                continue;
            };
            let mut taken: BTreeSet<String> = ["send", "new"].map(String::from).into();
            if op.contains_key("requestBody") {
                taken.extend(["body", "body_map"].map(String::from));
            }
            if op.contains_key("x-dropshot-pagination") {
                taken.insert("stream".into());
            }
            let mut own = inlined.remove(&(path.clone(), *method)).unwrap_or_default();
            let at = at_item.key(*method).key("parameters");
            // An operation's parameter overrides the path item's of the same
            // name and place: one parameter, not two.
            let key = |p: &Value| {
                (
                    p.get("name").map(|v| v.to_string()),
                    p.get("in").map(|v| v.to_string()),
                )
            };
            let overridden: BTreeSet<_> = own.iter().map(key).collect();
            let lists = [
                (&mut shared, at_item.key("parameters"), true),
                (&mut own, at, false),
            ];
            for (list, at, is_shared) in lists {
                for (i, param) in list.iter_mut().enumerate() {
                    if is_shared && overridden.contains(&key(param)) {
                        continue;
                    }
                    let Some(name) = param
                        .get("name")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                    else {
                        continue;
                    };
                    let rust = field_name(&name);
                    if !taken.contains(&rust) {
                        taken.insert(rust);
                        continue;
                    }
                    let renamed = unique(&name, strings, &mut taken);
                    let location = param
                        .get("in")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    param["name"] = Value::String(renamed.clone());
                    adjusted.parameters.push((renamed.clone(), name.clone()));
                    if location == "path" {
                        template =
                            template.replace(&format!("{{{name}}}"), &format!("{{{renamed}}}"));
                    } else {
                        adjusted.renamed.push((renamed.clone(), name.clone()));
                    }
                    adjusted.notes.push(Finding::new(
                        "colliding-parameters",
                        at.index(i),
                        format!(
                            "{location} parameter `{name}` would be a second builder method `{}`: its method is `{}` (on the wire it stays `{name}`)",
                            field_name(&name),
                            field_name(&renamed)
                        ),
                    ));
                }
            }
            if !own.is_empty() {
                op.insert("parameters".into(), Value::Array(own));
            }
        }
        if !shared.is_empty() {
            item.insert("parameters".into(), Value::Array(shared));
        }
        if template != *path {
            moved_paths.push((path.clone(), template));
        }
    }
    for (from, to) in moved_paths {
        if let Some(item) = paths.remove(&from) {
            paths.insert(to, item);
        }
    }
}

/// Every parameter list of `json` by (path, `parameters` for the path
/// item's or the operation's method), each `$ref` replaced by the parameter
/// it names.
fn inlined_parameter_lists(json: &Value) -> BTreeMap<(String, &'static str), Vec<Value>> {
    let inline = |list: Option<&Value>| -> Vec<Value> {
        list.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| tracking_spec::follow_ref(json, p).clone())
            .collect()
    };
    let mut lists = BTreeMap::new();
    let paths = json.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        lists.insert((path.clone(), "parameters"), inline(item.get("parameters")));
        for method in tracking_spec::METHODS {
            if let Some(op) = item.get(*method) {
                lists.insert((path.clone(), *method), inline(op.get("parameters")));
            }
        }
    }
    lists
}

/// The strings of `node` (keys and values) that [`unique`] could make up,
/// `<name>-<n>`: only those can make a made-up name not unique, and a large
/// document has hundreds of thousands of others.
fn collect_strings(node: &Value, strings: &mut BTreeSet<String>) {
    let made_up_like = |s: &str| {
        s.rsplit_once('-')
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    match node {
        Value::String(s) if made_up_like(s) => {
            strings.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, strings)),
        Value::Object(map) => {
            for (key, value) in map {
                if made_up_like(key) {
                    strings.insert(key.clone());
                }
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
            // Only objects can hold properties: a leaf needs no path.
            for (key, value) in map.iter_mut().filter(|(_, v)| is_container(v)) {
                walk(value, &at.key(key.clone()), strings, adjusted);
            }
        }
        Value::Array(items) => {
            for (i, value) in items
                .iter_mut()
                .enumerate()
                .filter(|(_, v)| is_container(v))
            {
                walk(value, &at.index(i), strings, adjusted);
            }
        }
        _ => {}
    }
}

fn is_container(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Array(_))
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
            let renamed = unique(name, strings, &mut fields);
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
        separate_colliding_names(&mut doc, &mut adjusted);
        let schema = &doc["components"]["schemas"]["Tx"];
        let names: BTreeSet<_> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        // `message` keeps its name; `Message` becomes `Message-2`. Neither
        // `TID` nor `Tid` is its field's name, so the first keeps it, and
        // the other skips `Tid-2`, whose field `tid_2` `Tid_2` has.
        assert!(
            names.contains("message") && names.contains("Message-2"),
            "{names:?}"
        );
        assert!(
            names.contains("TID") && names.contains("Tid_2") && names.contains("Tid-3"),
            "{names:?}"
        );
        assert_eq!(schema["required"], json!(["Message-2"]));
        let fields: BTreeSet<_> = names.iter().map(|n| field_name(n)).collect();
        assert_eq!(fields.len(), names.len(), "{fields:?}");
        assert!(
            adjusted
                .renamed
                .contains(&("Message-2".into(), "Message".into()))
        );
        assert_eq!(adjusted.notes.len(), 2);
    }

    #[test]
    fn parameters_named_like_builder_methods_are_renamed_off_the_wire() {
        let mut doc = json!({"paths": {"/things/{send}": {
            "parameters": [{"name": "send", "in": "path", "required": true}],
            "put": {
                "requestBody": {},
                "parameters": [{"name": "body", "in": "query"}, {"$ref": "#/components/parameters/New"}],
            },
            "get": {"parameters": [{"name": "orderId", "in": "query"}, {"name": "order_id", "in": "header"}]},
        }}, "components": {"parameters": {"New": {"name": "new", "in": "header"}}}});
        let mut adjusted = Adjusted::default();
        separate_colliding_names(&mut doc, &mut adjusted);
        let item = &doc["paths"]["/things/{send-2}"];
        assert_eq!(item["parameters"][0]["name"], "send-2");
        assert_eq!(item["put"]["parameters"][0]["name"], "body-2");
        assert_eq!(item["put"]["parameters"][1]["name"], "new-2");
        assert_eq!(item["get"]["parameters"][1]["name"], "order_id-2");
        // The path parameter's name is not on the wire; the others are put back.
        let restored: Vec<_> = adjusted
            .renamed
            .iter()
            .map(|(_, wire)| wire.as_str())
            .collect();
        assert_eq!(restored, ["order_id", "body", "new"]);
        assert_eq!(adjusted.notes.len(), 4, "{:?}", adjusted.notes);
    }

    #[test]
    fn an_operations_parameter_overrides_its_path_items_of_the_same_name() {
        // progenitor's param-overrides.
        let mut doc = json!({"paths": {"/key": {
            "parameters": [{"name": "key", "in": "query"}],
            "get": {"parameters": [{"name": "key", "in": "query", "required": true}]},
        }}});
        let mut adjusted = Adjusted::default();
        separate_colliding_names(&mut doc, &mut adjusted);
        assert!(adjusted.notes.is_empty(), "{:?}", adjusted.notes);
    }

    #[test]
    fn field_names_are_typifys() {
        assert_eq!(field_name("orderId"), "order_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("1st"), "x1st");
        assert_eq!(field_name("e-mail"), "e_mail");
    }
}
