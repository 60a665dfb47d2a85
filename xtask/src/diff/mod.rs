//! `cargo xtask diff`: what changed in a spec since a git revision (or from
//! one file to another), and whether it breaks consumers of the generated
//! crate, with a reason and a location for each change and a suggested
//! version bump per crate.
//!
//! Breaking means: code that compiled against the old generated crate fails
//! against the new one, or a request the provider accepted is now refused.
//! Operations are paired by operationId, then, for those left (no
//! operationId, or a renamed one), by method and path.

mod differ;
mod git;
mod schema;

use std::fmt;
use std::path::{Path, PathBuf};

use differ::Differ;

/// Whether a change breaks consumers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code using the crate stops compiling, or the crate stops working with the provider.
    Breaking,
    /// An addition or a relaxation: existing code keeps working.
    NonBreaking,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaking or not.
    pub impact: Impact,
    /// `file:line:column` in the spec (the new one, or the old one for a removal).
    pub location: String,
    /// JSON path of the node.
    pub path: String,
    /// What changed.
    pub what: String,
    /// Why that is (not) breaking, for a consumer of the generated crate.
    pub why: String,
}

/// The changes of one spec.
#[derive(Debug, Clone)]
pub struct SpecDiff {
    /// The spec file.
    pub file: PathBuf,
    /// Its crate's current version.
    pub version: String,
    /// The changes, breaking first.
    pub changes: Vec<Change>,
}

impl SpecDiff {
    /// The version to release next: major for breaking (minor while 0.x),
    /// minor for additions (patch while 0.x), none without changes.
    pub fn suggested(&self) -> Option<String> {
        let breaking = self.changes.iter().any(|c| c.impact == Impact::Breaking);
        (!self.changes.is_empty()).then(|| next_version(&self.version, breaking))
    }
}

/// The version after `version` that semver asks for: for a breaking change
/// a major one (a minor one while 0.x), otherwise a minor one (a patch one
/// while 0.x).
fn next_version(version: &str, breaking: bool) -> String {
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    let (major, minor, patch) = (
        parts.first().copied().unwrap_or(0),
        parts.get(1).copied().unwrap_or(0),
        parts.get(2).copied().unwrap_or(0),
    );
    match (breaking, major) {
        (true, 0) => format!("0.{}.0", minor + 1),
        (true, _) => format!("{}.0.0", major + 1),
        (false, 0) => format!("0.{minor}.{}", patch + 1),
        (false, _) => format!("{major}.{}.0", minor + 1),
    }
}

/// The changes of some specs.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per spec.
    pub specs: Vec<SpecDiff>,
    /// The hand-written API's changes (of the diff against a revision).
    pub api: Vec<ApiDiff>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn breaking(&self) -> bool {
        self.specs
            .iter()
            .flat_map(|s| &s.changes)
            .any(|c| c.impact == Impact::Breaking)
            || self.api.iter().any(|a| !a.gone.is_empty())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for spec in &self.specs {
            let breaking = spec
                .changes
                .iter()
                .filter(|c| c.impact == Impact::Breaking)
                .count();
            write!(
                f,
                "{}: {} change(s), {breaking} breaking",
                spec.file.display(),
                spec.changes.len()
            )?;
            match spec.suggested() {
                Some(next) => writeln!(f, "; suggested version {} → {next}", spec.version)?,
                None => writeln!(f)?,
            }
            for change in &spec.changes {
                let label = match change.impact {
                    Impact::Breaking => "BREAKING",
                    Impact::NonBreaking => "ok      ",
                };
                writeln!(
                    f,
                    "  {label} {}: {} — {} (at {})",
                    change.location, change.what, change.why, change.path
                )?;
            }
        }
        for api in &self.api {
            writeln!(
                f,
                "{}: {} change(s) of the API no spec describes, {} breaking",
                api.file.display(),
                api.gone.len() + api.added.len(),
                api.gone.len()
            )?;
            for line in &api.gone {
                writeln!(f, "  BREAKING removed or changed: {line}")?;
            }
            for line in &api.added {
                writeln!(f, "  ok       added: {line}")?;
            }
        }
        Ok(())
    }
}

