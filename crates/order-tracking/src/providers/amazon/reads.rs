//! What Amazon is asked around a confirmation: the order's items (for a
//! row that ships every item not shipped yet) and, to settle a
//! confirmation whose answer was lost, the order's status and its items'
//! quantities shipped.

use std::collections::BTreeMap;

use amazon_client::operation_ids as ops;
use amazon_client::types as am;

use super::refused;
use crate::once::Found;
use crate::outcome::PushError;
use crate::pusher::Delivery;

/// At most this many pages of an order's items are read: far more than an
/// order has, and an end to a `NextToken` that never ends.
const MAX_PAGES: usize = 100;

/// Every item of the order, page by page.
pub(super) async fn items(
    delivery: &Delivery<'_>,
    client: &amazon_client::Client,
    order_id: &str,
) -> Result<Vec<am::OrderItem>, PushError> {
    let mut items = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..MAX_PAGES {
        delivery.wait_for(ops::GET_ORDER_ITEMS).await;
        let mut call = client.get_order_items().order_id(order_id);
        if let Some(token) = &next {
            call = call.next_token(token.as_str());
        }
        let answer = call
            .send()
            .await
            .map_err(|e| PushError::failed(e, Vec::new()))?;
        super::follow_announced_rate(delivery, ops::GET_ORDER_ITEMS, answer.headers()).await;
        let Some(page) = answer.into_inner().payload else {
            return Err(unreadable(
                ops::GET_ORDER_ITEMS,
                order_id,
                "getOrderItems answered without a payload",
            ));
        };
        items.extend(page.order_items);
        next = page.next_token.filter(|t| !t.trim().is_empty());
        if next.is_none() {
            return Ok(items);
        }
    }
    Err(unreadable(
        ops::GET_ORDER_ITEMS,
        order_id,
        &format!("getOrderItems gave more than {MAX_PAGES} pages"),
    ))
}

/// The order's status and items shipped.
async fn order(
    delivery: &Delivery<'_>,
    client: &amazon_client::Client,
    order_id: &str,
) -> Result<am::Order, PushError> {
    delivery.wait_for(ops::GET_ORDER).await;
    let answer = client
        .get_order()
        .order_id(order_id)
        .send()
        .await
        .map_err(|e| PushError::failed(e, Vec::new()))?;
    super::follow_announced_rate(delivery, ops::GET_ORDER, answer.headers()).await;
    answer.into_inner().payload.ok_or_else(|| {
        unreadable(
            ops::GET_ORDER,
            order_id,
            "getOrder answered without a payload",
        )
    })
}

/// A read whose answer has nothing to go by: not sent, and said so.
fn unreadable(operation: &'static str, order_id: &str, why: &str) -> PushError {
    PushError::Failed {
        operation,
        status: None,
        message: format!("order {order_id}: {why}"),
        completed: Vec::new(),
        in_doubt: false,
        unreachable: false,
        looked_up: false,
    }
}

/// Every item of the order not shipped yet, in the quantity left: ordered
/// less shipped. A row whose order has nothing left is refused.
pub(super) fn unshipped(
    order_id: &str,
    items: &[am::OrderItem],
) -> Result<Vec<am::ConfirmShipmentOrderItem>, PushError> {
    let mut left = Vec::new();
    for item in items {
        let quantity = item
            .quantity_ordered
            .saturating_sub(item.quantity_shipped.unwrap_or(0));
        let Some(quantity) = u32::try_from(quantity)
            .ok()
            .and_then(std::num::NonZeroU32::new)
        else {
            continue;
        };
        let order_item_id = item.order_item_id.parse().map_err(|_| {
            refused(format!(
                "order {order_id} has an item with an empty OrderItemId in Amazon's answer"
            ))
        })?;
        left.push(am::ConfirmShipmentOrderItem {
            order_item_id,
            quantity,
            transparency_codes: Vec::new(),
        });
    }
    if left.is_empty() {
        return Err(refused(format!(
            "order {order_id} has no item left to ship on Amazon: every one has shipped; name the items if this is another package"
        )));
    }
    Ok(left)
}

/// What a confirmation sent, as far as a lookup can check it: its items
/// and quantities (none known: a row that ships what is left, sent by an
/// earlier run), and the quantities shipped read just before it was sent,
/// where they were.
#[derive(Debug, Clone, Default)]
pub(super) struct Sent {
    items: BTreeMap<String, i64>,
    before: Option<BTreeMap<String, i64>>,
}

impl Sent {
    /// A package's items, with nothing read before it.
    pub(super) fn of(package: &am::PackageDetail) -> Self {
        Self {
            items: quantities(package),
            before: None,
        }
    }

    /// A package's items, and the quantities shipped `items` showed just
    /// before it was sent.
    pub(super) fn with_baseline(package: &am::PackageDetail, items: &[am::OrderItem]) -> Self {
        Self {
            items: quantities(package),
            before: Some(shipped(items)),
        }
    }
}

