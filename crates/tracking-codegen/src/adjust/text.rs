//! Line breaks in descriptions as `\n`. A document written on Windows (VTEX's
//! Orders API) has `\r\n` in its descriptions, which progenitor copies into
//! doc comments, where a bare carriage return does not compile.

use serde_json::Value;
use tracking_spec::JsonPath;

use super::Finding;

/// The keys whose text becomes documentation.
const DOCUMENTED: &[&str] = &["description", "summary", "title"];

/// Replaces `\r\n` and lone `\r` in every description, summary and title;
/// one note for the document, counting them.
pub fn normalise_line_breaks(json: &mut Value, at: &JsonPath, notes: &mut Vec<Finding>) {
    let mut count = 0;
    walk(json, &mut count);
    if count > 0 {
        notes.push(Finding::new(
            "line-breaks",
            at.clone(),
            format!(
                "{count} description(s) had carriage returns, made `\\n`: a bare `\\r` in a doc comment does not compile"
            ),
        ));
    }
}

fn walk(node: &mut Value, count: &mut usize) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if let (true, Value::String(text)) =
                    (DOCUMENTED.contains(&key.as_str()), &mut *value)
                {
                    if text.contains('\r') {
                        *text = text.replace("\r\n", "\n").replace('\r', "\n");
                        *count += 1;
                    }
                } else {
                    walk(value, count);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, count)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn carriage_returns_in_documentation_become_line_feeds() {
        let mut doc = json!({
            "info": {"description": "a\r\nb\rc"},
            "components": {"schemas": {"X": {"description": "d\r\n", "example": "e\r\n"}}}
        });
        let mut notes = Vec::new();
        normalise_line_breaks(&mut doc, &JsonPath::root(), &mut notes);
        assert_eq!(doc["info"]["description"], "a\nb\nc");
        assert_eq!(doc["components"]["schemas"]["X"]["description"], "d\n");
        // Data is not documentation: examples keep their bytes.
        assert_eq!(doc["components"]["schemas"]["X"]["example"], "e\r\n");
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].message.starts_with("2 description(s)"),
            "{}",
            notes[0]
        );
    }
}
