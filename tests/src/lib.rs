//! Shared pieces of the contract tests: a recording HTTP server on
//! 127.0.0.1, the operations and examples of every spec, one way to call
//! any operation of any client with JSON arguments, and a log capture.

#![forbid(unsafe_code)]

pub mod call;
pub mod logs;
pub mod sellercloud;
pub mod server;
pub mod spec;
pub mod vtex;
