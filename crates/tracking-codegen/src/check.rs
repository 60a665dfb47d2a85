//! What progenitor 0.15 cannot handle, found before it runs: it would panic
//! (`assert!`, `todo!`) or silently generate the wrong thing. Each finding
//! names its rule and the node, so a maintainer knows what to change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response,
    StatusCode,
};
use tracking_spec::JsonPath;

use crate::error::CodegenError;

/// Something in a spec the generator cannot handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The rule's name, e.g. `default-response`.
    pub rule: &'static str,
    /// Where.
    pub path: JsonPath,
    /// What to change.
    pub message: String,
}

/// Checks the whole document; returns the first problem found.
pub fn check(file: &Path, spec: &OpenAPI) -> Result<(), CodegenError> {
    match unsupported(spec).into_iter().next() {
        Some(found) => Err(CodegenError::spec(file, found.path, found.message)),
        None => Ok(()),
    }
}

/// Every construct of `spec` the generator cannot handle.
pub fn unsupported(spec: &OpenAPI) -> Vec<Unsupported> {
    let mut found = Vec::new();
    let mut add = |rule, path: JsonPath, message: String| {
        found.push(Unsupported {
            rule,
            path,
            message,
        })
    };
    let components = spec.components.as_ref();
    let mut operation_ids = BTreeMap::new();

    for (path, item) in &spec.paths.paths {
        let at_path = JsonPath::root().key("paths").key(path.clone());
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                add(
                    "path-item-ref",
                    at_path,
                    "path items given by `$ref` are not supported; write the operations inline"
                        .into(),
                );
                continue;
            }
        };
        for (method, op) in item.iter() {
            let at = at_path.key(method);
            match &op.operation_id {
                None => add(
                    "operation-id",
                    at.clone(),
                    "missing `operationId`: the client method is named after it".into(),
                ),
                Some(id) => {
                    if let Some(first) = operation_ids.insert(id.clone(), at.clone()) {
                        add(
                            "duplicate-operation-id",
                            at.key("operationId"),
                            format!("operationId `{id}` is already used at {first}"),
                        );
                    }
                }
            }

            if let Some(value) = op.extensions.get("x-idempotent")
                && !value.is_boolean()
            {
                add(
                    "x-idempotent",
                    at.key("x-idempotent"),
                    format!("`x-idempotent` must be true or false, not {value}"),
                );
            }

            // Parameters: the path-item level ones and the operation's own.
            let mut path_params = BTreeSet::new();
            let item_params = item
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (at_path.key("parameters").index(i), p));
            let op_params = op
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (at.key("parameters").index(i), p));
            for (at_param, param) in item_params.chain(op_params) {
                let param = match resolve(&at_param, param, components, "parameters", |c, n| {
                    c.parameters.get(n)
                }) {
                    Ok(param) => param,
                    Err((path, message)) => {
                        add("unresolved-ref", path, message);
                        continue;
                    }
                };
                if let Some((rule, message)) = parameter_problem(param) {
                    add(rule, at_param.clone(), message.into());
                }
                if let Parameter::Path { parameter_data, .. } = param {
                    path_params.insert(parameter_data.name.clone());
                }
            }
            let in_template = template_names(path);
            for missing in in_template.difference(&path_params) {
                add(
                    "path-parameters",
                    at.key("parameters"),
                    format!("the path has `{{{missing}}}` but no path parameter named `{missing}`"),
                );
            }
            for extra in path_params.difference(&in_template) {
                add(
                    "path-parameters",
                    at.key("parameters"),
                    format!("path parameter `{extra}` does not appear in the path `{path}`"),
                );
            }

            if let Some(body) = &op.request_body {
                let at_body = at.key("requestBody");
                match resolve(&at_body, body, components, "requestBodies", |c, n| {
                    c.request_bodies.get(n)
                }) {
                    Ok(body) => {
                        if let Some((rule, path, message)) = request_body_problem(&at_body, body) {
                            add(rule, path, message);
                        }
                    }
                    Err((path, message)) => add("unresolved-ref", path, message),
                }
            }

            let at_responses = at.key("responses");
            if op.responses.default.is_some() {
                add(
                    "default-response",
                    at_responses.key("default"),
                    "`default` responses are not supported: progenitor would treat them as success and error at once; list each status code".into(),
                );
            }
            let mut success = BTreeMap::new();
            let mut failure = BTreeMap::new();
            for (status, response) in &op.responses.responses {
                let at_status = at_responses.key(status.to_string());
                let response =
                    match resolve(&at_status, response, components, "responses", |c, n| {
                        c.responses.get(n)
                    }) {
                        Ok(response) => response,
                        Err((path, message)) => {
                            add("unresolved-ref", path, message);
                            continue;
                        }
                    };
                let kind = match body_kind(&at_status, response) {
                    Ok(kind) => kind,
                    Err((path, message)) => {
                        add("response-media-type", path, message);
                        continue;
                    }
                };
                let is_success = match status {
                    StatusCode::Code(code) => (200..300).contains(code),
                    StatusCode::Range(range) => *range == 2,
                };
                let class = if is_success {
                    &mut success
                } else {
                    &mut failure
                };
                class
                    .entry(kind)
                    .or_insert_with(Vec::new)
                    .push(status.to_string());
            }
            for (rule, class, kinds) in [
                ("mixed-success-bodies", "success (2xx)", &success),
                ("mixed-error-bodies", "error", &failure),
            ] {
                if kinds.len() > 1 {
                    let listed = kinds
                        .iter()
                        .map(|(kind, codes)| format!("{} → {kind}", codes.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ");
                    add(
                        rule,
                        at_responses.clone(),
                        format!(
                            "the {class} responses have different bodies ({listed}); progenitor needs one body type per class: use one named schema (or no body) for all of them"
                        ),
                    );
                }
            }
        }
    }
    found
}