fn quantities(package: &am::PackageDetail) -> BTreeMap<String, i64> {
    let mut found = BTreeMap::new();
    for item in &package.order_items {
        *found.entry(item.order_item_id.to_string()).or_default() += i64::from(item.quantity.get());
    }
    found
}

fn shipped(items: &[am::OrderItem]) -> BTreeMap<String, i64> {
    items
        .iter()
        .map(|i| (i.order_item_id.clone(), i.quantity_shipped.unwrap_or(0)))
        .collect()
}

/// Whether a confirmation was applied, by the order's quantities shipped.
///
/// - The order has shipped nothing (`getOrder`), or one of the package's
///   items has shipped fewer than the package holds (read before: fewer
///   more than then): not applied, since a confirmation adds all of its
///   quantities at once.
/// - Read before it was sent, and every item has shipped at least the
///   package's quantity more: applied (deliveries to one order go one at
///   a time, so no other row of this run moved them).
/// - Not read before (a row of an earlier run, or one that named its
///   items), and every item has shipped at least the package's quantity:
///   an earlier package of the same items could explain that as well as
///   this one, so it cannot be told (the row is uncertain).
pub(super) async fn settle(
    delivery: &Delivery<'_>,
    client: &amazon_client::Client,
    order_id: &str,
    sent: &Sent,
) -> Result<Found, String> {
    let order = order(delivery, client, order_id)
        .await
        .map_err(|e| e.to_string())?;
    // The count, not the status: a status may lag behind the quantities.
    if order.number_of_items_shipped == Some(0) {
        return Ok(Found::NotApplied);
    }
    let status = order.order_status.as_str();
    if sent.items.is_empty() {
        return Ok(Found::Partly(format!(
            "order {order_id} is {status} with items shipped, and the row named no items: whether this package is among them cannot be told from Amazon's quantities"
        )));
    }
    let now = shipped(
        &items(delivery, client, order_id)
            .await
            .map_err(|e| e.to_string())?,
    );
    Ok(compare(order_id, sent, &now))
}

/// [`settle`]'s verdict from the quantities shipped `now`.
fn compare(order_id: &str, sent: &Sent, now: &BTreeMap<String, i64>) -> Found {
    let before = |id: &str| {
        sent.before
            .as_ref()
            .map_or(0, |b| b.get(id).copied().unwrap_or(0))
    };
    let shipped = |id: &str| now.get(id).copied().unwrap_or(0);
    // A confirmation adds all of its quantities at once: one item short of
    // its quantity (since the read before, where there was one) shows it
    // was not applied.
    let short = sent
        .items
        .iter()
        .any(|(id, quantity)| shipped(id).saturating_sub(before(id)) < *quantity);
    match (short, &sent.before) {
        (true, _) => Found::NotApplied,
        (false, Some(_)) => Found::Applied,
        (false, None) => Found::Partly(format!(
            "order {order_id} has shipped at least the package's quantities, but an earlier package of the same items could explain them: Amazon's quantities cannot tell which tracking number was applied"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(items: &[(&str, i64)], before: Option<&[(&str, i64)]>) -> Sent {
        let map = |pairs: &[(&str, i64)]| {
            pairs
                .iter()
                .map(|(id, n)| (id.to_string(), *n))
                .collect::<BTreeMap<_, _>>()
        };
        Sent {
            items: map(items),
            before: before.map(map),
        }
    }

    fn now(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(id, n)| (id.to_string(), *n)).collect()
    }

    fn verdict(found: Found) -> &'static str {
        match found {
            Found::Applied => "applied",
            Found::NotApplied => "not applied",
            Found::Partly(_) => "uncertain",
        }
    }

    #[test]
    fn quantities_read_before_the_send_settle_it_either_way() {
        let read = sent(&[("a", 2), ("b", 1)], Some(&[("a", 1), ("b", 0)]));
        assert_eq!(
            verdict(compare("o", &read, &now(&[("a", 3), ("b", 1)]))),
            "applied"
        );
        assert_eq!(
            verdict(compare("o", &read, &now(&[("a", 1), ("b", 0)]))),
            "not applied"
        );
        // One item short: a confirmation adds all of its items at once.
        assert_eq!(
            verdict(compare("o", &read, &now(&[("a", 3), ("b", 0)]))),
            "not applied"
        );
    }

    #[test]
    fn without_them_an_earlier_package_could_explain_the_quantities() {
        let unread = sent(&[("a", 2)], None);
        // Fewer shipped than the package holds: it was not applied.
        assert_eq!(
            verdict(compare("o", &unread, &now(&[("a", 1)]))),
            "not applied"
        );
        assert_eq!(verdict(compare("o", &unread, &now(&[]))), "not applied");
        // As many or more: this package, or an earlier one.
        let found = compare("o", &unread, &now(&[("a", 2)]));
        let Found::Partly(why) = found else {
            panic!("uncertain");
        };
        assert!(
            why.contains("an earlier package of the same items could explain them"),
            "{why}"
        );
    }
}
