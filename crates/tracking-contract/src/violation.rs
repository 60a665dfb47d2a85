//! What the contract reports: a violation of the spec, or why it cannot say.

use std::fmt;
use std::path::PathBuf;

use tracking_spec::SpecError;

/// One way an instance breaks the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Which part of the exchange: `body`, `path parameter order_uuid`, `status`, `method`.
    pub part: String,
    /// JSON pointer of the offending value inside that part (`""` for all of it).
    pub pointer: String,
    /// JSON pointer of the rule in the spec, e.g. `#/components/schemas/LineItem/properties/quantity/type`.
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            String::new()
        } else {
            format!(" {}", self.pointer)
        };
        write!(
            f,
            "{}{pointer}: {} (spec: {})",
            self.part, self.message, self.rule
        )
    }
}

/// What cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// The spec is broken.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// A schema of the spec is not valid JSON Schema once converted.
    #[error("{file}: at {at}: the schema is invalid: {message}")]
    Schema {
        /// The spec file.
        file: PathBuf,
        /// JSON pointer of the schema.
        at: String,
        /// What `jsonschema` said.
        message: String,
    },
    /// No operation with that id.
    #[error("{file} has no operation `{operation}` (it has: {known})")]
    UnknownOperation {
        /// The spec file.
        file: PathBuf,
        /// The id asked for.
        operation: String,
        /// The ids there are.
        known: String,
    },
}
