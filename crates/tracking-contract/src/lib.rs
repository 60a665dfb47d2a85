//! One answer, for the tests, `xtask` and the mock, to "is this JSON valid for
//! this operation?": a spec's schemas as JSON Schema ([`schema`]), requests,
//! responses and bodies checked against them, and every violation reported
//! with where it is in the instance and which rule of the spec it breaks.
//!
//! ```no_run
//! use tracking_contract::{Contract, Direction};
//!
//! let contract = Contract::load("specs/crux.yaml".as_ref())?;
//! let body = serde_json::json!({"tracking_numbers": [{"tracking": "1Z", "line_items": [{"quantity": "1"}]}]});
//! for violation in contract.validate_body("addOrderTracking", Direction::Request, None, &body)? {
//!     println!("{violation}");
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod checker;
mod document;
mod examples;
mod operation;
pub mod schema;
mod url;
mod violation;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tracking_spec::{JsonPath, METHODS, is_json_media, json_media, resolve_ref};

use checker::{Checker, compile};
use operation::{Body, Param, Response};
use url::{match_template, parse_query, typed};

pub use document::{Finding, check_document};
pub use operation::Operation;
pub use schema::Direction;
pub use violation::{ContractError, Violation};

/// A spec, ready to check requests, responses and bodies against.
pub struct Contract {
    file: PathBuf,
    json: Value,
    operations: Vec<Operation>,
}

/// A request as it arrived (or is about to be sent).
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// The method.
    pub method: &'a str,
    /// The path after the server's base path, still percent-encoded.
    pub path: &'a str,
    /// The query string, if any.
    pub query: Option<&'a str>,
    /// Header names (any case) and values.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The body, parsed.
    pub body: Option<&'a Value>,
}

impl Contract {
    /// Loads `file` and compiles every schema of every operation.
    pub fn load(file: &Path) -> Result<Self, ContractError> {
        let spec = tracking_spec::load(file)?;
        Self::from_json(file, spec.json)
    }

    /// Builds a contract from an already loaded document.
    pub fn from_json(file: &Path, json: Value) -> Result<Self, ContractError> {
        let mut operations = Vec::new();
        let paths = json
            .get("paths")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (path, item) in &paths {
            let at_path = format!("/paths/{}", escape(path));
            for (method, op) in item.as_object().into_iter().flatten() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let at = format!("{at_path}/{method}");
                let compile =
                    |at: String, node: &Value, direction| compile(file, &json, at, node, direction);
                let mut params = Vec::new();
                for param in tracking_spec::parameters(&json, &at_path, item, &at, op) {
                    let schema = param
                        .node
                        .get("schema")
                        .cloned()
                        .unwrap_or(Value::Bool(true));
                    params.push(Param {
                        required: param
                            .node
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        schema: compile(
                            format!("{}/schema", param.at),
                            &schema,
                            Direction::Request,
                        )?,
                        name: param.name.to_string(),
                        location: param.location.to_string(),
                    });
                }
                let request = match op.get("requestBody") {
                    Some(body) => {
                        let (body_at, body) =
                            resolve_ref(&json, &format!("{at}/requestBody"), body);
                        match json_media(&json, body) {
                            Some((media, node)) => Some(Body {
                                required: body
                                    .get("required")
                                    .and_then(Value::as_bool)
                                    .unwrap_or(false),
                                schema: compile(
                                    format!("{body_at}/content/{}/schema", escape(media)),
                                    node.get("schema").unwrap_or(&Value::Bool(true)),
                                    Direction::Request,
                                )?,
                            }),
                            None => None,
                        }
                    }
                    None => None,
                };
                let mut responses = BTreeMap::new();
                for (status, response) in op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let Ok(code) = status.parse::<u16>() else {
                        continue;
                    };
                    let (response_at, response) =
                        resolve_ref(&json, &format!("{at}/responses/{status}"), response);
                    let mut media = Vec::new();
                    for (media_type, node) in response
                        .get("content")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        let schema = if is_json_media(media_type) {
                            Some(compile(
                                format!("{response_at}/content/{}/schema", escape(media_type)),
                                node.get("schema").unwrap_or(&Value::Bool(true)),
                                Direction::Response,
                            )?)
                        } else {
                            None
                        };
                        media.push((media_type.clone(), schema));
                    }
                    responses.insert(code, Response { media });
                }
                operations.push(Operation {
                    id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    location: JsonPath::root()
                        .key("paths")
                        .key(path.clone())
                        .key(method.clone()),
                    params,
                    request,
                    responses,
                });
            }
        }
        Ok(Self {
            file: file.to_path_buf(),
            json,
            operations,
        })
    }

    /// The spec file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The spec as JSON.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// Every operation, sorted by path, then method.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation with this operationId.
    pub fn operation(&self, id: &str) -> Result<&Operation, ContractError> {
        self.operations
            .iter()
            .find(|o| o.id == id)
            .ok_or_else(|| ContractError::UnknownOperation {
                file: self.file.clone(),
                operation: id.to_string(),
                known: self
                    .operations
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The operation a request is for, by method and path, with its path
    /// parameters (percent-decoded).
    pub fn route(
        &self,
        method: &str,
        path: &str,
    ) -> Option<(&Operation, BTreeMap<String, String>)> {
        self.operations
            .iter()
            .filter(|o| o.method.eq_ignore_ascii_case(method))
            .find_map(|o| match_template(&o.path, path).map(|params| (o, params)))
    }

    /// Does `body` fit operation `id`'s request (`Direction::Request`) or its
    /// response with `status` (`Direction::Response`)? Every violation.
    pub fn validate_body(
        &self,
        id: &str,
        direction: Direction,
        status: Option<u16>,
        body: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        let op = self.operation(id)?;
        Ok(match direction {
            Direction::Request => op.check_request_body(Some(body)),
            Direction::Response => op.check_response(status.unwrap_or(0), Some(body)),
        })
    }

    /// Checks a whole request: method and path (it must be some operation's),
    /// path, query and header parameters, and body.
    pub fn validate_request(&self, request: &Request<'_>) -> Result<&Operation, Vec<Violation>> {
        let Some((op, path_params)) = self.route(request.method, request.path) else {
            let known = self
                .operations
                .iter()
                .map(|o| format!("{} {}", o.method, o.path))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(vec![Violation {
                part: "path".into(),
                pointer: String::new(),
                rule: "#/paths".into(),
                message: format!(
                    "no operation is {} {} (known: {known})",
                    request.method, request.path
                ),
            }]);
        };
        let query = parse_query(request.query.unwrap_or_default());
        let mut violations = Vec::new();
        for param in &op.params {
            let value = match param.location.as_str() {
                "path" => path_params.get(&param.name).cloned(),
                "query" => query.get(&param.name).cloned(),
                "header" => request
                    .headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&param.name))
                    .map(|(_, v)| v.to_string()),
                _ => None,
            };
            let part = format!("{} parameter {}", param.location, param.name);
            match value {
                None if param.required => violations.push(Violation {
                    part,
                    pointer: String::new(),
                    rule: format!("#{}", param.schema.at.trim_end_matches("/schema")),
                    message: "required, but missing".into(),
                }),
                None => {}
                Some(text) => {
                    violations.extend(param.schema.check(&part, &typed(&text, &param.schema)))
                }
            }
        }
        violations.extend(op.check_request_body(request.body));
        if violations.is_empty() {
            Ok(op)
        } else {
            Err(violations)
        }
    }

    /// Checks a response to operation `id`: status documented, body as
    /// documented. A body is checked against the status's `application/json`
    /// schema or, when it has none, its first other JSON media type's (such
    /// as `application/problem+json`); [`Contract::validate_response_as`]
    /// checks against the media type the response declared.
    pub fn validate_response(
        &self,
        id: &str,
        status: u16,
        body: Option<&Value>,
    ) -> Result<Vec<Violation>, ContractError> {
        Ok(self.operation(id)?.check_response(status, body))
    }

    /// Checks a response to operation `id` with a body of `media_type` (its
    /// `Content-Type`, parameters such as `charset` ignored): status
    /// documented, media type documented for that status, and, for a JSON
    /// media type (`application/json` or `+json`), the body valid for that
    /// media type's schema.
    pub fn validate_response_as(
        &self,
        id: &str,
        status: u16,
        media_type: &str,
        body: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        Ok(self
            .operation(id)?
            .check_response_as(status, media_type, body))
    }

    /// Checks every `example` and `examples[*].value` of the spec against its
    /// schema: parameters, request bodies, responses and schemas.
    pub fn check_examples(&self) -> Vec<Finding> {
        examples::check(self)
    }
}

