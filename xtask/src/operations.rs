//! The operations of a document, and matching them across two documents
//! by method and path: operationIds differ between documents (VTEX's
//! `InvoiceNotification` is our `invoiceNotification`) or are missing, and
//! path parameters may be named differently (`{orderId}`, `{order_id}`).

use serde_json::Value;
use tracking_spec::JsonPath;

use tracking_spec::METHODS;

/// One operation of a document.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Lower-case method.
    pub method: &'static str,
    /// The path template as written.
    pub path: String,
    /// Its operationId, if it has one.
    pub id: Option<String>,
    /// The operation node.
    pub node: &'a Value,
    /// The path item (for parameters shared by its operations).
    pub item: &'a Value,
    /// Where it is: `$.paths['/x'].post`.
    pub at: JsonPath,
}

impl Operation<'_> {
    /// The path with every parameter name dropped: `/orders/{}/invoice`.
    pub fn shape(&self) -> String {
        path_shape(&self.path)
    }

    /// `POST /orders/{orderId}/invoice (invoiceNotification)`.
    pub fn label(&self) -> String {
        let id = self
            .id
            .as_deref()
            .map(|i| format!(" ({i})"))
            .unwrap_or_default();
        format!("{} {}{id}", self.method.to_uppercase(), self.path)
    }
}

/// `path` with its parameter names dropped and any trailing slash kept.
pub fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push('{');
            }
            '}' => {
                in_param = false;
                shape.push('}');
            }
            _ if in_param => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// Every operation of `spec`, in document order.
pub fn operations(spec: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return found;
    };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(node) = item.get(*method).filter(|n| n.is_object()) {
                found.push(Operation {
                    method,
                    path: path.clone(),
                    id: node
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    node,
                    item,
                    at: JsonPath::root().key("paths").key(path.clone()).key(*method),
                });
            }
        }
    }
    found
}

/// The operations of two documents that are one, and those of each side
/// with no partner.
pub struct Matched<'a, 'b> {
    /// Pairs, in the left document's order.
    pub pairs: Vec<(Operation<'a>, Operation<'b>)>,
    /// Only in the left document (the old one, or ours).
    pub only_left: Vec<Operation<'a>>,
    /// Only in the right one (the new one, or theirs).
    pub only_right: Vec<Operation<'b>>,
}

/// Pairs the operations of two documents: by operationId where both have
/// the same, then the rest by method and path shape (operationIds differ
/// between a provider's document and ours, and are renamed between
/// versions). One pairing for `diff` and `upstream`.
pub fn match_operations<'a, 'b>(left: &'a Value, right: &'b Value) -> Matched<'a, 'b> {
    let mut right: Vec<Option<Operation<'b>>> = operations(right).into_iter().map(Some).collect();
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for op in operations(left) {
        let by_id = right
            .iter_mut()
            .find(|r| r.as_ref().is_some_and(|r| r.id.is_some() && r.id == op.id));
        match by_id.and_then(Option::take) {
            Some(r) => pairs.push((op, r)),
            None => unpaired.push(op),
        }
    }
    let mut only_left = Vec::new();
    for op in unpaired {
        let by_place = right.iter_mut().find(|r| {
            r.as_ref()
                .is_some_and(|r| r.method == op.method && r.shape() == op.shape())
        });
        match by_place.and_then(Option::take) {
            Some(r) => pairs.push((op, r)),
            None => only_left.push(op),
        }
    }
    Matched {
        pairs,
        only_left,
        only_right: right.into_iter().flatten().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_match_by_method_and_path_whatever_their_ids_and_parameter_names() {
        let ours = json!({"paths": {
            "/orders/{orderId}/invoice": {"post": {"operationId": "invoiceNotification"}},
            "/orders/{orderId}/invoice/{n}": {"patch": {"operationId": "update"}, "get": {}},
        }});
        let theirs = json!({"paths": {
            "/orders/{order_id}/invoice": {"post": {"operationId": "InvoiceNotification"}},
            "/orders/{x}/invoice/{y}": {"patch": {}},
            "/other": {"get": {}},
        }});
        let matched = match_operations(&ours, &theirs);
        let pairs: Vec<(String, String)> = matched
            .pairs
            .iter()
            .map(|(o, t)| (o.label(), t.label()))
            .collect();
        assert_eq!(
            pairs,
            [
                (
                    "POST /orders/{orderId}/invoice (invoiceNotification)".to_string(),
                    "POST /orders/{order_id}/invoice (InvoiceNotification)".to_string()
                ),
                (
                    "PATCH /orders/{orderId}/invoice/{n} (update)".to_string(),
                    "PATCH /orders/{x}/invoice/{y}".to_string()
                ),
            ]
        );
        assert_eq!(
            matched.only_left[0].label(),
            "GET /orders/{orderId}/invoice/{n}"
        );
        assert_eq!(matched.only_right[0].label(), "GET /other");
    }
}
