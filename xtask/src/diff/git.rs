//! What `cargo xtask diff` reads from git: a spec at a revision, and the
//! workspace's version.

use std::path::Path;

pub fn show(root: &Path, base: &str, relative: &Path) -> Result<Option<String>, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .arg("show")
        .arg(format!("{base}:{}", relative.display()))
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        return Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("does not exist") || stderr.contains("exists on disk, but not in") {
        Ok(None)
    } else {
        Err(format!(
            "git show {base}:{}: {}",
            relative.display(),
            stderr.trim()
        ))
    }
}

pub fn workspace_version(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    version_in(&text)
}

/// The workspace's version at revision `base`.
pub fn workspace_version_at(root: &Path, base: &str) -> Result<String, String> {
    let text = show(root, base, Path::new("Cargo.toml"))?
        .ok_or_else(|| format!("{base} has no Cargo.toml"))?;
    Ok(version_in(&text))
}

/// `version` of `[workspace.package]` in a workspace manifest.
fn version_in(text: &str) -> String {
    let package = text.split("[workspace.package]").nth(1).unwrap_or_default();
    package
        .lines()
        .find_map(|l| {
            l.trim().strip_prefix("version").map(|v| {
                v.trim_start_matches([' ', '='])
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
        })
        .unwrap_or_else(|| "0.0.0".into())
}
