//! The nodes of a spec that every reader needs alike (the generator, the
//! contract engine, the mock, xtask and the tests), written once: the JSON
//! media of a body or response, the examples of a node, and the words for
//! which way a value travels and how much a finding matters.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{JsonPath, follow_ref, media_essence, resolve_ref};

/// Which way a value travels: what `readOnly` and `writeOnly` mean, and
/// whether a stricter schema is safe, depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to provider.
    Request,
    /// Provider to client.
    Response,
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the check that found it.
    Error,
    /// Reported; the check passes.
    Warning,
    /// Worth knowing.
    Info,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// Whether a media type is JSON: `application/json`, or one with the
/// structured syntax suffix `+json` (RFC 6839), such as
/// `application/problem+json`, in any case, with any parameters.
pub fn is_json_media(media_type: &str) -> bool {
    let essence = media_essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// The JSON media of a request body or response node (its `$ref`
/// followed): `application/json` if it has it, else its first other JSON
/// media type; the media type as written, and its media type object.
pub fn json_media<'a>(root: &'a Value, node: &'a Value) -> Option<(&'a str, &'a Value)> {
    let content = follow_ref(root, node).get("content")?.as_object()?;
    let json = || content.iter().filter(|(media, _)| is_json_media(media));
    json()
        .find(|(media, _)| media_essence(media) == "application/json")
        .or_else(|| json().next())
        .map(|(media, node)| (media.as_str(), node))
}

/// The schema of a request body or response node's JSON media, if it has one.
pub fn json_schema<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Value> {
    json_media(root, node)?.1.get("schema")
}

/// The examples of a parameter or media type node: its `example` (named
/// `None`), then the `value` of each of its `examples` (their `$ref`s
/// followed), by name.
pub fn examples<'a>(root: &'a Value, node: &'a Value) -> Vec<(Option<&'a str>, &'a Value)> {
    let mut found = Vec::new();
    if let Some(example) = node.get("example") {
        found.push((None, example));
    }
    for (name, example) in node
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = follow_ref(root, example).get("value") {
            found.push((Some(name.as_str()), value));
        }
    }
    found
}

/// One parameter of an operation, its `$ref` followed.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter<'a> {
    /// Where it goes (`in`): `path`, `query`, `header` or `cookie`.
    pub location: &'a str,
    /// Its name, as written.
    pub name: &'a str,
    /// Its node.
    pub node: &'a Value,
    /// The JSON pointer of its node: the entry of the list, or the node its
    /// `$ref` names.
    pub at: String,
    /// The same place as a [`JsonPath`] (`$.paths['/x'].get.parameters[0]`).
    pub path: JsonPath,
}

/// The parameters of the operation `op` of path item `item` (found at the
/// JSON pointers `item_at` and `op_at`): the path item's, then the
/// operation's, each `$ref` followed. One of the operation's replaces the
/// path item's of the same name and place, and a header named `Accept`,
/// `Content-Type` or `Authorization` is left out: OpenAPI says such
/// parameters "SHALL be ignored" (the media types and security schemes say
/// them). Header names are compared in any case.
pub fn parameters<'a>(
    root: &'a Value,
    item_at: &str,
    item: &'a Value,
    op_at: &str,
    op: &'a Value,
) -> Vec<Parameter<'a>> {
    let mut found: Vec<Parameter<'a>> = Vec::new();
    let lists = [
        (format!("{item_at}/parameters"), item.get("parameters")),
        (format!("{op_at}/parameters"), op.get("parameters")),
    ];
    for (list_at, list) in lists {
        for (i, entry) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (at, node) = resolve_ref(root, &format!("{list_at}/{i}"), entry);
            let text = |key: &str| node.get(key).and_then(Value::as_str).unwrap_or_default();
            let (location, name) = (text("in"), text("name"));
            let same = |a: &str, b: &str| match location {
                "header" => a.eq_ignore_ascii_case(b),
                _ => a == b,
            };
            if location == "header"
                && ["accept", "content-type", "authorization"]
                    .iter()
                    .any(|h| same(h, name))
            {
                continue;
            }
            found.retain(|p| !(p.location == location && same(p.name, name)));
            // An entry of the list is at an index; a `$ref` names a key.
            let path = if at == format!("{list_at}/{i}") {
                JsonPath::from_pointer(&list_at).index(i)
            } else {
                JsonPath::from_pointer(&at)
            };
            found.push(Parameter {
                location,
                name,
                node,
                at,
                path,
            });
        }
    }
    found
}

