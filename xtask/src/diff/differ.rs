//! The comparison of two documents, operation by operation: what changed in
//! its method, path, parameters, body, responses and security, and in the
//! document's servers. Schemas are compared in `schema.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use tracking_spec::{JsonPath, Positions, follow_ref, security_alternatives};

use super::schema::{Direction, Place};
use super::{Change, Impact};
use crate::operations::{Operation, operations, path_shape};

/// One comparison: the two documents, where their nodes are, the changes.
pub struct Differ<'a> {
    pub(super) old: &'a Value,
    pub(super) new: &'a Value,
    old_file: String,
    new_file: String,
    old_positions: Positions,
    new_positions: Positions,
    changes: Vec<Change>,
}

impl<'a> Differ<'a> {
    /// A comparison of `old` (parsed from `old_text`, of `old_file`) with `new`.
    pub fn new(
        old_file: &Path,
        old_text: &str,
        old: &'a Value,
        new_file: &Path,
        new_text: &str,
        new: &'a Value,
    ) -> Self {
        Self {
            old,
            new,
            old_file: old_file.display().to_string(),
            new_file: new_file.display().to_string(),
            old_positions: Positions::of(old_text),
            new_positions: Positions::of(new_text),
            changes: Vec::new(),
        }
    }

    /// Every change, breaking first, then by place.
    pub fn run(mut self) -> Vec<Change> {
        let (pairs, removed, added) = pair_operations(self.old, self.new);
        for op in removed {
            self.removed(
                &op.at,
                format!("operation {} removed", describe(&op)),
                "its builder method goes away",
            );
        }
        for (old, new) in pairs {
            self.operation(&old, &new);
        }
        for op in added {
            self.non_breaking(
                &op.at,
                format!("operation {} added", describe(&op)),
                "a new builder method",
            );
        }
        self.servers();
        self.changes
            .sort_by(|a, b| (a.impact, &a.location).cmp(&(b.impact, &b.location)));
        self.changes.dedup();
        self.changes
    }

    fn change(&mut self, impact: Impact, in_new: bool, at: &JsonPath, what: String, why: &str) {
        let (positions, file) = if in_new {
            (&self.new_positions, &self.new_file)
        } else {
            (&self.old_positions, &self.old_file)
        };
        let (line, column) = positions.find(at).unwrap_or((1, 1));
        self.changes.push(Change {
            impact,
            location: format!("{file}:{line}:{column}"),
            path: at.to_string(),
            what,
            why: why.to_string(),
        });
    }

    pub(super) fn breaking(&mut self, at: &JsonPath, what: String, why: &str) {
        self.change(Impact::Breaking, true, at, what, why);
    }

    /// A breaking removal, located in the old document.
    pub(super) fn removed(&mut self, at: &JsonPath, what: String, why: &str) {
        self.change(Impact::Breaking, false, at, what, why);
    }

    pub(super) fn non_breaking(&mut self, at: &JsonPath, what: String, why: &str) {
        self.change(Impact::NonBreaking, true, at, what, why);
    }

    fn operation(&mut self, old: &Operation<'_>, new: &Operation<'_>) {
        let id = name(new);
        match (&old.id, &new.id) {
            (Some(o), Some(n)) if o != n => self.breaking(
                &new.at.key("operationId"),
                format!("operation {o} renamed to {n} ({})", label(new)),
                "its builder method is renamed",
            ),
            (Some(o), None) => self.breaking(
                &new.at,
                format!("operation {o} lost its operationId ({})", label(new)),
                "its builder method is named after method and path now",
            ),
            (None, Some(n)) => self.breaking(
                &new.at.key("operationId"),
                format!("operation {} named {n}", label(old)),
                "its builder method, named after method and path before, is renamed",
            ),
            _ => {}
        }
        if old.method != new.method {
            self.breaking(
                &new.at,
                format!(
                    "{id}: method changed from {} to {}",
                    old.method.to_uppercase(),
                    new.method.to_uppercase()
                ),
                "crates built before send the old method, which the provider no longer takes",
            );
        }
        if old.path != new.path {
            let renamed_parameters_only = path_shape(&old.path) == path_shape(&new.path);
            if !renamed_parameters_only {
                self.breaking(
                    &new.at,
                    format!("{id}: path changed from {} to {}", old.path, new.path),
                    "crates built before send requests to the old path",
                );
            }
        }
        self.parameters(&id, old, new);
        self.request_body(&id, old, new);
        self.responses(&id, old, new);
        self.security(&id, old, new);
    }

