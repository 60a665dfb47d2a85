//! Tells Crux that an order shipped: what a fulfilment system does with
//! `crux-client`, and all it needs (the client crate and tokio); and the
//! same for BigCommerce and eBay ([`marketplaces`]).

pub mod marketplaces;

use crux_client::{ApiError, Client, ErrorKind, types};

/// Adds `tracking` (sent with `carrier`) to the Crux order `order_uuid`.
/// Returns false when Crux has no such order, and the error otherwise.
pub async fn notify_shipped(
    client: &Client,
    order_uuid: &str,
    tracking: &str,
    carrier: &str,
) -> Result<bool, ApiError<types::CruxError>> {
    let parcel = types::TrackingNumber {
        tracking: tracking
            .parse()
            .map_err(|e| ApiError::request("addOrderTracking", format!("tracking: {e}")))?,
        carrier: Some(carrier.to_string()),
        method: None,
        ship_cost: None,
        weight: None,
        line_items: Vec::new(),
    };
    let sent = client
        .add_order_tracking()
        .order_uuid(order_uuid)
        .body(types::AddOrderTrackingRequest {
            tracking_numbers: vec![parcel],
        })
        .send()
        .await;
    match sent {
        Ok(_) => Ok(true),
        Err(error) => match error.kind() {
            ErrorKind::Status { status, .. } if status.as_u16() == 404 => Ok(false),
            _ => Err(error),
        },
    }
}
