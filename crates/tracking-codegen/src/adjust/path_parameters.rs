//! A path parameter declared but absent from its path template (VTEX's
//! marketplace document declares `accountName` and `environment`, which
//! are really server variables). progenitor panics on it; it is dropped,
//! with a note that says when a server variable has its name (the client's
//! base URL then carries it).

use serde_json::{Map, Value};
use tracking_spec::{JsonPath, METHODS};

use super::Finding;

/// Drops every path parameter of `json` whose name its template lacks.
pub fn drop_absent(json: &mut Value, notes: &mut Vec<Finding>) {
    // What a parameter's `$ref` and a server variable are looked up in: not
    // the whole document, which may be megabytes.
    let root = serde_json::json!({
        "components": {"parameters": json.pointer("/components/parameters").cloned().unwrap_or_default()},
        "servers": json.get("servers").cloned().unwrap_or_default(),
    });
    let Some(paths) = json.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let template = crate::check::template_names(path);
        let at = JsonPath::root().key("paths").key(path.clone());
        let item_servers = item.get("servers").cloned();
        for (key, node) in item.iter_mut() {
            let (list, at, servers) = if key == "parameters" {
                (Some(node), at.key("parameters"), item_servers.as_ref())
            } else if METHODS.contains(&key.as_str()) {
                let servers = node.get("servers").cloned();
                let list = node.get_mut("parameters");
                let at = at.key(key.clone()).key("parameters");
                let servers = servers.or_else(|| item_servers.clone());
                drop_in(list, &at, path, &template, &root, servers.as_ref(), notes);
                continue;
            } else {
                (None, at.clone(), None)
            };
            drop_in(list, &at, path, &template, &root, servers, notes);
        }
    }
}

fn drop_in(
    list: Option<&mut Value>,
    at: &JsonPath,
    path: &str,
    template: &std::collections::BTreeSet<String>,
    root: &Value,
    servers: Option<&Value>,
    notes: &mut Vec<Finding>,
) {
    let Some(Value::Array(list)) = list else {
        return;
    };
    let mut index = 0;
    list.retain(|parameter| {
        let here = at.index(index);
        index += 1;
        let resolved = tracking_spec::follow_ref(root, parameter);
        let (Some(name), Some("path")) = (
            resolved.get("name").and_then(Value::as_str),
            resolved.get("in").and_then(Value::as_str),
        ) else {
            return true;
        };
        if template.contains(name) {
            return true;
        }
        let servers = servers.or_else(|| root.get("servers"));
        let variable = server_variable(servers, name);
        notes.push(Finding::new(
            "absent-path-parameter",
            here,
            format!(
                "path parameter `{name}` is not in the path `{path}`: dropped{}",
                match variable {
                    Some(at) => format!(
                        " (a server variable has its name, {at}: the client's base URL carries it)"
                    ),
                    None => String::new(),
                }
            ),
        ));
        false
    });
}

/// Where a server variable named `name` is, if one is.
fn server_variable(servers: Option<&Value>, name: &str) -> Option<String> {
    let servers = servers?.as_array()?;
    servers.iter().enumerate().find_map(|(i, server)| {
        let variables: &Map<String, Value> = server.get("variables")?.as_object()?;
        variables
            .contains_key(name)
            .then(|| format!("servers[{i}].variables.{name}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_path_parameter_the_template_lacks_is_dropped_and_a_server_variable_named() {
        let mut doc = json!({
            "servers": [{"url": "https://{accountName}.{environment}.com.br", "variables": {
                "accountName": {"default": "store"}, "environment": {"default": "vtexcommercestable"}
            }}],
            "components": {"parameters": {"env": {"name": "environment", "in": "path", "required": true}}},
            "paths": {"/orders/{orderId}": {
                "parameters": [{"$ref": "#/components/parameters/env"}],
                "get": {"parameters": [
                    {"name": "accountName", "in": "path", "required": true},
                    {"name": "orderId", "in": "path", "required": true},
                    {"name": "ghost", "in": "path", "required": true},
                    {"name": "accountName", "in": "query"}
                ]}
            }}
        });
        let mut notes = Vec::new();
        drop_absent(&mut doc, &mut notes);
        assert_eq!(doc["paths"]["/orders/{orderId}"]["parameters"], json!([]));
        assert_eq!(
            doc["paths"]["/orders/{orderId}"]["get"]["parameters"],
            json!([
                {"name": "orderId", "in": "path", "required": true},
                {"name": "accountName", "in": "query"}
            ])
        );
        let found: Vec<(String, bool)> = notes
            .iter()
            .map(|n| {
                (
                    n.path.to_string(),
                    n.message.contains("servers[0].variables"),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "$.paths['/orders/{orderId}'].get.parameters[0]".to_string(),
                    true
                ),
                (
                    "$.paths['/orders/{orderId}'].get.parameters[2]".to_string(),
                    false
                ),
                (
                    "$.paths['/orders/{orderId}'].parameters[0]".to_string(),
                    true
                ),
            ]
        );
    }
}
