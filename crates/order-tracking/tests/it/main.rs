//! order-tracking's integration tests, in one binary (cargo links each
//! binary on its own; one per package keeps CI's links few).

mod amazon;
mod bigcommerce;
mod common;
mod ebay;
mod keys;
mod lookup;
mod push;
mod walmart;
