//! Why a spec could not be turned into a client.

use std::path::{Path, PathBuf};

use tracking_spec::{JsonPath, SpecError};

use crate::adjust::Finding;

/// Why a spec could not be turned into a client.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec cannot be read, or a node of it is wrong or unsupported.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The document uses what progenitor cannot generate: every such node.
    #[error("{}", unsupported(file, findings))]
    Unsupported {
        /// The spec file.
        file: PathBuf,
        /// Each node, its rule and what to change.
        findings: Vec<Finding>,
    },
    /// progenitor or prettyplease failed on a document that passed the checks.
    #[error("{file}: the generator failed{}: {message}", at.as_ref().map(|at| format!(" at {at}")).unwrap_or_default())]
    Generator {
        /// The spec file.
        file: PathBuf,
        /// The schema or operation that fails alone, where one does.
        at: Option<JsonPath>,
        /// What the generator said.
        message: String,
    },
}

impl CodegenError {
    /// The JSON path of the offending node, when the error is about one.
    pub fn path(&self) -> Option<&JsonPath> {
        match self {
            Self::Spec(e) => e.path(),
            Self::Unsupported { findings, .. } => findings.first().map(|f| &f.path),
            Self::Generator { at, .. } => at.as_ref(),
        }
    }
}

/// One line per finding (on the first line when there is one only).
fn unsupported(file: &Path, findings: &[Finding]) -> String {
    match findings {
        [one] => format!("{}: {one}", file.display()),
        all => {
            let mut text = format!(
                "{}: {} nodes progenitor cannot generate:",
                file.display(),
                all.len()
            );
            for finding in all {
                text.push_str(&format!("\n  {finding}"));
            }
            text
        }
    }
}
