//! A shipment for Walmart: the row's order lines (or every one not shipped
//! yet, read when it is sent), each in its quantity, with one tracking:
//! the carrier's Walmart name (or the carrier's own, with its tracking
//! URL), the method, the ship time and the tracking number.

use walmart_client::types as wm;

use super::{Calls, Line};
use crate::carriers;
use crate::plan::{Errors, non_empty, refuse_invoice_fields};
use crate::shipment::Shipment;

pub(super) fn plan(s: &Shipment, errors: &mut Errors) -> Option<Calls> {
    let order_id = non_empty(&s.order_ref).map(str::to_string);
    refuse_invoice_fields(s, errors, "Walmart's shipping update", "Walmart");
    let mut lines = Vec::new();
    for (i, item) in s.line_items.iter().enumerate() {
        let number = errors.parse(
            &format!("line_items[{i}].id"),
            item.id
                .trim()
                .parse::<wm::ShippingLineLineNumber>()
                .map_err(|_| "required: a Walmart order line number (getAnOrder's lineNumber)"),
        );
        let quantity = errors.parse(
            &format!("line_items[{i}].quantity"),
            quantity(item.quantity),
        );
        if let (Some(number), Some(quantity)) = (number, quantity) {
            lines.push(Line { number, quantity });
        }
    }
    // Each parsed as given (`None` when refused), so that a row reports
    // all of its problems at once.
    let seller_order_id = given(s.target.as_deref(), |id| {
        errors.parse(
            "target",
            id.parse::<wm::ShippingLineSellerOrderId>()
                .map_err(|_| "Walmart's sellerOrderId is at most 30 characters"),
        )
    });
    let method = given(s.service.as_deref(), |service| {
        errors.parse("service", method(service))
    });
    let number = errors.parse("tracking_number", s.tracking_number.trim().parse());
    let url = given(s.tracking_url.as_deref(), |url| {
        errors.parse("tracking_url", url.parse::<wm::TrackingInfoTrackingUrl>())
    });
    let has_url = matches!(url, Ok(Some(_)));
    let carrier = carrier(s, has_url, errors);
    Some(Calls::Ship {
        order_id: order_id?,
        lines,
        seller_order_id: seller_order_id.ok()?,
        method: method.ok()?,
        carrier: carrier?,
        tracking_number: number?,
        tracking_url: url.ok()?,
        // Walmart requires a ship time; a row without one ships now.
        shipped_at_ms: s
            .shipped_at
            .unwrap_or_else(chrono::Utc::now)
            .timestamp_millis(),
    })
}

/// A field the row gives (not empty), parsed: `Ok(None)` when it gives
/// none, `Err` when it was refused (the error is in `errors`).
fn given<T>(text: Option<&str>, parse: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>, ()> {
    match text.and_then(non_empty) {
        None => Ok(None),
        Some(text) => parse(text).map(Some).ok_or(()),
    }
}

/// A quantity as Walmart writes it: a string of digits, from 1.
pub(super) fn quantity(quantity: u32) -> Result<wm::ShipQuantityAmount, String> {
    if quantity == 0 {
        return Err("must be positive".into());
    }
    quantity
        .to_string()
        .parse()
        .map_err(|_| format!("{quantity} is more than Walmart takes for a line"))
}

/// A row's service as Walmart's method code, whatever its case.
pub(super) fn method(service: &str) -> Result<wm::MethodCode, String> {
    const CODES: [&str; 6] = [
        "Standard",
        "Express",
        "OneDay",
        "Freight",
        "WhiteGlove",
        "Value",
    ];
    CODES
        .iter()
        .find(|code| code.eq_ignore_ascii_case(service.trim()))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| {
            format!(
                "{:?} is not a Walmart shipping method: give one of {} (or leave it empty for the order's own)",
                service.trim(),
                CODES.join(", ")
            )
        })
}

/// The row's carrier as Walmart takes it: its Walmart name, or its own
/// name as `otherCarrier`, which Walmart takes only with a tracking URL.
/// A carrier is required, and one the table lacks is refused.
fn carrier(s: &Shipment, has_url: bool, errors: &mut Errors) -> Option<wm::CarrierName> {
    let Some(name) = s.carrier.as_deref().and_then(non_empty) else {
        errors.add(
            "carrier",
            "required for Walmart, which links the tracking number through its carrier",
        );
        return None;
    };
    let found = errors.parse("carrier", carriers::find(name))?;
    match found.walmart {
        Some(code) => errors
            .parse("carrier", code.parse::<wm::Carrier>())
            .map(|carrier| wm::CarrierName {
                carrier: Some(carrier),
                other_carrier: None,
            }),
        None if !has_url => {
            errors.add(
                "tracking_url",
                format!(
                    "required for {} on Walmart, which has no name for it and takes another carrier only with its tracking URL",
                    found.name
                ),
            );
            None
        }
        None => errors
            .parse("carrier", found.name.parse::<wm::CarrierNameOtherCarrier>())
            .map(|other| wm::CarrierName {
                carrier: None,
                other_carrier: Some(other),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_is_a_walmart_method_whatever_its_case() {
        assert_eq!(method("standard").unwrap(), wm::MethodCode::Standard);
        assert_eq!(method(" ONEDAY ").unwrap(), wm::MethodCode::OneDay);
        let error = method("Ground").unwrap_err();
        assert!(error.contains("not a Walmart shipping method"), "{error}");
    }

    #[test]
    fn a_quantity_is_a_string_of_digits_from_one() {
        assert_eq!(quantity(2).unwrap().to_string(), "2");
        assert!(quantity(0).is_err());
        assert!(quantity(10_000_000).is_err());
    }
}
