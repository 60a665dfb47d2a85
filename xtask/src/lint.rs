//! `cargo xtask lint`: the project's rules for a spec, each finding with a
//! rule name, a severity, and its place (file, line, column, JSON path).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use tracking_spec::{JsonPath, Positions, SpecError, follow_ref};

/// How bad a finding is: an error fails `lint` and `check`; a warning is
/// reported only.
pub use tracking_spec::Severity;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lint {
    /// The rule, e.g. `operation-id`.
    pub rule: &'static str,
    /// How bad.
    pub severity: Severity,
    /// The spec file.
    pub file: PathBuf,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON path of the node.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {} (at {})",
            self.file.display(),
            self.line,
            self.column,
            self.severity,
            self.rule,
            self.message,
            self.path
        )
    }
}

/// Every rule, for `--help` and the docs.
pub const RULES: &[(&str, &str)] = &[
    ("spec-loads", "the file is YAML and an OpenAPI 3.0 document"),
    ("openapi-3.0", "`openapi: 3.0.x` (progenitor reads no 3.1)"),
    (
        "operation-id",
        "every operation has an operationId, in camelCase",
    ),
    (
        "operation-docs",
        "every operation has a summary and a description",
    ),
    (
        "parameter-docs",
        "every parameter has a description, a schema and an example",
    ),
    (
        "request-example",
        "every request body has a schema and an example",
    ),
    (
        "response-example",
        "every response with a body has a schema and an example",
    ),
    ("example-valid", "every example is valid against its schema"),
    ("unused-component", "every component is used"),
    ("duplicate-operation-id", "no operationId is used twice"),
    ("unresolved-ref", "every $ref resolves"),
    (
        "security-declared",
        "security schemes are declared and every operation has security (or `security: []`)",
    ),
    ("servers-declared", "at least one server is declared"),
    (
        "tracking-facts",
        "every request body places its tracking numbers (`x-tracking-numbers`), and the `x-tracking-` extensions name real fields and path parameters",
    ),
    (
        "open-responses",
        "response schemas stay open: no `additionalProperties: false`, no `enum`",
    ),
    (
        "default-response",
        "every response has its status (no `default`)",
    ),
    (
        "mixed-success-bodies, mixed-error-bodies, several-media-types, operation-id, line-breaks, colliding-properties, json-schema, json-encoding",
        "nothing the generator would have to adjust (it does, for documents nobody here wrote)",
    ),
    (
        "cookie-parameter, request-media-type, path-parameters, parameter-style, reserved-name, ...",
        "constructs the generator cannot handle",
    ),
];

/// Lints the spec at `file`.
pub fn lint_file(file: &Path) -> Vec<Lint> {
    match std::fs::read_to_string(file) {
        Ok(text) => lint_text(file, &text),
        Err(e) => vec![Lint {
            rule: "spec-loads",
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            path: "$".into(),
            message: format!("cannot read: {e}"),
        }],
    }
}

