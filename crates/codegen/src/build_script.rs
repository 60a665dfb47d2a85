//! What the workspace `build.rs` does for each client crate.

use std::path::PathBuf;

/// Generates `$OUT_DIR/client.rs` for the client crate being built.
///
/// The spec is `specs/<crate directory name>.yaml` at the workspace root, so
/// `crates/vtex-oms` is generated from `specs/vtex-oms.yaml`. Cargo reruns the
/// build script only when that file changes.
///
/// On failure, prints one message naming the spec and the offending node and
/// exits the build script with status 1 (no panic, no backtrace).
pub fn build_client_crate() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let env = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .ok_or(format!("{name} is not set; run through cargo"))
    };
    let manifest_dir = env("CARGO_MANIFEST_DIR")?;
    let out_dir = env("OUT_DIR")?;
    let name = manifest_dir
        .file_name()
        .ok_or("the crate directory has no name")?
        .to_string_lossy()
        .into_owned();
    let root = manifest_dir
        .parent()
        .and_then(|p| p.parent())
        .ok_or("the crate is not at crates/<name>")?;
    let spec = root.join("specs").join(format!("{name}.yaml"));
    println!("cargo:rerun-if-changed={}", spec.display());

    let code = crate::generate_file(&spec).map_err(|e| e.to_string())?;
    let target = out_dir.join("client.rs");
    std::fs::write(&target, code).map_err(|e| format!("cannot write {}: {e}", target.display()))
}
