//! The generator's integration tests, in one binary (cargo links each
//! binary on its own; one per package keeps CI's links few).

mod passes;
mod published;
mod rejects;
