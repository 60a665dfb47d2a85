//! An operationId for every operation: progenitor names each client method
//! after it, and panics without one. A missing one is made from the method
//! and the path (`get /orders/{orderId}/items` → `get_orders_by_order_id_items`),
//! made unique if another operation already has that name.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::Value;

use super::{Finding, operations_mut};

/// Gives every operation without an operationId one.
pub fn fill_in(json: &mut Value, notes: &mut Vec<Finding>) {
    let mut taken: BTreeSet<String> = operations_mut(json)
        .filter_map(|(.., op)| op.get("operationId")?.as_str().map(|id| id.to_snake_case()))
        .collect();
    for (at, path, method, op) in operations_mut(json) {
        if op.get("operationId").is_some_and(Value::is_string) {
            continue;
        }
        let base = from_method_and_path(&method, &path);
        let mut id = base.clone();
        let mut n = 2;
        while !taken.insert(id.to_snake_case()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        notes.push(Finding::new(
            "operation-id",
            at,
            format!("no operationId: named `{id}` after its method and path"),
        ));
        op.insert("operationId".into(), Value::String(id));
    }
}

/// `get` and `/api/orders/{orderId}/items` → `get_api_orders_by_order_id_items`.
pub fn from_method_and_path(method: &str, path: &str) -> String {
    let mut words = vec![method.to_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{}", param.to_snake_case())),
            None => words.push(segment.to_snake_case()),
        }
    }
    words
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_ids_are_made_from_method_and_path_and_kept_unique() {
        let mut doc = json!({"paths": {
            "/api/orders/{orderId}/items": {"get": {}, "put": {"operationId": "putItems"}},
            "/api/orders/{order_id}/items": {"get": {}},
            "/order-group/{orderGroup}": {"get": {"operationId": "get_order_group_by_order_group"}},
        }});
        let mut notes = Vec::new();
        fill_in(&mut doc, &mut notes);
        let paths = &doc["paths"];
        assert_eq!(
            paths["/api/orders/{orderId}/items"]["get"]["operationId"],
            "get_api_orders_by_order_id_items"
        );
        assert_eq!(
            paths["/api/orders/{order_id}/items"]["get"]["operationId"],
            "get_api_orders_by_order_id_items_2"
        );
        assert_eq!(
            paths["/api/orders/{orderId}/items"]["put"]["operationId"],
            "putItems"
        );
        assert_eq!(notes.len(), 2);
        assert_eq!(
            notes[0].path.to_string(),
            "$.paths['/api/orders/{orderId}/items'].get"
        );
    }
}
