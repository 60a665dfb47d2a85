//! Document fields of 3.1 that 3.0 lacks: `webhooks`, `jsonSchemaDialect`,
//! `info.summary`, `info.license.identifier`, `components.pathItems` and
//! `mutualTLS` security schemes are dropped, each noted; `paths`, optional
//! in 3.1, is made empty where it is missing.

use serde_json::{Map, Value};

use crate::{Finding, JsonPath};

pub fn rewrite(doc: &mut Map<String, Value>, notes: &mut Vec<Finding>) {
    let root = JsonPath::root();
    doc.insert("openapi".into(), "3.0.3".into());
    if let Some(webhooks) = doc.remove("webhooks") {
        let names: Vec<&String> = webhooks
            .as_object()
            .map(|w| w.keys().collect())
            .unwrap_or_default();
        notes.push(Finding::new(
            "openapi31-webhooks",
            root.key("webhooks"),
            format!(
                "webhooks (requests the platform sends, not calls a client makes) have no OpenAPI 3.0 form: dropped ({})",
                names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    if doc.remove("jsonSchemaDialect").is_some() {
        notes.push(Finding::new(
            "openapi31-document",
            root.key("jsonSchemaDialect"),
            "OpenAPI 3.0 has one schema dialect: dropped",
        ));
    }
    match doc.get_mut("paths") {
        Some(Value::Object(paths)) => answers(paths, notes),
        _ => {
            doc.insert("paths".into(), Value::Object(Map::new()));
        }
    }
    if let Some(Value::Object(info)) = doc.get_mut("info") {
        if info.remove("summary").is_some() {
            notes.push(Finding::new(
                "openapi31-document",
                root.key("info").key("summary"),
                "OpenAPI 3.0's info has no summary: dropped",
            ));
        }
        if let Some(Value::Object(license)) = info.get_mut("license")
            && let Some(identifier) = license.remove("identifier")
        {
            notes.push(Finding::new(
                "openapi31-document",
                root.key("info").key("license").key("identifier"),
                format!("OpenAPI 3.0's license has no SPDX identifier: {identifier} dropped"),
            ));
        }
    }
    let Some(Value::Object(components)) = doc.get_mut("components") else {
        return;
    };
    let components_at = root.key("components");
    if components.remove("pathItems").is_some() {
        notes.push(Finding::new(
            "openapi31-document",
            components_at.key("pathItems"),
            "OpenAPI 3.0 has no shared path items: dropped (a `$ref` to one no longer resolves)",
        ));
    }
    if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
        let mutual: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| name.clone())
            .collect();
        for name in mutual {
            schemes.remove(&name);
            notes.push(Finding::new(
                "openapi31-document",
                components_at.key("securitySchemes").key(name),
                "OpenAPI 3.0 has no mutualTLS scheme: dropped (the client must present its certificate itself)",
            ));
        }
    }
}

/// 3.1 lets an operation list no responses; 3.0 needs one: any answer,
/// with no body described.
fn answers(paths: &mut Map<String, Value>, notes: &mut Vec<Finding>) {
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            if crate::METHODS.contains(&method.as_str()) && !operation.contains_key("responses") {
                operation.insert(
                    "responses".into(),
                    serde_json::json!({"default": {"description": "not described"}}),
                );
                notes.push(Finding::new(
                    "openapi31-document",
                    JsonPath::root().key("paths").key(path.clone()).key(method.clone()),
                    "no responses, which OpenAPI 3.0 needs: any answer taken, its body not described",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_3_0_lacks_is_dropped_each_with_a_note() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s",
                "license": {"name": "MIT", "identifier": "MIT"}},
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "webhooks": {"newPet": {}},
            "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}, "post": {}}},
            "components": {
                "pathItems": {"p": {}},
                "securitySchemes": {"tls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "name": "k", "in": "header"}}
            }
        });
        let mut notes = Vec::new();
        rewrite(doc.as_object_mut().unwrap(), &mut notes);
        assert_eq!(
            doc,
            json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1", "license": {"name": "MIT"}},
                "paths": {"/pets": {
                    "get": {"responses": {"200": {"description": "ok"}}},
                    "post": {"responses": {"default": {"description": "not described"}}}
                }},
                "components": {"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}}
            })
        );
        let at: Vec<String> = notes.iter().map(|n| n.path.to_string()).collect();
        assert_eq!(
            at,
            [
                "$.webhooks",
                "$.jsonSchemaDialect",
                "$.paths['/pets'].post",
                "$.info.summary",
                "$.info.license.identifier",
                "$.components.pathItems",
                "$.components.securitySchemes.tls"
            ]
        );
        assert!(notes[0].message.contains("newPet"));
    }
}