fn parameter_problem(param: &Parameter) -> Option<(&'static str, &'static str)> {
    let data = param.parameter_data_ref();
    if let ParameterSchemaOrContent::Content(_) = data.format {
        return Some((
            "parameter-content",
            "parameters with `content` are not supported; give the parameter a `schema`",
        ));
    }
    match param {
        Parameter::Cookie { .. } => Some((
            "cookie-parameter",
            "cookie parameters are not supported by progenitor",
        )),
        Parameter::Path {
            style,
            parameter_data,
        } => {
            if !parameter_data.required {
                Some((
                    "path-parameters",
                    "path parameters must have `required: true`",
                ))
            } else if !matches!(style, openapiv3::PathStyle::Simple) {
                Some((
                    "parameter-style",
                    "only `style: simple` path parameters are supported",
                ))
            } else {
                None
            }
        }
        Parameter::Query { style, .. } if !matches!(style, openapiv3::QueryStyle::Form) => Some((
            "parameter-style",
            "only `style: form` query parameters are supported",
        )),
        _ => None,
    }
}

fn request_body_problem(
    at: &JsonPath,
    body: &RequestBody,
) -> Option<(&'static str, JsonPath, String)> {
    let at = at.key("content");
    let mut media_types = body.content.iter();
    match (media_types.next(), media_types.next()) {
        (None, _) => Some((
            "request-media-type",
            at,
            "the request body has no media type".into(),
        )),
        (Some(_), Some(_)) => Some((
            "several-media-types",
            at,
            format!(
                "the request body has {} media types ({}); progenitor supports exactly one: keep application/json",
                body.content.len(),
                body.content.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        )),
        (Some((name, media)), None) => {
            let at = at.key(name.clone());
            if !is_json(name) {
                Some((
                    "request-media-type",
                    at,
                    format!("request media type `{name}` is not supported; use application/json"),
                ))
            } else if media.schema.is_none() {
                Some((
                    "request-media-type",
                    at,
                    "the request body needs a `schema`".into(),
                ))
            } else {
                None
            }
        }
    }
}

/// What a response's body becomes in Rust, for comparing responses of one class.
fn body_kind(at: &JsonPath, response: &Response) -> Result<String, (JsonPath, String)> {
    let Some((name, media)) = response.content.iter().find(|(name, _)| is_json(name)) else {
        return Ok(if response.content.is_empty() {
            "no body".into()
        } else {
            "raw bytes".into()
        });
    };
    let at = at.key("content").key(name.clone());
    if !media.encoding.is_empty() {
        return Err((at.key("encoding"), "`encoding` is not supported".into()));
    }
    match &media.schema {
        None => Err((at, "a JSON response needs a `schema`".into())),
        Some(ReferenceOr::Reference { reference }) => Ok(reference.clone()),
        // Two inline schemas become two Rust types even when they are equal.
        Some(ReferenceOr::Item(_)) => Ok(format!("inline schema at {at}")),
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// Follows a `$ref` to `#/components/<section>/<name>`.
fn resolve<'a, T>(
    at: &JsonPath,
    item: &'a ReferenceOr<T>,
    components: Option<&'a Components>,
    section: &str,
    get: impl Fn(&'a Components, &str) -> Option<&'a ReferenceOr<T>>,
) -> Result<&'a T, (JsonPath, String)> {
    match item {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => {
            let prefix = format!("#/components/{section}/");
            let found = reference
                .strip_prefix(&prefix)
                .and_then(|name| components.and_then(|c| get(c, name)));
            match found {
                Some(ReferenceOr::Item(item)) => Ok(item),
                Some(ReferenceOr::Reference { .. }) => Err((
                    at.key("$ref"),
                    format!("`{reference}` is itself a reference; point at the final component"),
                )),
                None => Err((
                    at.key("$ref"),
                    format!("`{reference}` must point at an entry of #/components/{section}"),
                )),
            }
        }
    }
}
