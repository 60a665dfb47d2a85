//! A request's path and query as the spec's parameters: matched against a
//! path template, percent-decoded, typed as their schemas expect.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::checker::Checker;

/// Matches a path against a template, returning the decoded parameters.
pub(crate) fn match_template(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    if t.len() != p.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (t, p) in t.iter().zip(&p) {
        match t.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            Some(name) => {
                if p.is_empty() {
                    return None;
                }
                params.insert(name.to_string(), percent_decode(p)?);
            }
            None if t == p => {}
            None => return None,
        }
    }
    Some(params)
}

pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub(crate) fn parse_query(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((
                percent_decode(&k.replace('+', " "))?,
                percent_decode(&v.replace('+', " "))?,
            ))
        })
        .collect()
}

/// A parameter's text as the JSON value its schema expects (`"18227"` → `18227`
/// for an integer), so that the schema can judge it.
pub(crate) fn typed(text: &str, schema: &Checker) -> Value {
    let as_number = serde_json::from_str::<Value>(text)
        .ok()
        .filter(|v| v.is_number() || v.is_boolean());
    match as_number {
        Some(value) if !schema.validator.is_valid(&Value::String(text.to_string())) => value,
        _ => Value::String(text.to_string()),
    }
}
