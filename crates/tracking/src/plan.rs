//! From a shipment to the typed requests its provider needs, refusing what
//! the provider cannot take before anything is sent.

use crux_client::types as crux;
use sellercloud_client::types as sellercloud;
use vtex_oms_client::types as vtex;

use crate::shipment::{FieldError, Provider, SellerCloudTarget, Shipment};

/// The calls that deliver one shipment.
#[derive(Debug, Clone)]
pub enum Plan {
    /// Crux `addOrderTracking`.
    Crux {
        /// The order.
        order_uuid: uuid::Uuid,
        /// The body.
        body: crux::AddOrderTrackingRequest,
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
        body: crux::UpdateOrderTrackingRequest,
    },
    /// VTEX `invoiceNotification` (a new invoice carrying the tracking number),
    /// then `updateTrackingStatus` when there are events.
    VtexInvoice {
        /// The order.
        order_id: String,
        /// The body.
        body: vtex::InvoiceNotificationRequest,
        /// Events to report afterwards.
        events: Option<vtex::UpdateTrackingStatusRequest>,
    },
    /// VTEX `updatePartialInvoice` (the tracking number onto an existing
    /// invoice), then `updateTrackingStatus` when there are events.
    VtexPartialInvoice {
        /// The order.
        order_id: String,
        /// The invoice.
        invoice_number: String,
        /// The body.
        body: vtex::UpdatePartialInvoiceRequest,
        /// Events to report afterwards.
        events: Option<vtex::UpdateTrackingStatusRequest>,
    },
    /// VTEX `updateTrackingStatus` alone: the events of a plan whose invoice
    /// call was applied already ([`Plan::after`]).
    VtexEvents {
        /// The order.
        order_id: String,
        /// The invoice.
        invoice_number: String,
        /// The events.
        body: vtex::UpdateTrackingStatusRequest,
    },
    /// SellerCloud `updateOrderShippingStatus`.
    SellerCloudOrder {
        /// The body.
        body: sellercloud::UpdateOrderShippingStatusRequest,
    },
    /// SellerCloud `updatePurchaseOrderTracking`.
    SellerCloudPo {
        /// The purchase order.
        id: i32,
        /// The body.
        body: sellercloud::UpdatePurchaseOrderTrackingRequest,
    },
    /// SellerCloud `addPurchaseOrderTrackingNumbers`.
    SellerCloudPoMultiple {
        /// The purchase order.
        id: i32,
        /// The body.
        body: sellercloud::AddPurchaseOrderTrackingNumbersRequest,
    },
}

impl Plan {
    /// The operations this plan calls, in order.
    pub fn operations(&self) -> Vec<&'static str> {
        let then_events = |first, events: &Option<vtex::UpdateTrackingStatusRequest>| {
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
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// `value` parsed, or an error recorded for `field`.
    fn parse<T, E: std::fmt::Display>(&mut self, field: &str, value: Result<T, E>) -> Option<T> {
        value.map_err(|e| self.add(field, e.to_string())).ok()
    }

    fn require<'a, T>(&mut self, field: &str, value: Option<&'a T>, why: &str) -> Option<&'a T> {
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

fn non_empty(text: &str) -> Option<&str> {
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
    }
    let plan = match provider {
        Provider::Crux => plan_crux(shipment, &mut errors),
        Provider::VtexOms => plan_vtex(shipment, &mut errors),
        Provider::SellerCloud => plan_sellercloud(shipment, &mut errors),
    };
    errors.finish(plan)
}

fn plan_crux(s: &Shipment, errors: &mut Errors) -> Option<Plan> {
    let order_uuid = errors.parse(
        "order_ref",
        s.order_ref
            .trim()
            .parse::<uuid::Uuid>()
            .map_err(|_| "a Crux order is a UUID"),
    );
    let tracking = errors.parse(
        "tracking_number",
        s.tracking_number
            .trim()
            .parse::<crux::TrackingNumberTracking>(),
    );
    let mut line_items = Vec::new();
    for (i, item) in s.line_items.iter().enumerate() {
        let id = errors.parse(
            &format!("line_items[{i}].id"),
            item.id
                .trim()
                .parse::<uuid::Uuid>()
                .map_err(|_| "a Crux line item is a UUID"),
        );
        let quantity = errors.parse(
            &format!("line_items[{i}].quantity"),
            i32::try_from(item.quantity).map_err(|_| "too large"),
        );
        if let (Some(line_item_uuid), Some(quantity)) = (id, quantity) {
            line_items.push(crux::LineItem {
                line_item_uuid,
                quantity,
                sku_cost: item.price,
            });
        }
    }
    let body = crux::AddOrderTrackingRequest {
        tracking_numbers: vec![crux::TrackingNumber {
            tracking: tracking?,
            carrier: s.carrier.clone(),
            method: s.service.clone(),
            ship_cost: s.cost,
            weight: s.weight,
            line_items,
        }],
    };
    Some(Plan::Crux {
        order_uuid: order_uuid?,
        body,
    })
}

