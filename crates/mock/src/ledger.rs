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
    /// The request body, if any.
    pub body: Option<Value>,
    /// The status answered.
    pub status: u16,
    /// Whether the operation may be repeated without changing the result
    /// (an idempotent method, or `x-idempotent: true` in the spec).
    pub idempotent: bool,
    /// When it was received, in milliseconds since the Unix epoch.
    pub received_at_ms: u64,
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
}
