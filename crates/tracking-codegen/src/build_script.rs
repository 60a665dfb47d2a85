//! What the workspace `build.rs` does (the build script of the contract
//! tests, so that every test run has it): checks that each client crate's
//! committed `src/generated.rs` is what its spec generates now, and that the
//! mock's copy of each spec (`crates/tracking-mock/specs/`, which it ships)
//! is the spec. The crates ship those files, so their users never compile
//! the generator; a spec edited without `cargo xtask regen` stops the build
//! here, naming both.

use std::path::{Path, PathBuf};

/// Checks every spec of `<workspace>/specs` against its client crate's
/// generated code ([`stale_crates`]), and tells cargo to rerun when either
/// changes. On a difference or a failure, prints one message per spec and
/// exits the build script with status 1 (no panic, no backtrace).
pub fn check_generated_code() {
    let result = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| "CARGO_MANIFEST_DIR is not set; run through cargo".to_string())
        .and_then(|dir| {
            let root = dir.parent().ok_or("the crate is not in the workspace")?;
            let specs = root.join("specs");
            println!("cargo:rerun-if-changed={}", specs.display());
            for spec in crate::specs_in(&specs)? {
                let name = spec.file_stem().unwrap_or_default().to_string_lossy();
                for file in [
                    spec.clone(),
                    generated_path(root, &name),
                    mock_copy(root, &spec),
                ] {
                    println!("cargo:rerun-if-changed={}", file.display());
                }
            }
            stale_crates(root)
        });
    match result {
        Ok(stale) if stale.is_empty() => {}
        Ok(stale) => {
            for message in stale {
                eprintln!("error: {message}");
            }
            std::process::exit(1);
        }
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(1);
        }
    }
}

/// One message for each file that is not what its spec makes now: a
/// client crate's generated code (from which line on) and the mock's copy
/// of the spec. The one check of the shipped files, for the build script
/// and `cargo xtask check` alike.
pub fn stale_crates(root: &Path) -> Result<Vec<String>, String> {
    let shown = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut stale = Vec::new();
    for spec in crate::specs_in(&root.join("specs"))? {
        let name = spec.file_stem().unwrap_or_default().to_string_lossy();
        let golden = generated_path(root, &name);
        let copy = mock_copy(root, &spec);
        let text =
            std::fs::read_to_string(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        if std::fs::read_to_string(&copy).ok().as_deref() != Some(text.as_str()) {
            stale.push(format!(
                "{} is not a copy of {}: run `cargo xtask regen`",
                shown(&copy),
                shown(&spec)
            ));
        }
        // The text read once, for the copy and for the generator.
        let code = crate::parse(&spec, &text)
            .map_err(crate::CodegenError::from)
            .and_then(|parsed| crate::generate(&spec, parsed, crate::Strictness::Strict))
            .map_err(|e| e.to_string())?
            .code;
        let committed = std::fs::read_to_string(&golden).unwrap_or_default();
        if committed != code {
            let differing = committed
                .lines()
                .zip(code.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(committed.lines().count().min(code.lines().count()));
            stale.push(format!(
                "{} is not what {} generates now, from line {} on: run `cargo xtask regen` and review the diff",
                shown(&golden),
                shown(&spec),
                differing + 1
            ));
        }
    }
    Ok(stale)
}

/// `<root>/crates/<name>-client/src/generated.rs`: the generated code of the
/// client crate of spec `<name>` (the crate folder is named as its package).
pub fn generated_path(root: &Path, name: &str) -> PathBuf {
    root.join("crates")
        .join(format!("{name}-client"))
        .join("src")
        .join("generated.rs")
}

/// The copy of `spec` the mock ships and serves (`crates/tracking-mock/specs/`).
pub fn mock_copy(root: &Path, spec: &Path) -> PathBuf {
    root.join("crates/tracking-mock/specs")
        .join(spec.file_name().unwrap_or_default())
}