fn plan_vtex(s: &Shipment, errors: &mut Errors) -> Option<Plan> {
    let invoice_number = errors
        .require(
            "invoice_number",
            s.invoice_number.as_ref(),
            "for VTEX: the tracking number goes on an invoice",
        )?
        .trim()
        .to_string();
    let order_id = s.order_ref.trim().to_string();
    let events = if s.events.is_empty() && s.delivered_at.is_none() {
        None
    } else {
        let mut events = Vec::new();
        for (i, e) in s.events.iter().enumerate() {
            let description = errors.parse(
                &format!("events[{i}].description"),
                e.description.parse::<vtex::TrackingEventDescription>(),
            );
            // VTEX's document requires every field of an event.
            let place = |field: &str, value: &Option<String>, errors: &mut Errors| {
                let value = value.as_deref().and_then(non_empty).map(str::to_string);
                if value.is_none() {
                    errors.add(format!("events[{i}].{field}"), "required by VTEX");
                }
                value
            };
            let city = place("city", &e.city, errors);
            let state = place("state", &e.state, errors);
            if let (Some(description), Some(city), Some(state)) = (description, city, state) {
                events.push(vtex::TrackingEvent {
                    city,
                    state,
                    description,
                    date: e.date,
                });
            }
        }
        let delivered_date = match s.delivered_at {
            Some(at) => errors.parse(
                "delivered_at",
                at.format("%Y-%m-%d %H:%M")
                    .to_string()
                    .parse::<vtex::UpdateTrackingStatusRequestDeliveredDate>(),
            ),
            None => None,
        };
        Some(vtex::UpdateTrackingStatusRequest {
            is_delivered: s.delivered_at.is_some(),
            delivered_date,
            events,
        })
    };
    match s.invoice_value {
        Some(value) => {
            if value.hundredths() <= 0 {
                errors.add("invoice_value", "must be greater than 0 (VTEX)");
            }
            if s.line_items.is_empty() {
                errors.add(
                    "line_items",
                    "required for a new VTEX invoice (each with id, quantity and price)",
                );
            }
            let mut items = Vec::new();
            for (i, item) in s.line_items.iter().enumerate() {
                let price = errors.require(
                    &format!("line_items[{i}].price"),
                    item.price.as_ref(),
                    "for a new VTEX invoice",
                );
                let quantity = errors.parse(
                    &format!("line_items[{i}].quantity"),
                    i32::try_from(item.quantity).map_err(|_| "too large"),
                );
                if let (Some(price), Some(quantity)) = (price, quantity) {
                    items.push(vtex::InvoiceItem {
                        id: item.id.trim().to_string(),
                        price: price.hundredths(),
                        quantity,
                        description: None,
                    });
                }
            }
            let invoice_value = errors.parse(
                "invoice_value",
                value
                    .hundredths()
                    .max(1)
                    .to_string()
                    .parse::<vtex::InvoiceValue>(),
            );
            let number = errors.parse(
                "invoice_number",
                invoice_number.parse::<vtex::InvoiceNotificationRequestInvoiceNumber>(),
            );
            let body = vtex::InvoiceNotificationRequest {
                type_: vtex::InvoiceNotificationRequestType::Output,
                issuance_date: s.shipped_at.unwrap_or_else(chrono::Utc::now),
                invoice_number: number?,
                invoice_value: invoice_value?,
                items,
                courier: s.carrier.clone(),
                tracking_number: Some(s.tracking_number.trim().to_string()),
                tracking_url: s.tracking_url.clone(),
                dispatched_date: s.shipped_at,
                invoice_key: None,
                invoice_url: None,
                embedded_invoice: None,
            };
            Some(Plan::VtexInvoice {
                order_id,
                body,
                events,
            })
        }
        None => {
            let tracking_number = errors.parse(
                "tracking_number",
                s.tracking_number
                    .trim()
                    .parse::<vtex::UpdatePartialInvoiceRequestTrackingNumber>(),
            );
            let body = vtex::UpdatePartialInvoiceRequest {
                tracking_number: tracking_number?,
                tracking_url: s.tracking_url.clone(),
                courier: s.carrier.clone(),
                dispatched_date: s.shipped_at,
            };
            Some(Plan::VtexPartialInvoice {
                order_id,
                invoice_number,
                body,
                events,
            })
        }
    }
}

