//! From a shipment to the typed requests its provider needs, refusing what
//! the provider cannot take before anything is sent.

mod crux;
mod sellercloud;
mod vtex;

use crux_client::types as crux_types;
use sellercloud_client::types as sellercloud_types;
use vtex_oms_client::types as vtex_types;

use crate::shipment::{FieldError, Provider, Shipment};

/// The calls that deliver one shipment.
#[derive(Debug, Clone)]
pub enum Plan {
    /// Crux `addOrderTracking`.
    Crux {
        /// The order.
        order_uuid: uuid::Uuid,
        /// The body.
        body: crux_types::AddOrderTrackingRequest,
    },
    /// Crux `updateOrderTracking`: new fields for a tracking number the order
    /// already has (a row changed since it was pushed; see
    /// [`plan_change`](crate::plan_change)).
    CruxUpdate {
        /// The order.
        order_uuid: uuid::Uuid,
        /// The tracking number the order has.
        tracking_number: String,
        /// The fields to set.
        body: crux_types::UpdateOrderTrackingRequest,
    },
    /// VTEX `invoiceNotification` (a new invoice carrying the tracking number),
    /// then `updateTrackingStatus` when there are events.
    VtexInvoice {
        /// The order.
        order_id: String,
        /// The body.
        body: vtex_types::InvoiceNotificationRequest,
        /// Events to report afterwards.
        events: Option<vtex_types::UpdateTrackingStatusRequest>,
    },
    /// VTEX `updatePartialInvoice` (the tracking number onto an existing
    /// invoice), then `updateTrackingStatus` when there are events.
    VtexPartialInvoice {
        /// The order.
        order_id: String,
        /// The invoice.
        invoice_number: String,
        /// The body.
        body: vtex_types::UpdatePartialInvoiceRequest,
        /// Events to report afterwards.
        events: Option<vtex_types::UpdateTrackingStatusRequest>,
    },
    /// VTEX `updateTrackingStatus` alone: the events of a plan whose invoice
    /// call was applied already ([`Plan::after`]).
    VtexEvents {
        /// The order.
        order_id: String,
        /// The invoice.
        invoice_number: String,
        /// The events.
        body: vtex_types::UpdateTrackingStatusRequest,
    },
    /// SellerCloud `updateOrderShippingStatus`.
    SellerCloudOrder {
        /// The body.
        body: sellercloud_types::UpdateOrderShippingStatusRequest,
    },
    /// SellerCloud `updatePurchaseOrderTracking`.
    SellerCloudPo {
        /// The purchase order.
        id: i32,
        /// The body.
        body: sellercloud_types::UpdatePurchaseOrderTrackingRequest,
    },
    /// SellerCloud `addPurchaseOrderTrackingNumbers`.
    SellerCloudPoMultiple {
        /// The purchase order.
        id: i32,
        /// The body.
        body: sellercloud_types::AddPurchaseOrderTrackingNumbersRequest,
    },
}

