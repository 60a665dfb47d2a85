//! `cargo xtask diff`: what changed in a spec since a git revision, and
//! whether it breaks consumers of the generated crate, with a reason and a
//! location for each change and a suggested version bump per crate.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tracking_spec::{JsonPath, Positions, follow_ref};

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
        let parts: Vec<u64> = self
            .version
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        let (major, minor, patch) = (
            parts.first().copied().unwrap_or(0),
            parts.get(1).copied().unwrap_or(0),
            parts.get(2).copied().unwrap_or(0),
        );
        let breaking = self.changes.iter().any(|c| c.impact == Impact::Breaking);
        match (self.changes.is_empty(), breaking, major) {
            (true, _, _) => None,
            (_, true, 0) => Some(format!("0.{}.0", minor + 1)),
            (_, true, _) => Some(format!("{}.0.0", major + 1)),
            (_, false, 0) => Some(format!("0.{minor}.{}", patch + 1)),
            (_, false, _) => Some(format!("{major}.{}.0", minor + 1)),
        }
    }
}

/// The changes of some specs.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per spec.
    pub specs: Vec<SpecDiff>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn breaking(&self) -> bool {
        self.specs
            .iter()
            .flat_map(|s| &s.changes)
            .any(|c| c.impact == Impact::Breaking)
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
        Ok(())
    }
}

/// Compares each spec at git revision `base` with the working tree.
pub fn diff_against(base: &str, specs: &[PathBuf]) -> Result<Report, String> {
    let root = crate::workspace_root();
    let version = workspace_version(&root);
    let mut report = Report::default();
    for file in specs {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        let old = git_show(&root, base, relative)?;
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
    Ok(report)
}

fn git_show(root: &Path, base: &str, relative: &Path) -> Result<Option<String>, String> {
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

fn workspace_version(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
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

/// The changes from spec text `old` to `new` (`file` names them).
pub fn diff_texts(file: &Path, old: &str, new: &str) -> Result<Vec<Change>, String> {
    let parse = |text: &str, which: &str| {
        tracking_spec::parse(file, text)
            .map(|s| s.json)
            .map_err(|e| format!("{which}: {e}"))
    };
    let differ = Differ {
        file: file.display().to_string(),
        old: parse(old, "the base version")?,
        new: parse(new, "the working tree")?,
        old_positions: Positions::of(old),
        new_positions: Positions::of(new),
        changes: Vec::new(),
    };
    Ok(differ.run())
}

struct Differ {
    file: String,
    old: Value,
    new: Value,
    old_positions: Positions,
    new_positions: Positions,
    changes: Vec<Change>,
}

/// One operation of a spec, with what the diff looks at.
struct Op<'a> {
    method: String,
    path: String,
    at: JsonPath,
    node: &'a Value,
    item: &'a Value,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operations(spec: &Value) -> BTreeMap<String, Op<'_>> {
    let mut ops = BTreeMap::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, node) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = node.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let at = JsonPath::root()
                .key("paths")
                .key(path.clone())
                .key(method.clone());
            ops.insert(
                id.to_string(),
                Op {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    at,
                    node,
                    item,
                },
            );
        }
    }
    ops
}

fn json_media<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Value> {
    follow_ref(root, node)
        .get("content")?
        .as_object()?
        .iter()
        .find(|(m, _)| m.starts_with("application/json"))
        .and_then(|(_, media)| media.get("schema"))
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Request,
    Response,
}

