//! Crux's `addOrderTracking` may not be repeated, but Crux can be asked
//! whether it was applied: the pusher looks before it sends again, so that
//! a lost answer never adds a tracking number twice.

use crux_client::types as crux;

use super::update_fields;
use crate::once::{Found, send_once};
use crate::outcome::PushError;
use crate::pusher::Delivery;

/// Crux `addOrderTracking`, never applied twice ([`send_once`]): Crux is
/// asked whether the order has the tracking numbers. True when Crux
/// already had them.
pub(super) async fn add_once(
    delivery: &Delivery<'_>,
    client: &crux_client::Client,
    order_uuid: uuid::Uuid,
    body: crux::AddOrderTrackingRequest,
    has_lookup: bool,
    lookup_first: bool,
) -> Result<bool, PushError> {
    let send = || async {
        client
            .add_order_tracking()
            .order_uuid(order_uuid)
            .body(body.clone())
            .send()
            .await
            .map_err(|e| PushError::failed(e, Vec::new()))
    };
    let look = || async {
        match tracking_state(delivery, client, order_uuid, &body).await {
            Ok(Some(true)) => Ok(Found::Applied),
            Ok(Some(false)) => Ok(Found::NotApplied),
            Ok(None) => Ok(Found::Partly(
                "Crux has some of its tracking numbers and not others".into(),
            )),
            Err(e) => Err(tracking_runtime::report(&e)),
        }
    };
    let (already_applied, _) = send_once(
        delivery,
        crux_client::operation_ids::ADD_ORDER_TRACKING,
        has_lookup,
        lookup_first,
        send,
        look,
    )
    .await?;
    Ok(already_applied)
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