/// The security alternatives of an operation node (its own `security`,
/// else the document's), each as the set of what its schemes put on the
/// wire ([`what_it_sends`]): two specs that name or describe a scheme
/// differently, but send the same, have the same alternatives.
pub fn security_alternatives(root: &Value, op: &Value) -> BTreeSet<BTreeSet<String>> {
    security_requirements(root, op)
        .into_iter()
        .map(|alternative| {
            alternative
                .into_iter()
                .map(|(name, scheme)| match scheme {
                    Some(scheme) => what_it_sends(scheme),
                    None => format!("undeclared scheme {name}"),
                })
                .collect()
        })
        .collect()
}

/// The security requirements of an operation node (its own `security`,
/// else the document's): each alternative, a list of its schemes by name
/// with the scheme's node (its `$ref` followed; `None` if undeclared). An
/// empty list, or an empty alternative, asks for no credentials.
pub fn security_requirements<'a>(
    root: &'a Value,
    op: &'a Value,
) -> Vec<Vec<(&'a str, Option<&'a Value>)>> {
    let list = op.get("security").or_else(|| root.get("security"));
    let schemes = root.pointer("/components/securitySchemes");
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|alternative| {
            alternative
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, _)| {
                    let scheme = schemes.and_then(|s| s.get(name));
                    (name.as_str(), scheme.map(|s| follow_ref(root, s)))
                })
                .collect()
        })
        .collect()
}

/// What a security scheme puts on the wire: `header x-api-key`
/// (an API key: where, and its name in lower case), `http bearer`,
/// `oauth2 ["clientCredentials"]` (its flows), `openIdConnect URL`.
pub fn what_it_sends(scheme: &Value) -> String {
    let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
    match text("type") {
        "apiKey" => format!("{} {}", text("in"), text("name").to_ascii_lowercase()),
        "http" => format!("http {}", text("scheme").to_ascii_lowercase()),
        "openIdConnect" => format!("openIdConnect {}", text("openIdConnectUrl")),
        "oauth2" => {
            let flows: BTreeSet<&String> = scheme
                .get("flows")
                .and_then(Value::as_object)
                .map(|f| f.keys().collect())
                .unwrap_or_default();
            format!("oauth2 {flows:?}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_media_prefers_application_json_and_follows_refs() {
        let root = json!({
            "components": {"responses": {"R": {"content": {
                "text/plain": {},
                "application/problem+json": {"schema": {"type": "object"}},
                "Application/JSON; charset=utf-8": {"schema": {"type": "string"}}
            }}}},
            "plain": {"content": {"text/plain": {}}},
            "suffix": {"content": {"text/plain": {}, "application/vnd.x.v1+json": {"schema": true}}},
            "ref": {"$ref": "#/components/responses/R"}
        });
        let (media, node) = json_media(&root, &root["ref"]).unwrap();
        assert_eq!(media, "Application/JSON; charset=utf-8");
        assert_eq!(node["schema"]["type"], "string");
        assert_eq!(
            json_media(&root, &root["suffix"]).unwrap().0,
            "application/vnd.x.v1+json"
        );
        assert!(json_media(&root, &root["plain"]).is_none());
        assert_eq!(json_schema(&root, &root["ref"]).unwrap()["type"], "string");
        assert!(is_json_media("application/problem+json"));
        assert!(!is_json_media("application/jsonl"));
    }

    #[test]
    fn parameters_of_the_operation_override_the_path_items() {
        let root = json!({
            "components": {"parameters": {"Id": {"name": "id", "in": "path", "schema": {"type": "integer"}}}},
            "paths": {"/x/{id}": {
                "parameters": [
                    {"$ref": "#/components/parameters/Id"},
                    {"name": "X-Trace", "in": "header"},
                    {"name": "Accept", "in": "header"}
                ],
                "get": {"parameters": [{"name": "x-trace", "in": "header", "required": true}, {"name": "id", "in": "query"}]}
            }}
        });
        let item = &root["paths"]["/x/{id}"];
        let found = parameters(
            &root,
            "/paths/~1x~1{id}",
            item,
            "/paths/~1x~1{id}/get",
            &item["get"],
        );
        let seen: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|p| (p.location, p.name, p.at.as_str()))
            .collect();
        assert_eq!(
            found[1].path.to_string(),
            "$.paths['/x/{id}'].get.parameters[0]"
        );
        assert_eq!(
            seen,
            [
                ("path", "id", "/components/parameters/Id"),
                ("header", "x-trace", "/paths/~1x~1{id}/get/parameters/0"),
                ("query", "id", "/paths/~1x~1{id}/get/parameters/1"),
            ]
        );
    }

    #[test]
    fn security_is_what_reaches_the_wire() {
        let root = json!({
            "security": [{"key": []}],
            "components": {"securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "bearer": {"$ref": "#/components/schemes/b"}
            }, "schemes": {"b": {"type": "http", "scheme": "Bearer"}}}
        });
        let set = |alts: &[&[&str]]| -> BTreeSet<BTreeSet<String>> {
            alts.iter()
                .map(|a| a.iter().map(|s| s.to_string()).collect())
                .collect()
        };
        assert_eq!(
            security_alternatives(&root, &json!({})),
            set(&[&["header x-key"]])
        );
        assert_eq!(
            security_alternatives(
                &root,
                &json!({"security": [{"bearer": [], "key": []}, {}, {"nope": []}]})
            ),
            set(&[
                &["header x-key", "http bearer"],
                &[],
                &["undeclared scheme nope"]
            ])
        );
    }

    #[test]
    fn examples_are_the_example_then_each_named_one() {
        let root = json!({
            "components": {"examples": {"E": {"value": 2}}},
            "media": {"example": 1, "examples": {"a": {"$ref": "#/components/examples/E"}, "b": {"value": 3}, "c": {"externalValue": "x"}}}
        });
        let found = examples(&root, &root["media"]);
        assert_eq!(
            found,
            [
                (None, &json!(1)),
                (Some("a"), &json!(2)),
                (Some("b"), &json!(3))
            ]
        );
    }
}