pub(crate) use tracking_spec::pointer_token as escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_is_checked_against_the_media_type_it_declares() {
        let spec = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {"/x": {"get": {"operationId": "x", "responses": {
                "401": {"description": "", "content": {
                    "application/json": {"schema": {"type": "object", "required": ["error"]}},
                    "application/problem+json": {"schema": {"type": "object", "required": ["title"]}}
                }},
                "422": {"description": "", "content": {
                    "application/problem+json": {"schema": {"type": "object", "required": ["title"]}}
                }},
                "500": {"description": "", "content": {"text/plain": {}}}
            }}}}
        });
        let contract = Contract::from_json(Path::new("x.yaml"), spec).unwrap();
        let problem = serde_json::json!({"title": "t"});
        let error = serde_json::json!({"error": "e"});
        let check = |status, media: &str, body: &Value| {
            contract
                .validate_response_as("x", status, media, body)
                .unwrap()
        };
        assert!(check(401, "application/problem+json", &problem).is_empty());
        assert!(check(401, "Application/JSON; charset=utf-8", &error).is_empty());
        assert_eq!(check(401, "application/json", &problem).len(), 1);
        assert_eq!(check(401, "text/html", &error)[0].part, "content type");
        assert_eq!(check(404, "application/json", &error)[0].part, "status");
        assert!(
            check(500, "text/plain", &error).is_empty(),
            "not JSON: not checked"
        );
        // Without a media type: application/json's schema, else the +json one.
        let unnamed =
            |status, body: &Value| contract.validate_response("x", status, Some(body)).unwrap();
        assert!(unnamed(401, &error).is_empty());
        assert!(unnamed(422, &problem).is_empty());
        assert_eq!(unnamed(422, &error).len(), 1);
    }

    #[test]
    fn templates_match_and_decode() {
        let params = match_template("/orders/{id}/x/", "/orders/1Z%2099%2F9/x/").unwrap();
        assert_eq!(params["id"], "1Z 99/9");
        assert!(match_template("/orders/{id}/x/", "/orders//x/").is_none());
        assert!(match_template("/orders/{id}", "/orders/1/2").is_none());
        assert!(match_template("/orders/{id}", "/order/1").is_none());
        assert!(match_template("/orders/{id}", "/orders/%zz").is_none());
    }
}
