//! The maintainer tooling behind `cargo xtask`: lint rules, API snapshots,
//! and the classification of spec changes.

#![forbid(unsafe_code)]

pub mod corpus;
pub mod diff;
pub mod lint;
pub mod operations;
pub mod pairs;
pub mod public_api;
pub mod scaffold;
pub mod snapshot;
pub mod upstream;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

/// The spec files named (by name, e.g. `crux`, or by path), or every spec in
/// `specs/` (`.yaml`, `.yml` or `.json`; one file per name).
pub fn spec_files(names: &[String]) -> Result<Vec<PathBuf>, String> {
    let dir = workspace_root().join("specs");
    if names.is_empty() {
        return tracking_spec::specs_in(&dir);
    }
    names
        .iter()
        .map(|n| {
            let path = Path::new(n);
            let is_path = path.components().count() > 1
                || path.extension().is_some_and(|e| {
                    tracking_spec::SPEC_EXTENSIONS
                        .iter()
                        .any(|x| e.eq_ignore_ascii_case(x))
                });
            if is_path {
                Ok(path.to_path_buf())
            } else {
                tracking_spec::find_spec(&dir, n)
            }
        })
        .collect()
}

/// A document as OpenAPI 3.0 JSON, not typed (a published document may be
/// too loose for `openapiv3` and still worth comparing), with what the one
/// conversion ([`tracking_spec::convert`]) lost or guessed on the way from
/// Swagger 2.0 or OpenAPI 3.1.
pub fn load_document(
    file: &Path,
) -> Result<
    (
        tracking_spec::Format,
        serde_json::Value,
        Vec<tracking_spec::Finding>,
    ),
    String,
> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let tree = tracking_spec::parse_tree(file, &text).map_err(|e| e.to_string())?;
    tracking_spec::convert::to_openapi_30(tree)
        .map_err(|(at, message)| format!("{} at {at}: {message}", file.display()))
}

/// The committed copy of the code generated from `spec`:
/// `crates/<spec name>-client/src/generated.rs`, the code the crate
/// compiles and ships, compared byte for byte by `cargo xtask check`.
pub fn golden_path(spec: &Path) -> PathBuf {
    snapshot_path(spec)
        .with_file_name("src")
        .join("generated.rs")
}

/// The committed API snapshot of the runtime every client re-exports
/// (`crates/tracking-runtime/api.txt`): its hand-written public API.
pub fn runtime_snapshot_path() -> PathBuf {
    workspace_root().join("crates/tracking-runtime/api.txt")
}

/// The runtime's API snapshot as `cargo xtask regen` writes it.
pub fn runtime_snapshot() -> Result<String, String> {
    let src = workspace_root().join("crates/tracking-runtime/src");
    Ok(public_api::public_api(&src)?.join("\n") + "\n")
}

/// A client's API snapshot: what its generated code offers (`code`), then
/// its hand-written public API (constructors, re-exports), each line
/// `hand-written …`, which no spec diff can see.
pub fn client_snapshot(spec: &Path, code: &str) -> Result<String, String> {
    let generated = snapshot::api_snapshot(code)?;
    let src = snapshot_path(spec).with_file_name("src");
    let mut text = generated;
    if src.exists() {
        for line in public_api::public_api(&src)? {
            text.push_str(&format!("hand-written {line}\n"));
        }
    }
    Ok(text)
}

/// The committed API snapshot of the client generated from `spec`:
/// `crates/<spec name>-client/api.txt`.
pub fn snapshot_path(spec: &Path) -> PathBuf {
    let name = spec.file_stem().unwrap_or_default().to_string_lossy();
    workspace_root()
        .join("crates")
        .join(format!("{name}-client"))
        .join("api.txt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_is_named_by_path_in_any_format_or_by_name() {
        // `cargo xtask lint keeper.json` looked for `specs/keeper.json.yaml`.
        for given in [
            "keeper.json",
            "tests/corpus/progenitor/keeper.json",
            "other.yml",
        ] {
            assert_eq!(
                spec_files(&[given.to_string()]).unwrap(),
                [PathBuf::from(given)]
            );
        }
        // A name is a spec of specs/.
        for spec in tracking_spec::specs_in(&workspace_root().join("specs")).unwrap() {
            let name = spec.file_stem().unwrap().to_str().unwrap().to_string();
            assert_eq!(spec_files(&[name]).unwrap(), [spec]);
        }
        assert!(
            spec_files(&["nosuch".to_string()])
                .unwrap_err()
                .contains("no spec `nosuch`")
        );
    }
}
