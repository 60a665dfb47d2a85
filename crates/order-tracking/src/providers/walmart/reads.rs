//! What Walmart is asked around a shipping update: the order (`getAnOrder`)
//! for the lines not shipped yet, their seller order id and the method the
//! customer chose; and, to settle an update whose answer was lost or that
//! Walmart refused, whether the row's lines carry its tracking number.

use walmart_client::types as wm;

use super::Line;
use crate::once::Found;
use crate::outcome::PushError;
use crate::pusher::Delivery;
use crate::shipment::FieldError;

/// The order.
pub(super) async fn order(
    delivery: &Delivery<'_>,
    client: &walmart_client::Client,
    order_id: &str,
) -> Result<wm::Order, PushError> {
    delivery.wait_for_rate_limit().await;
    let answer = client
        .get_an_order()
        .purchase_order_id(order_id)
        .send()
        .await
        .map_err(|e| PushError::failed(e, Vec::new()))?;
    let answer = answer.into_inner();
    // Walmart's examples wrap the order in `order`; its schema puts the
    // order's fields at the top.
    if let Some(order) = answer.order {
        return Ok(order);
    }
    if answer.order_lines.is_none() {
        return Err(refused(
            "line_items",
            format!("order {order_id}: getAnOrder answered without the order's lines"),
        ));
    }
    Ok(wm::Order {
        purchase_order_id: answer.purchase_order_id,
        customer_order_id: answer.customer_order_id,
        shipping_info: answer.shipping_info,
        order_lines: answer.order_lines,
    })
}

/// A row Walmart's answers show cannot be shipped as given: nothing was sent.
pub(super) fn refused(field: &str, message: String) -> PushError {
    PushError::Invalid(vec![FieldError {
        field: field.into(),
        message,
    }])
}

fn lines(order: &wm::Order) -> &[wm::OrderLine] {
    order
        .order_lines
        .as_ref()
        .map_or(&[], |l| l.order_line.as_slice())
}

fn statuses(line: &wm::OrderLine) -> &[wm::OrderLineStatus] {
    line.order_line_statuses
        .as_ref()
        .map_or(&[], |s| s.order_line_status.as_slice())
}

/// How many of a line are still to ship: its `Created` and `Acknowledged`
/// quantities.
fn open_quantity(line: &wm::OrderLine) -> u32 {
    statuses(line)
        .iter()
        .filter(|s| matches!(s.status.as_deref(), Some("Created" | "Acknowledged")))
        .map(|s| amount(s.status_quantity.as_ref()))
        .fold(0, u32::saturating_add)
}

fn amount(quantity: Option<&wm::Quantity>) -> u32 {
    quantity
        .and_then(|q| q.amount.as_deref())
        .and_then(|a| a.trim().parse().ok())
        .unwrap_or(0)
}

/// Every line of the order not shipped yet, in the quantity still
/// `Created` or `Acknowledged`. A row whose order has nothing left is
/// refused.
pub(super) fn unshipped(order_id: &str, order: &wm::Order) -> Result<Vec<Line>, PushError> {
    let mut left = Vec::new();
    for line in lines(order) {
        let open = open_quantity(line);
        let Some(number) = line.line_number.as_deref() else {
            continue;
        };
        if open > 0 {
            left.push(Line {
                number: number.parse().map_err(|_| {
                    refused(
                        "line_items",
                        format!("order {order_id} has a line with an empty lineNumber in Walmart's answer"),
                    )
                })?,
                quantity: super::plan::quantity(open).map_err(|e| refused("line_items", e))?,
            });
        }
    }
    if left.is_empty() {
        return Err(refused(
            "line_items",
            format!(
                "order {order_id} has no line left to ship on Walmart: every one has shipped or been cancelled"
            ),
        ));
    }
    Ok(left)
}