/// Lints spec `text`; `file` names it in the findings.
pub fn lint_text(file: &Path, text: &str) -> Vec<Lint> {
    let positions = Positions::of(text);
    let lint = |rule: &'static str, path: &JsonPath, message: String| {
        let (line, column) = positions.find(path).unwrap_or((1, 1));
        Lint {
            rule,
            severity: Severity::Error,
            file: file.to_path_buf(),
            line,
            column,
            path: path.to_string(),
            message,
        }
    };
    let spec = match tracking_spec::parse(file, text) {
        Ok(spec) => spec,
        Err(SpecError::Syntax {
            line,
            column,
            message,
            ..
        }) => {
            return vec![Lint {
                rule: "spec-loads",
                severity: Severity::Error,
                file: file.to_path_buf(),
                line,
                column,
                path: "$".into(),
                message,
            }];
        }
        Err(e) => {
            let path = e.path().cloned().unwrap_or_default();
            let rule = if path.to_string() == "$.openapi" {
                "openapi-3.0"
            } else if path.to_string().ends_with("['$ref']") {
                "unresolved-ref"
            } else {
                "spec-loads"
            };
            let message = match &e {
                SpecError::Invalid { message, .. } => message.clone(),
                other => other.to_string(),
            };
            return vec![lint(rule, &path, message)];
        }
    };
    let json = &spec.json;
    let mut found = Vec::new();

    for u in tracking_codegen::unsupported(&spec.openapi) {
        found.push(lint(u.rule, &u.path, u.message));
    }
    // The generator adjusts documents nobody here wrote; a spec of ours
    // says what it means, so that nothing is changed behind it.
    for note in tracking_codegen::adjustments(json) {
        found.push(lint(
            note.rule,
            &note.path,
            format!("the generator would have to adjust this: {}", note.message),
        ));
    }
    match tracking_contract::Contract::from_json(file, json.clone()) {
        Ok(contract) => {
            for f in contract.check_examples() {
                found.push(lint(f.rule, &f.path, f.message));
            }
        }
        Err(e) => found.push(lint("example-valid", &JsonPath::root(), e.to_string())),
    }
    for f in tracking_contract::check_document(json) {
        // Duplicate operationIds are also the generator's finding.
        if f.rule != "duplicate-operation-id" {
            found.push(lint(f.rule, &f.path, f.message));
        }
    }
    documentation(json, &mut |rule, path, message| {
        found.push(lint(rule, path, message))
    });
    open_responses(json, &mut |rule, path, message| {
        found.push(lint(rule, path, message))
    });
    listed_statuses(json, &mut |rule, path, message| {
        found.push(lint(rule, path, message))
    });
    for (path, message) in tracking_spec::tracking::tracking(json).1 {
        found.push(lint("tracking-facts", &path, message));
    }

    found.sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
    found.dedup();
    found
}

type Report<'a> = dyn FnMut(&'static str, &JsonPath, String) + 'a;

fn is_camel_case(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

fn has_example(media: &Value) -> bool {
    media.get("example").is_some()
        || media
            .get("examples")
            .and_then(Value::as_object)
            .is_some_and(|e| !e.is_empty())
}

/// Operation ids, docs, parameters, examples, security, servers.
fn documentation(json: &Value, report: &mut Report<'_>) {
    let root = JsonPath::root();
    if json
        .get("servers")
        .and_then(Value::as_array)
        .is_none_or(|s| s.iter().all(|s| s.get("url").is_none()))
    {
        report(
            "servers-declared",
            &root.key("servers"),
            "no `servers`: declare where the API lives (with variables where the host varies)"
                .into(),
        );
    }
    let schemes = json
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .is_some_and(|s| !s.is_empty());
    if !schemes {
        report(
            "security-declared",
            &root.key("components"),
            "no `securitySchemes`: declare how the API authenticates".into(),
        );
    }
    let global_security = json.get("security").is_some();
    for (path, item) in json
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at_path = root.key("paths").key(path.clone());
        for (method, op) in item.as_object().into_iter().flatten() {
            if !tracking_spec::METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = at_path.key(method.clone());
            if let Some(id) = op.get("operationId").and_then(Value::as_str)
                && !is_camel_case(id)
            {
                report(
                    "operation-id",
                    &at.key("operationId"),
                    format!("operationId `{id}` is not camelCase"),
                );
            }
            for field in ["summary", "description"] {
                if op
                    .get(field)
                    .and_then(Value::as_str)
                    .is_none_or(|s| s.trim().is_empty())
                {
                    report("operation-docs", &at, format!("no `{field}`"));
                }
            }
            if !global_security && op.get("security").is_none() {
                report(
                    "security-declared",
                    &at,
                    "no `security` here nor at the top: say what it needs (or `security: []`)"
                        .into(),
                );
            }
            let item_at = format!("/paths/{}", tracking_spec::pointer_token(path));
            let op_at = format!("{item_at}/{method}");
            for parameter in tracking_spec::parameters(json, &item_at, item, &op_at, op) {
                let (name, param) = (parameter.name, parameter.node);
                let param_at = parameter.path;
                if param.get("description").is_none() {
                    report(
                        "parameter-docs",
                        &param_at,
                        format!("parameter `{name}` has no `description`"),
                    );
                }
                if param.get("schema").is_none() {
                    report(
                        "parameter-docs",
                        &param_at,
                        format!("parameter `{name}` has no `schema`"),
                    );
                }
                if !has_example(param) {
                    report(
                        "parameter-docs",
                        &param_at,
                        format!("parameter `{name}` has no `example`"),
                    );
                }
            }
            if let Some(body) = op.get("requestBody") {
                let body = follow_ref(json, body);
                for (media_name, media) in body
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let media_at = at.key("requestBody").key("content").key(media_name.clone());
                    if media.get("schema").is_none() {
                        report(
                            "request-example",
                            &media_at,
                            "the request body has no `schema`".into(),
                        );
                    }
                    if !has_example(media) {
                        report(
                            "request-example",
                            &media_at,
                            "the request body has no example".into(),
                        );
                    }
                }
            }
            for (status, response) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let (response_at, response) = match response.get("$ref").and_then(Value::as_str) {
                    Some(r) => (JsonPath::from_pointer(r), follow_ref(json, response)),
                    None => (at.key("responses").key(status.clone()), response),
                };
                for (media_name, media) in response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let media_at = response_at.key("content").key(media_name.clone());
                    if media.get("schema").is_none() {
                        report(
                            "response-example",
                            &media_at,
                            format!("the {status} response has no `schema`"),
                        );
                    }
                    if !has_example(media) {
                        report(
                            "response-example",
                            &media_at,
                            format!("the {status} response has no example"),
                        );
                    }
                }
            }
        }
    }
}

