//! A shipment pushed before whose row has changed since: which calls carry
//! the change, where the provider has a call that may be repeated for it.

use crate::plan::Plan;
use crate::provider::Provider;
use crate::shipment::{FieldError, Shipment};

/// Why a change cannot be sent, and what the user can do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unchangeable(pub String);

impl Unchangeable {
    /// The new shipment cannot be planned at all.
    pub(crate) fn invalid(errors: Vec<FieldError>) -> Self {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        Unchangeable(errors.join("; "))
    }
}

/// The fields (as named in files) in which two shipments differ, compared
/// as their provider reads them ([`Shipment::normalized`]).
pub fn changed_fields(old: &Shipment, new: &Shipment, provider: Provider) -> Vec<String> {
    let as_map = |s: &Shipment| match serde_json::to_value(s.normalized(provider)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (old, new) = (as_map(old), as_map(new));
    let mut fields: Vec<String> = old
        .keys()
        .chain(new.keys())
        .filter(|k| old.get(*k) != new.get(*k))
        .cloned()
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

/// The calls that bring `old`, a shipment its provider already has, to
/// `new`, a changed copy with the same [`Shipment::key`]: only calls that
/// may be repeated, so that sending the change twice does no harm. Each
/// provider's module says which calls those are, and what has none.
pub fn plan_change(
    old: &Shipment,
    new: &Shipment,
    provider: Provider,
) -> Result<Plan, Unchangeable> {
    let changed = changed_fields(old, new, provider);
    provider.0.plan_change(old, new, &changed)
}
