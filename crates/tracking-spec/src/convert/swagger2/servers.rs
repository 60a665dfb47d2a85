//! `host`, `basePath` and `schemes` become `servers`.

use serde_json::{Map, Value, json};

use crate::{Finding, JsonPath};

/// The servers of a document (or of an operation with its own `schemes`).
pub fn servers(
    source: &Map<String, Value>,
    schemes: Option<&Value>,
    at: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Value {
    let base = source
        .get("basePath")
        .and_then(Value::as_str)
        .unwrap_or("/")
        .trim_end_matches('/');
    let Some(host) = source.get("host").and_then(Value::as_str) else {
        // Without a host, 2.0 means the host the document is served from:
        // what a relative URL means in 3.0.
        return json!([{"url": if base.is_empty() { "/" } else { base }}]);
    };
    let schemes: Vec<&str> = schemes
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let schemes = if schemes.is_empty() {
        notes.push(Finding::new(
            "swagger-schemes",
            at.clone(),
            "no `schemes`: https assumed (Swagger 2.0 means the scheme the document is served with)",
        ));
        vec!["https"]
    } else {
        schemes
    };
    Value::Array(
        schemes
            .iter()
            .map(|scheme| json!({"url": format!("{scheme}://{host}{base}")}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(source: Value) -> (Value, Vec<Finding>) {
        let mut notes = Vec::new();
        let map = source.as_object().unwrap();
        let servers = servers(map, map.get("schemes"), &JsonPath::root(), &mut notes);
        (servers, notes)
    }

    #[test]
    fn host_base_path_and_schemes_make_one_server_per_scheme() {
        let (servers, notes) = of(json!({
            "host": "petstore.swagger.io", "basePath": "/v2/", "schemes": ["https", "http"]
        }));
        assert_eq!(
            servers,
            json!([{"url": "https://petstore.swagger.io/v2"}, {"url": "http://petstore.swagger.io/v2"}])
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn no_host_is_a_relative_server_and_no_scheme_is_a_noted_guess() {
        assert_eq!(of(json!({"basePath": "/api"})).0, json!([{"url": "/api"}]));
        assert_eq!(of(json!({})).0, json!([{"url": "/"}]));
        let (servers, notes) = of(json!({"host": "api.example.com"}));
        assert_eq!(servers, json!([{"url": "https://api.example.com"}]));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].path.to_string(), "$");
        assert!(notes[0].message.contains("https assumed"));
    }
}
