//! Maintainer commands, run as `cargo xtask <command>`.
//!
//! - `generate [SPEC...] [--out DIR]`: runs the generator (the one the build
//!   script uses) and prints or writes the client code, for review.
//! - `check [SPEC...]`: checks that every spec loads and generates, that its
//!   examples are valid and that it has no unused components or duplicate
//!   operationIds; exits 1 with each problem's file and JSON path otherwise.
//! - `validate --spec NAME --operation ID (--request | --response STATUS) FILE`:
//!   checks a JSON file (e.g. a payload from a provider's logs) against an
//!   operation; prints every violation and exits 1 when there is one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer commands for the specs and generated clients"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print (or write to --out) the client code generated from specs.
    Generate {
        /// Spec names (e.g. `crux`) or paths; all of specs/ when none.
        specs: Vec<String>,
        /// Write `<name>.rs` files into this directory instead of printing.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check that every spec loads, generates, has valid examples and no unused components.
    Check {
        /// Spec names (e.g. `crux`) or paths; all of specs/ when none.
        specs: Vec<String>,
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
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

/// The spec files named (by name or path), or every `specs/*.yaml`.
fn spec_files(names: &[String]) -> Result<Vec<PathBuf>, String> {
    let dir = workspace_root().join("specs");
    if names.is_empty() {
        let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        all.sort();
        return Ok(all);
    }
    Ok(names
        .iter()
        .map(|n| {
            if n.ends_with(".yaml") {
                PathBuf::from(n)
            } else {
                dir.join(format!("{n}.yaml"))
            }
        })
        .collect())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (specs, out) = match &cli.command {
        Command::Generate { specs, out } => (specs, out.clone()),
        Command::Check { specs } => (specs, None),
        Command::Validate {
            spec,
            operation,
            response,
            file,
            ..
        } => {
            return match validate(spec, operation, *response, file) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            };
        }
    };
    let files = match spec_files(specs) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = 0;
    for file in &files {
        match tracking_codegen::generate_file(file) {
            Ok(code) => match (&cli.command, &out) {
                (Command::Check { .. }, _) => {
                    let problems = spec_problems(file);
                    for problem in &problems {
                        eprintln!("error: {}: {problem}", file.display());
                    }
                    if problems.is_empty() {
                        eprintln!("ok: {}", file.display());
                    } else {
                        failed += 1;
                    }
                }
                (_, Some(dir)) => {
                    let name = file.file_stem().unwrap_or_default().to_string_lossy();
                    let target = dir.join(format!("{name}.rs"));
                    if let Err(e) =
                        std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&target, code))
                    {
                        eprintln!("error: {}: {e}", target.display());
                        failed += 1;
                    } else {
                        eprintln!("wrote {}", target.display());
                    }
                }
                (_, None) => print!("{code}"),
            },
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Invalid examples, unused components and duplicate operationIds of a spec.
fn spec_problems(file: &Path) -> Vec<String> {
    match tracking_contract::Contract::load(file) {
        Ok(contract) => contract
            .check_examples()
            .iter()
            .chain(&tracking_contract::check_document(contract.json()))
            .map(ToString::to_string)
            .collect(),
        Err(e) => vec![e.to_string()],
    }
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
        println!("{}: valid for {what}", file.display());
        return Ok(true);
    }
    println!(
        "{}: {} violation(s) of {what}:",
        file.display(),
        violations.len()
    );
    for violation in &violations {
        println!("  {violation}");
    }
    Ok(false)
}
