//! Maintainer commands, run as `cargo xtask <command>`.
//!
//! - `generate [SPEC...] [--out DIR]`: runs the generator (the one the build
//!   script uses) and prints or writes the client code, for review.
//! - `check [SPEC...]`: checks that every spec loads and generates; exits 1
//!   with each problem's file and JSON path otherwise.

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
    /// Check that every spec loads and generates.
    Check {
        /// Spec names (e.g. `crux`) or paths; all of specs/ when none.
        specs: Vec<String>,
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
                (Command::Check { .. }, _) => eprintln!("ok: {}", file.display()),
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
