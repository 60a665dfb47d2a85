//! `cargo xtask corpus`: documents nobody here wrote, through our generator
//! and through raw progenitor (its default settings), side by side: how
//! many operations each generates, whether the code compiles, and how long
//! generation takes. The documents are `tests/corpus/` (progenitor's own
//! sample documents, our fixtures, the OpenAPI Initiative's Swagger 2.0
//! and 3.1 examples, Amazon's Orders v0 model) and any folder given
//! (VTEX's published documents, fetched, which are not ours to commit).
//! Swagger 2.0 and 3.1 reach our generator through the one conversion
//! (`tracking_spec::load_document`); raw progenitor is given them as
//! published, which it refuses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One document's result, for one generator.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Operations the generated code has (0 when generation failed).
    pub generated: usize,
    /// Why generation failed.
    pub failure: Option<String>,
    /// Notes of what our generator adjusted in the document.
    pub notes: usize,
    /// Operations our generator left out (each with a note of why).
    pub left_out: usize,
    /// Generation time, median of the runs.
    pub time: Duration,
    /// Compiler errors (None: not compiled).
    pub compile_errors: Option<usize>,
    /// The code, until it is compiled.
    code: Option<String>,
    dependencies: Vec<&'static str>,
}

/// One document, both generators.
#[derive(Debug, Clone)]
pub struct Row {
    /// The document's file name.
    pub name: String,
    /// Operations in the document.
    pub operations: usize,
    /// Our generator.
    pub ours: Outcome,
    /// progenitor with its default settings.
    pub raw: Outcome,
    /// progenitor with our settings (the builder interface, which writes
    /// about 2.5 times the code of its default): generation time only.
    pub raw_same_settings: Option<Duration>,
}

/// The documents in `dirs` (`.json`, `.yaml`, `.yml`), sorted by name,
/// those of `only` if it is not empty.
pub fn documents(dirs: &[PathBuf], only: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let spec = path.extension().is_some_and(|e| {
                tracking_spec::SPEC_EXTENSIONS
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x))
            });
            let stem = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if spec && (only.is_empty() || only.contains(&stem)) {
                found.push(path);
            }
        }
    }
    found.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
    Ok(found)
}

