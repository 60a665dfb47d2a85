//! `body` and `formData` parameters become a request body: a `body`
//! parameter's schema under each media type the operation consumes; form
//! fields as the properties of one object, sent as a form.

use serde_json::{Map, Value, json};

use super::{collection, parameters};
use crate::{Finding, JsonPath};

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The request body of a `body` parameter (at `at`).
pub fn from_body(parameter: &Map<String, Value>, consumes: &[String]) -> Value {
    let schema = parameter
        .get("schema")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let content: Map<String, Value> = consumes
        .iter()
        .map(|media| (media.clone(), json!({"schema": schema})))
        .collect();
    let mut body = Map::new();
    for (key, value) in parameter {
        if matches!(key.as_str(), "description" | "required") || key.starts_with("x-") {
            body.insert(key.clone(), value.clone());
        }
    }
    // The name 2.0 gave the body; the convention other converters use.
    if let Some(name) = parameter.get("name") {
        body.insert("x-codegen-request-body-name".into(), name.clone());
    }
    body.insert("content".into(), Value::Object(content));
    Value::Object(body)
}

/// The request body of `fields` (formData parameters, each with where it
/// was), sent as the forms of `consumes` (multipart when none is a form
/// and a field is a file, else URL-encoded, noted).
pub fn from_form(
    fields: &[(JsonPath, &Map<String, Value>)],
    consumes: &[String],
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for (field_at, field) in fields {
        let Some(name) = field.get("name").and_then(Value::as_str) else {
            notes.push(Finding::new(
                "swagger-form",
                field_at.clone(),
                "a form field without a name: dropped",
            ));
            continue;
        };
        let mut schema = parameters::schema_of(field, field_at, notes);
        for (key, value) in field.iter() {
            if key == "description" || key.starts_with("x-") {
                schema.insert(key.clone(), value.clone());
            }
        }
        if field.get("allowEmptyValue").is_some() {
            notes.push(Finding::new(
                "swagger-form",
                field_at.key("allowEmptyValue"),
                "a form field's allowEmptyValue has no OpenAPI 3.0 place: dropped",
            ));
        }
        if field.get("type").and_then(Value::as_str) == Some("array") {
            let mut style = Map::new();
            let format = field.get("collectionFormat").and_then(Value::as_str);
            collection::style(format, "formData", &mut style, field_at, notes);
            // 3.0's default for a form field is `form`, exploded: `multi`.
            if style.get("explode") != Some(&Value::Bool(true)) {
                encoding.insert(name.to_string(), Value::Object(style));
            }
        }
        if field.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::from(name));
        }
        properties.insert(name.to_string(), Value::Object(schema));
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let mut media: Vec<&str> = consumes
        .iter()
        .map(String::as_str)
        .filter(|m| *m == FORM || *m == MULTIPART)
        .collect();
    if media.is_empty() {
        let file = fields
            .iter()
            .any(|(_, f)| f.get("type").and_then(Value::as_str) == Some("file"));
        let guess = if file { MULTIPART } else { FORM };
        notes.push(Finding::new(
            "swagger-form",
            at.clone(),
            format!("form fields, and the operation consumes no form: sent as {guess}"),
        ));
        media.push(guess);
    }
    let content: Map<String, Value> = media
        .into_iter()
        .map(|m| {
            let mut media = json!({"schema": schema});
            if !encoding.is_empty() {
                media["encoding"] = Value::Object(encoding.clone());
            }
            (m.to_string(), media)
        })
        .collect();
    json!({"content": content})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_its_schema_under_each_media_type_consumed() {
        let parameter = json!({"name": "pet", "in": "body", "required": true,
            "description": "the pet", "schema": {"$ref": "#/definitions/Pet"}});
        let body = from_body(
            parameter.as_object().unwrap(),
            &["application/json".into(), "application/xml".into()],
        );
        assert_eq!(
            body,
            json!({"description": "the pet", "required": true,
            "x-codegen-request-body-name": "pet",
            "content": {
                "application/json": {"schema": {"$ref": "#/definitions/Pet"}},
                "application/xml": {"schema": {"$ref": "#/definitions/Pet"}}
            }})
        );
    }

    #[test]
    fn form_fields_are_one_object_sent_as_the_form_consumed() {
        let name = json!({"name": "name", "in": "formData", "type": "string", "required": true,
            "description": "new name"});
        let file = json!({"name": "file", "in": "formData", "type": "file"});
        let tags = json!({"name": "tags", "in": "formData", "type": "array",
            "items": {"type": "string"}});
        let fields = [
            (JsonPath::root().index(0), name.as_object().unwrap()),
            (JsonPath::root().index(1), file.as_object().unwrap()),
            (JsonPath::root().index(2), tags.as_object().unwrap()),
        ];
        let mut notes = Vec::new();
        let body = from_form(&fields, &[MULTIPART.into()], &JsonPath::root(), &mut notes);
        assert_eq!(
            body,
            json!({"content": {MULTIPART: {
                "schema": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "description": "new name"},
                    "file": {"type": "string", "format": "binary"},
                    "tags": {"type": "array", "items": {"type": "string"}}
                }},
                "encoding": {"tags": {"style": "form", "explode": false}}
            }}})
        );
        assert!(notes.is_empty());
        // Consuming JSON only: the form's media type is a noted guess.
        from_form(
            &fields[..1],
            &["application/json".into()],
            &JsonPath::root(),
            &mut notes,
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains(FORM), "{}", notes[0].message);
    }
}
