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
    /// The tracking numbers the request set, where its spec says its body
    /// carries them (`x-tracking-numbers`): several for a call that adds a
    /// list, none for a call that carries none (a login).
    #[serde(default)]
    pub tracking_numbers: Vec<String>,
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

impl LedgerEntry {
    /// The tracking numbers this request set (see
    /// [`LedgerEntry::tracking_numbers`](#structfield.tracking_numbers)).
    pub fn tracking_numbers(&self) -> Vec<&str> {
        self.tracking_numbers.iter().map(String::as_str).collect()
    }
}

/// How many of `entries` carry each tracking number (a call that carries
/// one on several lines counts once): over
/// [`applied`]`(&ledger)`, how many times the provider applied it (every
/// count 1: every shipment arrived exactly once); over the whole ledger, how
/// many times it arrived.
pub fn tracking_number_counts<'a>(
    entries: impl IntoIterator<Item = &'a LedgerEntry>,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for entry in entries {
        // One call is one arrival of each number it carries, however many
        // of its lines carry it (Walmart's lines of one package).
        let numbers: std::collections::BTreeSet<&str> =
            entry.tracking_numbers().into_iter().collect();
        for number in numbers {
            *counts.entry(number.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// The entries that changed the provider's state, in order: every call that
/// may not be repeated, and the first of identical calls that may be (same
/// operation, path and body: a repeat leaves the state as the first left
/// it). "Was this delivered exactly once?" is a question about these;
/// [`LedgerEntry`]s themselves say what arrived.
///
/// The mock does not know which resource a body names (a shipping status
/// may name its order in the body, not the path), so
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SpecSource;
    use crate::provider::Provider;

    fn entry(seq: u64, operation: &str, idempotent: bool, body: Value) -> LedgerEntry {
        LedgerEntry {
            seq,
            provider: "p".into(),
            operation: operation.into(),
            tracking_numbers: Vec::new(),
            method: if idempotent { "PUT" } else { "POST" }.into(),
            path: "/x".into(),
            path_params: BTreeMap::new(),
            body: Some(body),
            status: 200,
            idempotent,
            received_at_ms: 0,
        }
    }

    fn builtin() -> Vec<Provider> {
        SpecSource::builtin()
            .iter()
            .map(|source| Provider::load(source, None).unwrap())
            .collect()
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
    fn tracking_numbers_are_read_where_each_spec_places_them() {
        let providers = builtin();
        let numbers = |operation: &str, body: Value| -> Vec<String> {
            providers
                .iter()
                .find(|p| p.tracking.contains_key(operation))
                .map(|p| p.tracking_numbers(operation, Some(&body)))
                .unwrap_or_default()
        };
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
            assert_eq!(numbers(operation, body), expected, "{operation}");
        }

        // A POST applied twice counts twice; a repeated idempotent PUT once.
        let with = |mut e: LedgerEntry, number: &str| {
            e.tracking_numbers = vec![number.to_string()];
            e
        };
        let post = serde_json::json!({"tracking_numbers": [{"tracking": "1Z1"}]});
        let put = serde_json::json!({"TrackingNumber": "S1"});
        let entries = [
            with(entry(1, "addOrderTracking", false, post.clone()), "1Z1"),
            with(entry(2, "addOrderTracking", false, post), "1Z1"),
            with(
                entry(3, "updateOrderShippingStatus", true, put.clone()),
                "S1",
            ),
            with(entry(4, "updateOrderShippingStatus", true, put), "S1"),
        ];
        let counts = tracking_number_counts(applied(&entries));
        assert_eq!(tracking_number_counts(&entries).get("S1"), Some(&2));
        assert_eq!(
            counts,
            BTreeMap::from([("1Z1".into(), 2), ("S1".into(), 1)])
        );
    }

    #[test]
    fn every_built_in_spec_places_its_tracking_numbers() {
        for source in SpecSource::builtin() {
            let spec = tracking_spec::parse(&source.origin, &source.text).unwrap();
            let (facts, problems) = tracking_spec::tracking::tracking(&spec.json);
            assert!(problems.is_empty(), "{}: {problems:?}", source.name);
            assert!(
                facts.values().any(|f| !f.numbers.is_empty()),
                "{}: no operation sets a tracking number",
                source.name
            );
        }
    }

    #[test]
    fn a_call_that_carries_a_number_on_several_lines_is_one_arrival_of_it() {
        let mut one = entry(1, "shippingUpdates", false, serde_json::json!({}));
        one.tracking_numbers = vec!["1Z1".into(), "1Z1".into(), "1Z2".into()];
        let mut again = entry(2, "shippingUpdates", false, serde_json::json!({}));
        again.tracking_numbers = vec!["1Z1".into()];
        assert_eq!(
            tracking_number_counts([&one]),
            [("1Z1".to_string(), 1), ("1Z2".to_string(), 1)].into()
        );
        assert_eq!(
            tracking_number_counts([&one, &again]),
            [("1Z1".to_string(), 2), ("1Z2".to_string(), 1)].into()
        );
    }
}
