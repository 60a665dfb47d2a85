//! The passes over progenitor's output, in the order they run. Everything
//! else the clients do goes through progenitor's own extension points (the
//! settings and the `pre` and `exec` hooks, in `hooks.rs`); a pass is kept
//! only where none can do the job, and fails, never silently, when the
//! output is not shaped as it expects.
//!
//! They run over the output but its `types` module, which another thread
//! parses, restores and formats meanwhile (`types_half`). The one step that
//! needs what it found there ([`TypesFacts`]) comes last, so that it waits
//! for it as little as possible: the crates re-exported, and the check that
//! every wire name was put back somewhere.

mod constructors;
pub(crate) mod exports;
mod json_call;
pub(crate) mod wire_names;
mod wrap;

use tracking_spec::Spec;

/// What the passes know besides progenitor's output.
pub struct Context<'a> {
    /// The spec, as given to progenitor (adjusted).
    pub spec: &'a Spec,
    /// Properties renamed for Rust: (name given, wire name).
    pub renamed: &'a [(String, String)],
    /// Parameters renamed for Rust, path parameters too: (name given, the
    /// document's name).
    pub parameters: &'a [(String, String)],
}

/// What the output's `types` module holds, for the passes over the rest.
#[derive(Debug, Default)]
pub struct TypesFacts {
    /// The wire names put back in it.
    pub found: wire_names::Found,
    /// The crates of [`exports::EXPORTED_CRATES`] it uses.
    pub uses: Vec<&'static str>,
}

/// Runs every pass over `file`, in order, asking `types` for what the
/// `types` module holds when it is needed; the error names the pass.
pub fn run(
    file: &mut syn::File,
    context: &Context,
    types: impl FnOnce() -> Result<TypesFacts, String>,
) -> Result<(), String> {
    let failed = |pass: &'static str| move |e: String| format!("pass `{pass}`: {e}");
    let ids: Vec<&str> = crate::hooks::operation_ids(context.spec).collect();
    wrap::wrap_send_methods(file, &ids).map_err(failed("wrap"))?;
    // Before `json_call`, which chooses its keys itself (a renamed
    // parameter by its name in the document, but `body-2` beside a body).
    let found = wire_names::restore(file, context.renamed);
    constructors::hide_constructors(file).map_err(failed("constructors"))?;
    json_call::add_json_call(file, context.spec, context.parameters)
        .map_err(failed("json_call"))?;
    let types = types()?;
    exports::add_exports(file, &types.uses).map_err(failed("exports"))?;
    wire_names::all_put_back(&[found, types.found]).map_err(failed("wire_names"))
}
