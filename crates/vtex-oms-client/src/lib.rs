//! A typed client for the VTEX Order Management (OMS) calls that carry
//! tracking, generated from `specs/vtex-oms.yaml`.
//!
//! The tracking number travels on an invoice: send it with the invoice
//! (`invoice_notification`) or add it to an invoice later
//! (`update_partial_invoice`); then report progress with
//! `update_tracking_status`. Every operation ends in `.send().await`, which
//! returns VTEX's receipt or an [`ApiError`] naming the operation, the status
//! and VTEX's error body. Auth headers, timeouts, retries and the
//! `User-Agent` are handled for you. After an ambiguous failure (a dropped
//! connection, a 502 or 504) only `update_partial_invoice` is sent again: the
//! invoice POST would record a second invoice and the events PUT may record
//! its events twice ([`IDEMPOTENT_OPERATIONS`], [`RetryPolicy`]).
//!
//! # Use
//!
//! ```toml
//! [dependencies]
//! vtex-oms-client = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [dev-dependencies]
//! tracking-mock = "=0.1.0"
//! ```
//!
//! That is all: the types of every public signature are reachable from
//! this crate (`reqwest`'s [`StatusCode`] and [`HeaderMap`], [`Bytes`],
//!  the runtime's [`Decimal2`] and [`Runtime`], and [`auth::Authenticate`] for credentials of your own).
//! TLS is a feature: `rustls` (the default, with aws-lc-rs), `rustls-ring`
//! (ring: no C toolchain), `native-tls`; with `default-features = false`
//! the client speaks plain `http` only and refuses an `https` URL.
//!
//! # Authentication
//!
//! VTEX takes an app key and app token ([`Client::with_app_key`], the
//! headers `X-VTEX-API-AppKey` and `X-VTEX-API-AppToken`) or a user token
//! ([`Client::with_user_token`], `VtexIdclientAutCookie`). Both are
//! [`Secret`]s: `Debug` and errors never show them.
//!
//! # An example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = tracking_mock::MockServer::start(tracking_mock::MockConfig::builtin()).await?;
//! # let base_url = mock.base_url("vtex-oms").unwrap();
//! # let (app_key, app_token) = (tracking_mock::credentials::VTEX_APP_KEY, tracking_mock::credentials::VTEX_APP_TOKEN);
//! use vtex_oms_client::{Client, types};
//!
//! // For VTEX itself: `vtex_oms_client::servers::base_url("mystore")`.
//! let client = Client::with_app_key(&base_url, app_key, app_token)?;
//!
//! let receipt = client
//!     .update_partial_invoice()
//!     .order_id("v501245lspt-01")
//!     .invoice_number("0102030405")
//!     .body_map(|body| {
//!         // VTEX requires every key; `None` is sent as null (and may clear
//!         // what VTEX holds for the invoice).
//!         body.tracking_number("BR123456789BR".to_string())
//!             .courier(Some("Correios".to_string()))
//!             .tracking_url(Some("https://rastreamento.correios.com.br/BR123456789BR".to_string()))
//!             .dispatched_date(None)
//!     })
//!     .send()
//!     .await?
//!     .into_inner();
//! println!("VTEX receipt {:?}", receipt.receipt);
//!
//! client
//!     .update_tracking_status()
//!     .order_id("v501245lspt-01")
//!     .invoice_number("0102030405")
//!     .body(types::UpdateTrackingStatusRequest {
//!         is_delivered: true,
//!         delivered_date: Some("2022-10-01 21:15".parse()?),
//!         events: vec![types::TrackingEvent {
//!             city: "Curitiba".into(),
//!             state: "PR".into(),
//!             description: "Entregue".parse()?,
//!             date: "2022-10-01".parse()?,
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
//! # let base_url = mock.base_url("vtex-oms").unwrap();
//! use vtex_oms_client::{Client, ErrorKind};
//!
//! let client = Client::with_app_key(&base_url, "not-the-key", "not-the-token").unwrap();
//! let error = client.update_partial_invoice()
//!     .order_id("v501245lspt-01")
//!     .invoice_number("0102030405")
//!     .body_map(|b| b.tracking_number("BR123456789BR".to_string()).courier(None).tracking_url(None).dispatched_date(None))
//!     .send()
//!     .await
//!     .unwrap_err();
//! assert_eq!(error.operation(), vtex_oms_client::operation_ids::UPDATE_PARTIAL_INVOICE);
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
//! credentials of its moment. [`Client::with_app_key_and_config`] takes a config.
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
//! let client = vtex_oms_client::Client::with_app_key(&mock.base_url("vtex-oms").unwrap(), credentials::VTEX_APP_KEY, credentials::VTEX_APP_TOKEN)?;
//! client.update_partial_invoice()
//!     .order_id("v501245lspt-01")
//!     .invoice_number("0102030405")
//!     .body_map(|b| b.tracking_number("BR123456789BR".to_string()).courier(None).tracking_url(None).dispatched_date(None))
//!     .send()
//!     .await?;
//! let ledger = mock.ledger();
//! assert_eq!(ledger.len(), 1);
//! assert_eq!(ledger[1 - 1].operation, "updatePartialInvoice");
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

/// VTEX dates and times are `chrono` types.
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
