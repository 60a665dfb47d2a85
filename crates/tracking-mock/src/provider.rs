//! One provider the mock serves: its contract, where it is mounted, what
//! credentials its operations need and which it accepts, its login, and the
//! tokens it has issued.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use tracking_contract::Contract;
use tracking_spec::follow_ref;
use tracking_spec::tracking::Tracking;

use crate::MockError;
use crate::config::SpecSource;
use crate::credentials::Credentials;
use crate::token::{self, TokenEndpoint};

/// What one security scheme asks of a request.
#[derive(Debug, Clone)]
enum Scheme {
    /// A header that must be present (`apiKey` in header).
    Header(String),
    /// `Authorization: Bearer <token>` (`http` / `bearer`).
    Bearer,
    /// The access tokens of the spec's token endpoint, alone in a header:
    /// an `apiKey` header scheme with `x-token-of` naming the `oauth2`
    /// scheme they come from (Amazon's `x-amz-access-token`).
    TokenHeader(String),
}

/// Where a login operation's request and answer hold the credentials.
#[derive(Debug, Clone)]
struct Login {
    /// The request's other required field (the username), if it has one.
    username: Option<String>,
    /// The request's `format: password` field.
    password: String,
    /// The success answer's `format: password` field (the token), if any.
    token: Option<String>,
}

/// The extension of an `apiKey` header scheme whose values are the access
/// tokens of the named `oauth2` scheme ([`Scheme::TokenHeader`]).
const TOKEN_OF: &str = "x-token-of";

/// The hint a refusal of credentials ends with: where the accepted values
/// are. A refusal never repeats the value received: 401 bodies get logged.
const SEE_CREDENTIALS: &str = "the values this mock accepts are listed in tracking_mock::credentials and the README; MockConfig::with_credential and with_login, or --credential and --login, add more";

/// A provider, loaded.
pub(crate) struct Provider {
    pub name: String,
    /// `/<name>` followed by the path of the spec's first server URL.
    pub mount: String,
    pub contract: Contract,
    /// Per operationId: alternatives, each a list of schemes that must all hold.
    security: HashMap<String, Vec<Vec<(String, Scheme)>>>,
    /// Per scheme name: the whole header values accepted (none: any).
    accepted: HashMap<String, Vec<String>>,
    /// Per login operationId: where its credentials are.
    logins: HashMap<String, Login>,
    /// The username and password pairs a login accepts (none: any).
    accounts: Vec<(String, String)>,
    /// The token a login answers with, unless it issues its own.
    login_token: Option<String>,
    /// Operations whose success response carries `access_token` and `expires_in`.
    token_operations: Vec<String>,
    /// Operations that may be repeated (`tracking_spec::idempotent_operations`).
    idempotent: Vec<String>,
    /// Per operationId: what it does with tracking numbers (the spec's
    /// `x-tracking-` extensions, [`tracking_spec::tracking`]).
    pub tracking: BTreeMap<String, Tracking>,
    tokens: Mutex<HashMap<String, Instant>>,
    /// The token endpoints of its `oauth2` schemes.
    pub token_endpoints: Vec<TokenEndpoint>,
    /// What they accept.
    token_accepted: token::Accepted,
}

