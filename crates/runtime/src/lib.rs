//! The small runtime shared by every generated client of this workspace, so
//! that no client repeats it: credentials ([`auth`]), retries ([`retry`]),
//! timeouts and user agent ([`ClientConfig`]), secrets ([`Secret`]) and the
//! error of a failed call ([`ApiError`]).
//!
//! Generated clients carry a [`Runtime`]: progenitor's `pre` hook gives a
//! request its credentials through [`Runtime::prepare`], and every operation
//! sends through the runtime's `execute` (the codegen pass `rebuild.rs`),
//! inside its `call`, which every `send()` goes through. Those two, and the
//! other helpers only generated code uses, are hidden from these docs.

#![forbid(unsafe_code)]

pub mod auth;
mod call;
mod config;
mod decimal;
mod error;
pub mod retry;
mod runtime;
mod secret;
mod wire;

// What only generated code uses: public because the client crates' code
// calls it, hidden because it is no API for their users.
#[doc(hidden)]
pub use call::{boxed, call};
pub use config::{ClientConfig, ConfigError, Connection, connect};
pub use decimal::{Decimal2, InvalidDecimal};
pub use error::{ApiError, ErrorKind};
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use runtime::Rebuild;
pub use runtime::Runtime;
pub use secret::Secret;
#[doc(hidden)]
pub use wire::{PathSegment, ToPathSegment, response_value};
