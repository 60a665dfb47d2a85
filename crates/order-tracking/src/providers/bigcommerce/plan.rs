//! A shipment for BigCommerce: one new shipment on the order, with the
//! row's items (or the whole order's, read when it is sent) and its
//! shipping address (the row's `target`, or the order's only one).

use bigcommerce_client::types as bc;

use super::Calls;
use crate::carriers;
use crate::plan::{Errors, non_empty, refuse_invoice_fields};
use crate::shipment::Shipment;

/// The parts of a shipment both the create and the update carry.
pub(super) struct Tracking {
    pub number: bc::TrackingNumber,
    pub carrier: Option<bc::TrackingCarrier>,
    pub link: Option<bc::TrackingLink>,
    pub method: Option<String>,
}

pub(super) fn plan(s: &Shipment, errors: &mut Errors) -> Option<Calls> {
    let order_id = id(errors, "order_ref", &s.order_ref, "a BigCommerce order id");
    let address = s.target.as_deref().and_then(non_empty).and_then(|target| {
        id(
            errors,
            "target",
            target,
            "a BigCommerce order address id (order_address_id)",
        )
    });
    refuse_invoice_fields(s, errors, "BigCommerce's shipment", "BigCommerce");
    let mut items = Vec::new();
    for (i, item) in s.line_items.iter().enumerate() {
        let field = format!("line_items[{i}].id");
        let id = id(
            errors,
            &field,
            &item.id,
            "an order product id (getOrderProducts' id)",
        );
        if item.quantity == 0 {
            errors.add(format!("line_items[{i}].quantity"), "must be positive");
        }
        if let Some(order_product_id) = id {
            items.push(bc::ShipmentItem {
                order_product_id,
                quantity: u64::from(item.quantity),
            });
        }
    }
    let tracking = tracking(s, errors)?;
    let body = bc::ShipmentCreate {
        // Both filled in when it is sent, from the order, if the row lacks them.
        order_address_id: address.unwrap_or_default(),
        items,
        tracking_number: Some(tracking.number),
        tracking_carrier: tracking.carrier,
        tracking_link: tracking.link,
        shipping_method: errors.parse("service", tracking.method.map(|m| m.parse()).transpose())?,
        comments: None,
    };
    Some(Calls::Create {
        order_id: order_id?,
        address_given: address.is_some(),
        body,
    })
}

/// The tracking number, carrier, link and method of a row.
pub(super) fn tracking(s: &Shipment, errors: &mut Errors) -> Option<Tracking> {
    let number = errors.parse("tracking_number", s.tracking_number.trim().parse());
    let carrier = match s.carrier.as_deref().and_then(non_empty) {
        None => None,
        Some(name) => errors.parse(
            "carrier",
            carriers::code(name, "BigCommerce tracking carrier", |c| c.bigcommerce),
        ),
    };
    let link = match s.tracking_url.as_deref().and_then(non_empty) {
        Some(url) => Some(errors.parse("tracking_url", url.parse::<bc::TrackingLink>())?),
        None => None,
    };
    Some(Tracking {
        number: number?,
        carrier,
        link,
        method: s.service.as_deref().and_then(non_empty).map(str::to_string),
    })
}

/// A BigCommerce id: a whole number.
fn id(errors: &mut Errors, field: &str, text: &str, what: &str) -> Option<u64> {
    errors.parse(
        field,
        text.trim()
            .parse::<u64>()
            .map_err(|_| format!("{:?} is not {what}, which is a whole number", text.trim())),
    )
}