impl Plan {
    /// The operations this plan calls, in order.
    pub fn operations(&self) -> Vec<&'static str> {
        let then_events = |first, events: &Option<vtex_types::UpdateTrackingStatusRequest>| {
            let mut operations = vec![first];
            if events.is_some() {
                operations.push(vtex_oms_client::operation_ids::UPDATE_TRACKING_STATUS);
            }
            operations
        };
        match self {
            Plan::Crux { .. } => vec![crux_client::operation_ids::ADD_ORDER_TRACKING],
            Plan::CruxUpdate { .. } => vec![crux_client::operation_ids::UPDATE_ORDER_TRACKING],
            Plan::VtexInvoice { events, .. } => {
                then_events(vtex_oms_client::operation_ids::INVOICE_NOTIFICATION, events)
            }
            Plan::VtexPartialInvoice { events, .. } => then_events(
                vtex_oms_client::operation_ids::UPDATE_PARTIAL_INVOICE,
                events,
            ),
            Plan::VtexEvents { .. } => vec![vtex_oms_client::operation_ids::UPDATE_TRACKING_STATUS],
            Plan::SellerCloudOrder { .. } => {
                vec![sellercloud_client::operation_ids::UPDATE_ORDER_SHIPPING_STATUS]
            }
            Plan::SellerCloudPo { .. } => {
                vec![sellercloud_client::operation_ids::UPDATE_PURCHASE_ORDER_TRACKING]
            }
            Plan::SellerCloudPoMultiple { .. } => {
                vec![sellercloud_client::operation_ids::ADD_PURCHASE_ORDER_TRACKING_NUMBERS]
            }
        }
    }

    /// The operations of this plan's provider that may be repeated: its
    /// client's `IDEMPOTENT_OPERATIONS`, from the spec.
    pub fn idempotent_operations(&self) -> &'static [&'static str] {
        match self {
            Plan::Crux { .. } | Plan::CruxUpdate { .. } => crux_client::IDEMPOTENT_OPERATIONS,
            Plan::VtexInvoice { .. }
            | Plan::VtexPartialInvoice { .. }
            | Plan::VtexEvents { .. } => vtex_oms_client::IDEMPOTENT_OPERATIONS,
            Plan::SellerCloudOrder { .. }
            | Plan::SellerCloudPo { .. }
            | Plan::SellerCloudPoMultiple { .. } => sellercloud_client::IDEMPOTENT_OPERATIONS,
        }
    }

    /// What is left of this plan once the calls in `completed` (its first
    /// ones, in order) were applied: `None` when nothing is left, the plan
    /// itself when none was. So that a row whose invoice went through and
    /// whose events did not is finished by the events alone.
    pub fn after(self, completed: &[&str]) -> Option<Plan> {
        let operations = self.operations();
        let done = operations
            .iter()
            .zip(completed)
            .take_while(|(a, b)| *a == *b)
            .count();
        if done == 0 {
            return Some(self);
        }
        match self {
            Plan::VtexInvoice {
                order_id,
                body,
                events: Some(events),
            } if done == 1 => Some(Plan::VtexEvents {
                order_id,
                invoice_number: body.invoice_number.to_string(),
                body: events,
            }),
            Plan::VtexPartialInvoice {
                order_id,
                invoice_number,
                events: Some(events),
                ..
            } if done == 1 => Some(Plan::VtexEvents {
                order_id,
                invoice_number,
                body: events,
            }),
            _ => None,
        }
    }

    /// Which call the row's columns chose, and why, where the columns decide
    /// it: a VTEX row is a new invoice when it has `invoice_value`, and
    /// otherwise the tracking number onto an invoice the order already has.
    pub fn choice(&self) -> Option<String> {
        match self {
            Plan::VtexInvoice { body, .. } => Some(format!(
                "a new invoice {} (the row has invoice_value): invoiceNotification",
                *body.invoice_number
            )),
            Plan::VtexPartialInvoice { invoice_number, .. } => Some(format!(
                "tracking onto invoice {invoice_number}, which the order must already have (the row has no invoice_value, which a new invoice needs): updatePartialInvoice"
            )),
            _ => None,
        }
    }

    /// The provider's record that holds one tracking number, which this
    /// plan's call sets (a second number sent to it replaces the first):
    /// VTEX's invoice, SellerCloud's purchase order (single tracking) and
    /// sales order. `None` where a record takes several (Crux's order,
    /// SellerCloud's multiple PO tracking numbers).
    pub fn tracking_slot(&self) -> Option<&'static str> {
        match self {
            Plan::VtexInvoice { .. } | Plan::VtexPartialInvoice { .. } => Some("invoice"),
            Plan::SellerCloudPo { .. } => Some("purchase order"),
            Plan::SellerCloudOrder { .. } => Some("sales order"),
            Plan::Crux { .. }
            | Plan::CruxUpdate { .. }
            | Plan::VtexEvents { .. }
            | Plan::SellerCloudPoMultiple { .. } => None,
        }
    }

    /// Whether the provider can be asked if an earlier send of this plan
    /// was applied: Crux, where `updateOrderTracking` answers 404 for a
    /// tracking number the order does not have, and otherwise sets the
    /// fields it is given, which the lookup takes from this plan. So only a
    /// plan whose tracking numbers carry a field besides the number: an
    /// empty update is not documented. [`Pusher::send`](crate::Pusher::send)
    /// and [`Pusher::resume`](crate::Pusher::resume) look before they resend
    /// such a plan. VTEX and SellerCloud document no lookup for their POSTs.
    pub fn has_lookup(&self) -> bool {
        match self {
            Plan::Crux { body, .. } => body.tracking_numbers.iter().all(|n| {
                n.carrier.is_some()
                    || n.method.is_some()
                    || n.ship_cost.is_some()
                    || n.weight.is_some()
                    || !n.line_items.is_empty()
            }),
            _ => false,
        }
    }

    /// Whether a send whose outcome is unknown can be finished without
    /// applying anything twice: the plan may be repeated, or looked up
    /// first ([`Pusher::resume`](crate::Pusher::resume) does either).
    pub fn resumable(&self) -> bool {
        self.repeatable() || self.has_lookup()
    }

    /// Whether sending this plan again leaves the provider as one send
    /// would: every operation it calls may be repeated. Only such a plan may
    /// be sent again when it is unknown how far an earlier send got.
    pub fn repeatable(&self) -> bool {
        let idempotent = self.idempotent_operations();
        self.operations().iter().all(|op| idempotent.contains(op))
    }
}

