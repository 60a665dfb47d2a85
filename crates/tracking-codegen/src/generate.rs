//! Running progenitor on a checked spec and shaping its output.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use schemars::schema::{InstanceType, NumberValidation, SchemaObject};
use serde::Deserialize;

use crate::adjust::{self, Finding};
use crate::check::check;
use crate::error::CodegenError;
use crate::leave_out::{Strictness, leave_out};
use crate::locate::Place;
use tracking_spec::Spec;

/// The settings every client crate is generated with (`xtask corpus`
/// times raw progenitor with them too).
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // Auth, retries and header hygiene live in tracking-runtime; the
        // client must delegate to it, so a missing hook is a compile error.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(::tracking_runtime::Runtime))
        .with_derive("PartialEq")
        // Passwords and tokens become a type whose Debug prints nothing secret.
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::String.into()),
                format: Some("password".to_string()),
                ..Default::default()
            },
            "::tracking_runtime::Secret",
            std::iter::empty(),
        )
        // Two-place decimals (money, weights) become an exact fixed-point type.
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::Number.into()),
                format: Some("decimal".to_string()),
                number: Some(Box::new(NumberValidation {
                    multiple_of: Some(0.01),
                    ..Default::default()
                })),
                ..Default::default()
            },
            "::tracking_runtime::Decimal2",
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    settings
}

/// A generated client: its code, what the generator changed in the
/// document to generate it, and the crates the code uses.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The formatted Rust source.
    pub code: String,
    /// Each change made to the document before progenitor read it
    /// (`adjust/`); none for the workspace's own specs.
    pub notes: Vec<Finding>,
    /// The crates the code names, which the client crate must depend on.
    pub dependencies: Vec<&'static str>,
}

