//! The passes over progenitor's output, in the order they run. Everything
//! else the clients do goes through progenitor's own extension points (the
//! settings and the `pre` and `exec` hooks, in `hooks.rs`); a pass is kept
//! only where none can do the job, and fails, never silently, when the
//! output is not shaped as it expects.

mod constructors;
mod exports;
mod json_call;
mod wire_names;
mod wrap;

use tracking_spec::Spec;

/// What the passes know besides progenitor's output.
pub struct Context<'a> {
    /// The spec, as given to progenitor (adjusted).
    pub spec: &'a Spec,
    /// Properties renamed for Rust: (name given, wire name).
    pub renamed: &'a [(String, String)],
}

/// One pass: rewrites `file`, or says why it cannot.
type Pass = fn(&mut syn::File, &Context) -> Result<(), String>;

/// The pipeline, in order.
const PASSES: &[(&str, Pass)] = &[
    ("wrap", wrap),
    ("wire_names", wire_names),
    ("constructors", constructors),
    ("exports", exports),
    ("json_call", json_call),
];

/// Runs every pass over `file`; the error names the pass.
pub fn run(file: &mut syn::File, context: &Context) -> Result<(), String> {
    for (name, pass) in PASSES {
        pass(file, context).map_err(|e| format!("pass `{name}`: {e}"))?;
    }
    Ok(())
}

fn wrap(file: &mut syn::File, context: &Context) -> Result<(), String> {
    let ids: Vec<&str> = crate::hooks::operation_ids(context.spec).collect();
    wrap::wrap_send_methods(file, &ids)
}

fn wire_names(file: &mut syn::File, context: &Context) -> Result<(), String> {
    wire_names::restore_wire_names(file, context.renamed)
}

fn constructors(file: &mut syn::File, _: &Context) -> Result<(), String> {
    constructors::hide_constructors(file)
}

fn exports(file: &mut syn::File, _: &Context) -> Result<(), String> {
    exports::add_exports(file)
}

fn json_call(file: &mut syn::File, context: &Context) -> Result<(), String> {
    json_call::add_json_call(file, context.spec)
}
