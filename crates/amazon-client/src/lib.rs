//! A typed client for the Amazon Selling Partner API (Orders v0) calls that
//! confirm an order's package shipped with a tracking number, generated
//! from `specs/amazon.yaml`.
//!
//! `confirm_shipment` confirms one package of an order: its items and
//! quantities, its tracking number, its carrier (an Amazon code,
//! [`types::CarrierCode`], or `Other` with `carrier_name`) and its ship
//! date; `get_order_items` reads the order's items with the quantities
//! shipped, a page at a time; `get_order` reads its status. Every
//! operation ends in `.send().await`, which returns the typed answer or an
//! [`ApiError`] naming the operation, the status and Amazon's error body.
//! A confirmation is never sent twice by the client: its quantities add to
//! what the order has shipped ([`IDEMPOTENT_OPERATIONS`]; `order-tracking`
//! settles a lost answer with the quantities shipped). Amazon has no call
//! that changes a confirmation.
//!
//! # Use
//!
//! ```toml
//! [dependencies]
//! amazon-client = "0.2"
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
//! A Login with Amazon access token, from the seller's refresh token and
//! your application's LWA client id and secret ([`auth::lwa_token`], then
//! [`Client::with_lwa_token`]), sent alone in `x-amz-access-token`; AWS
//! signatures are not needed. It is fetched before the first call, renewed
//! before it expires (one hour) by one call while the others wait, and
//! again after a 401. The secret, the refresh token and the access tokens
//! are [`Secret`]s: `Debug` and errors never show them. The refresh token
//! comes from the seller authorizing your application (the workspace
//! README says how). The host is your marketplace's region
//! ([`servers::NORTH_AMERICA`], [`servers::EUROPE`], [`servers::FAR_EAST`]).
//!
//! # An example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await?;
//! # let base_url = mock.base_url("amazon").unwrap();
//! # let token_url = mock.token_url("amazon").unwrap();
//! # let (client_id, client_secret, refresh_token) =
//! #     ("mock-client-id", "mock-client-secret", "mock-refresh-token");
//! use amazon_client::{Client, auth, types};
//!
//! // For Amazon itself: `amazon_client::servers::NORTH_AMERICA` and `auth::TOKEN_URL`.
//! let token = auth::lwa_token(&token_url, client_id, client_secret, refresh_token)?;
//! let client = Client::with_lwa_token(&base_url, token)?;
//!
//! let items = client
//!     .get_order_items()
//!     .order_id("902-1845936-5435065")
//!     .send()
//!     .await?
//!     .into_inner();
//! let item = &items.payload.unwrap().order_items[0];
//!
//! client
//!     .confirm_shipment()
//!     .order_id("902-1845936-5435065")
//!     .body(types::ConfirmShipmentRequest {
//!         cod_collection_method: None,
//!         marketplace_id: "ATVPDKIKX0DER".parse()?,
//!         package_detail: types::PackageDetail {
//!             carrier_code: types::CarrierCode::Ups,
//!             carrier_name: None,
//!             order_items: vec![types::ConfirmShipmentOrderItem {
//!                 order_item_id: item.order_item_id.parse()?,
//!                 quantity: std::num::NonZeroU32::new(1).unwrap(),
//!                 transparency_codes: Vec::new(),
//!             }],
//!             package_reference_id: "1".parse()?,
//!             ship_date: chrono::Utc::now(),
//!             ship_from_supply_source_id: None,
//!             shipping_method: Some("UPS Ground".into()),
//!             tracking_number: "1Z999AA10123456784".parse()?,
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
//! [`RetryPolicy`] ([`Client::with_lwa_token_and_config`] takes one). Each
//! call is one `tracing` span; and `tracking-mock` serves this crate's
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
