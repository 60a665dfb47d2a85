//! Crux's `addOrderTracking` may not be repeated, but Crux can be asked
//! whether it was applied: the pusher looks before it sends again, so that
//! a lost answer never adds a tracking number twice.

use crux_client::types as crux;

use super::update_fields;
use crate::outcome::PushError;
use crate::pusher::Delivery;

/// Crux `addOrderTracking`, never applied twice: when its answer is lost
/// (or with `lookup_first`), waits
/// [`Pusher::with_lookup_delay`](crate::Pusher::with_lookup_delay), asks
/// Crux whether the order has the tracking numbers, and sends again only
/// if it has none of them; at most [`MAX_SENDS`] sends, each followed by a
/// lookup if its answer is lost. True when Crux already had them.
pub(super) async fn add_once(
    delivery: &Delivery<'_>,
    client: &crux_client::Client,
    order_uuid: uuid::Uuid,
    body: crux::AddOrderTrackingRequest,
    has_lookup: bool,
    mut lookup_first: bool,
) -> Result<bool, PushError> {
    let mut lost = None;
    let mut sends = 0;
    loop {
        if lookup_first {
            tokio::time::sleep(delivery.lookup_delay()).await;
            match tracking_state(delivery, client, order_uuid, &body).await {
                Ok(Some(true)) => return Ok(true),
                Ok(Some(false)) if sends < MAX_SENDS => {}
                Ok(Some(false)) => {
                    let why = format!(
                        "looked up after {sends} sends whose answers were lost: not applied"
                    );
                    return Err(after_lookup(lost, why, false));
                }
                Ok(None) => {
                    let why = "Crux has some of its tracking numbers and not others";
                    return Err(after_lookup(lost, why.into(), true));
                }
                Err(e) => {
                    let why = format!("looking it up failed: {}", tracking_runtime::report(&e));
                    return Err(after_lookup(lost, why, true));
                }
            }
        }
        delivery.wait_for_rate_limit().await;
        sends += 1;
        match client
            .add_order_tracking()
            .order_uuid(order_uuid)
            .body(body.clone())
            .send()
            .await
        {
            Ok(_) => return Ok(false),
            Err(e) if e.in_doubt() && has_lookup => lost = Some(PushError::failed(e, Vec::new())),
            Err(e) => return Err(PushError::failed(e, Vec::new())),
        }
        lookup_first = true;
    }
}

/// Whether the order has every tracking number of `body` (`Some(true)`),
/// none (`Some(false)`), or some only (`None`).
///
/// Asks with `updateOrderTracking` on each number, whose body is partial
/// (whatever is supplied is changed) and which answers 404 for a number
/// the order does not have. The body is the number's own fields from
/// `body`, without the number: if the add was applied, they are what
/// Crux has, and nothing changes; if the number came from elsewhere, it
/// now carries this shipment's fields, as the add would have set them.
async fn tracking_state(
    delivery: &Delivery<'_>,
    client: &crux_client::Client,
    order_uuid: uuid::Uuid,
    body: &crux::AddOrderTrackingRequest,
) -> Result<Option<bool>, tracking_runtime::ApiError<crux::CruxError>> {
    let mut found = 0;
    for number in &body.tracking_numbers {
        delivery.wait_for_rate_limit().await;
        let fields = update_fields(number);
        let looked = client
            .update_order_tracking()
            .order_uuid(order_uuid)
            .tracking_number(number.tracking.to_string())
            .body(fields)
            .send()
            .await;
        match looked {
            Ok(_) => found += 1,
            Err(e) if e.status().is_some_and(|s| s.as_u16() == 404) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(match found {
        0 => Some(false),
        n if n == body.tracking_numbers.len() => Some(true),
        _ => None,
    })
}

/// How many times Crux's add-tracking POST is sent while its answers are
/// lost and lookups show it was not applied.
pub const MAX_SENDS: usize = 3;

/// The error of an add a lookup left unsettled (`in_doubt`: it may have
/// been applied) or showed was not applied: the lost send's own error with
/// `why` added when this process sent it, else one for a send of an earlier
/// process.
fn after_lookup(lost: Option<PushError>, why: String, in_doubt: bool) -> PushError {
    match lost {
        Some(PushError::Failed {
            operation,
            status,
            message,
            completed,
            ..
        }) => PushError::Failed {
            operation,
            status,
            message: format!("{message}; {why}"),
            completed,
            in_doubt,
            unreachable: false,
        },
        _ => PushError::Failed {
            operation: crux_client::operation_ids::ADD_ORDER_TRACKING,
            status: None,
            message: format!("an earlier send may have been applied; {why}"),
            completed: Vec::new(),
            in_doubt,
            unreachable: false,
        },
    }
}
