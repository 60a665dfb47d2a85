//! Push "this order shipped, with this tracking number, by this carrier" to
//! whichever platform the order came from: one provider-neutral [`Shipment`],
//! checked against what its provider needs before anything is sent
//! ([`Pusher::check`]), and delivered through the generated clients (auth,
//! retries and timeouts included), one at a time ([`Pusher::push`]) or as a
//! stream with bounded concurrency and per-provider rate limits
//! ([`Pusher::push_all`]).
//!
//! A call whose answer is lost (a dropped connection, a timeout) may have
//! been applied. The clients retry only the calls that may be repeated; for
//! Crux's add-tracking POST, which may not, the pusher asks Crux whether the
//! order has the tracking number and sends again only if not
//! ([`Plan::has_lookup`]). [`Pusher::resume`] does the same for a shipment a
//! crashed process may have sent. What cannot be settled is reported as in
//! doubt ([`PushError::Failed`] `in_doubt`), never sent twice.
//!
//! What each provider gets:
//! - Crux: `addOrderTracking` on the order (`order_ref` is its UUID).
//! - VTEX: with `invoice_value`, `invoiceNotification` (a new invoice that
//!   carries the tracking number); without, `updatePartialInvoice` on
//!   `invoice_number`; then `updateTrackingStatus` when there are `events`
//!   or a `delivered_at`.
//! - SellerCloud: `updateOrderShippingStatus` on the sales order (default),
//!   or with `target` `po` / `po-multiple` the purchase-order calls.
//!
//! ```no_run
//! use order_tracking::{Provider, Pusher, Shipment};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let pusher = Pusher::new()
//!     .with_crux(crux_client::Client::with_token(crux_client::servers::SANDBOX, "token")?)
//!     .with_rate_limit(Provider::Crux, 5.0);
//! let shipment = Shipment {
//!     provider: Some(Provider::Crux),
//!     order_ref: "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3".into(),
//!     tracking_number: "1Z999AA10123456784".into(),
//!     carrier: Some("UPS".into()),
//!     ..Default::default()
//! };
//! let receipt = pusher.push(&shipment).await?;
//! println!("{:?}", receipt.operations);
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod crux_lookup;
mod limit;
mod outcome;
mod plan;
mod pusher;
mod shipment;
mod update;

pub use crux_lookup::{DEFAULT_LOOKUP_DELAY, MAX_SENDS};
pub use limit::RateLimiter;
pub use outcome::{PushError, Receipt};
pub use plan::{Plan, plan};
pub use pusher::Pusher;
pub use shipment::{
    FieldError, LineItem, Provider, SellerCloudTarget, Shipment, TrackingEvent, date_time,
};
pub use tracking_runtime::Decimal2;
pub use update::{Unchangeable, changed_fields, plan_change};