impl Provider {
    /// Loads `source`, accepting `credentials` (any, when `None`).
    pub fn load(source: &SpecSource, credentials: Option<&Credentials>) -> Result<Self, MockError> {
        let spec = tracking_spec::parse(&source.origin, &source.text)
            .map_err(|e| MockError::Spec(e.to_string()))?;
        let contract = Contract::from_json(&source.origin, spec.json.clone())
            .map_err(|e| MockError::Spec(e.to_string()))?;
        let json = &spec.json;
        // The schemes the mock checks: an API key in a header, a bearer token.
        let scheme = |s: &Value| -> Option<Scheme> {
            match (
                s.get("type").and_then(Value::as_str),
                s.get("in").and_then(Value::as_str),
            ) {
                (Some("apiKey"), Some("header")) => {
                    let header = s.get("name")?.as_str()?.to_string();
                    Some(if s.get(TOKEN_OF).is_some() {
                        Scheme::TokenHeader(header)
                    } else {
                        Scheme::Header(header)
                    })
                }
                (Some("http"), _)
                    if s.get("scheme")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x.eq_ignore_ascii_case("bearer")) =>
                {
                    Some(Scheme::Bearer)
                }
                // The access tokens of its token endpoint, sent as bearer tokens.
                (Some("oauth2"), _) => Some(Scheme::Bearer),
                _ => None,
            }
        };
        let schemes: HashMap<String, Scheme> = json
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, s)| Some((name.clone(), scheme(follow_ref(json, s))?)))
            .collect();
        let requirements = |op: &Value| -> Vec<Vec<(String, Scheme)>> {
            tracking_spec::security_requirements(json, op)
                .into_iter()
                .map(|alternative| {
                    alternative
                        .into_iter()
                        .filter_map(|(name, _)| {
                            Some((name.to_string(), schemes.get(name)?.clone()))
                        })
                        .collect()
                })
                .collect()
        };
        let mut security = HashMap::new();
        let mut token_operations = Vec::new();
        let mut logins = HashMap::new();
        // The accounts of the logins' own request examples.
        let mut example_accounts = Vec::new();
        for op in contract.operations() {
            let node = operation_node(json, op);
            let own = requirements(node.unwrap_or(&Value::Null));
            let public = own.is_empty() || own.iter().any(Vec::is_empty);
            security.insert(op.id.clone(), own);
            if let Some((_, _, example)) = success_example(json, node)
                && example.get("access_token").is_some()
                && example.get("expires_in").is_some()
            {
                token_operations.push(op.id.clone());
            }
            if public
                && let Some(node) = node
                && let Some(login) = login(json, node)
            {
                let media = node
                    .get("requestBody")
                    .and_then(|b| tracking_spec::json_media(json, b));
                for (_, example) in media
                    .map(|(_, m)| tracking_spec::examples(json, m))
                    .unwrap_or_default()
                {
                    let field =
                        |name: Option<&String>| Some(example.get(name?)?.as_str()?.to_string());
                    if let (Some(user), Some(password)) =
                        (field(login.username.as_ref()), field(Some(&login.password)))
                    {
                        example_accounts.push((user, password));
                    }
                }
                logins.insert(op.id.clone(), login);
            }
        }
        let name = &source.name;
        let none = Credentials::default();
        let credentials = credentials.unwrap_or(&none);
        let mut accepted: HashMap<String, Vec<String>> = HashMap::new();
        let mut accounts = credentials.logins.clone();
        if credentials.example_logins {
            accounts.extend(example_accounts);
        }
        let mut login_token = credentials.login_token.clone();
        if credentials.defaults {
            // The credentials module's rule.
            let mut keys: Vec<&String> = schemes
                .iter()
                .filter(|(_, kind)| matches!(kind, Scheme::Header(_)))
                .map(|(scheme, _)| scheme)
                .collect();
            keys.sort();
            for scheme in &keys {
                accepted
                    .entry(scheme.to_string())
                    .or_default()
                    .push(crate::credentials::api_key(scheme));
            }
            if !logins.is_empty() {
                accounts.push((
                    crate::credentials::USERNAME.into(),
                    crate::credentials::PASSWORD.into(),
                ));
            }
            if let ([scheme], None) = (keys.as_slice(), &login_token) {
                login_token = Some(crate::credentials::api_key(scheme));
            }
        }
        let oauth2: Vec<&String> = json
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, s)| {
                follow_ref(json, s).get("type").and_then(Value::as_str) == Some("oauth2")
            })
            .map(|(name, _)| name)
            .collect();
        let token_endpoints = token::endpoints(json);
        let mut token_accepted = if credentials.defaults {
            token::Accepted::defaults()
        } else {
            token::Accepted::default()
        };
        if !token_endpoints.is_empty() {
            // Its token endpoint is its login: client ids and secrets.
            token_accepted
                .clients
                .extend(credentials.logins.iter().cloned());
        }
        for (key, values) in &credentials.accepted {
            // An OAuth 2 scheme's credential is the refresh token its
            // token endpoint takes.
            if oauth2.contains(&key) {
                token_accepted.refresh_tokens.extend(values.iter().cloned());
                continue;
            }
            let named: Vec<&String> = schemes
                .iter()
                .filter(|(scheme, kind)| {
                    *scheme == key
                        || match kind {
                            Scheme::Header(h) | Scheme::TokenHeader(h) => {
                                h.eq_ignore_ascii_case(key)
                            }
                            Scheme::Bearer => key.eq_ignore_ascii_case("authorization"),
                        }
                })
                .map(|(scheme, _)| scheme)
                .collect();
            if named.is_empty() {
                let mut known: Vec<&String> = schemes.keys().collect();
                known.sort();
                return Err(MockError::Config(format!(
                    "credentials for {name}: its spec has no security scheme or header named {key} (it has: {known:?})"
                )));
            }
            for scheme in named {
                accepted
                    .entry(scheme.clone())
                    .or_default()
                    .extend(values.iter().cloned());
            }
        }
        if !credentials.logins.is_empty() && logins.is_empty() && token_endpoints.is_empty() {
            return Err(MockError::Config(format!(
                "logins for {name}: its spec has no login (an operation without security whose request has a `format: password` field)"
            )));
        }
        let base_path = tracking_spec::server_path(json);
        Ok(Self {
            mount: format!("/{}{base_path}", source.name),
            name: source.name.clone(),
            contract,
            security,
            accepted,
            logins,
            accounts,
            login_token,
            token_operations,
            idempotent: tracking_spec::idempotent_operations(&spec.openapi),
            // A spec without the extensions is served all the same: its
            // calls carry no tracking numbers the mock knows of.
            tracking: tracking_spec::tracking::tracking(json).0,
            tokens: Mutex::new(HashMap::new()),
            token_endpoints,
            token_accepted,
        })
    }

    /// Whether `operation` may be repeated without changing the result.
    pub fn idempotent(&self, operation: &str) -> bool {
        self.idempotent.iter().any(|id| id == operation)
    }

    /// The tracking numbers a request to `operation` with `body` sets.
    pub fn tracking_numbers(&self, operation: &str, body: Option<&Value>) -> Vec<String> {
        match (self.tracking.get(operation), body) {
            (Some(facts), Some(body)) => {
                tracking_spec::tracking::tracking_numbers(body, &facts.numbers)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Headers that pass the security of the provider's operations with
    /// the credentials this mock accepts (the first of each scheme's, and
    /// a fresh bearer token it issues now, from `fresh`): what a tool that
    /// calls every operation sends (`GET /_mock/credentials/<provider>`).
    pub fn client_headers(&self, fresh: impl FnOnce() -> String) -> Vec<(String, String)> {
        let mut ids: Vec<&String> = self.security.keys().collect();
        ids.sort();
        let Some(alternative) = ids
            .iter()
            .filter_map(|id| self.security[*id].first())
            .find(|alternative| !alternative.is_empty())
        else {
            return Vec::new();
        };
        let mut fresh = Some(fresh);
        alternative
            .iter()
            .filter_map(|(name, scheme)| match scheme {
                Scheme::Header(header) => {
                    let value = self
                        .accepted
                        .get(name)
                        .and_then(|values| values.first())
                        .cloned()
                        .unwrap_or_else(|| "mock".into());
                    Some((header.clone(), value))
                }
                Scheme::Bearer | Scheme::TokenHeader(_) => {
                    let token = fresh.take()?();
                    self.tokens
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(token.clone(), Instant::now() + Duration::from_secs(3600));
                    Some(match scheme {
                        Scheme::TokenHeader(header) => (header.clone(), token),
                        _ => ("Authorization".into(), format!("Bearer {token}")),
                    })
                }
            })
            .collect()
    }

    /// Whether a stateful mock may answer `operation` 404: it is a lookup,
    /// which needs a tracking number added through the mock.
    pub fn needs_existing(&self, operation: &str) -> bool {
        self.tracking
            .get(operation)
            .is_some_and(|facts| facts.lookup.is_some())
    }

    /// Why a request to `operation` lacks credentials this mock accepts, if
    /// it does: what would pass, never what was sent.
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
        let mut refused = false;
        for alternative in alternatives {
            let failed: Vec<String> = alternative
                .iter()
                .filter_map(|(name, scheme)| match scheme {
                    Scheme::Header(h) => match header(h).filter(|v| !v.is_empty()) {
                        None => Some(format!("header {h} ({name})")),
                        Some(value) if !self.accepts(name, h, &value) => {
                            refused = true;
                            Some(format!(
                                "header {h} ({name}) with a value this mock accepts"
                            ))
                        }
                        Some(_) => None,
                    },
                    Scheme::Bearer => {
                        let value = header("authorization").unwrap_or_default();
                        match value.strip_prefix("Bearer ").filter(|t| !t.is_empty()) {
                            None => Some(format!("Authorization: Bearer <token> ({name})")),
                            Some(token) if !self.bearer_accepted(name, &value, token) => {
                                refused = true;
                                Some(format!(
                                    "a bearer token issued by {} that has not expired ({name})",
                                    self.token_issuer()
                                ))
                            }
                            Some(_) => None,
                        }
                    }
                    Scheme::TokenHeader(h) => match header(h).filter(|v| !v.is_empty()) {
                        None => Some(format!("header {h} ({name})")),
                        Some(token) if !self.bearer_accepted(name, &token, &token) => {
                            refused = true;
                            Some(format!(
                                "an access token issued by {} that has not expired, in header {h} ({name})",
                                self.token_issuer()
                            ))
                        }
                        Some(_) => None,
                    },
                })
                .collect();
            if failed.is_empty() {
                return None;
            }
            reasons.push(failed.join(" and "));
        }
        let hint = if refused {
            format!(" ({SEE_CREDENTIALS})")
        } else {
            String::new()
        };
        Some(format!("{operation} needs {}{hint}", reasons.join(", or ")))
    }

    /// Whether `value` of `header` is accepted for scheme `name`: one of
    /// its configured values, or anything when it has none. An
    /// `Authorization` value may carry the accepted one after the word of
    /// its scheme (`Token mock-token-auth`).
    fn accepts(&self, name: &str, header: &str, value: &str) -> bool {
        let credentials = header
            .eq_ignore_ascii_case("authorization")
            .then(|| value.split_once(' ').map(|(_, c)| c))
            .flatten();
        self.accepted.get(name).is_none_or(|values| {
            values
                .iter()
                .any(|v| v == value || Some(v.as_str()) == credentials)
        })
    }

    /// Whether a request to `operation` needs credentials.
    pub fn needs_credentials(&self, operation: &str) -> bool {
        self.security
            .get(operation)
            .is_some_and(|a| !a.is_empty() && a.iter().all(|alternative| !alternative.is_empty()))
    }

    /// Whether `operation` is a login that refuses unknown accounts.
    pub fn checks_login(&self, operation: &str) -> bool {
        self.logins.contains_key(operation) && !self.accounts.is_empty()
    }

    /// Why a login to `operation` with `body` is refused, if it is: its
    /// username and password are not an account this mock accepts.
    pub fn refused_login(&self, operation: &str, body: Option<&Value>) -> Option<String> {
        let login = self.logins.get(operation)?;
        if self.accounts.is_empty() {
            return None;
        }
        let field = |name: &str| body?.get(name)?.as_str();
        let username = login.username.as_deref().map(field);
        let password = field(&login.password);
        let known = self.accounts.iter().any(|(user, pass)| {
            Some(pass.as_str()) == password
                && username.is_none_or(|given| given == Some(user.as_str()))
        });
        (!known).then(|| {
            let fields = match &login.username {
                Some(user) => format!("{user} and {}", login.password),
                None => login.password.clone(),
            };
            format!(
                "{operation} needs the {fields} of an account this mock accepts ({SEE_CREDENTIALS})"
            )
        })
    }

    /// `body` (a login request to `operation`) with the first account this
    /// mock accepts put in its username and password fields; `None` if
    /// `operation` is not a login that checks accounts.
    pub fn with_account(&self, operation: &str, mut body: Value) -> Option<Value> {
        let login = self.logins.get(operation)?;
        let (user, password) = self.accounts.first()?;
        if !body.is_object() {
            body = Value::Object(Default::default());
        }
        if let Some(field) = &login.username {
            body[field] = Value::String(user.clone());
        }
        body[&login.password] = Value::String(password.clone());
        Some(body)
    }

    /// Puts the configured login token in a login's success answer, for a
    /// login that does not issue tokens of its own.
    pub fn answer_login(&self, operation: &str, answer: &mut Value) {
        if let (Some(login), Some(token)) = (self.logins.get(operation), &self.login_token)
            && let Some(field) = &login.token
            && !self.issues_tokens(operation)
        {
            answer[field] = Value::String(token.clone());
        }
    }

    /// The methods the operations of this provider serve at `path` (after
    /// the mount), in the order of the spec's operations.
    pub fn methods_at(&self, path: &str) -> Vec<String> {
        let mut methods: Vec<String> = Vec::new();
        for op in self.contract.operations() {
            if !methods.contains(&op.method) && self.contract.route(&op.method, path).is_some() {
                methods.push(op.method.clone());
            }
        }
        methods
    }

    fn token_issuer(&self) -> String {
        match (self.token_operations.first(), self.token_endpoints.first()) {
            (Some(op), _) => format!("{op} of this mock"),
            (None, Some(endpoint)) => {
                format!("the token endpoint {}{}", self.name_prefix(), endpoint.path)
            }
            (None, None) => "this mock".into(),
        }
    }

    /// `/<name>`: where the provider's URLs start, before its server path.
    pub fn name_prefix(&self) -> String {
        format!("/{}", self.name)
    }

    /// The token endpoint served at `path` (the whole request path), if any.
    pub fn token_endpoint(&self, path: &str) -> Option<&TokenEndpoint> {
        let rest = path.strip_prefix(&self.name_prefix())?;
        self.token_endpoints.iter().find(|e| e.path == rest)
    }

    /// The answer of token endpoint `endpoint` to a request: an access
    /// token this provider's bearer schemes then accept, or an RFC 6749
    /// error.
    pub fn exchange(
        &self,
        endpoint: &TokenEndpoint,
        authorization: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
        fresh: impl FnOnce() -> String,
    ) -> Result<Value, (u16, Value)> {
        let answer = token::exchange(
            endpoint,
            &self.token_accepted,
            authorization,
            content_type,
            body,
            fresh,
        )?;
        if let Some(issued) = answer.get("access_token").and_then(Value::as_str) {
            self.tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(
                    issued.to_string(),
                    Instant::now() + Duration::from_secs(token::LIFETIME_SECS),
                );
        }
        Ok(answer)
    }

    /// Whether `Authorization: Bearer <token>` (`value`) passes scheme
    /// `name`: a token this mock issued that has not expired, or a value
    /// configured; with neither issuer nor values, any token.
    fn bearer_accepted(&self, name: &str, value: &str, token: &str) -> bool {
        let issued = || {
            let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
            tokens
                .get(token)
                .is_some_and(|expiry| Instant::now() < *expiry)
        };
        match self.accepted.get(name) {
            Some(values) => values.iter().any(|v| v == value) || issued(),
            None => {
                (self.token_operations.is_empty() && self.token_endpoints.is_empty()) || issued()
            }
        }
    }

    /// Replaces every secret of a request body to `operation` (every value
    /// whose schema is `format: password`) by [`REDACTED`](crate::REDACTED).
    pub fn redact(&self, operation: &str, body: &mut Value) {
        let spec = self.contract.json();
        let Ok(op) = self.contract.operation(operation) else {
            return;
        };
        let schema =
            operation_node(spec, op).and_then(|node| crate::redact::request_schema(spec, node));
        if let Some(schema) = schema {
            crate::redact::redact(spec, schema, body);
        }
    }

    /// The headers `operation`'s answer with `status` documents with an
    /// example (eBay's `Location` of a new fulfillment): given as the
    /// example says, as its body is.
    pub fn answer_headers(&self, operation: &str, status: u16) -> Vec<(String, String)> {
        let spec = self.contract.json();
        let Ok(op) = self.contract.operation(operation) else {
            return Vec::new();
        };
        let headers = operation_node(spec, op)
            .and_then(|node| node.get("responses")?.get(status.to_string()))
            .map(|response| follow_ref(spec, response))
            .and_then(|response| response.get("headers")?.as_object());
        headers
            .into_iter()
            .flatten()
            .filter_map(|(name, header)| {
                let header = follow_ref(spec, header);
                let example = header
                    .get("example")
                    .or_else(|| header.get("schema")?.get("example"))?;
                Some((name.clone(), example.as_str()?.to_string()))
            })
            .collect()
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

/// The node of `op` in `spec` (`paths[path][method]`).
pub(crate) fn operation_node<'a>(
    spec: &'a Value,
    op: &tracking_contract::Operation,
) -> Option<&'a Value> {
    spec.get("paths")?
        .get(&op.path)?
        .get(op.method.to_lowercase())
}

/// Where a login's credentials are, if `op` (an operation node) is one: its
/// request has a `format: password` field.
fn login(spec: &Value, op: &Value) -> Option<Login> {
    let request = follow_ref(spec, crate::redact::request_schema(spec, op)?);
    let password = password_field(spec, request)?;
    let username = request
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|name| *name != password)
        .map(str::to_string);
    let token = success_schema(spec, op).and_then(|schema| password_field(spec, schema));
    Some(Login {
        username,
        password,
        token,
    })
}

