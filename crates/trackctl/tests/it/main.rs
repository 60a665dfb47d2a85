//! trackctl's integration tests, in one binary (cargo links each binary on
//! its own; one per package keeps CI's links few): the command run as a
//! user runs it, against the mock.

mod common;
mod e2e;
mod robustness;
mod workflows;
