//! Responses: a `schema` under each media type the operation produces, with
//! its `examples` by media type, and headers whose type is a schema.

use serde_json::{Map, Value, json};

use super::parameters;
use crate::{Finding, JsonPath};

/// A 2.0 response (not a `$ref`) as a 3.0 one.
pub fn response(
    fields: &Map<String, Value>,
    produces: &[String],
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Value {
    let mut response = Map::new();
    for (key, value) in fields {
        if key == "description" || key.starts_with("x-") {
            response.insert(key.clone(), value.clone());
        }
    }
    // 3.0 requires it, as 2.0 does; some documents leave it out.
    response
        .entry("description")
        .or_insert_with(|| Value::from(""));
    if let Some(Value::Object(headers)) = fields.get("headers") {
        let headers: Map<String, Value> = headers
            .iter()
            .map(|(name, header)| {
                let at = at.key("headers").key(name.clone());
                let converted = match header {
                    Value::Object(header) if !header.contains_key("$ref") => {
                        parameters::header(header, &at, notes)
                    }
                    other => other.clone(),
                };
                (name.clone(), converted)
            })
            .collect();
        response.insert("headers".into(), Value::Object(headers));
    }
    let examples = fields.get("examples").and_then(Value::as_object);
    if let Some(schema) = fields.get("schema") {
        let content: Map<String, Value> = produces
            .iter()
            .map(|media| {
                let mut node = json!({"schema": schema});
                if let Some(example) = examples.and_then(|e| e.get(media)) {
                    node["example"] = example.clone();
                }
                (media.clone(), node)
            })
            .collect();
        response.insert("content".into(), Value::Object(content));
    }
    for media in examples.into_iter().flat_map(|e| e.keys()) {
        if fields.get("schema").is_none() || !produces.contains(media) {
            notes.push(Finding::new(
                "swagger-examples",
                at.key("examples").key(media.clone()),
                "an example of a body this response does not have (no schema, or a media type the operation does not produce): dropped",
            ));
        }
    }
    Value::Object(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_is_under_each_media_type_produced_with_its_example() {
        let mut notes = Vec::new();
        let converted = response(
            json!({
                "description": "the pet",
                "schema": {"$ref": "#/definitions/Pet"},
                "examples": {"application/json": {"id": 1}},
                "headers": {"X-Rate-Limit": {"type": "integer", "description": "calls left"}},
                "x-a": true
            })
            .as_object()
            .unwrap(),
            &["application/json".into(), "application/xml".into()],
            &JsonPath::root(),
            &mut notes,
        );
        assert_eq!(
            converted,
            json!({
                "description": "the pet",
                "x-a": true,
                "headers": {"X-Rate-Limit": {"description": "calls left", "schema": {"type": "integer"}}},
                "content": {
                    "application/json": {"schema": {"$ref": "#/definitions/Pet"}, "example": {"id": 1}},
                    "application/xml": {"schema": {"$ref": "#/definitions/Pet"}}
                }
            })
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn no_schema_is_no_body_and_an_example_of_no_body_is_a_note() {
        let mut notes = Vec::new();
        let converted = response(
            json!({"description": "gone", "examples": {"text/plain": "bye"}})
                .as_object()
                .unwrap(),
            &["application/json".into()],
            &JsonPath::root().key("r"),
            &mut notes,
        );
        assert_eq!(converted, json!({"description": "gone"}));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].path.to_string(), "$.r.examples['text/plain']");
    }
}
