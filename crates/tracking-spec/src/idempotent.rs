//! Which operations may be repeated without changing the result: the one rule
//! the clients' retries, `trackctl`'s resends and the mock's ledger share.

use openapiv3::OpenAPI;

/// Methods HTTP defines as idempotent (RFC 9110, 9.2.2).
const IDEMPOTENT_METHODS: &[&str] = &["get", "head", "put", "delete", "options", "trace"];

/// The operationIds of `spec` that may be repeated. An operation's own
/// `x-idempotent: true|false` decides; without it, its method does (GET, HEAD,
/// PUT, DELETE, OPTIONS, TRACE may be repeated; POST and PATCH may not).
/// `false` is for a PUT that the provider documents as adding rather than
/// replacing.
pub fn idempotent_operations(spec: &OpenAPI) -> Vec<String> {
    spec.paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .flat_map(|item| item.iter())
        .filter(|(method, op)| match op.extensions.get("x-idempotent") {
            Some(serde_json::Value::Bool(marked)) => *marked,
            _ => IDEMPOTENT_METHODS.contains(method),
        })
        .filter_map(|(_, op)| op.operation_id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_the_extension_decide() {
        let spec = crate::parse(
            std::path::Path::new("t.yaml"),
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get: {operationId: read, responses: {"200": {description: ok}}}
    put: {operationId: replace, responses: {"200": {description: ok}}}
    post: {operationId: create, responses: {"200": {description: ok}}}
    patch: {operationId: setFields, x-idempotent: true, responses: {"200": {description: ok}}}
    delete: {operationId: remove, responses: {"200": {description: ok}}}
  /b:
    patch: {operationId: append, x-idempotent: false, responses: {"200": {description: ok}}}
    put: {operationId: addEvents, x-idempotent: false, responses: {"200": {description: ok}}}
"#,
        )
        .unwrap();
        let mut found = idempotent_operations(&spec.openapi);
        found.sort();
        assert_eq!(found, ["read", "remove", "replace", "setFields"]);
    }
}
