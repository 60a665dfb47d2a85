//! xtask's integration tests, in one binary (cargo links each binary on its
//! own; one per package keeps CI's links few).

mod diff;
mod docs;
mod lint;
mod scaffold;
mod spec;
mod upstream;
mod validate;
