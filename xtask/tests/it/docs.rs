//! The READMEs say what is there: every file they name in backquotes
//! exists, and the toolchain they ask for is the workspace's
//! `rust-version`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const DOCUMENTS: [&str; 2] = ["README.md", "specs/README.md"];

/// The repository paths a document names in backquotes: those under a
/// top-level folder of the workspace, without a placeholder (`<name>`) or
/// a glob.
fn paths_named(text: &str) -> Vec<String> {
    const TOP: [&str; 6] = ["crates/", "specs/", "tests/", "xtask/", "examples/", ".ci/"];
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| !span.contains(char::is_whitespace))
        .filter(|span| TOP.iter().any(|top| span.starts_with(top)))
        .filter(|span| !span.contains(['<', '*', '{']))
        .map(|span| span.trim_end_matches(['/', ',', '.', ':']).to_string())
        .collect()
}

#[test]
fn every_file_the_readmes_name_exists() {
    let mut missing = Vec::new();
    for document in DOCUMENTS {
        let text = std::fs::read_to_string(root().join(document)).unwrap();
        let named = paths_named(&text);
        assert!(named.len() > 5, "{document}: the check found too few paths");
        for path in named {
            if !root().join(&path).exists() {
                missing.push(format!("{document}: `{path}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "named but missing:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_toolchain_the_readme_asks_for_is_the_workspaces() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("the workspace sets rust-version");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let asked = readme
        .split("Rust toolchain (")
        .nth(1)
        .and_then(|rest| rest.split(" or newer)").next())
        .expect("README names the toolchain as `Rust toolchain (X or newer)`");
    assert_eq!(
        asked, version,
        "README asks for Rust {asked}; rust-version is {version}"
    );
}

#[test]
fn a_missing_path_is_found() {
    let named = paths_named("see `crates/nowhere/x.rs`, `application/json`, `specs/<name>.yaml`");
    assert_eq!(named, ["crates/nowhere/x.rs"]);
}
