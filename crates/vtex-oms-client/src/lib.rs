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
//! its events twice ([`IDEMPOTENT_OPERATIONS`], [`tracking_runtime::retry`]).
//!
//! ```no_run
//! use vtex_oms_client::{Client, servers, types};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::with_app_key(&servers::base_url("mystore"), "vtexappkey-mystore-ABC", "app-token")?;
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

#![forbid(unsafe_code)]

mod auth;

// Generated from the spec by `cargo xtask regen`, committed and shipped, so
// that users never compile the generator; `cargo xtask check` and the
// contract tests' build script prove it is what the spec generates now.
#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use tracking_runtime::{ApiError, ClientConfig, ConfigError, ErrorKind, RetryPolicy, Secret};
