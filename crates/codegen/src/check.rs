//! What progenitor 0.15 cannot handle, found before it runs: it would panic
//! (`assert!`, `todo!`) or silently generate the wrong thing. Each finding
//! names the node, so a maintainer knows what to change in the spec.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response,
    StatusCode,
};

use tracking_spec::JsonPath;

use crate::error::CodegenError;

/// Checks the whole document; returns the first problem found.
pub fn check(file: &Path, spec: &OpenAPI) -> Result<(), CodegenError> {
    let err = |path: JsonPath, message: String| CodegenError::spec(file, path, message);
    let components = spec.components.as_ref();
    let mut operation_ids = BTreeMap::new();

    for (path, item) in &spec.paths.paths {
        let at_path = JsonPath::root().key("paths").key(path.clone());
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(err(
                    at_path,
                    "path items given by `$ref` are not supported; write the operations inline"
                        .into(),
                ));
            }
        };
        for (method, op) in item.iter() {
            let at = at_path.key(method);
            let Some(id) = &op.operation_id else {
                return Err(err(
                    at,
                    "missing `operationId`: the client method is named after it".into(),
                ));
            };
            if let Some(first) = operation_ids.insert(id.clone(), at.clone()) {
                return Err(err(
                    at.key("operationId"),
                    format!("operationId `{id}` is already used at {first}"),
                ));
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
                let param = resolve(file, &at_param, param, components, "parameters", |c, n| {
                    c.parameters.get(n)
                })?;
                check_parameter(file, &at_param, param)?;
                if let Parameter::Path { parameter_data, .. } = param {
                    path_params.insert(parameter_data.name.clone());
                }
            }
            let in_template = template_names(path);
            if let Some(missing) = in_template.difference(&path_params).next() {
                return Err(err(
                    at.key("parameters"),
                    format!("the path has `{{{missing}}}` but no path parameter named `{missing}`"),
                ));
            }
            if let Some(extra) = path_params.difference(&in_template).next() {
                return Err(err(
                    at.key("parameters"),
                    format!("path parameter `{extra}` does not appear in the path `{path}`"),
                ));
            }

            if let Some(body) = &op.request_body {
                let at_body = at.key("requestBody");
                let body = resolve(file, &at_body, body, components, "requestBodies", |c, n| {
                    c.request_bodies.get(n)
                })?;
                check_request_body(file, &at_body, body)?;
            }

            let at_responses = at.key("responses");
            if op.responses.default.is_some() {
                return Err(err(at_responses.key("default"), "`default` responses are not supported: progenitor would treat them as success and error at once; list each status code".into()));
            }
            let mut success = BTreeMap::new();
            let mut failure = BTreeMap::new();
            for (status, response) in &op.responses.responses {
                let at_status = at_responses.key(status.to_string());
                let response = resolve(
                    file,
                    &at_status,
                    response,
                    components,
                    "responses",
                    |c, n| c.responses.get(n),
                )?;
                let kind = body_kind(file, &at_status, response)?;
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
            for (class, kinds) in [("success (2xx)", &success), ("error", &failure)] {
                if kinds.len() > 1 {
                    let listed = kinds
                        .iter()
                        .map(|(kind, codes)| format!("{} → {kind}", codes.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ");
                    return Err(err(
                        at_responses.clone(),
                        format!(
                            "the {class} responses have different bodies ({listed}); progenitor needs one body type per class: use one named schema (or no body) for all of them"
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_parameter(file: &Path, at: &JsonPath, param: &Parameter) -> Result<(), CodegenError> {
    let err = |message: &str| Err(CodegenError::spec(file, at.clone(), message));
    let data = param.parameter_data_ref();
    if let ParameterSchemaOrContent::Content(_) = data.format {
        return err("parameters with `content` are not supported; give the parameter a `schema`");
    }
    match param {
        Parameter::Cookie { .. } => err("cookie parameters are not supported by progenitor"),
        Parameter::Path {
            style,
            parameter_data,
        } => {
            if !parameter_data.required {
                err("path parameters must have `required: true`")
            } else if !matches!(style, openapiv3::PathStyle::Simple) {
                err("only `style: simple` path parameters are supported")
            } else {
                Ok(())
            }
        }
        Parameter::Query { style, .. } if !matches!(style, openapiv3::QueryStyle::Form) => {
            err("only `style: form` query parameters are supported")
        }
        _ => Ok(()),
    }
}

fn check_request_body(file: &Path, at: &JsonPath, body: &RequestBody) -> Result<(), CodegenError> {
    let at = at.key("content");
    let mut media_types = body.content.iter();
    match (media_types.next(), media_types.next()) {
        (None, _) => Err(CodegenError::spec(
            file,
            at,
            "the request body has no media type",
        )),
        (Some(_), Some(_)) => Err(CodegenError::spec(
            file,
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
                Err(CodegenError::spec(
                    file,
                    at,
                    format!("request media type `{name}` is not supported; use application/json"),
                ))
            } else if media.schema.is_none() {
                Err(CodegenError::spec(
                    file,
                    at,
                    "the request body needs a `schema`",
                ))
            } else {
                Ok(())
            }
        }
    }
}

/// What a response's body becomes in Rust, for comparing responses of one class.
fn body_kind(file: &Path, at: &JsonPath, response: &Response) -> Result<String, CodegenError> {
    let Some((name, media)) = response.content.iter().find(|(name, _)| is_json(name)) else {
        return Ok(if response.content.is_empty() {
            "no body".into()
        } else {
            "raw bytes".into()
        });
    };
    let at = at.key("content").key(name.clone());
    if !media.encoding.is_empty() {
        return Err(CodegenError::spec(
            file,
            at.key("encoding"),
            "`encoding` is not supported",
        ));
    }
    match &media.schema {
        None => Err(CodegenError::spec(
            file,
            at,
            "a JSON response needs a `schema`",
        )),
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
    file: &Path,
    at: &JsonPath,
    item: &'a ReferenceOr<T>,
    components: Option<&'a Components>,
    section: &str,
    get: impl Fn(&'a Components, &str) -> Option<&'a ReferenceOr<T>>,
) -> Result<&'a T, CodegenError> {
    match item {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => {
            let prefix = format!("#/components/{section}/");
            let found = reference
                .strip_prefix(&prefix)
                .and_then(|name| components.and_then(|c| get(c, name)));
            match found {
                Some(ReferenceOr::Item(item)) => Ok(item),
                Some(ReferenceOr::Reference { .. }) => Err(CodegenError::spec(
                    file,
                    at.key("$ref"),
                    format!("`{reference}` is itself a reference; point at the final component"),
                )),
                None => Err(CodegenError::spec(
                    file,
                    at.key("$ref"),
                    format!("`{reference}` must point at an entry of #/components/{section}"),
                )),
            }
        }
    }
}