/// Collects field errors so that a row reports all of its problems at once.
#[derive(Default)]
pub(super) struct Errors(Vec<FieldError>);

impl Errors {
    pub(super) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// `value` parsed, or an error recorded for `field`.
    pub(super) fn parse<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        value: Result<T, E>,
    ) -> Option<T> {
        value.map_err(|e| self.add(field, e.to_string())).ok()
    }

    pub(super) fn require<'a, T>(
        &mut self,
        field: &str,
        value: Option<&'a T>,
        why: &str,
    ) -> Option<&'a T> {
        if value.is_none() {
            self.add(field, format!("required {why}"));
        }
        value
    }

    fn finish<T>(self, plan: Option<T>) -> Result<T, Vec<FieldError>> {
        match (self.0.is_empty(), plan) {
            (true, Some(plan)) => Ok(plan),
            (_, _) if !self.0.is_empty() => Err(self.0),
            _ => Err(vec![FieldError {
                field: "shipment".into(),
                message: "cannot be planned".into(),
            }]),
        }
    }
}

/// Whether `text` is a number in the scientific notation spreadsheets show
/// long numbers in (`7.94699E+11` for FedEx's `794698753190`; `7,94699E+11`
/// where the decimal mark is a comma): an identifier made up by the
/// spreadsheet, whose digits are gone. The exponent's sign is required, as
/// spreadsheets write it, so that a code such as `12E45` is still taken as
/// it is.
fn spreadsheet_number(text: &str) -> bool {
    let text = text.trim();
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else {
        return false;
    };
    let mantissa = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent = exponent.strip_prefix(['+', '-']);
    digits(whole)
        && digits(fraction)
        && !(whole.is_empty() && fraction.is_empty())
        && exponent.is_some_and(|e| !e.is_empty() && digits(e))
}

pub(super) fn non_empty(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// Plans `shipment` for `provider`, or says every field that stands in the way.
pub fn plan(shipment: &Shipment, provider: Provider) -> Result<Plan, Vec<FieldError>> {
    let mut errors = Errors::default();
    if non_empty(&shipment.order_ref).is_none() {
        errors.add("order_ref", "required");
    }
    if non_empty(&shipment.tracking_number).is_none() {
        errors.add("tracking_number", "required");
    }
    // A line break or other control character in an identifier is a broken
    // file (a stray quote, a pasted cell), never part of the identifier.
    let identifiers = [
        ("order_ref", Some(&shipment.order_ref)),
        ("tracking_number", Some(&shipment.tracking_number)),
        ("invoice_number", shipment.invoice_number.as_ref()),
    ];
    for (field, value) in identifiers {
        if value.is_some_and(|v| v.chars().any(char::is_control)) {
            errors.add(field, "contains a line break or another control character");
        }
        if let Some(value) = value.filter(|v| spreadsheet_number(v)) {
            errors.add(
                field,
                format!(
                    "{:?} is a number as a spreadsheet shows it, in scientific notation: its digits are lost. Format the column as text in the spreadsheet, type the identifier again, and export again",
                    value.trim()
                ),
            );
        }
    }
    let plan = match provider {
        Provider::Crux => crux::plan(shipment, &mut errors),
        Provider::VtexOms => vtex::plan(shipment, &mut errors),
        Provider::SellerCloud => sellercloud::plan(shipment, &mut errors),
    };
    errors.finish(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_scientific_notation_is_refused_as_an_identifier() {
        for made_up in [
            "7.94699E+11",
            "1.23457E+19",
            "1.02E+08",
            "1E+11",
            " 5.5e-3 ",
            "7,94699E+11",
            "1,02E+08",
            "7.E+11",
            ".5E+3",
            "-7.94699E+11",
            "+7.94699E+11",
        ] {
            assert!(spreadsheet_number(made_up), "{made_up}");
        }
        for real in [
            "794698753190",
            "12E45",
            "1Z999AA10123456784",
            "BR123456789BR",
            "E+11",
            "1.2E+",
            ".E+1",
            "1.2.3E+4",
            "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3",
        ] {
            assert!(!spreadsheet_number(real), "{real}");
        }
        let shipment = Shipment {
            order_ref: "5004321".into(),
            tracking_number: "7.94699E+11".into(),
            carrier: Some("FedEx".into()),
            service: Some("Ground".into()),
            shipped_at: Some(chrono::Utc::now()),
            ..Default::default()
        };
        let errors = plan(&shipment, Provider::SellerCloud).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "tracking_number");
        assert!(errors[0].message.contains("Format the column as text"));
    }
}