    fn parameters(&mut self, id: &str, old: &Operation<'_>, new: &Operation<'_>) {
        let (old_params, new_params) = (parameters(self.old, old), parameters(self.new, new));
        let find = |list: &[Param], l: &str, n: &str| {
            list.iter()
                .find(|p| p.location == l && p.name == n)
                .cloned()
        };
        let mut renamed = BTreeSet::new();
        for param in &old_params {
            let at = new.at.key("parameters");
            match find(&new_params, &param.location, &param.name) {
                None => {
                    // Same place and kind, another name: a rename.
                    let replacement = new_params.iter().find(|p| {
                        p.location == param.location
                            && find(&old_params, &p.location, &p.name).is_none()
                            && follow_ref(self.new, &p.schema)
                                == follow_ref(self.old, &param.schema)
                    });
                    match replacement {
                        Some(p) => {
                            renamed.insert(p.name.clone());
                            self.breaking(
                                &at,
                                format!(
                                    "{id}: {} parameter `{}` renamed to `{}`",
                                    param.location, param.name, p.name
                                ),
                                "its builder method is renamed",
                            );
                        }
                        None => self.removed(
                            &old.at.key("parameters"),
                            format!(
                                "{id}: {} parameter `{}` removed",
                                param.location, param.name
                            ),
                            "its builder method goes away",
                        ),
                    }
                }
                Some(now) => {
                    if !param.required && now.required {
                        self.breaking(
                            &at,
                            format!(
                                "{id}: {} parameter `{}` is now required",
                                param.location, param.name
                            ),
                            "calls without it fail before sending",
                        );
                    }
                    let place = Place {
                        at,
                        what: format!("{id} {} parameter `{}`", param.location, param.name),
                        direction: Direction::Request,
                    };
                    self.schema(&param.schema, &now.schema, &place, 0);
                }
            }
        }
        for param in &new_params {
            if find(&old_params, &param.location, &param.name).is_none()
                && !renamed.contains(&param.name)
            {
                let at = new.at.key("parameters");
                if param.required {
                    self.breaking(
                        &at,
                        format!(
                            "{id}: required {} parameter `{}` added",
                            param.location, param.name
                        ),
                        "existing calls do not set it and fail before sending",
                    );
                } else {
                    self.non_breaking(
                        &at,
                        format!(
                            "{id}: optional {} parameter `{}` added",
                            param.location, param.name
                        ),
                        "a new builder method; existing calls still work",
                    );
                }
            }
        }
    }