/// Generates every document with both generators (`runs` times each, for
/// the median time).
pub fn generate_all(files: &[PathBuf], runs: usize) -> Vec<Row> {
    files
        .iter()
        .map(|file| {
            let name = file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let loaded = tracking_spec::load_document(file);
            let operations = loaded
                .as_ref()
                .map(|d| d.spec.openapi.operations().count())
                .unwrap_or(0);
            let same = loaded
                .as_ref()
                .ok()
                .and_then(|document| raw_same_settings(document, runs));
            let (ours, raw) = match loaded {
                Ok(document) => (ours(file, &document, runs), raw(&document, runs)),
                Err(e) => {
                    let failed = Outcome {
                        failure: Some(e.to_string()),
                        ..Outcome::default()
                    };
                    (failed.clone(), failed)
                }
            };
            Row {
                name,
                operations,
                ours,
                raw,
                raw_same_settings: same,
            }
        })
        .collect()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Operations in generated code: progenitor writes one `OperationInfo` per
/// operation, in either interface style.
fn count_operations(code: &str) -> usize {
    code.matches("OperationInfo {").count()
}

fn ours(file: &Path, document: &tracking_spec::Document, runs: usize) -> Outcome {
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..runs.max(1) {
        // The copy is made before the clock starts: raw progenitor is timed
        // on a document already loaded too.
        let spec = document.spec.clone();
        let started = Instant::now();
        result = Some(tracking_codegen::generate(
            file,
            spec,
            tracking_codegen::Strictness::LeaveOut,
        ));
        times.push(started.elapsed());
    }
    match result.expect("ran once") {
        Ok(generated) => Outcome {
            generated: count_operations(&generated.code),
            notes: document.notes.len() + generated.notes.len(),
            left_out: generated
                .notes
                .iter()
                .filter(|n| n.rule == "left-out")
                .count(),
            time: median(times),
            dependencies: generated.dependencies,
            code: Some(generated.code),
            ..Outcome::default()
        },
        Err(e) => Outcome {
            failure: Some(e.to_string()),
            time: median(times),
            ..Outcome::default()
        },
    }
}

/// progenitor 0.15 as its README has users call it: default settings, on
/// the document as published (it reads OpenAPI 3.0 only).
fn raw(document: &tracking_spec::Document, runs: usize) -> Outcome {
    if let Some(why) = unreadable_as_published(document) {
        return Outcome {
            failure: Some(why),
            ..Outcome::default()
        };
    }
    let (result, time) = progenitor_runs(document, progenitor::Generator::default, runs);
    match result {
        Ok(code) => Outcome {
            generated: count_operations(&code),
            time,
            code: Some(code),
            // Every crate progenitor's code may name (what its README tells
            // its users to depend on), but our runtime.
            dependencies: tracking_codegen::GENERATED_CODE_CRATES
                .iter()
                .copied()
                .filter(|name| *name != "tracking_runtime")
                .collect(),
            ..Outcome::default()
        },
        Err(e) => Outcome {
            failure: Some(e),
            time,
            ..Outcome::default()
        },
    }
}

/// Why progenitor cannot read `document` as published: it reads OpenAPI
/// 3.0 only, through `openapiv3`, which refuses what our loader read
/// leniently (a `null` where a map belongs).
fn unreadable_as_published(document: &tracking_spec::Document) -> Option<String> {
    if document.format != tracking_spec::Format::OpenApi30 {
        return Some(format!(
            "reads OpenAPI 3.0 only, and this is {}",
            document.format
        ));
    }
    document
        .notes
        .first()
        .map(|note| format!("openapiv3 cannot read it as published ({})", note.path))
}

/// progenitor with our settings, on the document as published: the time
/// to tokens, parsed and formatted, as [`raw`] measures (None when it fails).
fn raw_same_settings(document: &tracking_spec::Document, runs: usize) -> Option<Duration> {
    if unreadable_as_published(document).is_some() {
        return None;
    }
    let (result, time) = progenitor_runs(
        document,
        || progenitor::Generator::new(&tracking_codegen::progenitor_settings()),
        runs,
    );
    result.is_ok().then_some(time)
}

/// progenitor as `generator` makes it, on `document`, `runs` times: its code
/// (tokens parsed and formatted) or what it said or panicked with, and the
/// median time.
fn progenitor_runs(
    document: &tracking_spec::Document,
    generator: impl Fn() -> progenitor::Generator,
    runs: usize,
) -> (Result<String, String>, Duration) {
    let mut times = Vec::new();
    let mut result = Err("not run".to_string());
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        result = tracking_codegen::quietly(|| {
            generator()
                .generate_tokens(&document.spec.openapi)
                .map_err(|e| e.to_string())
                .and_then(|tokens| syn::parse2::<syn::File>(tokens).map_err(|e| e.to_string()))
                .map(|file| prettyplease::unparse(&file))
        })
        .unwrap_or_else(Err);
        times.push(started.elapsed());
    }
    (result, median(times))
}

/// How each dependency is declared in a corpus crate: the workspace's own
/// versions and features, so that what compiles here compiles in a client
/// crate.
fn dependency_line(root: &Path, name: &str) -> String {
    match name {
        "tracking_runtime" => format!(
            "tracking-runtime = {{ path = {:?} }}",
            root.join("crates/tracking-runtime").display().to_string()
        ),
        "progenitor_client" => "progenitor-client = \"0.15.1\"".into(),
        "reqwest" => "reqwest = { version = \"0.13\", features = [\"json\", \"stream\"] }".into(),
        "serde" => "serde = { version = \"1\", features = [\"derive\"] }".into(),
        "serde_json" => "serde_json = \"1\"".into(),
        "chrono" => "chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\", \"clock\"] }".into(),
        "uuid" => "uuid = { version = \"1\", features = [\"serde\"] }".into(),
        "regress" => "regress = \"0.12\"".into(),
        "futures" => "futures = \"0.3\"".into(),
        "bytes" => "bytes = \"1\"".into(),
        "base64" => "base64 = \"0.22\"".into(),
        "rand" => "rand = \"0.9\"".into(),
        other => format!("{other} = \"*\""),
    }
}

