//! A typed client for the SellerCloud REST calls that push tracking,
//! generated from `specs/sellercloud.yaml`: purchase-order tracking (single
//! and multiple) and sales-order shipping status.
//!
//! [`Client::with_credentials`] gets the bearer token with `createToken` on
//! first use, shares it across concurrent calls, renews it before
//! `expires_in` runs out and once more after a 401. Every operation ends in
//! `.send().await`, which returns the typed response or an [`ApiError`]
//! naming the operation, the status and SellerCloud's error body. Throttled
//! calls wait for `RateLimitResetTime` (see [`RetryPolicy`]).
//!
//! # Use
//!
//! ```toml
//! [dependencies]
//! sellercloud-client = "0.2"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [dev-dependencies]
//! tracking-mock = "=0.2.0"
//! ```
//!
//! That is all: the types of every public signature are reachable from
//! this crate (`reqwest`'s [`StatusCode`] and [`HeaderMap`], [`Bytes`],
//! [`chrono`], the runtime's [`Decimal2`] and [`Runtime`], and [`Authenticate`] for credentials of your own, failing with a [`CredentialError`]: implementing it takes `tracking-runtime`'s `auth` module, a dependency of your own).
//! TLS is a feature: `rustls` (the default, with aws-lc-rs), `rustls-ring`
//! (ring: no C toolchain), `native-tls`; with `default-features = false`
//! the client speaks plain `http` only and refuses an `https` URL.
//!
//! # Authentication
//!
//! SellerCloud takes a bearer token: [`Client::with_credentials`] gets it
//! with `createToken` on first use, shares it across concurrent calls and
//! renews it before `expires_in` runs out (and once after a 401);
//! [`Client::with_token`] takes one you already have. Passwords and tokens
//! are [`Secret`]s: `Debug` and errors never show them.
//!
//! # An example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await?;
//! # let base_url = mock.base_url("sellercloud").unwrap();
//! # let (user, password) = (tracking_mock::credentials::USERNAME, tracking_mock::credentials::PASSWORD);
//! use sellercloud_client::{Client, chrono, types};
//!
//! // For SellerCloud itself: `sellercloud_client::servers::base_url("xx")`.
//! let client = Client::with_credentials(&base_url, user, password)?;
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
//!
//! # Errors, retries, timeouts, logging and testing
//!
//! As in every client of this workspace, and written once in the
//! [`tracking_runtime`] crate's documentation: every call returns an
//! [`ApiError`] (this crate's [`Error`]) whose [`ErrorKind`] says what
//! happened (`Credentials` when a call's credentials could not be had); [`ClientConfig`] sets timeouts, the
//! user agent and the [`RetryPolicy`] ([`Client::with_credentials_and_config`] takes one); each call is
//! one `tracing` span; and `tracking-mock` serves this crate's spec for your
//! tests, as in the example above.

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