/// The seller order id of the order's lines, where the row has none: the
/// one its lines share. Walmart takes none but the order's own.
pub(super) fn seller_order_id(
    order_id: &str,
    order: &wm::Order,
    wanted: &[Line],
) -> Result<wm::ShippingLineSellerOrderId, PushError> {
    let mut ids = lines(order)
        .iter()
        .filter(|l| {
            wanted
                .iter()
                .any(|w| l.line_number.as_deref() == Some(w.number.as_str()))
        })
        .filter_map(|l| {
            l.seller_order_id
                .as_deref()
                .filter(|id| !id.trim().is_empty())
        });
    let Some(first) = ids.next() else {
        return Err(refused(
            "target",
            format!(
                "order {order_id} has no sellerOrderId on the row's lines in Walmart's answer: give it as the row's target"
            ),
        ));
    };
    first.parse().map_err(|_| {
        refused(
            "target",
            format!("order {order_id}'s sellerOrderId is more than 30 characters: give it as the row's target"),
        )
    })
}

/// The method the customer chose (`shippingInfo.methodCode`), where the
/// row names none.
pub(super) fn method(order_id: &str, order: &wm::Order) -> Result<wm::MethodCode, PushError> {
    let chosen = order
        .shipping_info
        .as_ref()
        .and_then(|i| i.method_code.as_deref())
        .unwrap_or_default();
    super::plan::method(chosen).map_err(|_| {
        refused(
            "service",
            format!("order {order_id} has no shipping method Walmart takes back ({chosen:?}): give it as the row's service"),
        )
    })
}

/// What the order shows of the row's lines (none known: every line of the
/// order) and its tracking number: each line shipped with it, or with
/// another number, or not shipped.
pub(super) struct Shipped {
    /// Lines that carry the row's number.
    pub ours: Vec<String>,
    /// Lines shipped under other numbers, with them.
    pub others: Vec<(String, String)>,
    /// Lines of the row not shipped.
    pub open: Vec<String>,
}

pub(super) fn shipped(order: &wm::Order, wanted: &[Line], tracking_number: &str) -> Shipped {
    let mut found = Shipped {
        ours: Vec::new(),
        others: Vec::new(),
        open: Vec::new(),
    };
    for line in lines(order) {
        let Some(number) = line.line_number.clone() else {
            continue;
        };
        let want = wanted.iter().find(|w| w.number.as_str() == number);
        if !wanted.is_empty() && want.is_none() {
            continue;
        }
        let tracked: Vec<&str> = statuses(line)
            .iter()
            .filter(|s| matches!(s.status.as_deref(), Some("Shipped" | "Delivered")))
            .filter_map(|s| s.tracking_info.as_ref()?.tracking_number.as_deref())
            .collect();
        // A line part shipped under another number may still have the
        // row's quantity left to ship (a second package of it).
        let room = want.is_some_and(|w| {
            w.quantity
                .to_string()
                .parse::<u32>()
                .is_ok_and(|q| open_quantity(line) >= q)
        });
        if tracked.iter().any(|t| t.trim() == tracking_number.trim()) {
            found.ours.push(number);
        } else if room || (want.is_some() && tracked.is_empty()) {
            found.open.push(number);
        } else if let Some(other) = tracked.first() {
            found.others.push((number, other.to_string()));
        }
    }
    // A row's line the order lacks is open: nothing of it was shipped.
    for w in wanted {
        let listed = lines(order)
            .iter()
            .any(|l| l.line_number.as_deref() == Some(w.number.as_str()));
        if !listed {
            found.open.push(w.number.to_string());
        }
    }
    found
}

