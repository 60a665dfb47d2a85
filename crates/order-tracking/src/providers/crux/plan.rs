//! A shipment for Crux: `addOrderTracking` on its order.

use crux_client::types as crux;

use super::Calls;
use crate::plan::Errors;
use crate::shipment::Shipment;

pub(super) fn plan(s: &Shipment, errors: &mut Errors) -> Option<Calls> {
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
    Some(Calls::Add {
        order_uuid: order_uuid?,
        body,
    })
}
