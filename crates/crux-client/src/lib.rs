//! A typed client for the Crux order-tracking API, generated from
//! `specs/crux.yaml`: log in, add tracking numbers to an order, change one.
//!
//! Every operation is a builder named after its operationId
//! (`add_order_tracking`, `update_order_tracking`, `user_login`) and ends in
//! `.send().await`, which returns the typed response or an
//! [`ApiError`] naming the operation, the status and Crux's error body.
//! Auth, timeouts, retries (see [`tracking_runtime::retry`]) and the
//! `User-Agent` are handled for you.
//!
//! ```no_run
//! use crux_client::{Client, servers, types};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::with_token(servers::SANDBOX, "my-crux-token")?;
//! // Or: Client::login(servers::SANDBOX, "user", "password", &Default::default()).await?
//!
//! let parcel = types::TrackingNumber {
//!     tracking: "1Z999AA10123456784".parse()?,
//!     carrier: Some("UPS".into()),
//!     method: Some("Ground".into()),
//!     ship_cost: Some("34.38".parse()?),
//!     weight: Some("17.20".parse()?),
//!     line_items: vec![types::LineItem {
//!         line_item_uuid: "e2c1bcab-43ef-48b8-9aa7-513755a92abc".parse()?,
//!         quantity: 1,
//!         sku_cost: Some("27.00".parse()?),
//!     }],
//! };
//! client
//!     .add_order_tracking()
//!     .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
//!     .body(types::AddOrderTrackingRequest { tracking_numbers: vec![parcel] })
//!     .send()
//!     .await?;
//!
//! // Change only the carrier of that tracking number:
//! client
//!     .update_order_tracking()
//!     .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
//!     .tracking_number("1Z999AA10123456784")
//!     .body_map(|body| body.carrier("FedEx".to_string()))
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod auth;

// Generated from the spec by `cargo xtask regen`, committed and shipped, so
// that users never compile the generator; `cargo xtask check` and the
// contract tests' build script prove it is what the spec generates now.
#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use tracking_runtime::{ApiError, ClientConfig, ConfigError, ErrorKind, RetryPolicy, Secret};