/// Compares each spec at git revision `base` with the working tree.
pub fn diff_against(base: &str, specs: &[PathBuf]) -> Result<Report, String> {
    let root = crate::workspace_root();
    let version = git::workspace_version(&root);
    let mut report = Report::default();
    for file in specs {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        let old = git::show(&root, base, relative)?;
        let new = std::fs::read_to_string(file).ok();
        let changes = match (old, new) {
            (None, None) => {
                return Err(format!(
                    "{} exists neither at {base} nor in the working tree",
                    relative.display()
                ));
            }
            (None, Some(_)) => vec![Change {
                impact: Impact::NonBreaking,
                location: relative.display().to_string(),
                path: "$".into(),
                what: "new spec".into(),
                why: "a new crate; nothing existed to break".into(),
            }],
            (Some(_), None) => vec![Change {
                impact: Impact::Breaking,
                location: relative.display().to_string(),
                path: "$".into(),
                what: "spec removed".into(),
                why: "its crate loses every operation".into(),
            }],
            (Some(old), Some(new)) => diff_texts(relative, &old, &new)?,
        };
        report.specs.push(SpecDiff {
            file: relative.to_path_buf(),
            version: version.clone(),
            changes,
        });
    }
    report.api = api_changes(&root, base)?;
    Ok(report)
}

/// The version policy, checked against revision `base`: a crate whose
/// generated API has a breaking change since `base` must have a version that
/// semver allows for one (major, or minor while 0.x) over its version at
/// `base`. One message per crate that does not; the report of what changed.
pub fn semver_check(base: &str, specs: &[PathBuf]) -> Result<(Report, Vec<String>), String> {
    let root = crate::workspace_root();
    let before = git::workspace_version_at(&root, base)?;
    let now = git::workspace_version(&root);
    let mut report = diff_against(base, specs)?;
    let mut problems = version_problems(base, &before, &now, &mut report);
    problems.extend(api_problems(base, &before, &now, &report));
    Ok((report, problems))
}

/// The committed API snapshots whose hand-written part a spec diff cannot
/// see: each client's `api.txt` (its `hand-written` lines) and the
/// runtime's (all of it), relative to the workspace.
fn api_snapshots(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut found: Vec<(PathBuf, bool)> = std::fs::read_dir(root.join("crates"))
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().ends_with("-client"))
        .map(|entry| {
            (
                Path::new("crates").join(entry.file_name()).join("api.txt"),
                false,
            )
        })
        .collect();
    found.push((PathBuf::from("crates/tracking-runtime/api.txt"), true));
    found.sort();
    found
}

/// What changed since `base` in the public API no spec describes: an API
/// snapshot's counted lines gone (breaking) and added (not).
#[derive(Debug, Clone, Default)]
pub struct ApiDiff {
    /// The snapshot, relative to the workspace.
    pub file: PathBuf,
    /// Lines gone: items removed or changed.
    pub gone: Vec<String>,
    /// Lines added.
    pub added: Vec<String>,
}

/// The hand-written API's changes since `base` ([`api_snapshots`]); a
/// snapshot that is new breaks nothing and is left out.
fn api_changes(root: &Path, base: &str) -> Result<Vec<ApiDiff>, String> {
    let mut changes = Vec::new();
    for (relative, whole) in api_snapshots(root) {
        let Some(old) = git::show(root, base, &relative)? else {
            continue;
        };
        let new = std::fs::read_to_string(root.join(&relative)).unwrap_or_default();
        // A client's operations and types are the spec diff's; its
        // re-exports, the client's own methods (the generator's) and its
        // hand-written part are not.
        let counted = |line: &&str| {
            whole
                || ["hand-written ", "export ", "client "]
                    .iter()
                    .any(|p| line.starts_with(p))
        };
        let before: std::collections::BTreeSet<&str> = old.lines().filter(counted).collect();
        let after: std::collections::BTreeSet<&str> = new.lines().filter(counted).collect();
        let diff = ApiDiff {
            file: relative,
            gone: before.difference(&after).map(|l| l.to_string()).collect(),
            added: after.difference(&before).map(|l| l.to_string()).collect(),
        };
        if !diff.gone.is_empty() || !diff.added.is_empty() {
            changes.push(diff);
        }
    }
    Ok(changes)
}