/// The first property of an object schema that is `format: password`.
fn password_field(spec: &Value, schema: &Value) -> Option<String> {
    follow_ref(spec, schema)
        .get("properties")?
        .as_object()?
        .iter()
        .find(|(_, s)| {
            follow_ref(spec, s).get("format").and_then(Value::as_str) == Some("password")
        })
        .map(|(name, _)| name.clone())
}

/// The lowest documented 2xx of an operation node.
fn success_response(op: &Value) -> Option<(u16, &Value)> {
    op.get("responses")?
        .as_object()?
        .iter()
        .filter_map(|(s, r)| Some((s.parse::<u16>().ok()?, r)))
        .filter(|(s, _)| (200..300).contains(s))
        .min_by_key(|(s, _)| *s)
}

/// The JSON schema of the lowest documented 2xx of an operation node.
fn success_schema<'a>(spec: &'a Value, op: &'a Value) -> Option<&'a Value> {
    tracking_spec::json_schema(spec, success_response(op)?.1)
}

/// The lowest documented 2xx of an operation node: status, example name and value.
pub(crate) fn success_example<'a>(
    spec: &'a Value,
    op: Option<&'a Value>,
) -> Option<(u16, Option<String>, &'a Value)> {
    let (status, response) = success_response(op?)?;
    let (name, value) = examples(spec, response).into_iter().next()?;
    Some((status, name.map(str::to_string), value))
}

/// The examples of a response's JSON media (following `$ref`s), by name
/// (`None` for `example`).
pub(crate) fn examples<'a>(
    spec: &'a Value,
    response: &'a Value,
) -> Vec<(Option<&'a str>, &'a Value)> {
    tracking_spec::json_media(spec, response)
        .map_or_else(Vec::new, |(_, media)| tracking_spec::examples(spec, media))
}
