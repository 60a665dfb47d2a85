//! Shared pieces of the contract tests: a recording HTTP server on
//! 127.0.0.1, the operations and examples of every spec, and one way to call
//! any operation of any client with JSON arguments.

pub mod call;
pub mod server;
pub mod spec;
