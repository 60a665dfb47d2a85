//! A shipment for VTEX OMS: an invoice (new, or one the order has) carrying
//! the tracking number, then its tracking events.

use vtex_oms_client::types as vtex;

use super::Calls;
use crate::plan::{Errors, non_empty};
use crate::shipment::Shipment;

pub(super) fn plan(s: &Shipment, errors: &mut Errors) -> Option<Calls> {
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
            Some(Calls::Invoice {
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
            Some(Calls::PartialInvoice {
                order_id,
                invoice_number,
                body,
                events,
            })
        }
    }
}
