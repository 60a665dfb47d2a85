//! A shipment pushed before whose row has changed since: which calls carry
//! the change, where the provider has a call that may be repeated for it.

use crate::plan::{Plan, plan};
use crate::shipment::{FieldError, Provider, SellerCloudTarget, Shipment};

/// Why a change cannot be sent, and what the user can do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unchangeable(pub String);

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
/// may be repeated, so that sending the change twice does no harm.
///
/// - Crux: `updateOrderTracking` with the new fields.
/// - VTEX: `updatePartialInvoice` (carrier, URL, dispatch time); an
///   invoice's value or items, and tracking events, have no such call.
/// - SellerCloud: the sales-order and single-PO calls again (both PUTs); the
///   multiple-PO POST adds numbers and cannot change one.
pub fn plan_change(
    old: &Shipment,
    new: &Shipment,
    provider: Provider,
) -> Result<Plan, Unchangeable> {
    let invalid = |errors: Vec<FieldError>| {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        Unchangeable(errors.join("; "))
    };
    let changed = changed_fields(old, new, provider);
    match provider {
        Provider::Crux => match plan(new, provider).map_err(invalid)? {
            Plan::Crux { order_uuid, body } => {
                let Some(number) = body.tracking_numbers.into_iter().next() else {
                    return Err(Unchangeable("no tracking number".into()));
                };
                Ok(Plan::CruxUpdate {
                    order_uuid,
                    tracking_number: number.tracking.to_string(),
                    body: crux_client::types::UpdateOrderTrackingRequest {
                        tracking: None,
                        carrier: number.carrier,
                        method: number.method,
                        ship_cost: number.ship_cost,
                        weight: number.weight,
                        line_items: number.line_items,
                    },
                })
            }
            other => Ok(other),
        },
        Provider::VtexOms => {
            let fixed: Vec<&str> = changed
                .iter()
                .map(String::as_str)
                .filter(|f| ["invoice_value", "line_items", "events", "delivered_at"].contains(f))
                .collect();
            if !fixed.is_empty() {
                return Err(Unchangeable(format!(
                    "VTEX has no call that changes {} once sent: change it in VTEX's admin (an invoice's value or items: cancel the invoice and notify a new one)",
                    fixed.join(", ")
                )));
            }
            // Only the tracking on the invoice changed: the partial-invoice
            // PATCH sets it, and may be repeated.
            let tracking_only = Shipment {
                invoice_value: None,
                events: Vec::new(),
                delivered_at: None,
                ..new.clone()
            };
            plan(&tracking_only, provider).map_err(invalid)
        }
        Provider::SellerCloud => {
            if new.target.unwrap_or_default() == SellerCloudTarget::PoMultiple {
                return Err(Unchangeable(
                    "SellerCloud's multiple PO tracking numbers can be added, not changed: change the number's fields in SellerCloud".into(),
                ));
            }
            let plan = plan(new, provider).map_err(invalid)?;
            if plan.repeatable() {
                Ok(plan)
            } else {
                Err(Unchangeable(format!(
                    "{} may not be repeated: change it at SellerCloud",
                    plan.operations().join(", ")
                )))
            }
        }
    }
}
