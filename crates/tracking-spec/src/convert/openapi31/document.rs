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
    inline_path_items(doc, notes);
    let Some(Value::Object(components)) = doc.get_mut("components") else {
        requirements(doc, &[], &[], notes);
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
    let (dropped, scoped) = if let Some(Value::Object(schemes)) =
        components.get_mut("securitySchemes")
    {
        let mutual: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &mutual {
            schemes.remove(name);
            notes.push(Finding::new(
                "openapi31-document",
                components_at.key("securitySchemes").key(name.clone()),
                "OpenAPI 3.0 has no mutualTLS scheme: dropped (the client must present its certificate itself)",
            ));
        }
        let scoped: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| {
                matches!(
                    s.get("type").and_then(Value::as_str),
                    Some("oauth2" | "openIdConnect")
                )
            })
            .map(|(name, _)| name.clone())
            .collect();
        (mutual, scoped)
    } else {
        (Vec::new(), Vec::new())
    };
    requirements(doc, &dropped, &scoped, notes);
}

/// Security requirements as 3.0 takes them: none naming a dropped scheme,
/// and role lists (3.1 allows them for any scheme) only for OAuth 2 and
/// OpenID Connect, whose scopes they are.
fn requirements(
    doc: &mut Map<String, Value>,
    dropped: &[String],
    scoped: &[String],
    notes: &mut Vec<Finding>,
) {
    if let Some(list) = doc.get_mut("security") {
        settle(
            list,
            &JsonPath::root().key("security"),
            dropped,
            scoped,
            notes,
        );
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                if !crate::METHODS.contains(&method.as_str()) {
                    continue;
                }
                if let Some(list) = op.get_mut("security") {
                    let at = JsonPath::root()
                        .key("paths")
                        .key(path.clone())
                        .key(method.clone())
                        .key("security");
                    settle(list, &at, dropped, scoped, notes);
                }
            }
        }
    }
}

fn settle(
    list: &mut Value,
    at: &JsonPath,
    dropped: &[String],
    scoped: &[String],
    notes: &mut Vec<Finding>,
) {
    let Some(list) = list.as_array_mut() else {
        return;
    };
    for (i, requirement) in list.iter_mut().enumerate() {
        let Some(requirement) = requirement.as_object_mut() else {
            continue;
        };
        for name in dropped {
            if requirement.remove(name).is_some() {
                notes.push(Finding::new(
                    "openapi31-document",
                    at.index(i).key(name.clone()),
                    "a requirement of the dropped mutualTLS scheme: dropped",
                ));
            }
        }
        for (name, roles) in requirement.iter_mut() {
            let listed = roles.as_array().is_some_and(|r| !r.is_empty());
            if listed && !scoped.contains(name) {
                *roles = Value::Array(Vec::new());
                notes.push(Finding::new(
                    "openapi31-document",
                    at.index(i).key(name.clone()),
                    "roles listed for a scheme without scopes, which OpenAPI 3.0 does not allow: dropped",
                ));
            }
        }
    }
}

/// Paths given as a `$ref` to `components.pathItems` (dropped below) are
/// the path items they name.
fn inline_path_items(doc: &mut Map<String, Value>, notes: &mut Vec<Finding>) {
    let items = doc
        .get("components")
        .and_then(|c| c.get("pathItems"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(name) = item
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/pathItems/"))
            .map(crate::refs::unescape)
        else {
            continue;
        };
        if let Some(target) = items.get(&name) {
            *item = target.clone();
            notes.push(Finding::new(
                "openapi31-document",
                JsonPath::root().key("paths").key(path.clone()),
                format!("the shared path item `{name}`, written here (OpenAPI 3.0 has none)"),
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
    fn a_path_given_by_a_shared_path_item_is_that_item() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "components": {"pathItems": {"A": {"get": {"responses": {"200": {"description": "ok"}}}}}}
        });
        let mut notes = Vec::new();
        rewrite(doc.as_object_mut().unwrap(), &mut notes);
        assert_eq!(
            doc["paths"]["/a"],
            json!({"get": {"responses": {"200": {"description": "ok"}}}})
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

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
            },
            "security": [{"tls": [], "key": ["admin"]}]
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
                "components": {"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}},
                "security": [{"key": []}]
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
                "$.components.securitySchemes.tls",
                "$.security[0].tls",
                "$.security[0].key"
            ]
        );
        assert!(notes[0].message.contains("newPet"));
    }
}
