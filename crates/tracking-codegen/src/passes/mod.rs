//! The passes over progenitor's output, in the order they run. Everything
//! else the clients do goes through progenitor's own extension points (the
//! settings and the `pre` and `exec` hooks, in `hooks.rs`); a pass is kept
//! only where none can do the job, and fails, never silently, when the
//! output is not shaped as it expects.

mod wrap;

use tracking_spec::Spec;

/// One pass: rewrites `file`, the output for `spec`, or says why it cannot.
type Pass = fn(&mut syn::File, &Spec) -> Result<(), String>;

/// The pipeline, in order.
const PASSES: &[(&str, Pass)] = &[("wrap", wrap)];

/// Runs every pass over `file`; the error names the pass.
pub fn run(file: &mut syn::File, spec: &Spec) -> Result<(), String> {
    for (name, pass) in PASSES {
        pass(file, spec).map_err(|e| format!("pass `{name}`: {e}"))?;
    }
    Ok(())
}

fn wrap(file: &mut syn::File, spec: &Spec) -> Result<(), String> {
    let ids: Vec<&str> = crate::hooks::operation_ids(spec).collect();
    wrap::wrap_send_methods(file, &ids)
}
