//! A shipment for eBay: one shipping fulfillment (one package) of the
//! order, with the row's line items (or every one not shipped yet, read
//! when it is sent), its tracking number and its carrier's eBay code.

use ebay_client::types as eb;

use super::Calls;
use crate::carriers;
use crate::plan::{Errors, non_empty, refuse_invoice_fields};
use crate::shipment::Shipment;

pub(super) fn plan(s: &Shipment, errors: &mut Errors) -> Option<Calls> {
    let order_id = non_empty(&s.order_ref).map(str::to_string);
    unsupported(s, errors);
    let mut line_items = Vec::new();
    for (i, item) in s.line_items.iter().enumerate() {
        let id = errors.parse(
            &format!("line_items[{i}].id"),
            item.id
                .trim()
                .parse::<eb::LineItemReferenceLineItemId>()
                .map_err(|_| "required: an eBay line item id (getOrder's lineItemId)"),
        );
        let quantity = errors.parse(
            &format!("line_items[{i}].quantity"),
            std::num::NonZeroU32::new(item.quantity).ok_or("must be positive"),
        );
        if let (Some(line_item_id), Some(quantity)) = (id, quantity) {
            line_items.push(eb::LineItemReference {
                line_item_id,
                quantity,
            });
        }
    }
    let number = errors.parse("tracking_number", s.tracking_number.trim().parse());
    let carrier = carrier(s, errors);
    let body = eb::ShippingFulfillmentDetails {
        // Filled in when it is sent, from the order, if the row has none.
        line_items,
        shipped_date: s.shipped_at,
        shipping_carrier_code: carrier?,
        tracking_number: number?,
    };
    Some(Calls::Create {
        order_id: order_id?,
        body,
    })
}

/// The row's carrier as an eBay code: eBay needs one for the buyer's
/// tracking link, so a row without a carrier, or with one eBay has no code
/// for, is refused.
fn carrier(s: &Shipment, errors: &mut Errors) -> Option<eb::ShippingCarrierCode> {
    let Some(name) = s.carrier.as_deref().and_then(non_empty) else {
        errors.add(
            "carrier",
            "required for eBay, which links the tracking number through its carrier",
        );
        return None;
    };
    errors.parse(
        "carrier",
        carriers::code(name, "eBay carrier code", |c| c.ebay),
    )
}

/// Fields eBay's shipping fulfillment has no place for: refused rather than dropped, so
/// that nothing in a row is lost in silence.
fn unsupported(s: &Shipment, errors: &mut Errors) {
    if s.target.as_deref().and_then(non_empty).is_some() {
        errors.add(
            "target",
            "eBay's shipping fulfillment has no such field: leave it empty for eBay rows",
        );
    }
    refuse_invoice_fields(s, errors, "eBay's shipping fulfillment", "eBay");
}
