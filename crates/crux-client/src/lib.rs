//! A typed client for the Crux order-tracking API, generated from
//! `specs/crux.yaml`: log in, add tracking numbers to an order, change one.
//!
//! Every operation is a builder named after its operationId
//! (`add_order_tracking`, `update_order_tracking`, `user_login`) and ends in
//! `.send().await`, which returns the typed response or an
//! [`ApiError`] naming the operation, the status and Crux's error body.
//! Auth, timeouts, retries (see [`RetryPolicy`]) and the
//! `User-Agent` are handled for you.
//!
//! # Use
//!
//! ```toml
//! [dependencies]
//! crux-client = "0.2"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [dev-dependencies]
//! tracking-mock = "=0.2.0"
//! ```
//!
//! That is all: the types of every public signature are reachable from
//! this crate (`reqwest`'s [`StatusCode`] and [`HeaderMap`], [`Bytes`],
//! [`Uuid`], the runtime's [`Decimal2`] and [`Runtime`], and [`Authenticate`] for credentials of your own, failing with a [`CredentialError`]: implementing it takes `tracking-runtime`'s `auth` module, a dependency of your own).
//! TLS is a feature: `rustls` (the default, with aws-lc-rs), `rustls-ring`
//! (ring: no C toolchain), `native-tls`; with `default-features = false`
//! the client speaks plain `http` only and refuses an `https` URL.
//!
//! # Authentication
//!
//! Crux takes an API token ([`Client::with_token`]), or a user's login,
//! which [`Client::login`] exchanges for one (`userLogin`). The token is a
//! [`Secret`]: `Debug` and errors never show it.
//!
//! # An example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await?;
//! # let base_url = mock.base_url("crux").unwrap();
//! # let token = "mock-token-auth";
//! use crux_client::{Client, types};
//!
//! // For Crux itself: `crux_client::servers::PRODUCTION` (or `SANDBOX`).
//! let client = Client::with_token(&base_url, token)?;
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
//!
//! # Errors, retries, timeouts, logging and testing
//!
//! As in every client of this workspace, and written once in the
//! [`tracking_runtime`] crate's documentation: every call returns an
//! [`ApiError`] (this crate's [`Error`]) whose [`ErrorKind`] says what
//! happened (`Credentials` when a call's credentials could not be had); [`ClientConfig`] sets timeouts, the
//! user agent and the [`RetryPolicy`] ([`Client::with_token_and_config`] takes one); each call is
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
