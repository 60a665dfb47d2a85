//! One provider the mock serves: its contract, where it is mounted, what
//! credentials its operations need, and the tokens it has issued.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use tracking_contract::Contract;
use tracking_spec::follow_ref;

use crate::MockError;
use crate::config::SpecSource;

/// What one security scheme asks of a request.
#[derive(Debug, Clone)]
enum Scheme {
    /// A header that must be present (`apiKey` in header).
    Header(String),
    /// `Authorization: Bearer <token>` (`http` / `bearer`).
    Bearer,
}

/// A provider, loaded.
pub(crate) struct Provider {
    pub name: String,
    /// `/<name>` followed by the path of the spec's first server URL.
    pub mount: String,
    pub contract: Contract,
    /// Per operationId: alternatives, each a list of schemes that must all hold.
    security: HashMap<String, Vec<Vec<(String, Scheme)>>>,
    /// Operations whose success response carries `access_token` and `expires_in`.
    token_operations: Vec<String>,
    /// Operations that may be repeated (`tracking_spec::idempotent_operations`).
    idempotent: Vec<String>,
    tokens: Mutex<HashMap<String, Instant>>,
}

impl Provider {
    pub fn load(source: &SpecSource) -> Result<Self, MockError> {
        let spec = tracking_spec::parse(&source.origin, &source.text)
            .map_err(|e| MockError::Spec(e.to_string()))?;
        let contract = Contract::from_json(&source.origin, spec.json.clone())
            .map_err(|e| MockError::Spec(e.to_string()))?;
        let json = &spec.json;
        let schemes: HashMap<String, Scheme> = json
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, s)| {
                let scheme = match (
                    s.get("type").and_then(Value::as_str),
                    s.get("in").and_then(Value::as_str),
                ) {
                    (Some("apiKey"), Some("header")) => {
                        Scheme::Header(s.get("name")?.as_str()?.to_string())
                    }
                    (Some("http"), _)
                        if s.get("scheme")
                            .and_then(Value::as_str)
                            .is_some_and(|x| x.eq_ignore_ascii_case("bearer")) =>
                    {
                        Scheme::Bearer
                    }
                    _ => return None,
                };
                Some((name.clone(), scheme))
            })
            .collect();
        let requirements = |node: &Value| -> Vec<Vec<(String, Scheme)>> {
            node.as_array()
                .into_iter()
                .flatten()
                .map(|alternative| {
                    alternative
                        .as_object()
                        .into_iter()
                        .flatten()
                        .filter_map(|(name, _)| Some((name.clone(), schemes.get(name)?.clone())))
                        .collect()
                })
                .collect()
        };
        let global = json.get("security").map(requirements).unwrap_or_default();
        let mut security = HashMap::new();
        let mut token_operations = Vec::new();
        for op in contract.operations() {
            let node = json
                .get("paths")
                .and_then(|p| p.get(&op.path))
                .and_then(|i| i.get(op.method.to_lowercase()));
            let own = node.and_then(|n| n.get("security")).map(requirements);
            security.insert(op.id.clone(), own.unwrap_or_else(|| global.clone()));
            if let Some((_, _, example)) = success_example(json, node)
                && example.get("access_token").is_some()
                && example.get("expires_in").is_some()
            {
                token_operations.push(op.id.clone());
            }
        }
        let base_path = json
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .and_then(|url| url.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| {
                rest.find('/')
                    .map(|i| rest[i..].trim_end_matches('/').to_string())
            })
            .unwrap_or_default();
        Ok(Self {
            mount: format!("/{}{base_path}", source.name),
            name: source.name.clone(),
            contract,
            security,
            token_operations,
            idempotent: tracking_spec::idempotent_operations(&spec.openapi),
            tokens: Mutex::new(HashMap::new()),
        })
    }

    /// Whether `operation` may be repeated without changing the result.
    pub fn idempotent(&self, operation: &str) -> bool {
        self.idempotent.iter().any(|id| id == operation)
    }

    /// Why a request to `operation` lacks credentials, if it does.
    pub fn missing_credentials(
        &self,
        operation: &str,
        header: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        let alternatives = self.security.get(operation)?;
        if alternatives.is_empty() || alternatives.iter().any(Vec::is_empty) {
            return None;
        }
        let mut reasons = Vec::new();
        for alternative in alternatives {
            let failed: Vec<String> = alternative
                .iter()
                .filter_map(|(name, scheme)| match scheme {
                    Scheme::Header(h) => header(h)
                        .filter(|v| !v.is_empty())
                        .is_none()
                        .then(|| format!("header {h} ({name})")),
                    Scheme::Bearer => {
                        let token = header("authorization")
                            .and_then(|v| v.strip_prefix("Bearer ").map(str::to_string));
                        match token {
                            None => Some(format!("Authorization: Bearer <token> ({name})")),
                            Some(t) if !self.token_valid(&t) => Some(format!(
                                "a bearer token issued by {} that has not expired ({name})",
                                self.token_issuer()
                            )),
                            Some(_) => None,
                        }
                    }
                })
                .collect();
            if failed.is_empty() {
                return None;
            }
            reasons.push(failed.join(" and "));
        }
        Some(format!("{operation} needs {}", reasons.join(", or ")))
    }

    fn token_issuer(&self) -> String {
        match self.token_operations.first() {
            Some(op) => format!("{op} of this mock"),
            None => "this mock".into(),
        }
    }

    fn token_valid(&self, token: &str) -> bool {
        if self.token_operations.is_empty() {
            return !token.is_empty();
        }
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens
            .get(token)
            .is_some_and(|expiry| Instant::now() < *expiry)
    }

    /// Replaces every secret of a request body to `operation` (every value
    /// whose schema is `format: password`) by [`REDACTED`](crate::REDACTED).
    pub fn redact(&self, operation: &str, body: &mut Value) {
        let spec = self.contract.json();
        let Ok(op) = self.contract.operation(operation) else {
            return;
        };
        let schema = spec
            .get("paths")
            .and_then(|p| p.get(&op.path))
            .and_then(|i| i.get(op.method.to_lowercase()))
            .and_then(|node| crate::redact::request_schema(spec, node));
        if let Some(schema) = schema {
            crate::redact::redact(spec, schema, body);
        }
    }

    /// Whether `operation` issues tokens.
    pub fn issues_tokens(&self, operation: &str) -> bool {
        self.token_operations.iter().any(|o| o == operation)
    }

    /// Replaces the example's `access_token` with a fresh one, valid for its `expires_in`.
    pub fn issue_token(&self, body: &mut Value, fresh: String) {
        let seconds = body
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(3600);
        body["access_token"] = Value::String(fresh.clone());
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(fresh, Instant::now() + Duration::from_secs(seconds));
    }
}

/// The lowest documented 2xx of an operation node: status, example name and value.
pub(crate) fn success_example<'a>(
    spec: &'a Value,
    op: Option<&'a Value>,
) -> Option<(u16, Option<String>, &'a Value)> {
    let responses = op?.get("responses")?.as_object()?;
    let (status, response) = responses
        .iter()
        .filter_map(|(s, r)| Some((s.parse::<u16>().ok()?, r)))
        .filter(|(s, _)| (200..300).contains(s))
        .min_by_key(|(s, _)| *s)?;
    let (name, value) = examples(spec, response).into_iter().next()?;
    Some((status, name, value))
}

/// The examples of a response (following `$ref`s), by name (`None` for `example`).
pub(crate) fn examples<'a>(
    spec: &'a Value,
    response: &'a Value,
) -> Vec<(Option<String>, &'a Value)> {
    let response = follow_ref(spec, response);
    let Some(media) = response
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.iter().find(|(m, _)| m.starts_with("application/json")))
        .map(|(_, m)| m)
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if let Some(example) = media.get("example") {
        found.push((None, example));
    }
    for (name, example) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = follow_ref(spec, example).get("value") {
            found.push((Some(name.clone()), value));
        }
    }
    found
}
