//! Maintainer commands, run as `cargo xtask <command>`:
//!
//! - `lint [SPEC...] [--format json]`: the project's rules for specs.
//! - `regen`: regenerate every client and rewrite its API snapshot
//!   (`crates/<name>/api.txt`, committed, so reviews show API changes).
//! - `check`: what CI runs: lint clean, every spec generates, snapshots current.
//! - `diff [--base REV] [SPEC...] [--fail-on-breaking]`, or `diff --from FILE
//!   --to FILE`: what changed for users.
//! - `semver --base REV`: a breaking change since REV needs its version bump.
//! - `validate --spec NAME --operation ID (--request | --response STATUS) FILE`.
//! - `generate [SPEC...] [--out DIR] [--strict]`: print or write the generated
//!   code (of any document: an operation progenitor cannot generate is left
//!   out, with a note, unless `--strict`).
//! - `upstream SPEC FILE [--format json]`: our spec beside the provider's own
//!   published document, operation by operation (exit 1 on an error).
//! - `corpus [--dir DIR]... [--only NAME,...] [--no-compile]`: documents nobody here wrote
//!   (`tests/corpus/`, and VTEX's fetched into DIR) through our generator
//!   and raw progenitor, generated and compiled side by side (exit 1 if one
//!   of ours does not generate whole and compile).

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tracking_codegen::Strictness;

