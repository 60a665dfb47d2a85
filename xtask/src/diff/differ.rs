//! The comparison of two documents, operation by operation: what changed in
//! its method, path, parameters, body, responses and security (paired by
//! [`crate::pairs`], the walk `upstream` shares), and in the document's
//! servers, as a consumer of the client crate meets it. Schemas are
//! compared in `schema.rs`.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use tracking_spec::{JsonPath, Positions, follow_ref};

use super::schema::{Direction, Place};
use super::{Change, Impact};
use crate::operations::{Operation, match_operations, path_shape};
use crate::pairs::{self, Node, Pair, Side};

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
        let matched = match_operations(self.old, self.new);
        let (pairs, removed, added) = (matched.pairs, matched.only_left, matched.only_right);
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

    fn operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
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
        let (old, new) = (
            Side {
                doc: self.old,
                op: old,
            },
            Side {
                doc: self.new,
                op: new,
            },
        );
        self.parameters(&id, old, new);
        self.request_body(&id, old, new);
        self.responses(&id, old, new);
        self.security(&id, old, new);
    }

    fn parameters(&mut self, id: &str, old: Side<'_, 'a>, new: Side<'_, 'a>) {
        let schema = |node: &Node<'a>| node.value.get("schema").unwrap_or(&Value::Null);
        let name = |node: &Node<'a>| {
            node.value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let mut removed = Vec::new();
        let mut added = Vec::new();
        for ((location, _), pair) in pairs::parameters(old, new) {
            match pair {
                Pair::Both(before, now) => {
                    let (was, is) = (name(&before), name(&now));
                    // A path parameter pairs by its place in the path.
                    if was != is {
                        self.breaking(
                            &now.at,
                            format!("{id}: {location} parameter `{was}` renamed to `{is}`"),
                            "its builder method is renamed",
                        );
                    }
                    if !before.flag("required") && now.flag("required") {
                        self.breaking(
                            &now.at,
                            format!("{id}: {location} parameter `{is}` is now required"),
                            "calls without it fail before sending",
                        );
                    }
                    let place = Place {
                        at: now.at.key("schema"),
                        what: format!("{id} {location} parameter `{is}`"),
                        direction: Direction::Request,
                    };
                    self.schema(schema(&before), schema(&now), &place, 0);
                }
                Pair::Left(before) => removed.push((location, before)),
                Pair::Right(now) => added.push((location, now)),
            }
        }
        for (location, before) in removed {
            // Same place and schema, another name: a rename.
            let renamed = added.iter().position(|(l, now)| {
                *l == location
                    && follow_ref(self.new, schema(now)) == follow_ref(self.old, schema(&before))
            });
            match renamed {
                Some(i) => {
                    let (_, now) = added.remove(i);
                    self.breaking(
                        &now.at,
                        format!(
                            "{id}: {location} parameter `{}` renamed to `{}`",
                            name(&before),
                            name(&now)
                        ),
                        "its builder method is renamed",
                    );
                }
                None => self.removed(
                    &before.at,
                    format!("{id}: {location} parameter `{}` removed", name(&before)),
                    "its builder method goes away",
                ),
            }
        }
        for (location, now) in added {
            if now.flag("required") {
                self.breaking(
                    &now.at,
                    format!("{id}: required {location} parameter `{}` added", name(&now)),
                    "existing calls do not set it and fail before sending",
                );
            } else {
                self.non_breaking(
                    &now.at,
                    format!("{id}: optional {location} parameter `{}` added", name(&now)),
                    "a new builder method; existing calls still work",
                );
            }
        }
    }

    /// The JSON body: a body without JSON media is none to the client.
    fn request_body(&mut self, id: &str, old: Side<'_, 'a>, new: Side<'_, 'a>) {
        let json = |doc, pair: Option<&Node<'a>>| pair.and_then(|b| pairs::json_schema(doc, b));
        let (before, now) = match pairs::request_bodies(old, new) {
            Some(Pair::Both(o, n)) => (json(self.old, Some(&o)), json(self.new, Some(&n))),
            Some(Pair::Left(o)) => (json(self.old, Some(&o)), None),
            Some(Pair::Right(n)) => (None, json(self.new, Some(&n))),
            None => (None, None),
        };
        match (before, now) {
            (Some(o), Some(n)) => {
                let place = Place {
                    at: n.at.clone(),
                    what: format!("{id} request body"),
                    direction: Direction::Request,
                };
                self.schema(o.value, n.value, &place, 0);
            }
            (None, Some(n)) => self.breaking(
                &n.at,
                format!("{id}: a request body is now needed"),
                "calls without one fail",
            ),
            (Some(o), None) => self.removed(
                &o.at,
                format!("{id}: the request body was removed"),
                "its `body` builder method goes away",
            ),
            (None, None) => {}
        }
    }

    fn responses(&mut self, id: &str, old: Side<'_, 'a>, new: Side<'_, 'a>) {
        for (status, pair) in pairs::responses(old, new) {
            match pair {
                Pair::Left(o) => self.removed(
                    &o.at,
                    format!("{id}: response {status} removed"),
                    "code matching it no longer sees it: the status becomes an undocumented one",
                ),
                Pair::Right(n) => self.non_breaking(
                    &n.at,
                    format!("{id}: response {status} added"),
                    "it decodes into the documented type instead of an undocumented-status error",
                ),
                Pair::Both(o, n) => {
                    match (
                        pairs::json_schema(self.old, &o),
                        pairs::json_schema(self.new, &n),
                    ) {
                        (Some(os), Some(ns)) => {
                            let place = Place {
                                at: ns.at.clone(),
                                what: format!("{id} {status} response"),
                                direction: Direction::Response,
                            };
                            self.schema(os.value, ns.value, &place, 0);
                        }
                        (None, Some(_)) => self.breaking(
                            &n.at,
                            format!("{id}: response {status} now has a body"),
                            "the result type changes",
                        ),
                        (Some(_), None) => self.breaking(
                            &n.at,
                            format!("{id}: response {status} no longer has a body"),
                            "the result type changes",
                        ),
                        (None, None) => {}
                    }
                }
            }
        }
    }

    /// Credentials are what the client's hand-written auth sends: a change
    /// breaks it only if an alternative it may use is gone.
    fn security(&mut self, id: &str, old: Side<'_, 'a>, new: Side<'_, 'a>) {
        let security = pairs::security(old, new);
        if security.left == security.right {
            return;
        }
        let (before, after) = (&security.left, &security.right);
        if security.left_only().next().is_none() {
            self.non_breaking(
                &new.op.at,
                format!("{id}: security gained an alternative"),
                "the credentials clients send still work",
            );
        } else {
            self.breaking(
                &new.op.at,
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
