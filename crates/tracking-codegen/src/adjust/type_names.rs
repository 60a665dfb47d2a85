//! Types whose Rust names collide. typify names a component schema after
//! its key, and an inline one after its parent and property
//! (`PurchaseOrderTypeV3` + `list`), or its `title`. It never compares two
//! types given one name: a component and an inline schema of one name are
//! both written, and the crate does not compile (Walmart's orders
//! document); two inline schemas of one name are merged into the first,
//! and the second's fields are silently lost. The later of two such
//! schemas becomes a component of a distinct name (`…2`), with a note.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};
use tracking_spec::{JsonPath, METHODS};

use super::Finding;

/// An inline schema typify makes a type of: where it is (a JSON pointer,
/// and the path for notes) and the name it would get.
struct Named {
    pointer: String,
    at: JsonPath,
    name: String,
    /// Where the same schema is again, as one type with it (the other
    /// answers of its class): moved with it.
    also: Vec<String>,
}

/// typify's name for `name` (its `sanitize` in Pascal case).
fn type_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    cleaned.to_upper_camel_case()
}

/// Whether typify makes a named type of `schema` (not a `$ref`, a
/// primitive, a list or a map).
fn makes_a_type(schema: &Map<String, Value>) -> bool {
    // One member that is a reference (a nullable `$ref`) is that type.
    let several = |key: &str| {
        schema
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|members| {
                members.len() > 1 || members.iter().any(|m| m.get("$ref").is_none())
            })
    };
    !schema.contains_key("$ref")
        && (schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
            || schema.contains_key("enum")
            || several("oneOf")
            || several("anyOf"))
}

/// Every inline schema under `schema` (named `base`) that is a type.
fn inline(schema: &Value, base: &str, pointer: &str, at: &JsonPath, found: &mut Vec<Named>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (property, sub) in properties {
            let token = tracking_spec::pointer_token(property);
            let pointer = format!("{pointer}/properties/{token}");
            let at = at.key("properties").key(property.clone());
            named(sub, &format!("{base}_{property}"), &pointer, &at, found);
        }
    }
    if let Some(items) = map.get("items").filter(|i| i.is_object()) {
        named(
            items,
            &format!("{base}_item"),
            &format!("{pointer}/items"),
            &at.key("items"),
            found,
        );
    }
    if let Some(value) = map.get("additionalProperties").filter(|v| v.is_object()) {
        let pointer = format!("{pointer}/additionalProperties");
        // Beside properties, the others are an `extra` map.
        let extra = if map.contains_key("properties") {
            "Extra"
        } else {
            ""
        };
        named(
            value,
            &format!("{base}{extra}Value"),
            &pointer,
            &at.key("additionalProperties"),
            found,
        );
    }
}

/// `schema`, suggested the name `suggested`: itself if it is a type (its
/// `title` wins over the suggestion, as in typify), and what it holds.
fn named(schema: &Value, suggested: &str, pointer: &str, at: &JsonPath, found: &mut Vec<Named>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    let title = map.get("title").and_then(Value::as_str);
    let name = type_name(title.unwrap_or(suggested));
    if makes_a_type(map) {
        found.push(Named {
            pointer: pointer.to_string(),
            at: at.clone(),
            name: name.clone(),
            also: Vec::new(),
        });
    }
    // A type passes its name on; a list or map its title, if it has one,
    // else its suggestion.
    let titled = title.map(type_name);
    let base = if makes_a_type(map) {
        name.as_str()
    } else {
        titled.as_deref().unwrap_or(suggested)
    };
    inline(schema, base, pointer, at, found);
}

