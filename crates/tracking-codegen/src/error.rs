//! Why a spec could not be turned into a client.

use std::path::{Path, PathBuf};

use tracking_spec::{JsonPath, SpecError};

/// Why a spec could not be turned into a client.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec cannot be read, or a node of it is wrong or unsupported.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// progenitor or prettyplease failed on a document that passed the checks.
    #[error("{file}: the generator failed: {message}")]
    Generator {
        /// The spec file.
        file: PathBuf,
        /// What the generator said.
        message: String,
    },
}

impl CodegenError {
    pub(crate) fn spec(file: &Path, path: JsonPath, message: impl Into<String>) -> Self {
        SpecError::invalid(file, path, message).into()
    }

    /// The JSON path of the offending node, when the error is about one.
    pub fn path(&self) -> Option<&JsonPath> {
        match self {
            Self::Spec(e) => e.path(),
            Self::Generator { .. } => None,
        }
    }
}
