//! What the mock accepted, in order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One request the mock accepted: valid, authorized, not faulted, and
/// answered with a 2xx.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// 1 for the first request the mock received (of any kind), and so on.
    pub seq: u64,
    /// The provider (spec name), e.g. `crux`.
    pub provider: String,
    /// The operationId.
    pub operation: String,
    /// The method.
    pub method: String,
    /// The path as received, after the provider's mount.
    pub path: String,
    /// Path parameters, decoded.
    pub path_params: BTreeMap<String, String>,
    /// The request body, if any, with every value whose schema is
    /// `format: password` (a login's password) replaced by
    /// [`REDACTED`](crate::REDACTED).
    pub body: Option<Value>,
    /// The status answered.
    pub status: u16,
    /// Whether the operation may be repeated without changing the result
    /// (an idempotent method, or `x-idempotent: true` in the spec).
    pub idempotent: bool,
    /// When it was received, in milliseconds since the Unix epoch.
    pub received_at_ms: u64,
}

/// Where each operation's request carries tracking numbers: a JSON pointer
/// into the body, `*` standing for every element of an array. Every
/// operation of the specs is listed (a test checks it); those that carry
/// none (logins, VTEX's tracking events, which name the invoice) have none.
const TRACKING_NUMBERS: &[(&str, &[&str])] = &[
    ("addOrderTracking", &["/tracking_numbers/*/tracking"]),
    ("updateOrderTracking", &["/tracking"]),
    ("invoiceNotification", &["/trackingNumber"]),
    ("updatePartialInvoice", &["/trackingNumber"]),
    ("updateTrackingStatus", &[]),
    ("updateOrderShippingStatus", &["/TrackingNumber"]),
    ("updatePurchaseOrderTracking", &["/TrackingNumber"]),
    (
        "addPurchaseOrderTrackingNumbers",
        &["/TrackingNumbers/*/TrackingNumber"],
    ),
    ("userLogin", &[]),
    ("createToken", &[]),
];

impl LedgerEntry {
    /// The tracking numbers this request set, as the body carries them
    /// (several for Crux's add-tracking POST and SellerCloud's multiple PO
    /// tracking numbers; none for a call that carries none).
    pub fn tracking_numbers(&self) -> Vec<&str> {
        let (Some(body), Some((_, pointers))) = (
            &self.body,
            TRACKING_NUMBERS
                .iter()
                .find(|(op, _)| *op == self.operation),
        ) else {
            return Vec::new();
        };
        let mut numbers = Vec::new();
        for pointer in *pointers {
            collect(body, pointer, &mut numbers);
        }
        numbers
    }
}

/// The strings at `pointer` in `value`, `*` matching every array element.
pub(crate) fn collect<'a>(value: &'a Value, pointer: &str, out: &mut Vec<&'a str>) {
    match pointer.split_once("/*") {
        None => out.extend(value.pointer(pointer).and_then(Value::as_str)),
        Some((array, rest)) => {
            for element in value
                .pointer(array)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                collect(element, rest, out);
            }
        }
    }
}

/// How many times each tracking number occurs in `entries`: over
/// [`applied`]`(&ledger)`, how many times the provider applied it (every
/// count 1: every shipment arrived exactly once); over the whole ledger, how
/// many times it arrived.
pub fn tracking_number_counts<'a>(
    entries: impl IntoIterator<Item = &'a LedgerEntry>,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for number in entries.into_iter().flat_map(LedgerEntry::tracking_numbers) {
        *counts.entry(number.to_string()).or_insert(0) += 1;
    }
    counts
}

/// The entries that changed the provider's state, in order: every call that
/// may not be repeated, and the first of identical calls that may be (same
/// operation, path and body: a repeat leaves the state as the first left
/// it). "Was this delivered exactly once?" is a question about these;
/// [`LedgerEntry`]s themselves say what arrived.
///
/// The mock does not know which resource a body names (SellerCloud's
/// shipping status, for one, names its order in the body, not the path), so
/// it cannot tell that a repeat came after a different value was set on the
/// same resource: such a repeat, which sets the earlier value back, is not
/// counted as a change.
pub fn applied(entries: &[LedgerEntry]) -> Vec<&LedgerEntry> {
    let mut seen = std::collections::HashSet::new();
    entries
        .iter()
        .filter(|e| {
            !e.idempotent
                || seen.insert((
                    e.provider.as_str(),
                    e.operation.as_str(),
                    e.path.as_str(),
                    e.body.as_ref().map(Value::to_string),
                ))
        })
        .collect()
}

