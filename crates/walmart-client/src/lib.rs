//! A typed client for the Walmart Marketplace (US) Orders API calls that
//! mark a purchase order's lines shipped with their tracking, generated
//! from `specs/walmart.yaml`.
//!
//! `shipping_updates` marks lines of an order shipped, each in its
//! quantity, with the carrier (Walmart's name, [`types::Carrier`], or your
//! own as `other_carrier` with a tracking URL), the method, the ship time
//! and the tracking number; `get_an_order` reads the order's lines and
//! their statuses. Every operation ends in `.send().await`, which returns
//! the typed answer or an [`ApiError`] naming the operation, the status and
//! Walmart's error body. A shipping update is never sent twice by the
//! client ([`IDEMPOTENT_OPERATIONS`]; `order-tracking` reads the order's
//! line statuses to settle a lost answer). Only JSON is sent.
//!
//! # Use
//!
//! ```toml
//! [dependencies]
//! walmart-client = "0.2"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [dev-dependencies]
//! tracking-mock = "=0.2.0"
//! ```
//!
//! TLS is a feature: `rustls` (the default, with aws-lc-rs), `rustls-ring`
//! (ring: no C toolchain), `native-tls`; with `default-features = false`
//! the client speaks plain `http` only and refuses an `https` URL.
//!
//! # Authentication
//!
//! An access token from your client id and secret ([`auth::client_token`],
//! then [`Client::with_client_token`]), sent alone in
//! `WM_SEC.ACCESS_TOKEN`; every request, the token's included, also
//! carries `WM_SVC.NAME` and a fresh `WM_QOS.CORRELATION_ID`. The token is
//! fetched before the first call, renewed before it expires (15 minutes)
//! by one call while the others wait, and again after a 401. The secret
//! and the tokens are [`Secret`]s: `Debug` and errors never show them.
//!
//! # An example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await?;
//! # let base_url = mock.base_url("walmart").unwrap();
//! # let token_url = mock.token_url("walmart").unwrap();
//! # let (client_id, client_secret) = ("mock-client-id", "mock-client-secret");
//! use walmart_client::{Client, auth, types};
//!
//! // For Walmart itself: `walmart_client::servers::PRODUCTION` and `auth::TOKEN_URL`.
//! let token = auth::client_token(&token_url, client_id, client_secret)?;
//! let client = Client::with_client_token(&base_url, token)?;
//!
//! let order = client
//!     .get_an_order()
//!     .purchase_order_id("1815367951431")
//!     .send()
//!     .await?
//!     .into_inner();
//! println!("{:?}", order.order.map(|o| o.purchase_order_id));
//!
//! let status = types::ShipLineStatus {
//!     status: types::ShipLineStatusStatus::Shipped,
//!     status_quantity: types::ShipQuantity {
//!         amount: "1".parse()?,
//!         unit_of_measurement: types::ShipQuantityUnitOfMeasurement::Each,
//!     },
//!     tracking_info: types::TrackingInfo {
//!         carrier_name: types::CarrierName {
//!             carrier: Some(types::Carrier::Ups),
//!             other_carrier: None,
//!         },
//!         method_code: types::MethodCode::Standard,
//!         ship_date_time: 1_580_821_866_000,
//!         tracking_number: "1Z999AA10123456784".parse()?,
//!         tracking_url: None,
//!     },
//! };
//! client
//!     .shipping_updates()
//!     .purchase_order_id("1815367951431")
//!     .body(types::OrderShipment {
//!         order_shipment: types::OrderShipmentRecord {
//!             order_lines: types::ShippingLines {
//!                 order_line: vec![types::ShippingLine {
//!                     line_number: "1".parse()?,
//!                     seller_order_id: "92344".parse()?,
//!                     order_line_statuses: types::ShipLineStatuses {
//!                         order_line_status: [status],
//!                     },
//!                 }],
//!             },
//!         },
//!     })
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Errors, retries, timeouts, logging and testing
//!
//! As in every client of this workspace, and written once in the
//! [`tracking_runtime`] crate's documentation: every call returns an
//! [`ApiError`] (this crate's [`Error`]) whose [`ErrorKind`] says what
//! happened; [`ClientConfig`] sets timeouts, the user agent and the
//! [`RetryPolicy`] ([`Client::with_client_token_and_config`] takes one).
//! Each call is one `tracing` span; and `tracking-mock` serves this crate's
//! spec and its token endpoint for your tests, as in the example above.

#![forbid(unsafe_code)]

pub mod auth;

// Generated from the spec by `cargo xtask regen`, committed and shipped, so
// that users never compile the generator; `cargo xtask check` and the
// contract tests' build script prove it is what the spec generates now.
#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
mod generated;

pub use generated::exports::*;
pub use generated::*;
