//! `securityDefinitions` become `components.securitySchemes`.

use serde_json::{Map, Value};

use crate::{Finding, JsonPath};

/// One 2.0 security definition as a 3.0 security scheme.
pub fn scheme(definition: &Map<String, Value>, at: &JsonPath, notes: &mut Vec<Finding>) -> Value {
    let mut scheme = Map::new();
    let kind = definition.get("type").and_then(Value::as_str).unwrap_or("");
    match kind {
        "basic" => {
            scheme.insert("type".into(), "http".into());
            scheme.insert("scheme".into(), "basic".into());
        }
        "apiKey" => {
            scheme.insert("type".into(), "apiKey".into());
            for key in ["name", "in"] {
                if let Some(value) = definition.get(key) {
                    scheme.insert(key.into(), value.clone());
                }
            }
        }
        "oauth2" => {
            let (flow, urls): (&str, &[&str]) = match definition
                .get("flow")
                .and_then(Value::as_str)
                .unwrap_or("")
            {
                "implicit" => ("implicit", &["authorizationUrl"]),
                "password" => ("password", &["tokenUrl"]),
                "application" => ("clientCredentials", &["tokenUrl"]),
                "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                other => {
                    notes.push(Finding::new(
                            "swagger-security",
                            at.key("flow"),
                            format!("OAuth 2 flow {other:?} is none of Swagger 2.0's: taken as authorizationCode"),
                        ));
                    ("authorizationCode", &["authorizationUrl", "tokenUrl"])
                }
            };
            let mut body = Map::new();
            for url in urls {
                if let Some(value) = definition.get(*url) {
                    body.insert((*url).into(), value.clone());
                }
            }
            let scopes = definition
                .get("scopes")
                .cloned()
                .unwrap_or_else(|| Value::Object(Map::new()));
            body.insert("scopes".into(), scopes);
            let mut flows = Map::new();
            flows.insert(flow.into(), Value::Object(body));
            scheme.insert("type".into(), "oauth2".into());
            scheme.insert("flows".into(), Value::Object(flows));
        }
        other => {
            notes.push(Finding::new(
                "swagger-security",
                at.key("type"),
                format!("security type {other:?} is none of Swagger 2.0's (basic, apiKey, oauth2): kept as it is"),
            ));
            return Value::Object(definition.clone());
        }
    }
    for (key, value) in definition {
        if key == "description" || key.starts_with("x-") {
            scheme.insert(key.clone(), value.clone());
        }
    }
    Value::Object(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(definition: Value) -> (Value, Vec<Finding>) {
        let mut notes = Vec::new();
        let at = JsonPath::root().key("securityDefinitions").key("s");
        (
            scheme(definition.as_object().unwrap(), &at, &mut notes),
            notes,
        )
    }

    #[test]
    fn each_kind_becomes_its_3_0_scheme() {
        assert_eq!(
            of(json!({"type": "basic", "description": "d"})).0,
            json!({"type": "http", "scheme": "basic", "description": "d"})
        );
        assert_eq!(
            of(json!({"type": "apiKey", "name": "api_key", "in": "header", "x-a": 1})).0,
            json!({"type": "apiKey", "name": "api_key", "in": "header", "x-a": 1})
        );
        assert_eq!(
            of(json!({"type": "oauth2", "flow": "implicit",
                "authorizationUrl": "https://a/authorize", "scopes": {"read": "r"}}))
            .0,
            json!({"type": "oauth2", "flows": {"implicit": {
                "authorizationUrl": "https://a/authorize", "scopes": {"read": "r"}}}})
        );
        assert_eq!(
            of(json!({"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"})).0,
            json!({"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://a/token", "scopes": {}}}})
        );
        let (code, notes) = of(json!({"type": "oauth2", "flow": "accessCode",
            "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {}}));
        assert_eq!(
            code,
            json!({"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {}}}})
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn an_unknown_flow_is_a_noted_guess() {
        let (_, notes) = of(json!({"type": "oauth2", "flow": "device"}));
        assert_eq!(notes[0].path.to_string(), "$.securityDefinitions.s.flow");
    }
}