/// Whether an update was applied: every line of the row carries its
/// tracking number (a row that named no lines: any line does). No line
/// carries it: not applied (a line shipped under another number is found
/// by the read before the next send). Some of the row's lines only: it
/// cannot be told.
pub(super) fn verdict(order_id: &str, shipped: &Shipped, named_lines: bool) -> Found {
    let all_ours = shipped.open.is_empty() && shipped.others.is_empty();
    match (shipped.ours.is_empty(), all_ours || !named_lines) {
        (true, _) => Found::NotApplied,
        (false, true) => Found::Applied,
        (false, false) => Found::Partly(format!(
            "order {order_id}: lines {:?} carry the tracking number, lines {:?} do not",
            shipped.ours,
            shipped
                .open
                .iter()
                .chain(shipped.others.iter().map(|(line, _)| line))
                .collect::<Vec<_>>()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(ours: &[&str], open: &[&str], others: &[&str]) -> Shipped {
        let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Shipped {
            ours: owned(ours),
            open: owned(open),
            others: others
                .iter()
                .map(|l| (l.to_string(), "9X".to_string()))
                .collect(),
        }
    }

    fn name(found: Found) -> &'static str {
        match found {
            Found::Applied => "applied",
            Found::NotApplied => "not applied",
            Found::Partly(_) => "uncertain",
        }
    }

    fn status(status: &str, amount: &str, number: Option<&str>) -> wm::OrderLineStatus {
        wm::OrderLineStatus {
            status: Some(status.into()),
            status_quantity: Some(wm::Quantity {
                amount: Some(amount.into()),
                unit_of_measurement: Some("EACH".into()),
            }),
            tracking_info: number.map(|n| wm::LineTracking {
                carrier_name: None,
                method_code: None,
                ship_date_time: None,
                tracking_number: Some(n.into()),
                tracking_url: None,
            }),
        }
    }

    fn order(statuses: Vec<wm::OrderLineStatus>) -> wm::Order {
        wm::Order {
            purchase_order_id: None,
            customer_order_id: None,
            shipping_info: None,
            order_lines: Some(wm::OrderLines {
                order_line: vec![wm::OrderLine {
                    line_number: Some("1".into()),
                    seller_order_id: Some("S".into()),
                    order_line_quantity: None,
                    order_line_statuses: Some(wm::OrderLineStatuses {
                        order_line_status: statuses,
                    }),
                }],
            }),
        }
    }

    fn one(quantity: u32) -> Vec<Line> {
        vec![Line {
            number: "1".parse().unwrap(),
            quantity: super::super::plan::quantity(quantity).unwrap(),
        }]
    }

    #[test]
    fn a_line_part_shipped_under_another_number_takes_a_second_package() {
        // One of two shipped under A, one still acknowledged: room for B's one.
        let split = order(vec![
            status("Shipped", "1", Some("A")),
            status("Acknowledged", "1", None),
        ]);
        let found = super::shipped(&split, &one(1), "B");
        assert_eq!((found.open.len(), found.others.len()), (1, 0));
        // Not for two: the line is shipped under A beyond what is left.
        let found = super::shipped(&split, &one(2), "B");
        assert_eq!(found.others, [("1".to_string(), "A".to_string())]);
        // All of it shipped under A: a changed row.
        let whole = order(vec![status("Shipped", "2", Some("A"))]);
        assert_eq!(super::shipped(&whole, &one(1), "B").others.len(), 1);
        // Amounts past u32 do not overflow.
        let huge = order(vec![
            status("Acknowledged", "4294967295", None),
            status("Created", "4294967295", None),
        ]);
        assert_eq!(super::shipped(&huge, &one(1), "B").open.len(), 1);
    }

    #[test]
    fn the_row_s_lines_carrying_its_number_settle_it() {
        assert_eq!(
            name(verdict("o", &shipped(&["1", "2"], &[], &[]), true)),
            "applied"
        );
        assert_eq!(
            name(verdict("o", &shipped(&[], &["1", "2"], &[]), true)),
            "not applied"
        );
        assert_eq!(
            name(verdict("o", &shipped(&[], &[], &["1"]), true)),
            "not applied"
        );
        assert_eq!(
            name(verdict("o", &shipped(&["1"], &["2"], &[]), true)),
            "uncertain"
        );
        // A row that named no lines: any line with its number.
        assert_eq!(
            name(verdict("o", &shipped(&["2"], &[], &["1"]), false)),
            "applied"
        );
    }
}
