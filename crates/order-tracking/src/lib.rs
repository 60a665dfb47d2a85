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
//! What each provider gets is said in its module under [`providers`], which
//! holds everything the crate does for it; [`Provider::all`] lists them.
//!
//! ```no_run
//! use order_tracking::{Provider, Pusher, Shipment};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let pusher = Pusher::new()
//!     .with_client(crux_client::Client::with_token(crux_client::servers::SANDBOX, "token")?)
//!     .with_rate_limit(Provider::CRUX, 5.0);
//! let shipment = Shipment {
//!     provider: Some(Provider::CRUX),
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

pub mod carriers;
mod limit;
mod once;
mod outcome;
mod plan;
mod provider;
pub mod providers;
mod pusher;
mod shipment;
mod update;

pub use limit::RateLimiter;
pub use outcome::{PushError, Receipt};
pub use plan::{Plan, plan};
pub use provider::{Account, Connection, Provider, ProviderClient, Settings, Settled};
pub use pusher::{DEFAULT_LOOKUP_DELAY, Pusher};
pub use shipment::{FieldError, LineItem, Shipment, TrackingEvent, date_time};
pub use tracking_runtime::Decimal2;
pub use update::{Unchangeable, changed_fields, plan_change};
