//! Leaving out an operation, not the document. A document nobody here
//! wrote may have an operation progenitor cannot generate (a multipart
//! upload, a cookie parameter, a parameter style it would send wrongly):
//! that operation is removed, with a note naming it and why, and every
//! other one is generated. Our own specs are checked strictly instead
//! ([`Strictness::Strict`]): `lint` and `check` refuse them whole.

use serde_json::Value;
use tracking_spec::{JsonPath, METHODS};

use crate::adjust::Finding;

/// What the generator does with what progenitor cannot generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// Refuse the document, naming every such node (our specs, `--strict`).
    #[default]
    Strict,
    /// Leave out each operation that has one, with a note.
    LeaveOut,
}

/// A path, and the method of an operation of it (`None`: all of them).
type Place = (String, Option<String>);

/// Removes from `json` each operation a finding is in (or, for a finding of
/// a path item, each operation of the path), and returns a note per
/// operation left out. `Err` holds the findings that are in no operation,
/// which leaving operations out cannot settle.
pub fn leave_out(json: &mut Value, findings: &[Finding]) -> Result<Vec<Finding>, Vec<Finding>> {
    let mut reasons: Vec<(Place, Vec<&Finding>)> = Vec::new();
    let mut elsewhere = Vec::new();
    for finding in findings {
        let segments: Vec<String> = finding.path.segments().collect();
        let place = match segments.as_slice() {
            [paths, path, method, ..] if paths == "paths" && METHODS.contains(&method.as_str()) => {
                (path.clone(), Some(method.clone()))
            }
            [paths, path, ..] if paths == "paths" => (path.clone(), None),
            _ => {
                elsewhere.push(finding.clone());
                continue;
            }
        };
        match reasons.iter_mut().find(|(p, _)| *p == place) {
            Some((_, list)) => list.push(finding),
            None => reasons.push((place, vec![finding])),
        }
    }
    if !elsewhere.is_empty() {
        return Err(elsewhere);
    }
    let mut notes = Vec::new();
    let Some(paths) = json.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(notes);
    };
    for ((path, method), found) in reasons {
        let why = found
            .iter()
            .map(|f| format!("{} at {} [{}]", f.message, f.path, f.rule))
            .collect::<Vec<_>>()
            .join("; ");
        let at = JsonPath::root().key("paths").key(path.clone());
        let Some(item) = paths.get_mut(&path).and_then(Value::as_object_mut) else {
            continue;
        };
        let methods: Vec<String> = match &method {
            Some(method) => vec![method.clone()],
            None => item
                .keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .cloned()
                .collect(),
        };
        for method in methods {
            let Some(operation) = item.remove(&method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(|id| format!("`{id}` "))
                .unwrap_or_default();
            notes.push(Finding::new(
                "left-out",
                at.key(method.clone()),
                format!("operation {id}left out: {why}"),
            ));
        }
        if method.is_none() || !item.keys().any(|k| METHODS.contains(&k.as_str())) {
            paths.remove(&path);
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_operation_is_left_out_with_its_reasons_and_the_others_stay() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "getA"}, "post": {"operationId": "upload"}},
            "/b": {"parameters": [], "get": {}, "put": {}},
            "/c": {"get": {}}
        }});
        let at = JsonPath::root().key("paths");
        let findings = [
            Finding::new(
                "request-media-type",
                at.key("/a").key("post").key("requestBody"),
                "multipart",
            ),
            Finding::new(
                "cookie-parameter",
                at.key("/b").key("parameters").index(0),
                "a cookie",
            ),
        ];
        let notes = leave_out(&mut doc, &findings).unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/a": {"get": {"operationId": "getA"}}, "/c": {"get": {}}}})
        );
        let at: Vec<String> = notes.iter().map(|n| n.path.to_string()).collect();
        assert_eq!(
            at,
            [
                "$.paths['/a'].post",
                "$.paths['/b'].get",
                "$.paths['/b'].put"
            ]
        );
        assert_eq!(
            notes[0].message,
            "operation `upload` left out: multipart at $.paths['/a'].post.requestBody [request-media-type]"
        );
    }

    #[test]
    fn a_finding_in_no_operation_cannot_be_left_out() {
        let mut doc = json!({"paths": {}});
        let findings = [Finding::new("x", JsonPath::root().key("components"), "m")];
        assert_eq!(leave_out(&mut doc, &findings).unwrap_err().len(), 1);
    }
}