/// The inline JSON bodies of every operation, named as progenitor names
/// them, and the types inside them.
fn operation_bodies(json: &Value, found: &mut Vec<Named>) {
    let Some(paths) = json.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item.iter().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let pointer = format!("/paths/{}/{method}", tracking_spec::pointer_token(path));
            let at = JsonPath::root()
                .key("paths")
                .key(path.clone())
                .key(method.clone());
            let mut bodies = vec![(
                format!("{id}-body"),
                "/requestBody/content".to_string(),
                at.key("requestBody").key("content"),
                op.pointer("/requestBody/content"),
            )];
            // The answers of one class are one type already (the
            // `responses` adjustment): the first of each class speaks for
            // it, the others go where it goes, and the classes are compared.
            let mut classes: BTreeMap<bool, usize> = BTreeMap::new();
            let mut also: Vec<Vec<String>> = vec![Vec::new()];
            for (status, response) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let success = status.starts_with('2') || status == "default" || status == "101";
                let status_token = tracking_spec::pointer_token(status);
                let schemas: Vec<String> = response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter(|(media, node)| {
                        tracking_spec::is_json_media(media)
                            && node.get("schema").is_some_and(|s| s.get("$ref").is_none())
                    })
                    .map(|(media, _)| {
                        format!(
                            "{pointer}/responses/{status_token}/content/{}/schema",
                            tracking_spec::pointer_token(media)
                        )
                    })
                    .collect();
                if schemas.is_empty() {
                    continue;
                }
                if let Some(first) = classes.get(&success) {
                    also[*first].extend(schemas);
                    continue;
                }
                classes.insert(success, bodies.len());
                also.push(Vec::new());
                bodies.push((
                    format!("{id}-response"),
                    format!("/responses/{status_token}/content"),
                    at.key("responses").key(status.clone()).key("content"),
                    response.get("content"),
                ));
            }
            for (index, (name, suffix, body_at, content)) in bodies.into_iter().enumerate() {
                let Some(content) = content.and_then(Value::as_object) else {
                    continue;
                };
                for (media, node) in content {
                    if !tracking_spec::is_json_media(media) {
                        continue;
                    }
                    let Some(schema) = node.get("schema") else {
                        continue;
                    };
                    let pointer = format!(
                        "{pointer}{suffix}/{}/schema",
                        tracking_spec::pointer_token(media)
                    );
                    let before = found.len();
                    named(
                        schema,
                        &name,
                        &pointer,
                        &body_at.key(media.clone()).key("schema"),
                        found,
                    );
                    if let Some(named) = found.get_mut(before).filter(|n| n.pointer == pointer) {
                        named.also = also[index].clone();
                    }
                }
            }
        }
    }
}

/// Gives every colliding type a distinct name.
pub fn separate_colliding_types(json: &mut Value, notes: &mut Vec<Finding>) {
    // Each turn settles the outermost collisions; the names inside a
    // schema moved to a component change with it, so look again.
    for _ in 0..8 {
        if !settle_once(json, notes) {
            break;
        }
    }
}

