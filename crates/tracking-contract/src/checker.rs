//! A schema of the spec compiled to a JSON Schema validator, which reports
//! each violation with the rule of the spec it breaks.

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::schema::{self, Direction};
use crate::{ContractError, Violation};

/// A compiled schema and where it came from.
pub(crate) struct Checker {
    /// JSON pointer of the schema node in the spec.
    pub(crate) at: String,
    pub(crate) validator: jsonschema::Validator,
}

impl fmt::Debug for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Checker({})", self.at)
    }
}

impl Checker {
    pub(crate) fn check(&self, part: &str, instance: &Value) -> Vec<Violation> {
        self.validator
            .iter_errors(instance)
            .map(|e| Violation {
                part: part.to_string(),
                pointer: e.instance_path().as_str().to_string(),
                rule: schema::spec_location(e.schema_path().as_str(), &self.at),
                message: e.to_string(),
            })
            .collect()
    }
}

pub(crate) fn compile(
    file: &Path,
    spec: &Value,
    at: String,
    schema: &Value,
    direction: Direction,
) -> Result<Checker, ContractError> {
    let document = schema::document(spec, schema, direction);
    let validator = schema::validator(&document).map_err(|e| ContractError::Schema {
        file: file.to_path_buf(),
        at: at.clone(),
        message: e.to_string(),
    })?;
    Ok(Checker { at, validator })
}
