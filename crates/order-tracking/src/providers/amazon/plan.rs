//! A shipment for Amazon: one package of the order, with the row's items
//! (or every one not shipped yet, read when it is sent), its tracking
//! number, its carrier's Amazon code (or `Other` and its name), its ship
//! date and a package reference made from the row.

use amazon_client::types as am;

use super::Calls;
use crate::carriers;
use crate::plan::{Errors, non_empty, refuse_invoice_fields};
use crate::shipment::Shipment;

pub(super) fn plan(s: &Shipment, errors: &mut Errors) -> Option<Calls> {
    let order_id = non_empty(&s.order_ref).map(str::to_string);
    refuse_invoice_fields(s, errors, "Amazon's shipment confirmation", "Amazon");
    let mut order_items = Vec::new();
    for (i, item) in s.line_items.iter().enumerate() {
        let id = errors.parse(
            &format!("line_items[{i}].id"),
            item.id
                .trim()
                .parse::<am::ConfirmShipmentOrderItemOrderItemId>()
                .map_err(|_| "required: an Amazon order item id (getOrderItems' OrderItemId)"),
        );
        let quantity = errors.parse(
            &format!("line_items[{i}].quantity"),
            std::num::NonZeroU32::new(item.quantity).ok_or("must be positive"),
        );
        if let (Some(order_item_id), Some(quantity)) = (id, quantity) {
            order_items.push(am::ConfirmShipmentOrderItem {
                order_item_id,
                quantity,
                transparency_codes: Vec::new(),
            });
        }
    }
    let number: Option<am::PackageDetailTrackingNumber> =
        errors.parse("tracking_number", s.tracking_number.trim().parse());
    let carrier = carrier(s, errors);
    let method = s.service.as_deref().and_then(non_empty).map(str::to_string);
    let order_id = order_id?;
    let number = number?;
    let (carrier_code, carrier_name) = carrier?;
    let package = am::PackageDetail {
        carrier_code,
        carrier_name,
        // Filled in when it is sent, from the order, if the row has none.
        order_items,
        package_reference_id: package_reference(&order_id, &number),
        // Amazon requires a ship date; a row without one ships now.
        ship_date: s.shipped_at.unwrap_or_else(chrono::Utc::now),
        ship_from_supply_source_id: None,
        shipping_method: method,
        tracking_number: number,
    };
    Some(Calls::Confirm {
        order_id,
        marketplace_id: s.target.as_deref().and_then(non_empty).map(str::to_string),
        package,
    })
}

/// The row's carrier as Amazon takes it: its code, or `Other` and the
/// table's name for it. Amazon requires a carrier in every marketplace, so
/// a row without one, or with one the table lacks, is refused.
fn carrier(
    s: &Shipment,
    errors: &mut Errors,
) -> Option<(am::CarrierCode, Option<am::PackageDetailCarrierName>)> {
    let Some(name) = s.carrier.as_deref().and_then(non_empty) else {
        errors.add(
            "carrier",
            "required for Amazon, which requires a carrier code in every marketplace",
        );
        return None;
    };
    let found = errors.parse("carrier", carriers::find(name))?;
    match found.amazon {
        Some(code) => errors
            .parse("carrier", code.parse::<am::CarrierCode>())
            .map(|code| (code, None)),
        None => errors
            .parse(
                "carrier",
                found.name.parse::<am::PackageDetailCarrierName>(),
            )
            .map(|name| (am::CarrierCode::Other, Some(name))),
    }
}

/// The package's reference: a positive number made from the order and the
/// tracking number (a name-based UUID, RFC 9562 version 5, folded to 1 to
/// 2,000,000,000), so that every run sends the same one for the same
/// package, and two packages of an order almost never share one. Kept
/// within a signed 32-bit integer, since Amazon says only that it is a
/// positive number (specs/README.md, open questions).
pub(super) fn package_reference(
    order_id: &str,
    tracking_number: &str,
) -> am::PackageDetailPackageReferenceId {
    const LIMIT: u128 = 2_000_000_000;
    let name = format!("{}\n{}", order_id.trim(), tracking_number.trim());
    let id = uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes()).as_u128() % LIMIT + 1;
    id.to_string()
        .parse()
        .expect("a positive number matches the reference's pattern")
}

/// The namespace of package references: a version 5 UUID of the name
/// `order-tracking amazon packageReferenceId` in the URL namespace; never
/// changed, or every package would get another reference.
const NAMESPACE: uuid::Uuid = uuid::uuid!("58a60026-eac5-59a1-82c5-feb0a05850b7");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_reference_is_the_same_for_the_same_package_and_positive() {
        let a = package_reference("902-1106328-1059050", "1Z999AA10123456784");
        assert_eq!(
            a.to_string(),
            package_reference(" 902-1106328-1059050 ", "1Z999AA10123456784 ").to_string()
        );
        let b = package_reference("902-1106328-1059050", "1Z999AA10123456785");
        assert_ne!(a.to_string(), b.to_string());
        for n in 0..1000 {
            let id = package_reference("o", &n.to_string()).to_string();
            let value: u64 = id.parse().unwrap();
            assert!((1..=2_000_000_000).contains(&value), "{id}");
        }
    }
}
