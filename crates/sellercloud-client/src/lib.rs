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
//! sellercloud-client = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [dev-dependencies]
//! tracking-mock = "=0.1.0"
//! ```
//!
//! That is all: the types of every public signature are reachable from
//! this crate (`reqwest`'s [`StatusCode`] and [`HeaderMap`], [`Bytes`],
//! [`chrono`], the runtime's [`Decimal2`] and [`Runtime`], and [`auth::Authenticate`] for credentials of your own).
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
//! # let (user, password) = (tracking_mock::credentials::SELLERCLOUD_USERNAME, tracking_mock::credentials::SELLERCLOUD_PASSWORD);
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
//! # Errors
//!
//! Every call returns `Result<ResponseValue<T>, ApiError<E>>`: [`ApiError`]
//! names the operation ([`ApiError::operation`], one of
//! [`operation_ids`]), and its [`ErrorKind`] says what happened: `Status`
//! (a documented error status, with the provider's typed body),
//! `UnexpectedStatus` (a status the spec does not list, with the body as
//! text), `InvalidBody`, `Transport` (no complete answer) or `Request` (not
//! sent: a bad argument, or no credentials). [`ApiError::in_doubt`] says
//! whether the provider may have applied a failed call. Match on the kind,
//! or on [`ApiError::status`]:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await.unwrap();
//! # let base_url = mock.base_url("sellercloud").unwrap();
//! use sellercloud_client::{Client, ErrorKind};
//!
//! let client = Client::with_token(&base_url, "not-the-token", &Default::default()).unwrap();
//! let error = client.update_purchase_order_tracking()
//!     .id(18227)
//!     .body_map(|b| b.tracking_number(Some("1Z999AA10123456784".into())))
//!     .send()
//!     .await
//!     .unwrap_err();
//! assert_eq!(error.operation(), sellercloud_client::operation_ids::UPDATE_PURCHASE_ORDER_TRACKING);
//! match error.kind() {
//!     ErrorKind::Status { status, .. } => assert_eq!(status.as_u16(), 401),
//!     other => panic!("{other:?}"),
//! }
//! # }
//! ```
//!
//! # Retries and timeouts
//!
//! [`ClientConfig`] sets the connect and request timeouts, the
//! `User-Agent` and the [`RetryPolicy`]: by default a call is retried on a
//! connection that could not be made, a 429 (after its `Retry-After`) or a
//! 503, with jittered backoff, and after an ambiguous failure (a dropped
//! connection, a 502 or 504) only if the operation may be repeated
//! ([`IDEMPOTENT_OPERATIONS`], from the spec). Each attempt carries the
//! credentials of its moment. [`Client::with_credentials_and_config`] takes a config.
//!
//! # Logging
//!
//! Each call is one `tracing` span, `call`, with the fields `operation`,
//! `method`, `path`, `status` and `attempts`; retries log at `info`. No
//! credential is ever logged (or shown by `Debug`). Install any `tracing`
//! subscriber to see them.
//!
//! # Testing with the mock
//!
//! `tracking-mock` (a dev-dependency of exactly this crate's version)
//! serves the very spec this client was generated from, in-process:
//! requests are validated, answered with the spec's examples, and recorded
//! in a ledger your test can read. The examples on this page run against
//! it.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use tracking_mock::{MockConfig, MockServer, credentials};
//!
//! let mock = MockServer::start(MockConfig::builtin()).await?;
//! let client = sellercloud_client::Client::with_credentials(&mock.base_url("sellercloud").unwrap(), credentials::SELLERCLOUD_USERNAME, credentials::SELLERCLOUD_PASSWORD)?;
//! client.update_purchase_order_tracking()
//!     .id(18227)
//!     .body_map(|b| b.tracking_number(Some("1Z999AA10123456784".into())))
//!     .send()
//!     .await?;
//! let ledger = mock.ledger();
//! assert_eq!(ledger.len(), 2);
//! assert_eq!(ledger[2 - 1].operation, "updatePurchaseOrderTracking");
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

pub mod auth;

// Generated from the spec by `cargo xtask regen`, committed and shipped, so
// that users never compile the generator; `cargo xtask check` and the
// contract tests' build script prove it is what the spec generates now.
#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
mod generated;

/// SellerCloud dates and times are `chrono` types.
pub use chrono;
pub use generated::*;
/// What every call fails with: the one error type of this crate. (It
/// shadows progenitor's `Error`, which the generated code uses inside and
/// `send()` converts from.)
pub use tracking_runtime::ApiError as Error;
pub use tracking_runtime::{
    ApiError, Bytes, ClientConfig, ConfigError, Decimal2, ErrorKind, HeaderMap, RetryPolicy,
    Runtime, Secret, StatusCode,
};