    fn request_body(&mut self, id: &str, old: &Operation<'_>, new: &Operation<'_>) {
        let at = new.at.key("requestBody");
        let old_body = old
            .node
            .get("requestBody")
            .and_then(|b| json_media(self.old, b));
        let new_body = new
            .node
            .get("requestBody")
            .and_then(|b| json_media(self.new, b));
        match (old_body, new_body) {
            (Some((_, o)), Some((media, n))) => {
                let place = Place {
                    at: at.key("content").key(media).key("schema"),
                    what: format!("{id} request body"),
                    direction: Direction::Request,
                };
                self.schema(o, n, &place, 0);
            }
            (None, Some(_)) => self.breaking(
                &at,
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
    }

    fn responses(&mut self, id: &str, old: &Operation<'_>, new: &Operation<'_>) {
        let statuses = |op: &Operation<'_>| -> BTreeMap<String, Value> {
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
                json_media(self.old, old_response),
                json_media(self.new, new_response),
            ) {
                (Some((_, o)), Some((media, n))) => {
                    let place = Place {
                        at: at.key("content").key(media).key("schema"),
                        what: format!("{id} {status} response"),
                        direction: Direction::Response,
                    };
                    self.schema(o, n, &place, 0);
                }
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

    /// Credentials are what the client's hand-written auth sends: a change
    /// breaks it only if an alternative it may use is gone.
    fn security(&mut self, id: &str, old: &Operation<'_>, new: &Operation<'_>) {
        let (before, after) = (
            security_alternatives(self.old, old.node),
            security_alternatives(self.new, new.node),
        );
        if before == after {
            return;
        }
        let gone: Vec<_> = before.difference(&after).collect();
        if gone.is_empty() {
            self.non_breaking(
                &new.at,
                format!("{id}: security gained an alternative"),
                "the credentials clients send still work",
            );
        } else {
            self.breaking(
                &new.at,
                format!("{id}: security changed from {before:?} to {after:?}"),
                "the credentials the client sends are no longer what the provider wants",
            );
        }
    }

    fn servers(&mut self) {
        let urls = |json: &Value| -> BTreeSet<String> {
            json.get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|s| s.get("url")?.as_str().map(str::to_string))
                .collect()
        };
        let (old, new) = (urls(self.old), urls(self.new));
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

/// The operations of two documents paired by operationId, then those left
/// by method and path (the matcher of `xtask upstream`); the old ones with
/// no partner, and the new ones.
type Paired<'a> = (
    Vec<(Operation<'a>, Operation<'a>)>,
    Vec<Operation<'a>>,
    Vec<Operation<'a>>,
);

fn pair_operations<'a>(old: &'a Value, new: &'a Value) -> Paired<'a> {
    let mut new_ops: Vec<Option<Operation<'a>>> = operations(new).into_iter().map(Some).collect();
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for op in operations(old) {
        let by_id = new_ops
            .iter_mut()
            .find(|n| n.as_ref().is_some_and(|n| n.id.is_some() && n.id == op.id));
        match by_id.and_then(Option::take) {
            Some(n) => pairs.push((op, n)),
            None => unpaired.push(op),
        }
    }
    let mut removed = Vec::new();
    for op in unpaired {
        let by_place = new_ops.iter_mut().find(|n| {
            n.as_ref().is_some_and(|n| {
                n.method == op.method && n.shape() == op.shape()
                // A new operation with an id of its own is not this one renamed
                // if the old id lives on elsewhere (paired above).
            })
        });
        match by_place.and_then(Option::take) {
            Some(n) => pairs.push((op, n)),
            None => removed.push(op),
        }
    }
    (pairs, removed, new_ops.into_iter().flatten().collect())
}

/// `addOrderTracking` or, without an operationId, `POST /orders/{id}`.
fn name(op: &Operation<'_>) -> String {
    op.id.clone().unwrap_or_else(|| label(op))
}

fn label(op: &Operation<'_>) -> String {
    format!("{} {}", op.method.to_uppercase(), op.path)
}

/// `addOrderTracking (POST /orders/{id})`, or `POST /orders/{id}`.
fn describe(op: &Operation<'_>) -> String {
    match &op.id {
        Some(id) => format!("{id} ({})", label(op)),
        None => label(op),
    }
}

#[derive(Clone)]
struct Param {
    location: String,
    name: String,
    required: bool,
    schema: Value,
}

/// The parameters of an operation: its path item's and its own.
fn parameters(json: &Value, op: &Operation<'_>) -> Vec<Param> {
    tracking_spec::parameters(json, "", op.item, "", op.node)
        .into_iter()
        .map(|p| Param {
            location: p.location.to_string(),
            name: p.name.to_string(),
            required: p
                .node
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            schema: p.node.get("schema").cloned().unwrap_or(Value::Null),
        })
        .collect()
}

/// The JSON media type of a body or response, and its schema.
fn json_media<'v>(root: &'v Value, node: &'v Value) -> Option<(&'v str, &'v Value)> {
    let (media, node) = tracking_spec::json_media(root, node)?;
    Some((media, node.get("schema")?))
}
