//! The one generator of this workspace: an OpenAPI document in (3.0, or
//! Swagger 2.0 and 3.1 converted by [`tracking_spec::convert`]), a typed
//! progenitor client out, or an error that names the file and the node.
//!
//! Used by `xtask` (`regen` writes each client crate's `src/generated.rs`)
//! and by the workspace's `build.rs`, which checks it is current.
//!
//! ```no_run
//! use tracking_codegen::Strictness;
//! let code = tracking_codegen::generate_file(std::path::Path::new("specs/crux.yaml"), Strictness::Strict)?;
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
mod leave_out;
mod locate;
mod passes;
mod servers;
mod types_half;

use std::path::Path;

pub use adjust::Finding;
pub use build_script::{check_generated_code, generated_path, mock_copy, stale_crates};
pub use check::{check, unsupported};
pub use dependencies::{CRATES as GENERATED_CODE_CRATES, used_by as crates_used_by};
pub use error::CodegenError;
pub use generate::{Generated, generate, quietly, settings as progenitor_settings};
pub use leave_out::Strictness;
pub use tracking_spec::{
    Document, Format, JsonPath, Spec, SpecError, load, load_document, parse, specs_in,
};

/// Loads and generates the client for the document at `file`: a spec of
/// this project, or a document as a platform published it (Swagger 2.0 and
/// OpenAPI 3.1 are converted first, and what the conversion lost or
/// guessed leads the notes).
pub fn generate_file(file: &Path, strictness: Strictness) -> Result<Generated, CodegenError> {
    let document = load_document(file)?;
    let mut generated = generate(file, document.spec, strictness)?;
    generated.notes.splice(0..0, document.notes);
    Ok(generated)
}

/// What the generator would change in `json` before progenitor reads it
/// (nothing, for a spec written to this project's conventions).
pub fn adjustments(json: &serde_json::Value) -> Vec<Finding> {
    adjust::adjust(&mut json.clone()).notes
}
