//! Paths and operations: each parameter converted where it is, `body` and
//! `formData` ones (the path's too) made the operation's request body, and
//! each response given the media types the operation produces.

use serde_json::{Map, Value};

use super::{body, media, parameters, responses, servers};
use crate::{Finding, JsonPath, METHODS};

/// What an operation keeps as it is.
const KEPT: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "deprecated",
    "security",
];

/// A parameter as given, its `$ref` to the document's `parameters`
/// followed: where it is, its fields, and the reference it was given by.
struct Given<'a> {
    at: JsonPath,
    fields: &'a Map<String, Value>,
    reference: Option<&'a str>,
}

impl Given<'_> {
    fn location(&self) -> &str {
        self.fields.get("in").and_then(Value::as_str).unwrap_or("")
    }
    fn identity(&self) -> (&str, &str) {
        let name = self
            .fields
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("");
        (name, self.location())
    }
}

/// The 3.0 `paths` of a 2.0 document.
pub fn paths(source: &Map<String, Value>, notes: &mut Vec<Finding>) -> Value {
    let at = JsonPath::root().key("paths");
    let Some(Value::Object(paths)) = source.get("paths") else {
        if source.get("paths").is_some_and(|p| !p.is_null()) {
            notes.push(Finding::new(
                "swagger-paths",
                at,
                "`paths` is not an object: no paths",
            ));
        }
        return Value::Object(Map::new());
    };
    let converted = paths
        .iter()
        .map(|(path, item)| {
            let at = at.key(path.clone());
            let item = match item {
                // An extension of `paths`, not a path.
                _ if path.starts_with("x-") => item.clone(),
                Value::Object(item) => path_item(source, item, &at, notes),
                other => other.clone(),
            };
            (path.clone(), item)
        })
        .collect();
    Value::Object(converted)
}

fn path_item(
    source: &Map<String, Value>,
    item: &Map<String, Value>,
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Value {
    let shared = given(source, item, at, notes);
    let mut converted = Map::new();
    for (key, value) in item {
        let here = at.key(key.clone());
        match (key.as_str(), value) {
            (method, Value::Object(operation)) if METHODS.contains(&method) => {
                let operation = self::operation(source, operation, &shared, &here, notes);
                converted.insert(key.clone(), operation);
            }
            ("parameters", _) => {
                let kept: Vec<Value> = shared
                    .iter()
                    .filter(|p| !matches!(p.location(), "body" | "formData"))
                    .map(|p| parameter(p, notes))
                    .collect();
                if !kept.is_empty() {
                    converted.insert(key.clone(), Value::Array(kept));
                }
            }
            ("$ref", _) => {
                converted.insert(key.clone(), value.clone());
            }
            (extension, _) if extension.starts_with("x-") => {
                converted.insert(key.clone(), value.clone());
            }
            _ => notes.push(Finding::new(
                "swagger-paths",
                here,
                "not a field of a Swagger 2.0 path item: dropped",
            )),
        }
    }
    Value::Object(converted)
}

/// The parameters of `node` (a path item or an operation), `$ref`s followed.
fn given<'a>(
    source: &'a Map<String, Value>,
    node: &'a Map<String, Value>,
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Vec<Given<'a>> {
    let Some(Value::Array(list)) = node.get("parameters") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (i, parameter) in list.iter().enumerate() {
        let here = at.key("parameters").index(i);
        let Some(fields) = parameter.as_object() else {
            notes.push(Finding::new(
                "swagger-parameters",
                here,
                "not an object: dropped",
            ));
            continue;
        };
        let Some(reference) = fields.get("$ref").and_then(Value::as_str) else {
            found.push(Given {
                at: here,
                fields,
                reference: None,
            });
            continue;
        };
        let target = reference.strip_prefix("#/parameters/").and_then(|name| {
            source
                .get("parameters")?
                .get(crate::refs::unescape(name))?
                .as_object()
        });
        match target {
            Some(target) => found.push(Given {
                at: JsonPath::from_pointer(reference),
                fields: target,
                reference: Some(reference),
            }),
            // Left for the reference check to report where it points.
            None => found.push(Given {
                at: here,
                fields,
                reference: Some(reference),
            }),
        }
    }
    found
}

/// A parameter that stays a parameter: by its reference if it had one.
fn parameter(given: &Given<'_>, notes: &mut Vec<Finding>) -> Value {
    match given.reference {
        Some(reference) => serde_json::json!({"$ref": reference}),
        None => parameters::parameter(given.fields, &given.at, notes),
    }
}