fn settle_once(json: &mut Value, notes: &mut Vec<Finding>) -> bool {
    let none = Map::new();
    let schemas = json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&none);
    let at = JsonPath::root().key("components").key("schemas");
    let mut components: BTreeMap<String, String> = BTreeMap::new();
    let mut found = Vec::new();
    for (key, schema) in schemas {
        components
            .entry(type_name(key))
            .or_insert_with(|| key.clone());
        let pointer = format!("/components/schemas/{}", tracking_spec::pointer_token(key));
        inline(
            schema,
            &type_name(key),
            &pointer,
            &at.key(key.clone()),
            &mut found,
        );
    }
    // progenitor names an operation's inline body `{operationId}Body` and
    // its inline answers `{operationId}Response`.
    operation_bodies(json, &mut found);
    // The first holder of each name keeps it: a component, else the first
    // inline schema in document order.
    let mut holders: BTreeMap<String, &Named> = BTreeMap::new();
    // Each to move, with its holder: a component's key, or an inline one.
    let mut moved: Vec<(&Named, Result<&String, &Named>)> = Vec::new();
    for named in &found {
        let holder = components
            .get(&named.name)
            .map(Ok)
            .or_else(|| holders.get(&named.name).map(|h| Err(*h)));
        match holder {
            None => {
                holders.insert(named.name.clone(), named);
            }
            Some(holder) => moved.push((named, holder)),
        }
    }
    if moved.is_empty() {
        return false;
    }
    // Only the outermost this turn: moving a schema renames what is inside
    // it, and the next turn looks again.
    let depth = |n: &Named| n.pointer.matches('/').count();
    let outermost = moved.iter().map(|(n, _)| depth(n)).min().unwrap_or(0);
    moved.retain(|(n, _)| depth(n) == outermost);
    // A holder inside a schema moved now is renamed with it: no collision.
    let inside = |pointer: &str| {
        moved
            .iter()
            .any(|(m, _)| pointer.starts_with(&format!("{}/", m.pointer)))
    };
    let moved: Vec<(&Named, String)> = moved
        .iter()
        .filter(|(_, holder)| !matches!(holder, Err(h) if inside(&h.pointer)))
        .map(|(named, holder)| {
            let holder = match holder {
                Ok(key) => JsonPath::root()
                    .key("components")
                    .key("schemas")
                    .key((*key).clone())
                    .to_string(),
                Err(h) => h.at.to_string(),
            };
            (*named, holder)
        })
        .collect();
    let mut taken: Vec<String> = components.keys().cloned().collect();
    taken.extend(holders.keys().cloned());
    let moves: Vec<(String, Vec<String>, JsonPath, String, String)> = moved
        .iter()
        .map(|(named, holder)| {
            let mut n = 2;
            let mut name = format!("{}{n}", named.name);
            while taken.contains(&name) {
                n += 1;
                name = format!("{}{n}", named.name);
            }
            taken.push(name.clone());
            (
                named.pointer.clone(),
                named.also.clone(),
                named.at.clone(),
                name,
                holder.clone(),
            )
        })
        .collect();
    for (pointer, also, at, name, holder) in moves {
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        let Some(node) = json.pointer_mut(&pointer) else {
            continue;
        };
        let schema = std::mem::replace(node, reference.clone());
        for pointer in also {
            if let Some(node) = json.pointer_mut(&pointer) {
                *node = reference.clone();
            }
        }
        if json.pointer("/components/schemas").is_none() {
            let root = json
                .as_object_mut()
                .map(|r| r.entry("components").or_insert_with(|| json!({})));
            if let Some(Value::Object(components)) = root {
                components.entry("schemas").or_insert_with(|| json!({}));
            }
        }
        if let Some(schemas) = json
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            schemas.insert(name.clone(), schema);
        }
        notes.push(Finding::new(
            "colliding-types",
            at,
            format!(
                "typify would give this schema the Rust type name of the one at {holder} (and write both, or merge them): it is the component `{name}`"
            ),
        ));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inline_schema_named_as_a_component_becomes_a_component_of_its_own() {
        let mut doc = json!({"components": {"schemas": {
            "PurchaseOrderTypeV3": {"type": "object", "properties": {
                "list": {"type": "object", "properties": {"errors": {"type": "array",
                    "items": {"type": "object", "properties": {"code": {"type": "string"}}}}}}
            }},
            "PurchaseOrderTypeV3List": {"type": "object", "properties": {
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/GatewayError"}}
            }},
            "GatewayError": {"type": "object", "properties": {"code": {"type": "string"}}}
        }}});
        let mut notes = Vec::new();
        separate_colliding_types(&mut doc, &mut notes);
        assert_eq!(
            doc["components"]["schemas"]["PurchaseOrderTypeV3"]["properties"]["list"],
            json!({"$ref": "#/components/schemas/PurchaseOrderTypeV3List2"})
        );
        assert!(
            doc["components"]["schemas"]["PurchaseOrderTypeV3List2"]["properties"]["errors"]
                .is_object()
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].path.to_string(),
            "$.components.schemas.PurchaseOrderTypeV3.properties.list"
        );
        assert!(
            notes[0]
                .message
                .contains("$.components.schemas.PurchaseOrderTypeV3List")
        );
    }

    #[test]
    fn two_inline_schemas_of_one_name_are_kept_apart() {
        // `Order.shipNode` and `OrderShip.node` are both `OrderShipNode`.
        let mut doc = json!({"components": {"schemas": {
            "Order": {"type": "object", "properties": {
                "shipNode": {"type": "object", "properties": {"x": {"type": "string"}}}}},
            "OrderShip": {"type": "object", "properties": {
                "node": {"type": "object", "properties": {"y": {"type": "integer"}}}}}
        }}});
        let mut notes = Vec::new();
        separate_colliding_types(&mut doc, &mut notes);
        assert_eq!(
            doc["components"]["schemas"]["OrderShipNode2"],
            json!({"type": "object", "properties": {"y": {"type": "integer"}}})
        );
        assert_eq!(notes.len(), 1);
        // Distinct already: nothing changes.
        let before = doc.clone();
        separate_colliding_types(&mut doc, &mut notes);
        assert_eq!(doc, before);
    }

    #[test]
    fn an_operation_s_inline_answer_named_as_a_component_is_one_of_its_own() {
        let mut doc = json!({
            "paths": {"/orders/{id}": {"get": {"operationId": "getOrder", "responses": {"200": {
                "description": "", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"b": {"type": "string"}}}}}}}}}},
            "components": {"schemas": {"GetOrderResponse": {"type": "object", "properties": {"a": {"type": "string"}}}}}
        });
        let mut notes = Vec::new();
        separate_colliding_types(&mut doc, &mut notes);
        assert_eq!(
            doc["paths"]["/orders/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"],
            json!({"$ref": "#/components/schemas/GetOrderResponse2"})
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn names_typify_would_not_give_alike_are_left_alone() {
        let mut doc = json!({"components": {"schemas": {
            // Items of a titled list are named after the title.
            "Order": {"type": "object", "properties": {
                "lines": {"type": "array", "title": "Lines", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
                "customer": {"nullable": true, "anyOf": [{"$ref": "#/components/schemas/Customer"}]},
                "id": {"type": "string"}
            }, "additionalProperties": {"type": "object", "properties": {"x": {"type": "string"}}}},
            "OrderLinesItem": {"type": "object", "properties": {"other": {"type": "string"}}},
            "OrderCustomer": {"type": "object"},
            "OrderValue": {"type": "object"},
            "Customer": {"type": "object"}
        }}});
        let before = doc.clone();
        let mut notes = Vec::new();
        separate_colliding_types(&mut doc, &mut notes);
        assert_eq!(doc, before, "{notes:?}");
    }

    #[test]
    fn the_error_answers_of_one_operation_are_one_type_and_stay_so() {
        let body = json!({"type": "object", "properties": {"message": {"type": "string"}}});
        let mut doc = json!({"paths": {"/merge": {"put": {"operationId": "merge", "responses": {
            "200": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {"sha": {"type": "string"}}}}}},
            "405": {"description": "", "content": {"application/json": {"schema": body}}},
            "409": {"description": "", "content": {"application/json": {"schema": body}}}
        }}}}});
        let mut notes = Vec::new();
        separate_colliding_types(&mut doc, &mut notes);
        // The success and the error answers are two types of one name:
        // the errors' becomes a component of its own, for both statuses.
        let responses = &doc["paths"]["/merge"]["put"]["responses"];
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(
            responses["405"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/MergeResponse2"})
        );
        assert_eq!(
            responses["409"]["content"]["application/json"]["schema"],
            responses["405"]["content"]["application/json"]["schema"]
        );
        assert_eq!(doc["components"]["schemas"]["MergeResponse2"], body);
    }
}
