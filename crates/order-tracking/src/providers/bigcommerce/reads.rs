//! What BigCommerce is asked before and around a shipment: the order's
//! shipments (to settle a create whose answer was lost, and to find the
//! one a change goes to), its products (the items of a row that ships the
//! whole order) and its shipping addresses (the address of a row that
//! names none). Each read goes through every page.

use bigcommerce_client::operation_ids as ops;
use bigcommerce_client::types as bc;
use std::future::Future;

use futures_util::StreamExt;

use crate::outcome::PushError;
use crate::pusher::Delivery;
use crate::shipment::FieldError;

/// A page of results as BigCommerce gives it by default.
const PAGE: u64 = 50;

/// Every shipment of the order. `getOrderShipments` answers 204 without a
/// body when there are none, so its answers come as bytes (see its spec).
pub(super) async fn shipments(
    delivery: &Delivery<'_>,
    client: &bigcommerce_client::Client,
    order_id: u64,
) -> Result<Vec<bc::Shipment>, PushError> {
    every_page(delivery, |page| async move {
        let answer = client
            .get_order_shipments()
            .order_id(order_id)
            .page(page)
            .limit(PAGE)
            .send()
            .await
            .map_err(|e| PushError::failed(e, Vec::new()))?;
        let status = answer.status().as_u16();
        let mut bytes = Vec::new();
        let mut stream = answer.into_inner().into_inner();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| unreadable(format!("its body was cut off: {e}")))?;
            bytes.extend_from_slice(&chunk);
        }
        if status == 204 {
            return Ok(Vec::new());
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| unreadable(format!("not a list of shipments: {e}")))
    })
    .await
}

fn unreadable(why: String) -> PushError {
    PushError::Failed {
        operation: ops::GET_ORDER_SHIPMENTS,
        status: None,
        message: format!(
            "{}: the answer cannot be read: {why}",
            ops::GET_ORDER_SHIPMENTS
        ),
        completed: Vec::new(),
        in_doubt: false,
        unreachable: false,
    }
}

/// The order's shipments that carry `tracking_number`.
pub(super) async fn carrying(
    delivery: &Delivery<'_>,
    client: &bigcommerce_client::Client,
    order_id: u64,
    tracking_number: &str,
) -> Result<Vec<bc::Shipment>, PushError> {
    let all = shipments(delivery, client, order_id).await?;
    Ok(all
        .into_iter()
        .filter(|s| s.tracking_number.as_deref().map(str::trim) == Some(tracking_number.trim()))
        .collect())
}

/// Fills in what the row left to the order: its items (every product not
/// shipped yet, in the quantity left) and its shipping address (the only
/// one the order has, or the one the items all go to).
pub(super) async fn complete(
    delivery: &Delivery<'_>,
    client: &bigcommerce_client::Client,
    order_id: u64,
    address_given: bool,
    body: &mut bc::ShipmentCreate,
) -> Result<(), PushError> {
    let whole_order = body.items.is_empty();
    let products = if whole_order || !address_given {
        products(delivery, client, order_id).await?
    } else {
        Vec::new()
    };
    if whole_order {
        body.items = products
            .iter()
            .filter_map(|p| {
                let left = p.quantity? as f64 - p.quantity_shipped.unwrap_or(0.0);
                let id = u64::try_from(p.id?).ok()?;
                (left >= 1.0).then_some(bc::ShipmentItem {
                    order_product_id: id,
                    quantity: left as u64,
                })
            })
            .collect();
        if body.items.is_empty() {
            return Err(refused(
                "line_items",
                format!(
                    "order {order_id} has no product left to ship in BigCommerce: every product has shipped; name the items if this is another package"
                ),
            ));
        }
    }
    if address_given {
        return Ok(());
    }
    let addresses = addresses(delivery, client, order_id).await?;
    let ids: Vec<u64> = addresses
        .iter()
        .filter_map(|a| u64::try_from(a.id?).ok())
        .collect();
    match ids.as_slice() {
        [only] => body.order_address_id = *only,
        [] => {
            return Err(refused(
                "target",
                format!(
                    "order {order_id} has no shipping address in BigCommerce: nothing can be shipped to it"
                ),
            ));
        }
        several => {
            // The items' own address, where BigCommerce records one for each.
            let of_items: std::collections::BTreeSet<u64> = body
                .items
                .iter()
                .filter_map(|item| {
                    let product = products
                        .iter()
                        .find(|p| p.id == i64::try_from(item.order_product_id).ok())?;
                    u64::try_from(product.order_address_id?).ok()
                })
                .filter(|id| several.contains(id))
                .collect();
            match (of_items.len(), of_items.first()) {
                (1, Some(id)) => body.order_address_id = *id,
                _ => {
                    let listed: Vec<String> = several.iter().map(u64::to_string).collect();
                    return Err(refused(
                        "target",
                        format!(
                            "order {order_id} ships to {} addresses ({}): give the row's target as the order_address_id this package goes to",
                            several.len(),
                            listed.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A row BigCommerce's answers show cannot be shipped as given: nothing
/// was sent.
fn refused(field: &str, message: String) -> PushError {
    PushError::Invalid(vec![FieldError {
        field: field.into(),
        message,
    }])
}

async fn products(
    delivery: &Delivery<'_>,
    client: &bigcommerce_client::Client,
    order_id: u64,
) -> Result<Vec<bc::OrderProduct>, PushError> {
    every_page(delivery, |page| async move {
        let answer = client
            .get_order_products()
            .order_id(order_id)
            .page(page)
            .limit(PAGE)
            .send()
            .await
            .map_err(|e| PushError::failed(e, Vec::new()))?;
        Ok(answer.into_inner())
    })
    .await
}

async fn addresses(
    delivery: &Delivery<'_>,
    client: &bigcommerce_client::Client,
    order_id: u64,
) -> Result<Vec<bc::ShippingAddress>, PushError> {
    every_page(delivery, |page| async move {
        let answer = client
            .get_order_shipping_addresses()
            .order_id(order_id)
            .page(page)
            .limit(PAGE)
            .send()
            .await
            .map_err(|e| PushError::failed(e, Vec::new()))?;
        Ok(answer.into_inner())
    })
    .await
}

/// Every page of a list, from page 1 until one holds fewer than [`PAGE`].
async fn every_page<T, F, Fut>(delivery: &Delivery<'_>, mut read: F) -> Result<Vec<T>, PushError>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Vec<T>, PushError>>,
{
    let mut all = Vec::new();
    for page in 1.. {
        delivery.wait_for_rate_limit().await;
        let found = read(page).await?;
        let last = (found.len() as u64) < PAGE;
        all.extend(found);
        if last {
            break;
        }
    }
    Ok(all)
}
