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
//! vtex-oms-client = "0.2"
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
//! # let (app_key, app_token) = ("mock-app-key", "mock-app-token");
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
//! # Errors, retries, timeouts, logging and testing
//!
//! As in every client of this workspace, and written once in the
//! [`tracking_runtime`] crate's documentation: every call returns an
//! [`ApiError`] (this crate's [`Error`]) whose [`ErrorKind`] says what
//! happened (`Credentials` when a call's credentials could not be had); [`ClientConfig`] sets timeouts, the
//! user agent and the [`RetryPolicy`] ([`Client::with_app_key_and_config`] takes one); each call is
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
