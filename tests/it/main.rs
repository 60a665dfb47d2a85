//! The contract tests, in one binary (cargo links each binary on its own;
//! one per package keeps CI's links few): every spec's examples valid,
//! every client's requests right on the wire, authentication and retries,
//! every request of every row shape valid under the provider's own
//! document.

mod auth;
mod contract;
mod oauth;
mod retry;
mod robustness;
mod sandbox;
mod upstream;
mod wire;
