//! What BigCommerce is asked before and around a shipment: the order's
//! shipments (to settle a create whose answer was lost, and to find the
//! one a change goes to), its products (the items of a row that ships the
//! whole order) and its shipping addresses (the address of a row that
//! names none). Each read goes through every page.

use bigcommerce_client::operation_ids as ops;
use bigcommerce_client::types as bc;
use std::future::Future;

use tracking_runtime::json_call;

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
        let empty = answer.status().as_u16() == 204;
        // Read whole as JSON, as every client's JSON call reads such bytes.
        let body = json_call::outcome_bytes::<()>(ops::GET_ORDER_SHIPMENTS, Ok(answer))
            .await
            .map_err(|failure| unreadable(failure.message))?;
        match body {
            None if empty => Ok(Vec::new()),
            body => serde_json::from_value(body.unwrap_or_default()).map_err(|e| {
                unreadable(format!(
                    "{}: not a list of shipments: {e}",
                    ops::GET_ORDER_SHIPMENTS
                ))
            }),
        }
    })
    .await
}

/// A page of a typed list. A 204 where the spec documents a list is read
/// as an empty page: BigCommerce's V2 answers an empty collection so (its
/// document says it of the shipments; of products and addresses it says
/// nothing, and specs/README.md lists it as an open question).
fn listed<T, E: serde::Serialize + std::fmt::Debug + 'static>(
    answer: Result<bigcommerce_client::ResponseValue<Vec<T>>, tracking_runtime::ApiError<E>>,
) -> Result<Vec<T>, PushError> {
    match answer {
        Ok(answer) => Ok(answer.into_inner()),
        Err(e) if e.status().is_some_and(|s| s.as_u16() == 204) => Ok(Vec::new()),
        Err(e) => Err(PushError::failed(e, Vec::new())),
    }
}

/// A list answer that cannot be read (`why` names the call).
fn unreadable(why: String) -> PushError {
    PushError::Failed {
        operation: ops::GET_ORDER_SHIPMENTS,
        status: None,
        message: why,
        completed: Vec::new(),
        in_doubt: false,
        unreachable: false,
        looked_up: false,
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
/// shipped yet, in the quantity left; with the row's address, those that go
/// to it) and its shipping address (the only one the order has, or the one
/// all the items go to). Nothing is guessed: a product without an id or a
/// quantity, or items whose address is not known, refuse the row.
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
    // The address BigCommerce records for a product, where it records one.
    let address_of = |id: u64| {
        products
            .iter()
            .find(|p| p.id.and_then(|i| u64::try_from(i).ok()) == Some(id))
            .and_then(|p| p.order_address_id)
            .and_then(|a| u64::try_from(a).ok())
            .filter(|a| *a > 0)
    };
    if whole_order {
        let mut items = Vec::new();
        for product in &products {
            let (Some(id), Some(quantity)) = (
                product.id.and_then(|i| u64::try_from(i).ok()),
                product.quantity,
            ) else {
                return Err(refused(
                    "line_items",
                    format!(
                        "order {order_id} has a product without an id or a quantity in BigCommerce's answer: name the row's items"
                    ),
                ));
            };
            let left = quantity as f64 - product.quantity_shipped.unwrap_or(0.0);
            if left >= 1.0 {
                items.push(bc::ShipmentItem {
                    order_product_id: id,
                    quantity: left as u64,
                });
            }
        }
        // With the row's address: the products that go to it, where
        // BigCommerce records where each goes.
        if address_given
            && items
                .iter()
                .any(|i| address_of(i.order_product_id).is_some())
        {
            let to = body.order_address_id;
            items.retain(|i| address_of(i.order_product_id) == Some(to));
        }
        body.items = items;
        if body.items.is_empty() {
            return Err(refused(
                "line_items",
                format!(
                    "order {order_id} has no product left to ship in BigCommerce{}: every product has shipped; name the items if this is another package",
                    if address_given {
                        " to that address"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    if address_given {
        return Ok(());
    }
    let addresses = addresses(delivery, client, order_id).await?;
    let mut ids = Vec::new();
    for address in &addresses {
        match address.id.and_then(|i| u64::try_from(i).ok()) {
            Some(id) => ids.push(id),
            None => {
                return Err(refused(
                    "target",
                    format!(
                        "order {order_id} has a shipping address without an id in BigCommerce's answer: give the row's target (order_address_id)"
                    ),
                ));
            }
        }
    }
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
            // The items' own address, where BigCommerce records one for
            // each of them, and the same one.
            let of_items: Vec<Option<u64>> = body
                .items
                .iter()
                .map(|item| address_of(item.order_product_id).filter(|a| several.contains(a)))
                .collect();
            match of_items.as_slice() {
                [Some(first), rest @ ..] if rest.iter().all(|a| *a == Some(*first)) => {
                    body.order_address_id = *first
                }
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
        listed(
            client
                .get_order_products()
                .order_id(order_id)
                .page(page)
                .limit(PAGE)
                .send()
                .await,
        )
    })
    .await
}

async fn addresses(
    delivery: &Delivery<'_>,
    client: &bigcommerce_client::Client,
    order_id: u64,
) -> Result<Vec<bc::ShippingAddress>, PushError> {
    every_page(delivery, |page| async move {
        listed(
            client
                .get_order_shipping_addresses()
                .order_id(order_id)
                .page(page)
                .limit(PAGE)
                .send()
                .await,
        )
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