/// Compiles every generated client as a crate of its own, in one cargo
/// workspace at `dir` (built with `target` as its target directory), and
/// records each crate's compiler errors.
pub fn compile_all(rows: &mut [Row], root: &Path, dir: &Path, target: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    let mut members = Vec::new();
    for row in rows.iter() {
        for (side, outcome) in [("ours", &row.ours), ("raw", &row.raw)] {
            let Some(code) = &outcome.code else { continue };
            let package = crate_name(side, &row.name);
            let crate_dir = dir.join(&package);
            std::fs::create_dir_all(crate_dir.join("src")).map_err(|e| e.to_string())?;
            let mut manifest = format!(
                "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n"
            );
            for dependency in &outcome.dependencies {
                manifest.push_str(&dependency_line(root, dependency));
                manifest.push('\n');
            }
            std::fs::write(crate_dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
            std::fs::write(crate_dir.join("src/client.rs"), code).map_err(|e| e.to_string())?;
            std::fs::write(
                crate_dir.join("src/lib.rs"),
                "#![allow(warnings, clippy::all)]\ninclude!(\"client.rs\");\n",
            )
            .map_err(|e| e.to_string())?;
            members.push(package);
        }
    }
    let workspace = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), workspace).map_err(|e| e.to_string())?;
    // The workspace's lock file: the same versions as the client crates.
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format",
            "json",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_error =
            message["reason"] == "compiler-message" && message["message"]["level"] == "error";
        if is_error && let Some(id) = message["package_id"].as_str() {
            // `path+file:///…/ours-keeper#0.0.0`: the package's folder name.
            let name = id
                .rsplit('/')
                .next()
                .unwrap_or(id)
                .split('#')
                .next()
                .unwrap_or(id)
                .to_string();
            *errors.entry(name).or_default() += 1;
        }
    }
    if !output.status.success() && errors.is_empty() {
        return Err(format!(
            "cargo check failed in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    for row in rows.iter_mut() {
        let name = row.name.clone();
        for (side, outcome) in [("ours", &mut row.ours), ("raw", &mut row.raw)] {
            if outcome.code.take().is_some() {
                let package = crate_name(side, &name);
                outcome.compile_errors = Some(errors.get(&package).copied().unwrap_or(0));
            }
        }
    }
    Ok(())
}

/// `ours-vtex-orders-api` for `VTEX - Orders API.json`.
fn crate_name(side: &str, file: &str) -> String {
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    let mut name = String::from(side);
    for word in stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        name.push('-');
        name.push_str(&word.to_ascii_lowercase());
    }
    name
}

fn cell(outcome: &Outcome, operations: usize) -> String {
    if let Some(failure) = &outcome.failure {
        let first = failure.lines().next().unwrap_or_default();
        let short: String = first.chars().take(90).collect();
        return format!(
            "refused: {short}{}",
            if first.len() > 90 { "…" } else { "" }
        );
    }
    let compiled = match outcome.compile_errors {
        Some(0) => "compiles".to_string(),
        Some(n) => format!("**{n} compile errors**"),
        None => "not compiled".to_string(),
    };
    let left_out = match outcome.left_out {
        0 => String::new(),
        n => format!(" ({n} left out)"),
    };
    format!("{}/{operations}{left_out}, {compiled}", outcome.generated)
}

/// The table, in Markdown.
pub fn render(rows: &[Row]) -> String {
    let mut text = String::from(
        "| document | operations | ours: generated, compiled | ours: notes | ours: time | raw progenitor | raw: time | raw, our settings: time |\n|---|---|---|---|---|---|---|---|\n",
    );
    let ms = |time: Duration| format!("{:.1} ms", time.as_secs_f64() * 1000.0);
    for row in rows {
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            row.name,
            row.operations,
            cell(&row.ours, row.operations),
            row.ours.notes,
            ms(row.ours.time),
            cell(&row.raw, row.operations),
            if row.raw.failure.is_some() && row.raw.time.is_zero() {
                "–".to_string()
            } else {
                ms(row.raw.time)
            },
            row.raw_same_settings.map(ms).unwrap_or_else(|| "–".into()),
        ));
    }
    text
}

/// Whether our generator generated every operation of every document (but
/// those it left out, each with its reason), and (`compiled`: when they
/// were compiled) every client compiled.
pub fn all_ours_generate(rows: &[Row], compiled: bool) -> bool {
    rows.iter().all(|row| {
        row.ours.failure.is_none()
            && row.ours.generated + row.ours.left_out == row.operations
            && (!compiled || row.ours.compile_errors == Some(0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_made_from_file_names() {
        assert_eq!(
            crate_name("ours", "VTEX - Orders API.json"),
            "ours-vtex-orders-api"
        );
        assert_eq!(
            crate_name("raw", "propolis-server.json"),
            "raw-propolis-server"
        );
    }
}
