//! A client crate depends on what its code uses, no more: the generated
//! code's crates (as the generator names them) and its hand-written files'.

use std::path::Path;

/// Problems with the `[dependencies]` of the crate whose generated code is
/// `golden` (`crates/<name>-client/src/generated.rs`), given the crates
/// that code uses (`needed`, as the generator names them). Only the crates
/// generated code may name are looked at; others (the build-time
/// generator, dev-dependencies) are not its business.
pub fn check(golden: &Path, needed: &[&str]) -> Result<Vec<String>, String> {
    let dir = golden
        .parent()
        .and_then(Path::parent)
        .ok_or("no crate directory")?;
    let manifest = dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let declared = dependencies(&text);
    let hand_written = hand_written_code(&dir.join("src"), golden)?;
    let mut problems = Vec::new();
    for name in tracking_codegen::GENERATED_CODE_CRATES {
        let generated_uses = needed.contains(name);
        let used = generated_uses || tracking_codegen::uses_crate(&hand_written, name);
        // A package is named in the manifest as it is published
        // (`progenitor-client`), and in code with underscores.
        let declared_as = declared.iter().find(|d| d.replace('-', "_") == *name);
        let listed = declared_as.is_some();
        let package = declared_as.map_or(*name, String::as_str);
        if used && !listed {
            problems.push(format!(
                "{}: `{package}` is used by {} but not a dependency",
                manifest.display(),
                if generated_uses {
                    "the generated code"
                } else {
                    "src/"
                }
            ));
        }
        if listed && !used {
            problems.push(format!(
                "{}: `{package}` is a dependency that neither the generated code nor src/ uses",
                manifest.display()
            ));
        }
    }
    Ok(problems)
}

/// The names under `[dependencies]` of a manifest.
fn dependencies(manifest: &str) -> Vec<String> {
    let mut section = "";
    let mut names = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section == "[dependencies]"
            && let Some((key, _)) = line.split_once('=')
            && !line.starts_with('#')
        {
            let key = key.trim();
            names.push(
                key.strip_suffix(".workspace")
                    .unwrap_or(key)
                    .trim()
                    .to_string(),
            );
        }
    }
    names
}

/// The crate's own files in `src`, the generated one (`golden`) left out.
fn hand_written_code(src: &Path, golden: &Path) -> Result<String, String> {
    let mut text = String::new();
    for entry in std::fs::read_dir(src).map_err(|e| format!("{}: {e}", src.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "rs") && path != golden {
            text.push_str(&std::fs::read_to_string(&path).map_err(|e| e.to_string())?);
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_read_from_their_section() {
        let manifest = "[package]\nname = \"x\"\n[dependencies]\nserde.workspace = true\nuuid = \"1\"\n# regress = \"1\"\n[dev-dependencies]\ntokio = \"1\"\n";
        assert_eq!(dependencies(manifest), ["serde", "uuid"]);
    }
}
