//! Secrets out of the ledger: every value of a request body whose schema is
//! `format: password` (the specs' convention for passwords and tokens) is
//! replaced by [`REDACTED`] before the request is entered, so that neither
//! [`MockServer::ledger`](crate::MockServer::ledger) nor `GET /_mock/ledger`
//! shows a login's password.

use serde_json::Value;
use tracking_spec::follow_ref;

/// What a secret reads in the ledger.
pub const REDACTED: &str = "[redacted]";

/// The JSON schema of an operation node's request body, if it has one.
pub(crate) fn request_schema<'a>(spec: &'a Value, op: &'a Value) -> Option<&'a Value> {
    tracking_spec::json_schema(spec, op.get("requestBody")?)
}

/// Replaces, in `value`, every value whose schema (`schema`, a node of
/// `spec`) is `format: password`: through `$ref`s, object properties
/// (and `additionalProperties`), array items, and every branch of `allOf`,
/// `anyOf` and `oneOf` (a field that is a password in any branch is one).
pub(crate) fn redact(spec: &Value, schema: &Value, value: &mut Value) {
    redact_under(spec, vec![schema], value);
}

/// `redact` with every schema that applies to `value`.
fn redact_under(spec: &Value, schemas: Vec<&Value>, value: &mut Value) {
    let schemas = expand(spec, schemas);
    if schemas
        .iter()
        .any(|s| s.get("format").and_then(Value::as_str) == Some("password"))
    {
        *value = Value::String(REDACTED.into());
        return;
    }
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                let under: Vec<&Value> = schemas
                    .iter()
                    .filter_map(|s| {
                        s.get("properties")
                            .and_then(|p| p.get(name))
                            .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()))
                    })
                    .collect();
                if !under.is_empty() {
                    redact_under(spec, under, field);
                }
            }
        }
        Value::Array(items) => {
            let under: Vec<&Value> = schemas.iter().filter_map(|s| s.get("items")).collect();
            if !under.is_empty() {
                for item in items {
                    redact_under(spec, under.clone(), item);
                }
            }
        }
        _ => {}
    }
}

/// The schemas, their `$ref`s followed, with every branch of their `allOf`,
/// `anyOf` and `oneOf`, each once (a schema that names itself through them
/// ends there).
fn expand<'a>(spec: &'a Value, mut pending: Vec<&'a Value>) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = Vec::new();
    while let Some(schema) = pending.pop() {
        let schema = follow_ref(spec, schema);
        if found.iter().any(|f| std::ptr::eq(*f, schema)) {
            continue;
        }
        found.push(schema);
        for key in ["allOf", "anyOf", "oneOf"] {
            pending.extend(
                schema
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Secret": {"type": "string", "format": "password"},
            "Login": {
                "type": "object",
                "properties": {
                    "user": {"type": "string"},
                    "password": {"$ref": "#/components/schemas/Secret"},
                    "keys": {"type": "array", "items": {"$ref": "#/components/schemas/Key"}},
                    "extra": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Secret"}},
                    "either": {"oneOf": [{"type": "integer"}, {"$ref": "#/components/schemas/Secret"}]},
                    "self": {"$ref": "#/components/schemas/Loop"}
                }
            },
            "Key": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"token": {"$ref": "#/components/schemas/Secret"}}}]},
            "Base": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}], "properties": {"next": {"$ref": "#/components/schemas/Loop"}, "pin": {"$ref": "#/components/schemas/Secret"}}}
        }}})
    }

    #[test]
    fn passwords_are_redacted_wherever_the_schema_puts_them() {
        let spec = spec();
        let mut body = json!({
            "user": "u",
            "password": "p1",
            "keys": [{"name": "a", "token": "t1"}, {"name": "b"}],
            "extra": {"x": "p2"},
            "either": 7,
            "self": {"next": {"next": {"pin": "p3"}}},
            "unknown": "kept"
        });
        redact(
            &spec,
            &json!({"$ref": "#/components/schemas/Login"}),
            &mut body,
        );
        assert_eq!(
            body,
            json!({
                "user": "u",
                "password": REDACTED,
                "keys": [{"name": "a", "token": REDACTED}, {"name": "b"}],
                "extra": {"x": REDACTED},
                "either": REDACTED,
                "self": {"next": {"next": {"pin": REDACTED}}},
                "unknown": "kept"
            })
        );
    }

    #[test]
    fn the_request_schema_is_the_json_one_through_a_ref() {
        let spec = json!({"components": {"requestBodies": {"B": {"content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/json; charset=utf-8": {"schema": {"format": "password"}}
        }}}}});
        let op = json!({"requestBody": {"$ref": "#/components/requestBodies/B"}});
        assert_eq!(
            request_schema(&spec, &op),
            Some(&json!({"format": "password"}))
        );
        assert_eq!(request_schema(&spec, &json!({})), None);
    }
}
