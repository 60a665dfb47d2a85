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
    /// When it was received, in milliseconds since the Unix epoch.
    pub received_at_ms: u64,
}