impl Differ {
    fn run(mut self) -> Vec<Change> {
        let old_json = std::mem::take(&mut self.old);
        let new_json = std::mem::take(&mut self.new);
        let (old_ops, new_ops) = (operations(&old_json), operations(&new_json));
        for (id, old) in &old_ops {
            let Some(new) = new_ops.get(id) else {
                self.removed(
                    &old.at,
                    format!("operation {id} ({} {}) removed", old.method, old.path),
                    "its builder method goes away",
                );
                continue;
            };
            if old.method != new.method {
                self.breaking(
                    &new.at,
                    format!("{id}: method changed from {} to {}", old.method, new.method),
                    "crates built before send the old method, which the provider no longer takes",
                );
            }
            if old.path != new.path {
                self.breaking(
                    &new.at,
                    format!("{id}: path changed from {} to {}", old.path, new.path),
                    "crates built before send requests to the old path",
                );
            }
            self.parameters(id, &old_json, &new_json, old, new);
            let old_body = old
                .node
                .get("requestBody")
                .and_then(|b| json_media(&old_json, b));
            let new_body = new
                .node
                .get("requestBody")
                .and_then(|b| json_media(&new_json, b));
            match (old_body, new_body) {
                (Some(o), Some(n)) => self.schema(
                    &old_json,
                    &new_json,
                    o,
                    n,
                    &new.at.key("requestBody"),
                    &format!("{id} request body"),
                    Direction::Request,
                    0,
                ),
                (None, Some(_)) => self.breaking(
                    &new.at.key("requestBody"),
                    format!("{id}: a request body is now needed"),
                    "calls without one fail",
                ),
                (Some(_), None) => self.breaking(
                    &old.at.key("requestBody"),
                    format!("{id}: the request body was removed"),
                    "its `body` builder method goes away",
                ),
                (None, None) => {}
            }
            self.responses(id, &old_json, &new_json, old, new);
            let (old_security, new_security) =
                (security(&old_json, old.node), security(&new_json, new.node));
            if old_security != new_security {
                if old_security.is_subset(&new_security) {
                    self.non_breaking(
                        &new.at,
                        format!("{id}: security gained an alternative"),
                        "the credentials clients send still work",
                    );
                } else {
                    self.breaking(
                        &new.at,
                        format!("{id}: security changed from {old_security:?} to {new_security:?}"),
                        "the credentials the client sends are no longer what the provider wants",
                    );
                }
            }
        }
        for (id, new) in &new_ops {
            if !old_ops.contains_key(id) {
                self.non_breaking(
                    &new.at,
                    format!("operation {id} ({} {}) added", new.method, new.path),
                    "a new builder method",
                );
            }
        }
        self.servers(&old_json, &new_json);
        self.changes
            .sort_by(|a, b| (a.impact, &a.location).cmp(&(b.impact, &b.location)));
        self.changes.dedup();
        self.changes
    }

    fn change(
        &mut self,
        impact: Impact,
        positions_new: bool,
        at: &JsonPath,
        what: String,
        why: &str,
    ) {
        let positions = if positions_new {
            &self.new_positions
        } else {
            &self.old_positions
        };
        let (line, column) = positions.find(at).unwrap_or((1, 1));
        let location = format!("{}:{line}:{column}", self.file);
        self.changes.push(Change {
            impact,
            location,
            path: at.to_string(),
            what,
            why: why.to_string(),
        });
    }

    fn breaking(&mut self, at: &JsonPath, what: String, why: &str) {
        self.change(Impact::Breaking, true, at, what, why);
    }

    fn removed(&mut self, at: &JsonPath, what: String, why: &str) {
        self.change(Impact::Breaking, false, at, what, why);
    }

    fn non_breaking(&mut self, at: &JsonPath, what: String, why: &str) {
        self.change(Impact::NonBreaking, true, at, what, why);
    }

    fn parameters(
        &mut self,
        id: &str,
        old_json: &Value,
        new_json: &Value,
        old: &Op<'_>,
        new: &Op<'_>,
    ) {
        let collect = |json: &'_ Value, op: &Op<'_>| -> Vec<(String, String, bool, Value)> {
            [op.item.get("parameters"), op.node.get("parameters")]
                .into_iter()
                .flatten()
                .flat_map(|l| l.as_array().cloned().unwrap_or_default())
                .map(|p| {
                    let p = follow_ref(json, &p).clone();
                    let name = p
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    let location = p
                        .get("in")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
                    (
                        location,
                        name,
                        required,
                        p.get("schema").cloned().unwrap_or(Value::Null),
                    )
                })
                .collect()
        };
        let (old_params, new_params) = (collect(old_json, old), collect(new_json, new));
        let find = |list: &[(String, String, bool, Value)], l: &str, n: &str| {
            list.iter().find(|(pl, pn, ..)| pl == l && pn == n).cloned()
        };
        let mut renamed = BTreeSet::new();
        for (location, name, required, schema) in &old_params {
            let at = new.at.key("parameters");
            match find(&new_params, location, name) {
                None => {
                    // Same place and kind, another name: a rename.
                    let replacement = new_params.iter().find(|(l, n, _, s)| {
                        l == location
                            && find(&old_params, l, n).is_none()
                            && follow_ref(new_json, s) == follow_ref(old_json, schema)
                    });
                    match replacement {
                        Some((_, new_name, ..)) => {
                            renamed.insert(new_name.clone());
                            self.breaking(
                                &at,
                                format!(
                                    "{id}: {location} parameter `{name}` renamed to `{new_name}`"
                                ),
                                "its builder method is renamed",
                            );
                        }
                        None => self.removed(
                            &old.at.key("parameters"),
                            format!("{id}: {location} parameter `{name}` removed"),
                            "its builder method goes away",
                        ),
                    }
                }
                Some((_, _, new_required, new_schema)) => {
                    if !required && new_required {
                        self.breaking(
                            &at,
                            format!("{id}: {location} parameter `{name}` is now required"),
                            "calls without it fail before sending",
                        );
                    }
                    self.schema(
                        old_json,
                        new_json,
                        schema,
                        &new_schema,
                        &at,
                        &format!("{id} {location} parameter `{name}`"),
                        Direction::Request,
                        0,
                    );
                }
            }
        }
        for (location, name, required, _) in &new_params {
            if find(&old_params, location, name).is_none() && !renamed.contains(name) {
                let at = new.at.key("parameters");
                if *required {
                    self.breaking(
                        &at,
                        format!("{id}: required {location} parameter `{name}` added"),
                        "existing calls do not set it and fail before sending",
                    );
                } else {
                    self.non_breaking(
                        &at,
                        format!("{id}: optional {location} parameter `{name}` added"),
                        "a new builder method; existing calls still work",
                    );
                }
            }
        }
    }

