//! What eBay is asked around a fulfillment: the order's fulfillments (to
//! settle a create whose answer was lost) and its line items (for a row
//! that ships every line item not shipped yet).

use ebay_client::types as eb;

use crate::outcome::PushError;
use crate::pusher::Delivery;
use crate::shipment::FieldError;

/// Every fulfillment of the order (eBay answers them all at once).
pub(super) async fn fulfillments(
    delivery: &Delivery<'_>,
    client: &ebay_client::Client,
    order_id: &str,
) -> Result<Vec<eb::ShippingFulfillment>, PushError> {
    delivery.wait_for_rate_limit().await;
    let answer = client
        .get_shipping_fulfillments()
        .order_id(order_id)
        .send()
        .await
        .map_err(|e| PushError::failed(e, Vec::new()))?;
    Ok(answer.into_inner().fulfillments)
}

/// Whether one of the order's fulfillments carries `tracking_number`.
pub(super) async fn carrying(
    delivery: &Delivery<'_>,
    client: &ebay_client::Client,
    order_id: &str,
    tracking_number: &str,
) -> Result<bool, PushError> {
    let all = fulfillments(delivery, client, order_id).await?;
    Ok(all.iter().any(|f| {
        f.shipment_tracking_number.as_deref().map(str::trim) == Some(tracking_number.trim())
    }))
}

/// Every line item of the order not shipped yet, in the quantity left:
/// bought, less what its fulfillments hold. Nothing is guessed: a line
/// item without an id or a quantity refuses the row.
pub(super) async fn unshipped(
    delivery: &Delivery<'_>,
    client: &ebay_client::Client,
    order_id: &str,
) -> Result<Vec<eb::LineItemReference>, PushError> {
    delivery.wait_for_rate_limit().await;
    let order = client
        .get_order()
        .order_id(order_id)
        .send()
        .await
        .map_err(|e| PushError::failed(e, Vec::new()))?
        .into_inner();
    let shipped = fulfillments(delivery, client, order_id).await?;
    let shipped_of = |id: &str| -> i64 {
        shipped
            .iter()
            .flat_map(|f| &f.line_items)
            .filter(|i| i.line_item_id.as_deref() == Some(id))
            .map(|i| i64::from(i.quantity.unwrap_or(0)))
            .sum()
    };
    let mut items = Vec::new();
    for item in &order.line_items {
        let (Some(id), Some(quantity)) = (item.line_item_id.as_deref(), item.quantity) else {
            return Err(refused(format!(
                "order {order_id} has a line item without an id or a quantity in eBay's answer: name the row's line items"
            )));
        };
        let left = i64::from(quantity) - shipped_of(id);
        let quantity = u32::try_from(left).ok().and_then(std::num::NonZeroU32::new);
        if let Some(quantity) = quantity {
            let line_item_id = id.parse().map_err(|_| {
                refused(format!(
                    "order {order_id} has a line item with an empty id in eBay's answer"
                ))
            })?;
            items.push(eb::LineItemReference {
                line_item_id,
                quantity,
            });
        }
    }
    if items.is_empty() {
        return Err(refused(format!(
            "order {order_id} has no line item left to ship on eBay: every one has shipped; name the line items if this is another package"
        )));
    }
    Ok(items)
}

/// A row eBay's answers show cannot be shipped as given: nothing was sent.
fn refused(message: String) -> PushError {
    PushError::Invalid(vec![FieldError {
        field: "line_items".into(),
        message,
    }])
}
