//! A typed client for the eBay Sell Fulfillment calls that mark an
//! order's line items shipped with a tracking number, generated from
//! `specs/ebay.yaml`.
//!
//! `create_shipping_fulfillment` records one package of an order: its line
//! items and quantities, its tracking number and its carrier (an eBay code,
//! [`types::ShippingCarrierCode`]); `get_shipping_fulfillments` lists an
//! order's fulfillments; `get_order` gives its line items. Every operation
//! ends in `.send().await`, which returns the typed answer or an
//! [`ApiError`] naming the operation, the status and eBay's error body. A
//! create is never sent twice by the client: every arrival makes another
//! fulfillment ([`IDEMPOTENT_OPERATIONS`]; `order-tracking` settles a lost
//! answer with the fulfillment list). eBay has no call that changes a
//! fulfillment.
//!
//! # Use
//!
//! ```toml
//! [dependencies]
//! ebay-client = "0.2"
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
//! A user access token, from the seller's refresh token and your
//! application's client id and secret ([`auth::user_token`], then
//! [`Client::with_user_token`]). It is fetched before the first call,
//! renewed before it expires by one call while the others wait, and again
//! after a 401. The secret, the refresh token and the access tokens are
//! [`Secret`]s: `Debug` and errors never show them. The refresh token comes
//! from the seller's one-time consent (the workspace README says how) and
//! lasts about 18 months.
//!
//! # An example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await?;
//! # let base_url = mock.base_url("ebay").unwrap();
//! # let token_url = mock.token_url("ebay").unwrap();
//! # let (client_id, client_secret, refresh_token) =
//! #     ("mock-client-id", "mock-client-secret", "mock-refresh-token");
//! use ebay_client::{Client, auth, types};
//!
//! // For eBay itself: `ebay_client::servers::PRODUCTION` and `auth::TOKEN_URL`.
//! let token = auth::user_token(&token_url, client_id, client_secret, refresh_token)?;
//! let client = Client::with_user_token(&base_url, token)?;
//!
//! let created = client
//!     .create_shipping_fulfillment()
//!     .order_id("01-03955-36441")
//!     .body(types::ShippingFulfillmentDetails {
//!         line_items: vec![types::LineItemReference {
//!             line_item_id: "10000001234101".parse()?,
//!             quantity: std::num::NonZeroU32::new(2).unwrap(),
//!         }],
//!         shipped_date: None,
//!         shipping_carrier_code: types::ShippingCarrierCode::Usps,
//!         tracking_number: "9405509699937003457459".parse()?,
//!     })
//!     .send()
//!     .await?;
//! println!("eBay fulfillment at {:?}", created.headers().get("location"));
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
//! [`RetryPolicy`] ([`Client::with_user_token_and_config`] takes one).
//! Each call is one `tracing` span; and `tracking-mock` serves this
//! crate's spec and its token endpoint for your tests, as in the example
//! above.

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