fn plan_sellercloud(s: &Shipment, errors: &mut Errors) -> Option<Plan> {
    let id = errors.parse(
        "order_ref",
        s.order_ref
            .trim()
            .parse::<i32>()
            .map_err(|_| "a SellerCloud order or PO id is a number"),
    );
    let tracking = s.tracking_number.trim().to_string();
    match s.target.unwrap_or_default() {
        SellerCloudTarget::Order => {
            let carrier = errors.require(
                "carrier",
                s.carrier.as_ref(),
                "for a SellerCloud sales order",
            );
            let service = errors.require(
                "service",
                s.service.as_ref(),
                "for a SellerCloud sales order",
            );
            let shipped_at = errors.require(
                "shipped_at",
                s.shipped_at.as_ref(),
                "for a SellerCloud sales order",
            );
            let carrier = errors.parse(
                "carrier",
                carrier?
                    .trim()
                    .parse::<sellercloud::UpdateOrderShippingStatusRequestShippingCarrier>(),
            );
            let service = errors.parse(
                "service",
                service?
                    .trim()
                    .parse::<sellercloud::UpdateOrderShippingStatusRequestShippingService>(),
            );
            let body = sellercloud::UpdateOrderShippingStatusRequest {
                order_id: id?,
                shipping_carrier: carrier?,
                shipping_service: service?,
                ship_date: *shipped_at?,
                tracking_number: Some(tracking),
                shipping_cost: s.cost.map(|c| c.to_f64()),
                weight: s.weight.map(|w| w.to_f64()),
                ship_from_warehouse_id: None,
                declared_value: None,
                width: None,
                height: None,
                length: None,
            };
            Some(Plan::SellerCloudOrder { body })
        }
        SellerCloudTarget::Po => Some(Plan::SellerCloudPo {
            id: id?,
            body: sellercloud::UpdatePurchaseOrderTrackingRequest {
                shipped_on: s.shipped_at,
                shipped_via_carrier: s.carrier.clone(),
                tracking_number: Some(tracking),
            },
        }),
        SellerCloudTarget::PoMultiple => {
            let carrier_name = s.carrier.as_deref().map(str::trim).unwrap_or_default();
            let (shipping_carrier, other_carrier) = match carrier_name.to_ascii_uppercase().as_str()
            {
                "UPS" => (sellercloud::ShippingCarrier::Ups, None),
                "USPS" => (sellercloud::ShippingCarrier::Usps, None),
                "FEDEX" => (sellercloud::ShippingCarrier::FedEx, None),
                "DHL" => (sellercloud::ShippingCarrier::Dhl, None),
                "" => {
                    errors.add("carrier", "required for SellerCloud multiple tracking");
                    return None;
                }
                _ => (
                    sellercloud::ShippingCarrier::Other,
                    Some(carrier_name.to_string()),
                ),
            };
            let tracking_number = errors.parse(
                "tracking_number",
                tracking.parse::<sellercloud::PurchaseOrderTrackingNumberTrackingNumber>(),
            );
            Some(Plan::SellerCloudPoMultiple {
                id: id?,
                body: sellercloud::AddPurchaseOrderTrackingNumbersRequest {
                    tracking_numbers: vec![sellercloud::PurchaseOrderTrackingNumber {
                        shipped_on: s.shipped_at,
                        shipping_carrier,
                        other_carrier,
                        tracking_number: tracking_number?,
                    }],
                },
            })
        }
    }
}
