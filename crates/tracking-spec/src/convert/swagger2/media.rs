//! `consumes` and `produces` become the media types of request and
//! response bodies: an operation's own, else the document's, else JSON (a
//! guess, noted).

use serde_json::{Map, Value};

use crate::{Finding, JsonPath};

/// The media types an operation consumes (`"consumes"`) or produces
/// (`"produces"`), noting the guess when neither it nor the document says.
pub fn of(
    key: &str,
    operation: &Map<String, Value>,
    document: &Map<String, Value>,
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Vec<String> {
    let listed = |node: &Map<String, Value>| {
        node.get(key).and_then(Value::as_array).map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
    };
    match listed(operation).or_else(|| listed(document)) {
        Some(list) if !list.is_empty() => list,
        _ => {
            notes.push(Finding::new(
                "swagger-media",
                at.clone(),
                format!("no `{key}` here nor for the document: application/json assumed"),
            ));
            vec!["application/json".into()]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_operation_s_own_list_wins_then_the_document_s_then_a_noted_json() {
        let document = json!({"produces": ["application/xml", "application/json"]});
        let document = document.as_object().unwrap();
        let mut notes = Vec::new();
        let at = JsonPath::root();
        let own = json!({"produces": ["text/plain"]});
        assert_eq!(
            of(
                "produces",
                own.as_object().unwrap(),
                document,
                &at,
                &mut notes
            ),
            ["text/plain"]
        );
        let none = Map::new();
        assert_eq!(
            of("produces", &none, document, &at, &mut notes),
            ["application/xml", "application/json"]
        );
        assert!(notes.is_empty());
        assert_eq!(
            of("consumes", &none, document, &at, &mut notes),
            ["application/json"]
        );
        assert_eq!(notes.len(), 1);
    }
}
