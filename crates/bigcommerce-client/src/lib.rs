//! A typed client for the BigCommerce Orders V2 calls that record
//! shipments and their tracking numbers, generated from
//! `specs/bigcommerce.yaml`.
//!
//! `create_order_shipments` records a shipment of an order's products to
//! one of its shipping addresses, with tracking number, carrier (an
//! AfterShip slug, [`types::TrackingCarrier`]) and link;
//! `update_order_shipment` changes one; `get_order_shipments` lists an
//! order's shipments (its answer comes as bytes, since BigCommerce answers
//! 204 without a body when there are none); `get_order_products` and
//! `get_order_shipping_addresses` give the ids a shipment names. Every
//! operation ends in `.send().await`, which returns the typed answer or an
//! [`ApiError`] naming the operation, the status and BigCommerce's error
//! body. A create is never sent twice by the client: every arrival makes
//! another shipment ([`IDEMPOTENT_OPERATIONS`]; `order-tracking` settles a
//! lost answer with the shipment list).
//!
//! # Use
//!
//! ```toml
//! [dependencies]
//! bigcommerce-client = "0.2"
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
//! A store API account's access token ([`Client::with_access_token`], sent
//! as `X-Auth-Token`; scope `store_v2_orders`), a [`Secret`]: `Debug` and
//! errors never show it. The store is named by its hash in the URL:
//! [`servers::base_url`]`("abc123")`.
//!
//! # An example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await?;
//! # let base_url = mock.base_url("bigcommerce").unwrap();
//! # let token = "mock-access-token";
//! use bigcommerce_client::{Client, types};
//!
//! // For BigCommerce itself: `bigcommerce_client::servers::base_url("abc123")`.
//! let client = Client::with_access_token(&base_url, token)?;
//!
//! let shipment = client
//!     .create_order_shipments()
//!     .order_id(225)
//!     .body(types::ShipmentCreate {
//!         order_address_id: 127,
//!         items: vec![types::ShipmentItem { order_product_id: 194, quantity: 1 }],
//!         tracking_number: Some("1Z999AA10123456784".parse()?),
//!         tracking_carrier: Some(types::TrackingCarrier::Ups),
//!         tracking_link: None,
//!         shipping_method: Some("Ground".parse()?),
//!         comments: None,
//!     })
//!     .send()
//!     .await?
//!     .into_inner();
//! println!("BigCommerce shipment {:?}", shipment.id);
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
//! [`RetryPolicy`] ([`Client::with_access_token_and_config`] takes one). A
//! 429 is waited out as BigCommerce's `X-Rate-Limit-Time-Reset-Ms` asks.
//! Each call is one `tracing` span; and `tracking-mock` serves this
//! crate's spec for your tests, as in the example above.

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