/// Generates the client for `spec` (loaded from `file`, which messages
/// name): adjusts the document where progenitor would fail, checks it,
/// runs progenitor and the passes.
/// With [`Strictness::LeaveOut`], an operation progenitor cannot generate
/// is left out, with a note, instead of refusing the document.
///
/// The spec is taken, not borrowed: the document is adjusted in place, and
/// its typed form dropped as soon as it is stale (for a document of
/// megabytes, a copy of its trees costs about as much as reading them).
pub fn generate(
    file: &Path,
    spec: Spec,
    strictness: Strictness,
) -> Result<Generated, CodegenError> {
    let generator_error = |message: String| CodegenError::Generator {
        file: file.to_path_buf(),
        at: None,
        message,
    };
    let retype = |json: &serde_json::Value| {
        // Typed from the tree itself: a document may be megabytes.
        openapiv3::OpenAPI::deserialize(json).map_err(|e| {
            generator_error(format!("the adjusted document is no longer OpenAPI: {e}"))
        })
    };
    let Spec { mut json, openapi } = spec;
    let mut adjusted = adjust::adjust(&mut json);
    // Every adjustment leaves a note but the one a spec asks for
    // (`x-success-as-bytes`): without either, the document is as given, and
    // its typed form too.
    let mut openapi = if adjusted.notes.is_empty() && !adjusted.asked {
        openapi
    } else {
        drop(openapi);
        retype(&json)?
    };
    match check(file, &openapi) {
        Err(CodegenError::Unsupported { findings, .. }) if strictness == Strictness::LeaveOut => {
            let left_out =
                leave_out(&mut json, &findings).map_err(|findings| CodegenError::Unsupported {
                    file: file.to_path_buf(),
                    findings,
                })?;
            adjusted.notes.extend(left_out);
            openapi = retype(&json)?;
            check(file, &openapi)?;
        }
        checked => checked?,
    }
    let mut spec = Spec { json, openapi };

    // progenitor and typify say what failed, not where: find the piece that
    // fails alone, and leave out the operations that do (or say where).
    let fails = |doc: &serde_json::Value| {
        let openapi = openapiv3::OpenAPI::deserialize(doc).ok()?;
        run_progenitor(&openapi).err()
    };
    let code = loop {
        let message = match shaped(&spec, &adjusted) {
            Ok(code) => break code,
            Err(Failed::Progenitor(message)) => message,
            Err(Failed::Shaping(message)) => return Err(generator_error(message)),
        };
        let place = crate::locate::locate(&spec.json, &fails);
        let at = place.as_ref().and_then(|p| p.first()).cloned();
        let failed = CodegenError::Generator {
            file: file.to_path_buf(),
            at,
            message: message.clone(),
        };
        let Some(Place::Operations(operations)) =
            place.filter(|_| strictness == Strictness::LeaveOut)
        else {
            return Err(failed);
        };
        let findings: Vec<Finding> = operations
            .into_iter()
            .map(|(at, said)| {
                Finding::new(
                    "generator-failed",
                    at,
                    format!("the generator failed: {}", first_line(&said)),
                )
            })
            .collect();
        let mut json = spec.json;
        // Each turn leaves out at least one operation, or ends.
        let left_out = match leave_out(&mut json, &findings) {
            Ok(left_out) if !left_out.is_empty() => left_out,
            _ => return Err(failed),
        };
        adjusted.notes.extend(left_out);
        let openapi = retype(&json)?;
        spec = Spec { json, openapi };
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let code = format!(
        "// Generated by tracking-codegen from specs/{name}. Do not edit: change the spec.\n\n{code}"
    );
    Ok(Generated {
        dependencies: crate::dependencies::used_by(&code),
        code,
        notes: adjusted.notes,
    })
}

/// Why [`shaped`] failed.
enum Failed {
    /// progenitor failed (the document may generate without an operation).
    Progenitor(String),
    /// Its output is not what the passes expect.
    Shaping(String),
}

/// progenitor's output for `spec`, with the hooks, the servers and the
/// passes, formatted. Its `types` module is made on a second thread
/// (`types_half`), the rest on this one.
fn shaped(spec: &Spec, adjusted: &adjust::Adjusted) -> Result<String, Failed> {
    let renamed = &adjusted.renamed;
    std::thread::scope(|scope| {
        let (facts_to, facts) = std::sync::mpsc::channel();
        let types =
            scope.spawn(move || crate::types_half::format_types(&spec.openapi, renamed, facts_to));
        let tokens = run_progenitor(&spec.openapi).map_err(Failed::Progenitor)?;
        let tokens = crate::types_half::without_types(tokens).map_err(Failed::Shaping)?;
        let additions = crate::hooks::hooks(spec);
        let servers = crate::servers::servers(spec);
        let mut ast: syn::File = syn::parse2(quote!(#tokens #servers #additions)).map_err(|e| {
            Failed::Shaping(format!("progenitor produced code that does not parse: {e}"))
        })?;
        let context = crate::passes::Context {
            spec,
            renamed,
            parameters: &adjusted.parameters,
        };
        // Sent once the other thread has read its half; none if it failed.
        let passed = crate::passes::run(&mut ast, &context, || {
            facts
                .recv()
                .map_err(|_| "the `types` module failed".to_string())
        });
        let joined = |types: std::thread::ScopedJoinHandle<Result<String, String>>| {
            types.join().map_err(panicked)?
        };
        if let Err(passes) = passed {
            // What the other thread said, if it failed first.
            return Err(Failed::Shaping(joined(types).err().unwrap_or(passes)));
        }
        let rest = prettyplease::unparse(&ast);
        let types = joined(types).map_err(Failed::Shaping)?;
        crate::types_half::assemble(&rest, &types).map_err(Failed::Shaping)
    })
}

/// progenitor's tokens for `openapi`, or what it said (or panicked with):
/// the checks run first, so this only catches what they missed, and a
/// maintainer still gets a message rather than a backtrace.
pub(crate) fn run_progenitor(
    openapi: &openapiv3::OpenAPI,
) -> Result<proc_macro2::TokenStream, String> {
    let mut generator = Generator::new(&settings());
    match quietly(|| generator.generate_tokens(openapi)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panicked) => Err(format!("progenitor {panicked}")),
    }
}

/// What a panic said.
fn panicked(panic: Box<dyn std::any::Any + Send>) -> String {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    format!("panicked: {message}")
}

thread_local! {
    /// Whether a panic on this thread is caught by [`quietly`].
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (progenitor, which panics on what it cannot do), a panic
/// caught and not printed: what it said (`panicked: …`). The panic hook is
/// the process's: it is set once, to stay quiet on the threads in here
/// only, so that two threads (or tests) generating at once do not swap
/// hooks under each other.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|quiet| quiet.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(was));
    result.map_err(panicked)
}

/// The first line of what progenitor said, at most 300 characters: some
/// of its panics print a whole node with `{:#?}`.
fn first_line(said: &str) -> String {
    let line = said.lines().next().unwrap_or_default();
    match line.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_string(),
    }
}