fn operation(
    source: &Map<String, Value>,
    operation: &Map<String, Value>,
    shared: &[Given<'_>],
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Value {
    let own = given(source, operation, at, notes);
    // The operation's own parameters override the path's of the same name
    // and location.
    let all: Vec<&Given<'_>> = shared
        .iter()
        .filter(|p| !own.iter().any(|o| o.identity() == p.identity()))
        .chain(own.iter())
        .collect();
    let mut converted = Map::new();
    for key in KEPT {
        if let Some(value) = operation.get(*key) {
            converted.insert((*key).into(), value.clone());
        }
    }
    let kept: Vec<Value> = own
        .iter()
        .filter(|p| !matches!(p.location(), "body" | "formData"))
        .map(|p| parameter(p, notes))
        .collect();
    if !kept.is_empty() {
        converted.insert("parameters".into(), Value::Array(kept));
    }
    let bodies: Vec<&&Given<'_>> = all.iter().filter(|p| p.location() == "body").collect();
    let form: Vec<(JsonPath, &Map<String, Value>)> = all
        .iter()
        .filter(|p| p.location() == "formData")
        .map(|p| (p.at.clone(), p.fields))
        .collect();
    if !bodies.is_empty() || !form.is_empty() {
        let consumes = media::of("consumes", operation, source, at, notes);
        let body = match bodies.first() {
            Some(first) => {
                for extra in bodies
                    .iter()
                    .skip(1)
                    .map(|p| &p.at)
                    .chain(form.iter().map(|f| &f.0))
                {
                    notes.push(Finding::new(
                        "swagger-body",
                        extra.clone(),
                        "a second body, or form fields beside a body: dropped (an operation has one body)",
                    ));
                }
                body::from_body(first.fields, &consumes)
            }
            None => body::from_form(&form, &consumes, at, notes),
        };
        converted.insert("requestBody".into(), body);
    }
    if let Some(Value::Object(list)) = operation.get("responses") {
        let produces = produces(source, operation, list, at, notes);
        let list: Map<String, Value> = list
            .iter()
            .map(|(status, response)| {
                let here = at.key("responses").key(status.clone());
                let converted = match response {
                    Value::Object(r) => match r.get("$ref").and_then(Value::as_str) {
                        Some(reference) => {
                            shared_response(source, reference, operation, &produces, &here, notes)
                        }
                        None => responses::response(r, &produces, &here, notes),
                    },
                    other => other.clone(),
                };
                (status.clone(), converted)
            })
            .collect();
        converted.insert("responses".into(), Value::Object(list));
    }
    if operation.contains_key("schemes") {
        let servers = servers::servers(source, operation.get("schemes"), &at.key("schemes"), notes);
        converted.insert("servers".into(), servers);
    }
    for (key, value) in operation {
        if key.starts_with("x-") {
            converted.insert(key.clone(), value.clone());
        } else if !KEPT.contains(&key.as_str())
            && !matches!(
                key.as_str(),
                "parameters" | "responses" | "consumes" | "produces" | "schemes"
            )
        {
            notes.push(Finding::new(
                "swagger-operation",
                at.key(key.clone()),
                "not a field of a Swagger 2.0 operation: dropped",
            ));
        }
    }
    Value::Object(converted)
}

/// The media types an operation produces; asked only when a response of it
/// has a body (so that a guess is noted only where it matters).
fn produces(
    source: &Map<String, Value>,
    operation: &Map<String, Value>,
    list: &Map<String, Value>,
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Vec<String> {
    let bodies = list.values().any(|r| r.get("schema").is_some());
    if bodies {
        media::of("produces", operation, source, at, notes)
    } else {
        media::of("produces", operation, source, at, &mut Vec::new())
    }
}

/// A response by reference: kept a reference when the operation produces
/// what the document does (the component was made with that), else made
/// again here with the operation's media types.
fn shared_response(
    source: &Map<String, Value>,
    reference: &str,
    operation: &Map<String, Value>,
    produces: &[String],
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Value {
    let own =
        operation.contains_key("produces") && operation.get("produces") != source.get("produces");
    let target = reference.strip_prefix("#/responses/").and_then(|name| {
        source
            .get("responses")?
            .get(crate::refs::unescape(name))?
            .as_object()
    });
    match target {
        Some(target) if own => responses::response(target, produces, at, notes),
        _ => serde_json::json!({"$ref": reference}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_by_reference_and_of_the_path_reach_each_operation() {
        let source = json!({
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "parameters": {
                "limit": {"name": "limit", "in": "query", "type": "integer"},
                "pet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}
            },
            "responses": {"Error": {"description": "an error", "schema": {"type": "string"}}},
            "paths": {"/pets/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "type": "string"},
                    {"name": "trace", "in": "header", "type": "string"}
                ],
                "put": {
                    "operationId": "updatePet",
                    "produces": ["text/plain"],
                    "parameters": [
                        {"$ref": "#/parameters/pet"},
                        {"$ref": "#/parameters/limit"},
                        {"name": "trace", "in": "header", "type": "string", "required": true}
                    ],
                    "responses": {
                        "200": {"description": "updated"},
                        "default": {"$ref": "#/responses/Error"}
                    },
                    "x-a": 1
                }
            }}
        });
        let mut notes = Vec::new();
        let paths = paths(source.as_object().unwrap(), &mut notes);
        assert_eq!(
            paths,
            json!({"/pets/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "trace", "in": "header", "schema": {"type": "string"}}
                ],
                "put": {
                    "operationId": "updatePet",
                    "parameters": [
                        {"$ref": "#/parameters/limit"},
                        {"name": "trace", "in": "header", "required": true, "schema": {"type": "string"}}
                    ],
                    // A body by reference is the operation's request body.
                    "requestBody": {"required": true, "x-codegen-request-body-name": "pet",
                        "content": {"application/json": {"schema": {"$ref": "#/definitions/Pet"}}}},
                    "responses": {
                        "200": {"description": "updated"},
                        // Produced otherwise than the document's: made here.
                        "default": {"description": "an error",
                            "content": {"text/plain": {"schema": {"type": "string"}}}}
                    },
                    "x-a": 1
                }
            }})
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn a_path_s_body_goes_to_each_operation_and_a_second_body_is_a_note() {
        let source = json!({"paths": {"x-owner": {"team": "orders"}, "/a": {
            "parameters": [{"name": "b", "in": "body", "schema": {"type": "object"}}],
            "post": {"consumes": ["application/json"],
                "parameters": [{"name": "f", "in": "formData", "type": "string"}],
                "responses": {"204": {"description": "done"}}}
        }}});
        let mut notes = Vec::new();
        let paths = paths(source.as_object().unwrap(), &mut notes);
        assert_eq!(
            paths["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
        assert!(paths["/a"].get("parameters").is_none());
        // An extension of `paths` is kept as it is.
        assert_eq!(paths["x-owner"], json!({"team": "orders"}));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(
            notes[0].path.to_string(),
            "$.paths['/a'].post.parameters[0]"
        );
    }
}
