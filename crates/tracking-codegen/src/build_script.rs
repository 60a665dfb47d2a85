//! What the workspace `build.rs` does for each client crate.

use std::path::{Path, PathBuf};

/// Generates `$OUT_DIR/client.rs` for the client crate being built.
///
/// The spec is `specs/<name>.yaml` (or `.json`) at the workspace root for the crate at
/// `crates/<name>-client`: `crates/vtex-oms-client` is generated from
/// `specs/vtex-oms.yaml`. Cargo reruns the
/// build script only when that file changes.
///
/// On failure, prints one message naming the spec and the offending node and
/// exits the build script with status 1 (no panic, no backtrace).
pub fn build_client_crate() {
    let env = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .ok_or(format!("{name} is not set; run through cargo"))
    };
    let result = env("CARGO_MANIFEST_DIR").and_then(|manifest_dir| {
        let spec = spec_for_crate(&manifest_dir)?;
        println!("cargo:rerun-if-changed={}", spec.display());
        generate_into(&spec, &env("OUT_DIR")?)
    });
    if let Err(message) = result {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// `<workspace>/specs/<name>.yaml` (or `.yml`, or `.json`: exactly one) for
/// the crate at `<workspace>/crates/<name>-client` (the folder is named as
/// its package).
pub fn spec_for_crate(manifest_dir: &Path) -> Result<PathBuf, String> {
    let folder = manifest_dir
        .file_name()
        .ok_or("the crate directory has no name")?
        .to_string_lossy();
    let name = folder.strip_suffix("-client").ok_or_else(|| {
        format!("a client crate's folder is named `<spec>-client`, not `{folder}`")
    })?;
    let root = manifest_dir
        .parent()
        .and_then(Path::parent)
        .ok_or("the crate is not at <workspace>/crates/<name>")?;
    tracking_spec::find_spec(&root.join("specs"), name)
}

/// Generates the client for `spec` into `out_dir/client.rs`.
pub fn generate_into(spec: &Path, out_dir: &Path) -> Result<(), String> {
    let generated = crate::generate_file(spec).map_err(|e| e.to_string())?;
    // What the generator changed in the document, for the maintainer.
    for note in &generated.notes {
        println!("cargo:warning={}: {note}", spec.display());
    }
    let target = out_dir.join("client.rs");
    std::fs::write(&target, generated.code)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))
}
