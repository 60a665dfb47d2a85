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
//! crux-client = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [dev-dependencies]
//! tracking-mock = "=0.1.0"
//! ```
//!
//! That is all: the types of every public signature are reachable from
//! this crate (`reqwest`'s [`StatusCode`] and [`HeaderMap`], [`Bytes`],
//! [`Uuid`], the runtime's [`Decimal2`] and [`Runtime`], and [`auth::Authenticate`] for credentials of your own).
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
//! # let token = tracking_mock::credentials::CRUX_TOKEN;
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
//! # let base_url = mock.base_url("crux").unwrap();
//! use crux_client::{Client, ErrorKind};
//!
//! let client = Client::with_token(&base_url, "not-the-token").unwrap();
//! let error = client.update_order_tracking()
//!     .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
//!     .tracking_number("1Z999AA10123456784")
//!     .body_map(|b| b.carrier("FedEx".to_string()))
//!     .send()
//!     .await
//!     .unwrap_err();
//! assert_eq!(error.operation(), crux_client::operation_ids::UPDATE_ORDER_TRACKING);
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
//! credentials of its moment. [`Client::with_token_and_config`] takes a config.
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
//! let client = crux_client::Client::with_token(&mock.base_url("crux").unwrap(), credentials::CRUX_TOKEN)?;
//! client.update_order_tracking()
//!     .order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3")
//!     .tracking_number("1Z999AA10123456784")
//!     .body_map(|b| b.carrier("FedEx".to_string()))
//!     .send()
//!     .await?;
//! let ledger = mock.ledger();
//! assert_eq!(ledger.len(), 1);
//! assert_eq!(ledger[1 - 1].operation, "updateOrderTracking");
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

pub use generated::*;
/// What every call fails with: the one error type of this crate. (It
/// shadows progenitor's `Error`, which the generated code uses inside and
/// `send()` converts from.)
pub use tracking_runtime::ApiError as Error;
pub use tracking_runtime::{
    ApiError, Bytes, ClientConfig, ConfigError, Decimal2, ErrorKind, HeaderMap, RetryPolicy,
    Runtime, Secret, StatusCode,
};
/// Crux identifies orders and line items by UUID.
pub use uuid::Uuid;