/// Response schemas must decode what a provider adds: no closed objects, no enums.
/// Every response of our specs has its status: a `default` would be both
/// the success and the error type in progenitor (which takes it for
/// either), and says nothing a provider's page does not list.
fn listed_statuses(json: &Value, report: &mut Report<'_>) {
    for (path, item) in json
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            if op.pointer("/responses/default").is_some() {
                let at = JsonPath::root()
                    .key("paths")
                    .key(path.clone())
                    .key(method.clone())
                    .key("responses")
                    .key("default");
                report(
                    "default-response",
                    &at,
                    "a `default` response: list each status the provider documents (the client types each one, and progenitor takes a default for success and error at once)".into(),
                );
            }
        }
    }
}

fn open_responses(json: &Value, report: &mut Report<'_>) {
    let mut seen = std::collections::BTreeSet::new();
    for (path, item) in json
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            for (status, response) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let (at, response) = match response.get("$ref").and_then(Value::as_str) {
                    Some(r) => (JsonPath::from_pointer(r), follow_ref(json, response)),
                    None => (
                        JsonPath::root()
                            .key("paths")
                            .key(path.clone())
                            .key(method.clone())
                            .key("responses")
                            .key(status.clone()),
                        response,
                    ),
                };
                for (media_name, media) in response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if let Some(schema) = media.get("schema") {
                        walk_open(
                            json,
                            schema,
                            &at.key("content").key(media_name.clone()).key("schema"),
                            &mut seen,
                            report,
                        );
                    }
                }
            }
        }
    }
}

fn walk_open(
    json: &Value,
    schema: &Value,
    at: &JsonPath,
    seen: &mut std::collections::BTreeSet<String>,
    report: &mut Report<'_>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if seen.insert(reference.to_string())
            && let Some(target) = reference.strip_prefix('#').and_then(|p| json.pointer(p))
        {
            walk_open(
                json,
                target,
                &JsonPath::from_pointer(reference),
                seen,
                report,
            );
        }
        return;
    }
    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
        report("open-responses", &at.key("additionalProperties"), "a response schema with `additionalProperties: false` stops decoding when the provider adds a field".into());
    }
    if schema.get("enum").is_some() {
        report("open-responses", &at.key("enum"), "an `enum` in a response stops decoding when the provider adds a value; use a string and list the known values in its description".into());
    }
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        walk_open(
            json,
            property,
            &at.key("properties").key(name.clone()),
            seen,
            report,
        );
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = schema.get(key).filter(|v| v.is_object()) {
            walk_open(json, inner, &at.key(key), seen, report);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, inner) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk_open(json, inner, &at.key(key).index(i), seen, report);
        }
    }
}
