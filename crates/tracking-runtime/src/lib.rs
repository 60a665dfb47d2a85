//! The small runtime shared by every generated client of this workspace, so
//! that no client repeats it: credentials ([`auth`]), retries ([`retry`]),
//! timeouts and user agent ([`ClientConfig`]), secrets ([`Secret`]) and the
//! error of a failed call ([`ApiError`]).
//!
//! Generated clients carry a [`Runtime`] and delegate progenitor's hooks to
//! it: `pre` gives a request its credentials through [`Runtime::prepare`],
//! `exec` sends it through the runtime's `execute` (retries), and every
//! `send()` runs inside `call` (its span and error). Those two are for
//! generated code only, and hidden from these docs.

#![forbid(unsafe_code)]

pub mod auth;
mod call;
mod config;
mod decimal;
mod error;
pub mod retry;
mod runtime;
mod secret;

// What only generated code uses: public because the client crates' code
// calls it, hidden because it is no API for their users.
#[doc(hidden)]
pub use call::call;
pub use config::{ClientConfig, ConfigError, Connection, connect};
pub use decimal::{Decimal2, InvalidDecimal};
pub use error::{ApiError, ErrorKind};
pub use retry::RetryPolicy;
pub use runtime::Runtime;
pub use secret::Secret;

// Types of the public API that come from other crates, so that a user of a
// client needs no dependency of its own to name them.
pub use bytes::Bytes;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
