//! The small runtime shared by every generated client of this workspace, so
//! that no client repeats it: credentials ([`auth`]), retries ([`retry`]),
//! timeouts and user agent ([`ClientConfig`]), secrets ([`Secret`]) and the
//! error of a failed call ([`ApiError`]).
//!
//! Generated clients carry a [`Runtime`]: progenitor's `pre` hook gives a
//! request its credentials through [`Runtime::prepare`], and every operation
//! sends through [`Runtime::execute`] (the codegen pass `rebuild.rs`), inside
//! [`call`], which every `send()` goes through.

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

pub use call::{boxed, call};
pub use config::{ClientConfig, ConfigError, Connection, connect};
pub use decimal::{Decimal2, InvalidDecimal};
pub use error::{ApiError, ErrorKind};
pub use retry::RetryPolicy;
pub use runtime::{Rebuild, Runtime};
pub use secret::Secret;
pub use wire::{PathSegment, ToPathSegment, response_value};