    fn responses(
        &mut self,
        id: &str,
        old_json: &Value,
        new_json: &Value,
        old: &Op<'_>,
        new: &Op<'_>,
    ) {
        let statuses = |op: &Op<'_>| -> BTreeMap<String, Value> {
            op.node
                .get("responses")
                .and_then(Value::as_object)
                .map(|m| m.clone().into_iter().collect())
                .unwrap_or_default()
        };
        let (old_responses, new_responses) = (statuses(old), statuses(new));
        for (status, old_response) in &old_responses {
            let at = new.at.key("responses").key(status.clone());
            let Some(new_response) = new_responses.get(status) else {
                self.removed(
                    &old.at.key("responses").key(status.clone()),
                    format!("{id}: response {status} removed"),
                    "code matching it no longer sees it: the status becomes an undocumented one",
                );
                continue;
            };
            match (
                json_media(old_json, old_response),
                json_media(new_json, new_response),
            ) {
                (Some(o), Some(n)) => self.schema(
                    old_json,
                    new_json,
                    o,
                    n,
                    &at,
                    &format!("{id} {status} response"),
                    Direction::Response,
                    0,
                ),
                (None, Some(_)) => self.breaking(
                    &at,
                    format!("{id}: response {status} now has a body"),
                    "the result type changes",
                ),
                (Some(_), None) => self.breaking(
                    &at,
                    format!("{id}: response {status} no longer has a body"),
                    "the result type changes",
                ),
                (None, None) => {}
            }
        }
        for status in new_responses
            .keys()
            .filter(|s| !old_responses.contains_key(*s))
        {
            self.non_breaking(
                &new.at.key("responses").key(status.clone()),
                format!("{id}: response {status} added"),
                "it decodes into the documented type instead of an undocumented-status error",
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn schema(
        &mut self,
        old_json: &Value,
        new_json: &Value,
        old: &Value,
        new: &Value,
        at: &JsonPath,
        what: &str,
        direction: Direction,
        depth: usize,
    ) {
        if depth > 24 {
            return;
        }
        // A `$ref` is located at its component, where a maintainer edits it.
        let at = match new.get("$ref").and_then(Value::as_str) {
            Some(r) => JsonPath::from_pointer(r),
            None => at.clone(),
        };
        let (old, new) = (follow_ref(old_json, old), follow_ref(new_json, new));
        let single = |s: &Value| {
            s.get("allOf")
                .and_then(Value::as_array)
                .filter(|a| a.len() == 1)
                .map(|a| a[0].clone())
        };
        if let (Some(o), Some(n)) = (single(old), single(new)) {
            return self.schema(old_json, new_json, &o, &n, &at, what, direction, depth + 1);
        }
        let text = |s: &Value, k: &str| s.get(k).map(|v| v.to_string());
        let response = direction == Direction::Response;
        if text(old, "type") != text(new, "type") {
            self.breaking(
                &at.key("type"),
                format!(
                    "{what}: type changed from {} to {}",
                    text(old, "type").unwrap_or("any".into()),
                    text(new, "type").unwrap_or("any".into())
                ),
                "the Rust type changes, and crates built before send or expect the old one",
            );
        } else if text(old, "format") != text(new, "format") {
            self.breaking(
                &at.key("format"),
                format!(
                    "{what}: format changed from {} to {}",
                    text(old, "format").unwrap_or("none".into()),
                    text(new, "format").unwrap_or("none".into())
                ),
                "the Rust type changes",
            );
        }
        let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        match (nullable(old), nullable(new), response) {
            (false, true, true) => self.breaking(
                &at,
                format!("{what}: may now be null"),
                "the field becomes an Option, and old crates fail to decode a null",
            ),
            (true, false, false) => self.breaking(
                &at,
                format!("{what}: may no longer be null"),
                "requests sending null are refused",
            ),
            (false, true, false) => self.non_breaking(
                &at,
                format!("{what}: may now be null"),
                "the provider accepts more",
            ),
            _ => {}
        }
        let values = |s: &Value| -> BTreeSet<String> {
            s.get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(ToString::to_string)
                .collect()
        };
        let (old_values, new_values) = (values(old), values(new));
        if !old_values.is_empty() || !new_values.is_empty() {
            for value in old_values.difference(&new_values) {
                if response {
                    self.non_breaking(
                        &at.key("enum"),
                        format!("{what}: enum value {value} removed"),
                        "the provider sends fewer values",
                    );
                } else {
                    self.breaking(
                        &at.key("enum"),
                        format!("{what}: enum value {value} removed"),
                        "its Rust variant goes away, and requests with it are refused",
                    );
                }
            }
            for value in new_values.difference(&old_values) {
                if response {
                    self.breaking(&at.key("enum"), format!("{what}: enum value {value} added to a response"), "generated enums reject unknown values: crates built before fail to decode a response carrying it (this is why the specs keep responses free of enums)");
                } else {
                    self.non_breaking(&at.key("enum"), format!("{what}: enum value {value} added"), "a new Rust variant; existing code still compiles unless it matches exhaustively");
                }
            }
        }
        if response
            && old.get("additionalProperties") != Some(&Value::Bool(false))
            && new.get("additionalProperties") == Some(&Value::Bool(false))
        {
            self.breaking(
                &at.key("additionalProperties"),
                format!("{what}: closed to added fields"),
                "the Rust type refuses unknown fields: a field the provider adds breaks decoding",
            );
        }
        let properties = |s: &Value| -> BTreeMap<String, Value> {
            s.get("properties")
                .and_then(Value::as_object)
                .map(|m| m.clone().into_iter().collect())
                .unwrap_or_default()
        };
        let required = |s: &Value| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let (old_props, new_props) = (properties(old), properties(new));
        let (old_required, new_required) = (required(old), required(new));
        let side = if response { "response" } else { "request" };
        for (name, old_prop) in &old_props {
            let field_at = at.key("properties").key(name.clone());
            let field = format!("{what}: {side} field `{name}`");
            let Some(new_prop) = new_props.get(name) else {
                self.removed(
                    &field_at,
                    format!("{field} removed"),
                    "its Rust struct field goes away",
                );
                continue;
            };
            match (old_required.contains(name), new_required.contains(name), response) {
                (true, false, true) => self.breaking(&field_at, format!("{field} made optional"), "the Rust field becomes an Option, and old crates fail to decode a response without it"),
                (false, true, true) => self.breaking(&field_at, format!("{field} made required"), "the Rust field changes from Option<T> to T"),
                (false, true, false) => self.breaking(&field_at, format!("{field} made required"), "requests without it are refused, and the Rust field changes from Option<T> to T"),
                (true, false, false) => self.non_breaking(&field_at, format!("{field} made optional"), "the provider accepts more"),
                _ => {}
            }
            self.schema(
                old_json,
                new_json,
                old_prop,
                new_prop,
                &field_at,
                &format!("{what}.{name}"),
                direction,
                depth + 1,
            );
        }
        for name in new_props.keys().filter(|n| !old_props.contains_key(*n)) {
            let field_at = at.key("properties").key(name.clone());
            if !response && new_required.contains(name) {
                self.breaking(&field_at, format!("{what}: required request field `{name}` added"), "existing requests lack it: the provider refuses them and struct literals no longer compile");
            } else {
                self.non_breaking(
                    &field_at,
                    format!("{what}: {side} field `{name}` added"),
                    "a new optional Rust field",
                );
            }
        }
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            self.schema(
                old_json,
                new_json,
                o,
                n,
                &at.key("items"),
                &format!("{what}[]"),
                direction,
                depth + 1,
            );
        }
    }

    fn servers(&mut self, old_json: &Value, new_json: &Value) {
        let urls = |json: &Value| -> BTreeSet<String> {
            json.get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|s| s.get("url")?.as_str().map(str::to_string))
                .collect()
        };
        let (old, new) = (urls(old_json), urls(new_json));
        let at = JsonPath::root().key("servers");
        for url in old.difference(&new) {
            self.removed(&at, format!("server {url} removed or changed"), "base-URL helpers and users' configured URLs point at a host the spec no longer lists");
        }
        for url in new.difference(&old) {
            self.non_breaking(
                &at,
                format!("server {url} added"),
                "a new place to call; existing base URLs still work",
            );
        }
    }
}

/// The security alternatives of an operation, as sets of scheme names.
fn security(json: &Value, op: &Value) -> BTreeSet<BTreeSet<String>> {
    let list = op.get("security").or_else(|| json.get("security"));
    let schemes = json.pointer("/components/securitySchemes");
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|alternative| {
            alternative
                .as_object()
                .into_iter()
                .flatten()
                // A scheme is what it sends, not what it is called.
                .map(|(name, _)| {
                    schemes
                        .and_then(|s| s.get(name))
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| name.clone())
                })
                .collect()
        })
        .collect()
}
