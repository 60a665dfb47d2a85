//! The operations and examples of every spec in `specs/`, read from the
//! documents themselves so that a new spec or operation is covered without
//! editing the tests.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One spec file.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// The file stem: the provider's name.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// The document as JSON.
    pub json: Value,
}

/// A named example.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its key under `examples` (or `example`).
    pub name: String,
    /// The example value.
    pub value: Value,
}

/// A parameter of an operation.
#[derive(Debug, Clone)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// `path`, `query`, `header`.
    pub location: String,
    /// Its example, if any.
    pub example: Option<Value>,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct ResponseSpec {
    /// The status code.
    pub status: u16,
    /// Whether it has a JSON body.
    pub has_body: bool,
    /// Its examples.
    pub examples: Vec<Example>,
}

/// One operation of a spec.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId.
    pub id: String,
    /// The method, upper case.
    pub method: String,
    /// The path template.
    pub path: String,
    /// Path-item and operation parameters.
    pub params: Vec<Param>,
    /// Whether it has a request body.
    pub has_body: bool,
    /// The request body's examples.
    pub request_examples: Vec<Example>,
    /// Every documented response, by status.
    pub responses: Vec<ResponseSpec>,
    /// Whether the operation needs credentials.
    pub secured: bool,
    /// Its security alternatives: each a list of schemes that must all hold.
    pub security: Vec<Vec<AuthScheme>>,
}

/// A security scheme as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// Its name in the spec.
    pub name: String,
    /// The header it fills, in lower case.
    pub header: String,
    /// An `http` `bearer` or an `oauth2` scheme, or the access token of one
    /// alone in `header` (`x-token-of`); else an API key in `header`.
    pub bearer: bool,
    /// Headers the platform asks on every request with it
    /// (`x-request-headers`: Walmart's service name and correlation id), in
    /// lower case.
    pub also: Vec<String>,
}

/// The workspace's `specs/` directory.
pub fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// Every spec of `specs/` (YAML or JSON), sorted by name.
pub fn all_specs() -> Vec<SpecFile> {
    let files = tracking_codegen::specs_in(&specs_dir()).expect("specs/ holds one file per spec");
    assert!(
        !files.is_empty(),
        "no specs found in {}",
        specs_dir().display()
    );
    files.into_iter().map(|path| load(&path)).collect()
}

/// Loads one spec (panics with the generator's message if it is broken).
pub fn load(path: &Path) -> SpecFile {
    let spec = tracking_codegen::load(path).unwrap_or_else(|e| panic!("{e}"));
    SpecFile {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        path: path.to_path_buf(),
        json: spec.json,
    }
}

/// Follows `$ref`s to the node they name.
pub use tracking_spec::follow_ref as resolve;

/// `example` and every `examples[*].value` of a node (parameter or media
/// type): [`tracking_spec::examples`], owned.
pub fn examples_of(root: &Value, node: &Value) -> Vec<Example> {
    tracking_spec::examples(root, node)
        .into_iter()
        .map(|(name, value)| Example {
            name: name.unwrap_or("example").to_string(),
            value: value.clone(),
        })
        .collect()
}