// Generating a client allocates and frees millions of small nodes (tokens,
// syntax trees): mimalloc takes a quarter off GitHub's 3.7 MB document
// beside the system allocator, for our generator and for raw progenitor
// alike (`xtask corpus` times both in this process).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` that does not panic when stdout is closed (`cargo xtask … | head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
use xtask::lint::{Lint, Severity, lint_file};
use xtask::{golden_path, snapshot_path, spec_files};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer commands for the specs and generated clients"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check specs against the project's rules.
    Lint {
        /// Spec names (e.g. `crux`) or paths; all of specs/ when none.
        specs: Vec<String>,
        /// Output for people (text) or tools (json).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Regenerate every client and rewrite its API snapshot.
    Regen,
    /// Lint clean, generation succeeds, API snapshots current (what CI runs).
    Check,
    /// Classify the changes of specs since a git revision, or from one
    /// document to another (`--from FILE --to FILE`).
    Diff {
        /// The revision to compare with.
        #[arg(long, default_value = "HEAD", conflicts_with_all = ["from", "to"])]
        base: String,
        /// The old document (YAML or JSON), with `--to`.
        #[arg(long, requires = "to")]
        from: Option<PathBuf>,
        /// The new document, with `--from`.
        #[arg(long, requires = "from")]
        to: Option<PathBuf>,
        /// Spec names or paths; all of specs/ when none.
        specs: Vec<String>,
        /// Exit 1 when a change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Validate a JSON file against an operation's request or response.
    Validate {
        /// The spec's name (e.g. `crux`) or path.
        #[arg(long)]
        spec: String,
        /// The operationId.
        #[arg(long)]
        operation: String,
        /// The file is a request body.
        #[arg(
            long,
            conflicts_with = "response",
            required_unless_present = "response"
        )]
        request: bool,
        /// The file is the body of a response with this status.
        #[arg(long)]
        response: Option<u16>,
        /// The JSON file.
        file: PathBuf,
    },
    /// Compare a spec with the provider's own published document (the
    /// operations both have, by method and path).
    Upstream {
        /// Our spec's name (its file name in `specs/`) or path.
        spec: String,
        /// The provider's document (JSON or YAML).
        file: PathBuf,
        /// Output for people (text) or tools (json).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The version policy: a breaking change of a client's generated API
    /// since a revision needs the version semver gives it (exit 1 if not).
    Semver {
        /// The revision to compare with (the last release, or the previous
        /// commit).
        #[arg(long)]
        base: String,
    },
    /// Generate and compile documents nobody here wrote, with our generator
    /// and with raw progenitor, side by side.
    Corpus {
        /// More folders of documents (e.g. VTEX's, fetched).
        #[arg(long)]
        dir: Vec<PathBuf>,
        /// Only these documents (file names without extension).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Generation runs per document, for the median time.
        #[arg(long, default_value = "5")]
        runs: usize,
        /// Generate and time only (for documents too large to compile
        /// often, such as GitHub's).
        #[arg(long)]
        no_compile: bool,
    },
    /// Start a provider from its spec (`specs/NAME.yaml`): its client
    /// crate and its order-tracking module, registered, generated and
    /// formatted. The provider refuses every row until its module's `plan`
    /// is written (specs/README.md, "Adding a provider").
    NewProvider {
        /// The spec's name: its file name in `specs/`.
        name: String,
    },
    /// Print (or write to --out) the client code generated from specs.
    Generate {
        /// Spec names (e.g. `crux`) or paths; all of specs/ when none.
        specs: Vec<String>,
        /// Write `<name>.rs` files into this directory instead of printing.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Refuse a document with an operation progenitor cannot generate,
        /// instead of leaving that operation out (with a note).
        #[arg(long)]
        strict: bool,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Lint { specs, format } => lint(&specs, format),
        Command::Regen => regen(),
        Command::Check => check(),
        Command::Diff {
            base,
            from,
            to,
            specs,
            fail_on_breaking,
        } => match (from, to) {
            (Some(from), Some(to)) => diff_files(&from, &to, fail_on_breaking),
            _ => diff(&base, &specs, fail_on_breaking),
        },
        Command::Validate {
            spec,
            operation,
            response,
            file,
            ..
        } => validate(&spec, &operation, response, &file),
        Command::Generate { specs, out, strict } => generate(&specs, out.as_deref(), strict),
        Command::Upstream { spec, file, format } => upstream(&spec, &file, format),
        Command::Corpus {
            dir,
            only,
            runs,
            no_compile,
        } => corpus(&dir, &only, runs, !no_compile),
        Command::Semver { base } => semver(&base),
        Command::NewProvider { name } => new_provider(&name),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn corpus(extra: &[PathBuf], only: &[String], runs: usize, compile: bool) -> Result<bool, String> {
    let root = xtask::workspace_root();
    let mut dirs = vec![
        root.join("tests/corpus/progenitor"),
        root.join("tests/corpus/fixtures"),
        root.join("tests/corpus/oai"),
        root.join("tests/corpus/amazon"),
    ];
    dirs.extend(extra.iter().cloned());
    let files = xtask::corpus::documents(&dirs, only)?;
    if files.is_empty() {
        return Err("no documents".into());
    }
    let started = std::time::Instant::now();
    let mut rows = xtask::corpus::generate_all(&files, runs);
    let generated = started.elapsed();
    if compile {
        let target = root.join("target/corpus-target");
        xtask::corpus::compile_all(&mut rows, &root, &root.join("target/corpus"), &target)?;
    }
    out!("{}", xtask::corpus::render(&rows).trim_end());
    out!(
        "\n{} documents; generation {:.1} s ({runs} runs each, both generators); compilation {:.0} s",
        rows.len(),
        generated.as_secs_f64(),
        (started.elapsed() - generated).as_secs_f64()
    );
    Ok(xtask::corpus::all_ours_generate(&rows, compile))
}

fn upstream(spec: &str, file: &Path, format: Format) -> Result<bool, String> {
    let ours_file = spec_files(&[spec.to_string()])?
        .into_iter()
        .next()
        .ok_or("no spec")?;
    let (_, ours, _) = xtask::load_document(&ours_file)?;
    let (published, theirs, conversion) = xtask::load_document(file)?;
    let report = xtask::upstream::compare(&ours, &theirs);
    if report.compared.is_empty() {
        return Err(format!(
            "{} and {} have no operation in common (matched by method and path)",
            short(&ours_file).display(),
            file.display()
        ));
    }
    match format {
        Format::Json => {
            for note in &conversion {
                eprintln!("note: {}: {note}", file.display());
            }
            out!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            )
        }
        Format::Text => {
            out!(
                "ours: {}
theirs: {} ({published}{})",
                short(&ours_file).display(),
                file.display(),
                match conversion.len() {
                    _ if published == tracking_spec::Format::OpenApi30 => String::new(),
                    0 =>
                        ", converted to 3.0 exactly; its places below are the converted document's"
                            .to_string(),
                    n => format!(
                        ", converted to 3.0 with {n} notes below; its places are the converted document's"
                    ),
                }
            );
            for note in &conversion {
                out!("  converted: {note}");
            }
            out!("{}", xtask::upstream::render(&report).trim_end());
        }
    }
    Ok(!report.has_errors())
}

/// Relative to the workspace root, for short messages.
fn short(path: &Path) -> PathBuf {
    path.strip_prefix(xtask::workspace_root())
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn lints(specs: &[String]) -> Result<Vec<Lint>, String> {
    Ok(spec_files(specs)?
        .iter()
        .flat_map(|file| {
            lint_file(file).into_iter().map(|l| Lint {
                file: short(&l.file),
                ..l
            })
        })
        .collect())
}

fn lint(specs: &[String], format: Format) -> Result<bool, String> {
    let found = lints(specs)?;
    match format {
        Format::Json => out!(
            "{}",
            serde_json::to_string_pretty(&found).map_err(|e| e.to_string())?
        ),
        Format::Text => {
            for lint in &found {
                out!("{lint}");
            }
            let errors = found
                .iter()
                .filter(|l| l.severity == Severity::Error)
                .count();
            out!("{errors} error(s), {} warning(s)", found.len() - errors);
        }
    }
    Ok(!found.iter().any(|l| l.severity == Severity::Error))
}

/// A spec and its client: the generated code and its API snapshot (or why
/// it did not generate).
type Generated = (
    PathBuf,
    Result<(tracking_codegen::Generated, String), String>,
);

/// The code and API snapshot of every spec's client.
fn generated() -> Result<Vec<Generated>, String> {
    Ok(spec_files(&[])?
        .into_iter()
        .map(|file| {
            let outputs = tracking_codegen::generate_file(&file, Strictness::Strict)
                .map_err(|e| e.to_string())
                .and_then(|generated| {
                    xtask::client_snapshot(&file, &generated.code)
                        .map(|snapshot| (generated, snapshot))
                });
            (file, outputs)
        })
        .collect())
}

fn regen() -> Result<bool, String> {
    let mut ok = true;
    let runtime = xtask::runtime_snapshot_path();
    std::fs::write(&runtime, xtask::runtime_snapshot()?)
        .map_err(|e| format!("{}: {e}", runtime.display()))?;
    out!("wrote {}", short(&runtime).display());
    for (file, outputs) in generated()? {
        match outputs {
            Ok((generated, snapshot)) => {
                let code = generated.code;
                let target = snapshot_path(&file);
                if target.parent().is_some_and(Path::exists) {
                    let spec_text = std::fs::read_to_string(&file)
                        .map_err(|e| format!("{}: {e}", file.display()))?;
                    let copy = tracking_codegen::mock_copy(&xtask::workspace_root(), &file);
                    for (path, text) in [
                        (target, snapshot),
                        (golden_path(&file), code),
                        (copy, spec_text),
                    ] {
                        std::fs::write(&path, text)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        out!("wrote {}", short(&path).display());
                    }
                } else {
                    out!(
                        "{}: no crate at {} yet (see README, adding a provider)",
                        short(&file).display(),
                        short(target.parent().unwrap_or(&target)).display()
                    );
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
            }
        }
    }
    Ok(ok)
}

fn check() -> Result<bool, String> {
    let mut ok = true;
    let found = lints(&[])?;
    for lint in found.iter().filter(|l| l.severity == Severity::Error) {
        out!("{lint}");
        ok = false;
    }
    let runtime = xtask::runtime_snapshot_path();
    if std::fs::read_to_string(&runtime).unwrap_or_default() != xtask::runtime_snapshot()? {
        ok = false;
        out!(
            "{} is out of date with the runtime's public API (run `cargo xtask regen` and commit)",
            short(&runtime).display()
        );
    }
    // The shipped files (each client's generated code, the mock's copies of
    // the specs): the build script's check.
    for problem in tracking_codegen::stale_crates(&xtask::workspace_root())? {
        ok = false;
        out!("error: {problem}");
    }
    for (file, outputs) in generated()? {
        let (generated, snapshot) = match outputs {
            Ok(outputs) => outputs,
            Err(e) => {
                out!("error: {e}");
                ok = false;
                continue;
            }
        };
        // The project's specs are written so that the generator changes
        // nothing in them: a change would be a fact the spec does not say.
        for note in &generated.notes {
            ok = false;
            out!(
                "{}: the generator had to adjust the spec {note}",
                short(&file).display()
            );
        }
        let target = snapshot_path(&file);
        let committed = std::fs::read_to_string(&target).unwrap_or_default();
        if committed != snapshot {
            ok = false;
            out!(
                "{} is out of date with {} (run `cargo xtask regen` and commit):",
                short(&target).display(),
                short(&file).display()
            );
            let (old, new): (Vec<&str>, Vec<&str>) =
                (committed.lines().collect(), snapshot.lines().collect());
            for line in old.iter().filter(|l| !new.contains(l)) {
                out!("  - {line}");
            }
            for line in new.iter().filter(|l| !old.contains(l)) {
                out!("  + {line}");
            }
        }
    }
    if ok {
        out!("ok: specs lint clean, generate, and match their generated code and API snapshots");
    }
    Ok(ok)
}

fn diff(base: &str, specs: &[String], fail_on_breaking: bool) -> Result<bool, String> {
    let report = xtask::diff::diff_against(base, &spec_files(specs)?)?;
    out!("{report}");
    Ok(!(fail_on_breaking && report.breaking()))
}

fn new_provider(name: &str) -> Result<bool, String> {
    let root = xtask::workspace_root();
    for path in xtask::scaffold::new_provider(&root, name)? {
        out!("wrote {}", short(&path).display());
    }
    // The generated code, API snapshot and mock copy of every spec, the
    // new one's included; then the new files in the workspace's format.
    let regenerated = regen()?;
    let formatted = std::process::Command::new(env!("CARGO"))
        .args(["fmt", "--all"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cargo fmt: {e}"))?
        .success();
    out!(
        "next: cargo test; then write the provider's plan in crates/order-tracking/src/providers/{}/ (specs/README.md, \"Adding a provider\")",
        xtask::scaffold::Names::of(name)?.module
    );
    Ok(regenerated && formatted)
}

fn semver(base: &str) -> Result<bool, String> {
    let (report, problems) = xtask::diff::semver_check(base, &spec_files(&[])?)?;
    out!("{report}");
    for problem in &problems {
        out!("error: {problem}");
    }
    if problems.is_empty() {
        out!("ok: every breaking change since {base} comes with the version semver needs");
    }
    Ok(problems.is_empty())
}

fn diff_files(from: &Path, to: &Path, fail_on_breaking: bool) -> Result<bool, String> {
    let version = xtask::diff::workspace_version();
    let report = xtask::diff::diff_files(from, to, &version)?;
    out!("{report}");
    Ok(!(fail_on_breaking && report.breaking()))
}

fn generate(specs: &[String], out: Option<&Path>, strict: bool) -> Result<bool, String> {
    let strictness = if strict {
        Strictness::Strict
    } else {
        Strictness::LeaveOut
    };
    let mut ok = true;
    for file in spec_files(specs)? {
        let generated = tracking_codegen::generate_file(&file, strictness);
        for note in generated.iter().flat_map(|g| &g.notes) {
            eprintln!("note: {}: {note}", short(&file).display());
        }
        match generated {
            Ok(code) => match out {
                Some(dir) => {
                    let name = file.file_stem().unwrap_or_default().to_string_lossy();
                    let target = dir.join(format!("{name}.rs"));
                    std::fs::create_dir_all(dir)
                        .and_then(|_| std::fs::write(&target, &code.code))
                        .map_err(|e| format!("{}: {e}", target.display()))?;
                    eprintln!("wrote {}", target.display());
                }
                None => out!("{}", code.code),
            },
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
            }
        }
    }
    Ok(ok)
}

/// Prints every violation of `file` against the operation; `Ok(true)` if valid.
fn validate(spec: &str, operation: &str, status: Option<u16>, file: &Path) -> Result<bool, String> {
    let spec_file = spec_files(&[spec.to_string()])?.remove(0);
    let contract = tracking_contract::Contract::load(&spec_file).map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let body: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not valid JSON: {e}",
            file.display(),
            e.line(),
            e.column()
        )
    })?;
    let direction = match status {
        Some(_) => tracking_contract::Direction::Response,
        None => tracking_contract::Direction::Request,
    };
    let violations = contract
        .validate_body(operation, direction, status, &body)
        .map_err(|e| e.to_string())?;
    let what = match status {
        Some(s) => format!("the {s} response of {operation}"),
        None => format!("the request of {operation}"),
    };
    if violations.is_empty() {
        out!("{}: valid for {what}", file.display());
        return Ok(true);
    }
    out!(
        "{}: {} violation(s) of {what}:",
        file.display(),
        violations.len()
    );
    for violation in &violations {
        out!("  {violation}");
    }
    Ok(false)
}