/// Every operationId of the repository's specs, with its path (for tests).
#[cfg(test)]
pub(crate) fn spec_routes() -> BTreeMap<String, String> {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let mut routes = BTreeMap::new();
    for path in tracking_spec::specs_in(&specs).unwrap() {
        let spec = tracking_spec::load(&path).unwrap();
        for (route, _, op) in spec.openapi.operations() {
            routes.insert(op.operation_id.clone().unwrap(), route.to_string());
        }
    }
    routes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, operation: &str, idempotent: bool, body: Value) -> LedgerEntry {
        LedgerEntry {
            seq,
            provider: "p".into(),
            operation: operation.into(),
            method: if idempotent { "PUT" } else { "POST" }.into(),
            path: "/x".into(),
            path_params: BTreeMap::new(),
            body: Some(body),
            status: 200,
            idempotent,
            received_at_ms: 0,
        }
    }

    #[test]
    fn repeats_of_an_idempotent_call_apply_once_and_of_a_post_each_time() {
        let one = serde_json::json!({"n": 1});
        let two = serde_json::json!({"n": 2});
        let entries = [
            entry(1, "put", true, one.clone()),
            entry(2, "put", true, one.clone()),
            entry(3, "put", true, two.clone()),
            entry(4, "post", false, one.clone()),
            entry(5, "post", false, one.clone()),
        ];
        let seqs: Vec<u64> = applied(&entries).iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 3, 4, 5]);
    }

    #[test]
    fn tracking_numbers_are_read_where_each_operation_carries_them() {
        let cases = [
            (
                "addOrderTracking",
                serde_json::json!({"tracking_numbers": [{"tracking": "1Z1"}, {"tracking": "1Z2"}]}),
                vec!["1Z1", "1Z2"],
            ),
            (
                "updateOrderTracking",
                serde_json::json!({"carrier": "UPS"}),
                vec![],
            ),
            (
                "updatePartialInvoice",
                serde_json::json!({"trackingNumber": "BR1"}),
                vec!["BR1"],
            ),
            (
                "updateTrackingStatus",
                serde_json::json!({"isDelivered": true}),
                vec![],
            ),
            (
                "updateOrderShippingStatus",
                serde_json::json!({"TrackingNumber": "S1"}),
                vec!["S1"],
            ),
            (
                "addPurchaseOrderTrackingNumbers",
                serde_json::json!({"TrackingNumbers": [{"TrackingNumber": "P1"}, {"TrackingNumber": null}]}),
                vec!["P1"],
            ),
            (
                "notAnOperation",
                serde_json::json!({"trackingNumber": "X"}),
                vec![],
            ),
        ];
        for (operation, body, expected) in cases {
            assert_eq!(
                entry(1, operation, false, body).tracking_numbers(),
                expected,
                "{operation}"
            );
        }

        // A POST applied twice counts twice; a repeated idempotent PUT once.
        let post = serde_json::json!({"tracking_numbers": [{"tracking": "1Z1"}]});
        let put = serde_json::json!({"TrackingNumber": "S1"});
        let entries = [
            entry(1, "addOrderTracking", false, post.clone()),
            entry(2, "addOrderTracking", false, post),
            entry(3, "updateOrderShippingStatus", true, put.clone()),
            entry(4, "updateOrderShippingStatus", true, put),
        ];
        let counts = tracking_number_counts(applied(&entries));
        assert_eq!(tracking_number_counts(&entries).get("S1"), Some(&2));
        assert_eq!(
            counts,
            BTreeMap::from([("1Z1".into(), 2), ("S1".into(), 1)])
        );
    }

    #[test]
    fn every_operation_of_the_specs_says_where_its_tracking_numbers_are() {
        let operations = spec_routes();
        assert!(operations.len() >= 10, "{operations:?}");
        for operation in operations.keys() {
            assert!(
                TRACKING_NUMBERS.iter().any(|(op, _)| op == operation),
                "{operation} is not in TRACKING_NUMBERS"
            );
        }
    }
}