impl SpecFile {
    /// Every operation, sorted by path, then method.
    pub fn operations(&self) -> Vec<Operation> {
        let root = &self.json;
        let global_security = root
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty());
        let mut operations = Vec::new();
        for (path, item) in root["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                if !tracking_spec::METHODS.contains(&method.as_str()) {
                    continue;
                }
                let item_at = format!("/paths/{}", tracking_spec::pointer_token(path));
                let op_at = format!("{item_at}/{method}");
                let params = tracking_spec::parameters(root, &item_at, item, &op_at, op)
                    .into_iter()
                    .map(|p| Param {
                        name: p.name.to_string(),
                        location: p.location.to_string(),
                        example: examples_of(root, p.node)
                            .into_iter()
                            .next()
                            .map(|e| e.value),
                    })
                    .collect();
                let body_media = op
                    .get("requestBody")
                    .and_then(|b| tracking_spec::json_media(root, b));
                let responses = op["responses"]
                    .as_object()
                    .expect("responses")
                    .iter()
                    .map(|(status, response)| {
                        let media = tracking_spec::json_media(root, response);
                        ResponseSpec {
                            status: status.parse().expect("numeric status"),
                            has_body: media.is_some(),
                            examples: media.map(|(_, m)| examples_of(root, m)).unwrap_or_default(),
                        }
                    })
                    .collect();
                let secured = match op.get("security") {
                    Some(s) => s.as_array().is_some_and(|s| !s.is_empty()),
                    None => global_security,
                };
                let security = tracking_spec::security_requirements(root, op)
                    .into_iter()
                    .map(|alternative| {
                        alternative
                            .into_iter()
                            .map(|(name, scheme)| {
                                let text = |key: &str| {
                                    scheme
                                        .and_then(|s| s.get(key))
                                        .and_then(Value::as_str)
                                        .unwrap_or_default()
                                        .to_ascii_lowercase()
                                };
                                // An OAuth 2 scheme's access token goes as a bearer
                                // token, or alone in the header of an API key
                                // scheme that names it (`x-token-of`).
                                let issued = scheme.is_some_and(|s| s.get("x-token-of").is_some());
                                let bearer = (text("type") == "http" && text("scheme") == "bearer")
                                    || text("type") == "oauth2"
                                    || issued;
                                AuthScheme {
                                    name: name.to_string(),
                                    header: if bearer && !issued {
                                        "authorization".into()
                                    } else {
                                        text("name")
                                    },
                                    bearer,
                                    also: scheme
                                        .and_then(|s| s.get("x-request-headers"))
                                        .and_then(Value::as_array)
                                        .into_iter()
                                        .flatten()
                                        .filter_map(Value::as_str)
                                        .map(str::to_ascii_lowercase)
                                        .collect(),
                                }
                            })
                            .collect()
                    })
                    .filter(|alternative: &Vec<AuthScheme>| !alternative.is_empty())
                    .collect();
                operations.push(Operation {
                    id: op["operationId"].as_str().expect("operationId").to_string(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    params,
                    has_body: op.get("requestBody").is_some(),
                    request_examples: body_media
                        .map(|(_, m)| examples_of(root, m))
                        .unwrap_or_default(),
                    responses,
                    secured,
                    security,
                });
            }
        }
        operations
    }

    /// The path of the first server URL (`/rest`, or empty), variables at
    /// their defaults.
    pub fn base_path(&self) -> String {
        tracking_spec::server_path(&self.json)
    }
}

impl Operation {
    /// Whether its credentials include a bearer token (which a client
    /// renews once after a 401).
    pub fn bearer(&self) -> bool {
        self.security.iter().flatten().any(|s| s.bearer)
    }

    /// Whether it is the login that issues bearer tokens: public, and its
    /// success answer has `access_token`.
    pub fn issues_tokens(&self) -> bool {
        !self.secured
            && self
                .success()
                .examples
                .iter()
                .any(|e| e.value.get("access_token").is_some())
    }

    /// The lowest documented 2xx response.
    pub fn success(&self) -> &ResponseSpec {
        self.responses
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .min_by_key(|r| r.status)
            .unwrap_or_else(|| panic!("{} documents no 2xx response", self.id))
    }

    /// The path with every parameter's example, percent-encoded as a URL
    /// path segment.
    pub fn example_path(&self) -> String {
        let mut path = self.path.clone();
        for param in self.params.iter().filter(|p| p.location == "path") {
            let value = param.example.as_ref().unwrap_or_else(|| {
                panic!("{}: path parameter {} has no example", self.id, param.name)
            });
            path = path.replace(
                &format!("{{{}}}", param.name),
                &encode_segment(&text(value)),
            );
        }
        path
    }
}

/// A parameter value as text.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Percent-encodes a path segment with the WHATWG URL standard's "path
/// percent-encode set" plus `/` and `%` (a segment must not split or
/// re-decode): controls, space, `"`, `#`, `<`, `>`, `?`, backtick, `{`, `}`,
/// and every non-ASCII byte.
pub fn encode_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            0..=0x20
            | 0x7F..
            | b'"'
            | b'#'
            | b'<'
            | b'>'
            | b'?'
            | b'`'
            | b'{'
            | b'}'
            | b'/'
            | b'%' => {
                format!("%{b:02X}")
            }
            _ => (b as char).to_string(),
        })
        .collect()
}

/// JSON equality with numbers compared by value (`10` equals `10.0`) and a
/// `null` object member the same as an absent one (the generated types map
/// both to `None`, and the specs' nullable fields mean nothing else).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            let member = |m: &serde_json::Map<String, Value>, k: &str| {
                m.get(k).cloned().unwrap_or(Value::Null)
            };
            x.keys()
                .chain(y.keys())
                .all(|k| same_json(&member(x, k), &member(y, k)))
        }
        _ => a == b,
    }
}
