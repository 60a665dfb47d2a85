//! A shipment for SellerCloud: its sales order's shipping status, or its
//! purchase order's tracking.

use sellercloud_client::types as sellercloud;

use super::{Calls, Target};
use crate::plan::Errors;
use crate::shipment::Shipment;

pub(super) fn plan(s: &Shipment, errors: &mut Errors) -> Option<Calls> {
    let id = errors.parse(
        "order_ref",
        s.order_ref
            .trim()
            .parse::<i32>()
            .map_err(|_| "a SellerCloud order or PO id is a number"),
    );
    let tracking = s.tracking_number.trim().to_string();
    let target = errors.parse("target", Target::of(s))?;
    match target {
        Target::Order => {
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
            Some(Calls::Order { body })
        }
        Target::Po => Some(Calls::Po {
            id: id?,
            body: sellercloud::UpdatePurchaseOrderTrackingRequest {
                shipped_on: s.shipped_at,
                shipped_via_carrier: s.carrier.clone(),
                tracking_number: Some(tracking),
            },
        }),
        Target::PoMultiple => {
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
            Some(Calls::PoMultiple {
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
