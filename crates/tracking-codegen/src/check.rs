//! What progenitor 0.15 cannot handle and no adjustment (`adjust/`) can fix,
//! found before it runs: progenitor would panic (`assert!`, `todo!`), fail,
//! or silently generate the wrong thing. Each finding names its rule and the
//! node, and every finding of a document is reported at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody,
};
use tracking_spec::JsonPath;

use crate::adjust::Finding;
use crate::adjust::media::{REQUEST_MEDIA_TYPES, essence};
use crate::error::CodegenError;

/// Checks the whole document; the error lists every problem found.
pub fn check(file: &Path, spec: &OpenAPI) -> Result<(), CodegenError> {
    let found = unsupported(spec);
    if found.is_empty() {
        Ok(())
    } else {
        Err(CodegenError::Unsupported {
            file: file.to_path_buf(),
            findings: found,
        })
    }
}

/// Names the generated `Client` has besides the operations' methods:
/// progenitor's own and this generator's (`hooks.rs`).
const CLIENT_NAMES: &[&str] = &[
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
    "base_url",
    "with_auth",
    "with_auth_and_config",
    "connect",
];

/// Every construct of `spec` the generator cannot handle.
pub fn unsupported(spec: &OpenAPI) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut add =
        |rule, path: JsonPath, message: String| found.push(Finding::new(rule, path, message));
    let components = spec.components.as_ref();
    let mut operation_ids = BTreeMap::new();
    let mut method_names = BTreeMap::new();

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
                    let method = heck::ToSnakeCase::to_snake_case(id.as_str());
                    if let Some(first) = operation_ids.insert(id.clone(), at.clone()) {
                        add(
                            "duplicate-operation-id",
                            at.key("operationId"),
                            format!("operationId `{id}` is already used at {first}"),
                        );
                    } else if let Some((other, first)) =
                        method_names.insert(method.clone(), (id.clone(), at.clone()))
                    {
                        add(
                            "duplicate-operation-id",
                            at.key("operationId"),
                            format!(
                                "operationIds `{other}` (at {first}) and `{id}` are one client method, `{method}`"
                            ),
                        );
                    }
                    if CLIENT_NAMES.contains(&method.as_str()) {
                        add(
                            "reserved-name",
                            at.key("operationId"),
                            format!(
                                "operationId `{id}` would be the client method `{method}`, which the client already has; rename it"
                            ),
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
                        if let Some((rule, path, message)) =
                            request_body_problem(&at_body, body, components)
                        {
                            add(rule, path, message);
                        }
                    }
                    Err((path, message)) => add("unresolved-ref", path, message),
                }
            }

            let at_responses = at.key("responses");
            let responses = op
                .responses
                .default
                .iter()
                .map(|r| ("default".to_string(), r))
                .chain(
                    op.responses
                        .responses
                        .iter()
                        .map(|(status, r)| (status.to_string(), r)),
                );
            for (status, response) in responses {
                let at_status = at_responses.key(status);
                if let Err((path, message)) =
                    resolve(&at_status, response, components, "responses", |c, n| {
                        c.responses.get(n)
                    })
                {
                    add("unresolved-ref", path, message);
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
    components: Option<&Components>,
) -> Option<(&'static str, JsonPath, String)> {
    let at = at.key("content");
    let mut media_types = body.content.iter();
    let (name, media) = match (media_types.next(), media_types.next()) {
        // progenitor sends no body then, as the document says.
        (None, _) => return None,
        (Some(first), None) => first,
        (Some(_), Some(_)) => {
            return Some((
                "request-media-type",
                at,
                format!(
                    "the request body offers {}, none of which progenitor can send ({})",
                    body.content.keys().cloned().collect::<Vec<_>>().join(", "),
                    REQUEST_MEDIA_TYPES.join(", ")
                ),
            ));
        }
    };
    let at = at.key(name.clone());
    let essence = essence(name);
    if !REQUEST_MEDIA_TYPES.contains(&essence.as_str()) {
        return Some((
            "request-media-type",
            at,
            format!(
                "progenitor cannot send a `{name}` body; it sends {}",
                REQUEST_MEDIA_TYPES.join(", ")
            ),
        ));
    }
    let Some(schema) = &media.schema else {
        return Some((
            "request-media-type",
            at,
            "the request body needs a `schema`".into(),
        ));
    };
    let schema = match resolve(&at.key("schema"), schema, components, "schemas", |c, n| {
        c.schemas.get(n)
    }) {
        Ok(schema) => schema,
        Err((path, message)) => return Some(("unresolved-ref", path, message)),
    };
    let raw = match essence.as_str() {
        "application/octet-stream" => Some(("binary", "`type: string, format: binary`")),
        "text/plain" | "text/x-markdown" => Some(("", "`type: string` without a format")),
        _ => None,
    };
    match raw {
        Some((format, wanted)) if !is_plain_string(schema, format) => Some((
            "request-media-type",
            at.key("schema"),
            format!(
                "progenitor sends a `{name}` body as bytes, and takes only {wanted} (no pattern, length, enum, default or nullable) for it"
            ),
        )),
        _ => None,
    }
}

/// `type: string` with exactly `format` (`""`: none) and nothing that
/// constrains or defaults it: what progenitor takes for a raw body.
fn is_plain_string(schema: &openapiv3::Schema, format: &str) -> bool {
    use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty as F};
    let data = &schema.schema_data;
    if data.nullable || data.default.is_some() || data.discriminator.is_some() {
        return false;
    }
    let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
        return false;
    };
    let format_ok = matches!(
        (&string.format, format),
        (F::Empty, "") | (F::Item(StringFormat::Binary), "binary")
    );
    format_ok
        && string.pattern.is_none()
        && string.enumeration.is_empty()
        && string.min_length.is_none()
        && string.max_length.is_none()
}

/// The parameter names in a path template (`/orders/{orderId}`).
pub(crate) fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// Follows a `$ref` to `#/components/<section>/<name>`.
pub(crate) fn resolve<'a, T>(
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
