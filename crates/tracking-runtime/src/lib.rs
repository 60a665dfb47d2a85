//! The small runtime shared by every generated client of this workspace, so
//! that no client repeats it: credentials ([`auth`]; OAuth 2 access tokens
//! from a refresh token or the client's own credentials, [`oauth`]), retries ([`retry`]),
//! timeouts and user agent ([`ClientConfig`]), secrets ([`Secret`]) and the
//! error of a failed call ([`ApiError`]).
//!
//! Generated clients carry a [`Runtime`] and delegate progenitor's hooks to
//! it: `pre` gives a request its credentials through [`Runtime::prepare`],
//! `exec` sends it through the runtime's `execute` (retries), and every
//! `send()` runs inside `call` (its span and error). Those two are for
//! generated code only, and hidden from these docs.
//!
//! What follows holds for every client crate of the workspace (one per
//! provider's spec), whose front pages say only what is particular to
//! their provider.
//!
//! # Errors
//!
//! Every call returns `Result<ResponseValue<T>, ApiError<E>>`: [`ApiError`]
//! names the operation ([`ApiError::operation`], one of the client's
//! `operation_ids`), and its [`ErrorKind`] says what happened: `Status` (a
//! documented error status, with the provider's typed body),
//! `UnexpectedStatus` (a status the spec does not list, with the body as
//! text), `InvalidBody`, `Transport` (no complete answer), `Credentials` (not
//! sent: the login or token call failed; [`CredentialError::status`] is its
//! status) or `Request` (not sent: a bad argument). [`ApiError::in_doubt`]
//! says whether the provider may have applied a failed call. Match on the
//! kind, or on [`ApiError::status`]. Each error's `Display` says its own part
//! once and its cause is its `source()`: anyhow's `{:#}`, eyre and tracing
//! print the chain with each cause once, and [`report`] gives it as one line.
//!
//! # Retries and timeouts
//!
//! [`ClientConfig`] sets the connect and request timeouts, the `User-Agent`
//! and the [`RetryPolicy`]: by default a call is retried on a connection
//! that could not be made, a 429 (after its `Retry-After`) or a 503, with
//! jittered backoff, and after an ambiguous failure (a dropped connection, a
//! 502 or 504) only if the operation may be repeated (the client's
//! `IDEMPOTENT_OPERATIONS`, from the spec). Each attempt sends a copy of the
//! request with the credentials of its moment. Every way of authenticating
//! has a short constructor and one ending in `_and_config` that takes a
//! [`ClientConfig`].
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
//! `tracking-mock` (a dev-dependency of exactly the client's version)
//! serves the very spec a client was generated from, in-process: requests
//! are validated, answered with the spec's examples, and recorded in a
//! ledger a test can read. Each client's front page has an example that
//! runs against it.

#![forbid(unsafe_code)]

pub mod auth;
mod call;
mod config;
mod decimal;
mod error;
#[doc(hidden)]
pub mod json_call;
pub mod oauth;
pub mod retry;
mod runtime;
mod secret;

pub use auth::CredentialError;
// What only generated code uses: public because the client crates' code
// calls it, hidden because it is no API for their users.
#[doc(hidden)]
pub use call::call;
pub use config::{ClientConfig, ConfigError, Connection, connect};
pub use decimal::{Decimal2, InvalidDecimal};
pub use error::{ApiError, ErrorKind, report};
pub use retry::{RetryPolicy, StopRetries};
pub use runtime::Runtime;
pub use secret::Secret;

// Types of the public API that come from other crates, so that a user of a
// client needs no dependency of its own to name them.
pub use bytes::Bytes;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
