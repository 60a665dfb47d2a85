//! The spec-driven mock, driven by the generated clients and by raw HTTP:
//! good requests are accepted, decoded and entered in the ledger; bad ones
//! are refused with the right status and every violation; faults are
//! deterministic and never enter the ledger, even under load. One binary
//! (cargo links each binary on its own), a module per theme.

mod answers;
mod common;
mod connections;
mod credentials;
mod faults;
mod ledger;
mod throttle;
