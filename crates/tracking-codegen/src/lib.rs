//! The one generator of this workspace: an OpenAPI 3.0 document in, a typed
//! progenitor client out, or an error that names the file and the node.
//!
//! Used by the workspace's `build.rs` (every client crate) and by `xtask`.
//!
//! ```no_run
//! let code = tracking_codegen::generate_file(std::path::Path::new("specs/crux.yaml"))?;
//! # Ok::<(), tracking_codegen::CodegenError>(())
//! ```

#![forbid(unsafe_code)]

mod build_script;
mod check;
mod error;
mod generate;
mod hooks;
mod passes;
mod servers;

use std::path::Path;

pub use build_script::{build_client_crate, generate_into, spec_for_crate};
pub use check::{Unsupported, check, unsupported};
pub use error::CodegenError;
pub use generate::generate;
pub use tracking_spec::{JsonPath, Spec, SpecError, load, parse};

/// Loads, checks and generates the client for the spec at `file`.
pub fn generate_file(file: &Path) -> Result<String, CodegenError> {
    let spec = load(file)?;
    check(file, &spec.openapi)?;
    generate(file, &spec)
}