/// Hand-written public API removed or changed (a line of an API snapshot
/// gone): a breaking change no spec diff sees, which needs the version
/// semver asks for over `before`. One message per snapshot that does not
/// have it.
fn api_problems(base: &str, before: &str, now: &str, report: &Report) -> Vec<String> {
    let needed = next_version(before, true);
    report
        .api
        .iter()
        .filter(|diff| !diff.gone.is_empty() && semver_key(now) < semver_key(&needed))
        .map(|diff| {
            format!(
                "{}: {} public item(s) removed or changed since {base} (version {before}), e.g. `{}`: the version must be at least {needed}, and is {now}",
                diff.file.display(),
                diff.gone.len(),
                diff.gone[0]
            )
        })
        .collect()
}

/// The crates of `report` whose breaking changes since `base` (at version
/// `before`) are not covered by the version `now`.
fn version_problems(base: &str, before: &str, now: &str, report: &mut Report) -> Vec<String> {
    let mut problems = Vec::new();
    for spec in &mut report.specs {
        spec.version = before.to_string();
        let breaking = spec
            .changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count();
        if breaking == 0 {
            continue;
        }
        let needed = spec.suggested().unwrap_or_default();
        if semver_key(now) < semver_key(&needed) {
            problems.push(format!(
                "{}: {breaking} breaking change(s) since {base} (version {before}): the version must be at least {needed}, and is {now}",
                spec.file.display()
            ));
        }
    }
    problems
}

/// `1.2.3` as numbers, for comparing versions.
fn semver_key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The workspace's version (`[workspace.package]`), which every crate has.
pub fn workspace_version() -> String {
    git::workspace_version(&crate::workspace_root())
}

/// Compares two documents (YAML or JSON, each by its extension): a
/// provider's published document before and after, say. `version` is the
/// crate's version the suggestion starts from.
pub fn diff_files(from: &Path, to: &Path, version: &str) -> Result<Report, String> {
    let read =
        |file: &Path| std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()));
    let changes = diff_documents(from, &read(from)?, to, &read(to)?)?;
    Ok(Report {
        specs: vec![SpecDiff {
            file: to.to_path_buf(),
            version: version.to_string(),
            changes,
        }],
        api: Vec::new(),
    })
}

/// The changes from spec text `old` to `new` of one file (`file` names it).
pub fn diff_texts(file: &Path, old: &str, new: &str) -> Result<Vec<Change>, String> {
    diff_documents(file, old, file, new)
}

/// The changes from `old` (the text of `old_file`) to `new` (of `new_file`).
pub fn diff_documents(
    old_file: &Path,
    old: &str,
    new_file: &Path,
    new: &str,
) -> Result<Vec<Change>, String> {
    let parse = |file: &Path, text: &str, which: &str| {
        tracking_spec::parse(file, text)
            .map(|s| s.json)
            .map_err(|e| format!("{which}: {e}"))
    };
    let old_json = parse(old_file, old, "the old version")?;
    let new_json = parse(new_file, new, "the new version")?;
    Ok(Differ::new(old_file, old, &old_json, new_file, new, &new_json).run())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(impact: Impact) -> Report {
        Report {
            specs: vec![SpecDiff {
                file: "specs/crux.yaml".into(),
                version: String::new(),
                changes: vec![Change {
                    impact,
                    location: "specs/crux.yaml:1:1".into(),
                    path: "$".into(),
                    what: "a change".into(),
                    why: "a reason".into(),
                }],
            }],
            api: Vec::new(),
        }
    }

    #[test]
    fn a_breaking_change_needs_the_version_semver_gives_it() {
        let problems = version_problems("v0.1.0", "0.1.0", "0.1.0", &mut report(Impact::Breaking));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("must be at least 0.2.0, and is 0.1.0"),
            "{}",
            problems[0]
        );
        assert!(
            version_problems("v0.1.0", "0.1.0", "0.1.1", &mut report(Impact::Breaking)).len() == 1
        );
        assert!(
            version_problems("v0.1.0", "0.1.0", "0.2.0", &mut report(Impact::Breaking)).is_empty()
        );
        assert!(
            version_problems("v1.4.2", "1.4.2", "2.0.0", &mut report(Impact::Breaking)).is_empty()
        );
        assert_eq!(
            version_problems("v1.4.2", "1.4.2", "1.5.0", &mut report(Impact::Breaking)).len(),
            1
        );
        // Additions may wait for the release.
        assert!(
            version_problems("v0.1.0", "0.1.0", "0.1.0", &mut report(Impact::NonBreaking))
                .is_empty()
        );
    }
}
