//! The one generator of this workspace: an OpenAPI 3.0 document in, a typed
//! progenitor client out, or an error that names the file and the node.
//!
//! Used by `xtask` (`regen` writes each client crate's `src/generated.rs`)
//! and by the workspace's `build.rs`, which checks it is current.
//!
//! ```no_run
//! let code = tracking_codegen::generate_file(std::path::Path::new("specs/crux.yaml"))?;
//! # Ok::<(), tracking_codegen::CodegenError>(())
//! ```

#![forbid(unsafe_code)]

mod adjust;
mod build_script;
mod check;
mod dependencies;
mod error;
mod generate;
mod hooks;
mod passes;
mod servers;

use std::path::Path;

pub use adjust::Finding;
pub use build_script::{check_generated_code, generated_path, mock_copy, stale_crates};
pub use check::{check, unsupported};
pub use dependencies::{CRATES as GENERATED_CODE_CRATES, used_by as crates_used_by};
pub use error::CodegenError;
pub use generate::{Generated, generate};
pub use tracking_spec::{JsonPath, Spec, SpecError, load, parse, specs_in};

/// Loads and generates the client for the spec at `file`.
pub fn generate_file(file: &Path) -> Result<Generated, CodegenError> {
    generate(file, &load(file)?)
}

/// What the generator would change in `json` before progenitor reads it
/// (nothing, for a spec written to this project's conventions).
pub fn adjustments(json: &serde_json::Value) -> Vec<Finding> {
    adjust::adjust(&mut json.clone()).notes
}
