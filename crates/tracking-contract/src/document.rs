//! Checks of the document as a whole: unused components, duplicate
//! operationIds, unresolved references.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;
use tracking_spec::JsonPath;

/// A problem found in a spec, at a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule broken: `unused-component`, `duplicate-operation-id`,
    /// `unresolved-ref` or `example-valid`.
    pub rule: &'static str,
    /// Where in the spec.
    pub path: JsonPath,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
    }
}

const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
];

/// Unused components, duplicate operationIds and unresolved `$ref`s.
pub fn check_document(spec: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();

    // Duplicate operationIds: every use after the first.
    let mut first: BTreeMap<&str, JsonPath> = BTreeMap::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let at = JsonPath::root()
                .key("paths")
                .key(path.clone())
                .key(method.clone())
                .key("operationId");
            match first.get(id) {
                Some(earlier) => findings.push(Finding {
                    rule: "duplicate-operation-id",
                    path: at,
                    message: format!("operationId `{id}` is already used at {earlier}"),
                }),
                None => {
                    first.insert(id, at);
                }
            }
        }
    }

    // References: unresolved ones, and which components are reached from
    // outside `components` (directly or through other components).
    let mut refs = Vec::new();
    collect_refs(spec, &JsonPath::root(), &mut refs);
    for (at, reference) in &refs {
        let resolves = reference
            .strip_prefix('#')
            .is_some_and(|p| spec.pointer(p).is_some());
        if !resolves {
            findings.push(Finding {
                rule: "unresolved-ref",
                path: at.clone(),
                message: format!("`$ref: {reference}` does not resolve"),
            });
        }
    }
    let component_of = |reference: &str| -> Option<(String, String)> {
        let rest = reference.strip_prefix("#/components/")?;
        let mut parts = rest.splitn(3, '/');
        Some((
            parts.next()?.to_string(),
            parts.next()?.replace("~1", "/").replace("~0", "~"),
        ))
    };
    let mut used = BTreeSet::new();
    let mut pending: Vec<(String, String)> = refs
        .iter()
        .filter(|(at, _)| at.segments().next().as_deref() != Some("components"))
        .filter_map(|(_, r)| component_of(r))
        .collect();
    while let Some(component) = pending.pop() {
        if !used.insert(component.clone()) {
            continue;
        }
        let at = JsonPath::root()
            .key("components")
            .key(component.0.clone())
            .key(component.1.clone());
        if let Some(node) = spec
            .get("components")
            .and_then(|c| c.get(&component.0))
            .and_then(|s| s.get(&component.1))
        {
            let mut inner = Vec::new();
            collect_refs(node, &at, &mut inner);
            pending.extend(inner.iter().filter_map(|(_, r)| component_of(r)));
        }
    }
    for section in SECTIONS {
        for name in spec
            .pointer(&format!("/components/{section}"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(n, _)| n)
        {
            if !used.contains(&(section.to_string(), name.clone())) {
                findings.push(Finding {
                    rule: "unused-component",
                    path: JsonPath::root()
                        .key("components")
                        .key(*section)
                        .key(name.clone()),
                    message: format!("component `{name}` is never used"),
                });
            }
        }
    }
    findings
}

fn collect_refs(node: &Value, at: &JsonPath, out: &mut Vec<(JsonPath, String)>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push((at.key("$ref"), r.clone()));
            }
            for (key, value) in map {
                // Examples are data, not structure.
                if key != "example" && key != "examples" || !value.is_object() && !value.is_array()
                {
                    collect_refs(value, &at.key(key.clone()), out);
                } else if key == "examples" {
                    for (name, example) in value.as_object().into_iter().flatten() {
                        if let Some(Value::String(r)) = example.get("$ref") {
                            out.push((at.key("examples").key(name.clone()).key("$ref"), r.clone()));
                        }
                    }
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| collect_refs(v, &at.index(i), out)),
        _ => {}
    }
}