/// The path of the spec's first server URL, each `{variable}` at its
/// default (`https://api.bigcommerce.com/stores/{store_hash}/v2` →
/// `/stores/store_hash/v2`; empty for a URL without a path): where a mock
/// or a test server serves the provider.
pub fn server_path(spec: &Value) -> String {
    let Some(url) = spec.pointer("/servers/0/url").and_then(Value::as_str) else {
        return String::new();
    };
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let mut path = after_scheme
        .find('/')
        .map(|i| after_scheme[i..].trim_end_matches('/').to_string())
        .unwrap_or_default();
    let variables = spec
        .pointer("/servers/0/variables")
        .and_then(Value::as_object);
    for (name, variable) in variables.into_iter().flatten() {
        if let Some(default) = variable.get("default").and_then(Value::as_str) {
            path = path.replace(&format!("{{{name}}}"), default);
        }
    }
    path
}

/// The token endpoints of `spec`'s `oauth2` security schemes: per flow
/// that has one (`authorizationCode`, `clientCredentials`, `password`), its
/// name and the path of its `tokenUrl` (`/identity/v1/oauth2/token`),
/// which is absolute or relative to the server's host.
pub fn token_paths(spec: &Value) -> Vec<(String, String)> {
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut found = Vec::new();
    for scheme in schemes
        .into_iter()
        .flatten()
        .map(|(_, s)| follow_ref(spec, s))
    {
        if scheme.get("type").and_then(Value::as_str) != Some("oauth2") {
            continue;
        }
        let flows = scheme.get("flows").and_then(Value::as_object);
        for (flow, node) in flows.into_iter().flatten() {
            if let Some(url) = node.get("tokenUrl").and_then(Value::as_str) {
                found.push((flow.clone(), url_path(url)));
            }
        }
    }
    found
}

/// The path of an absolute or host-relative URL, without query or fragment.
fn url_path(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    format!("/{}", path.trim_matches('/'))
}

#[cfg(test)]
mod server_path_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_paths_are_the_paths_of_the_oauth2_flows_token_urls() {
        let spec = json!({"components": {"securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X"},
            "api_auth": {"type": "oauth2", "flows": {
                "authorizationCode": {"tokenUrl": "https://api.ebay.com/identity/v1/oauth2/token?x=1"},
                "clientCredentials": {"tokenUrl": "/v3/token"}
            }}
        }}});
        assert_eq!(
            token_paths(&spec),
            [
                (
                    "authorizationCode".to_string(),
                    "/identity/v1/oauth2/token".to_string()
                ),
                ("clientCredentials".to_string(), "/v3/token".to_string())
            ]
        );
    }

    #[test]
    fn a_server_path_has_its_variables_at_their_defaults() {
        let spec = json!({"servers": [{
            "url": "https://api.bigcommerce.com/stores/{store_hash}/v2/",
            "variables": {"store_hash": {"default": "abc123"}}
        }]});
        assert_eq!(server_path(&spec), "/stores/abc123/v2");
        assert_eq!(
            server_path(&json!({"servers": [{"url": "https://a.example.com"}]})),
            ""
        );
        assert_eq!(server_path(&json!({})), "");
    }
}
