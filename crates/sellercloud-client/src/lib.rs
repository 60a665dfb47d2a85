//! A typed client for the SellerCloud REST calls that push tracking,
//! generated from `specs/sellercloud.yaml`: purchase-order tracking (single
//! and multiple) and sales-order shipping status.
//!
//! [`Client::with_credentials`] gets the bearer token with `createToken` on
//! first use, shares it across concurrent calls, renews it before
//! `expires_in` runs out and once more after a 401. Every operation ends in
//! `.send().await`, which returns the typed response or an [`ApiError`]
//! naming the operation, the status and SellerCloud's error body. Throttled
//! calls wait for `RateLimitResetTime` (see [`tracking_runtime::retry`]).
//!
//! ```no_run
//! use sellercloud_client::{Client, servers, types};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::with_credentials(&servers::base_url("xx"), "api@example.com", "password")?;
//!
//! client
//!     .update_order_shipping_status()
//!     .body_map(|body| {
//!         body.order_id(5004321)
//!             .shipping_carrier("FedEx".to_string())
//!             .shipping_service("FedEx Ground".to_string())
//!             .ship_date(chrono::Utc::now())
//!             .tracking_number(Some("794698753190".to_string()))
//!     })
//!     .send()
//!     .await?;
//!
//! client
//!     .add_purchase_order_tracking_numbers()
//!     .id(18227)
//!     .body(types::AddPurchaseOrderTrackingNumbersRequest {
//!         tracking_numbers: vec![types::PurchaseOrderTrackingNumber {
//!             shipped_on: Some(chrono::Utc::now()),
//!             shipping_carrier: types::ShippingCarrier::Ups,
//!             other_carrier: None,
//!             tracking_number: "1Z999AA10123456784".parse()?,
//!         }],
//!     })
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
