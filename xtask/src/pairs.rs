//! Two documents side by side: the walk `diff` and `upstream` share. For a
//! pair of operations, their parameters, request bodies, media types,
//! responses and security alternatives, each found in both documents or in
//! one. What a difference means is each command's own: a change that breaks
//! a consumer of our crate (`diff`), or what it lets through on the wire
//! (`upstream`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tracking_spec::{JsonPath, resolve_ref};

use crate::operations::Operation;

/// A node of one document, with where it is.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub value: &'a Value,
    pub at: JsonPath,
}

impl<'a> Node<'a> {
    /// A member, with its place.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| Node {
            value,
            at: self.at.key(key),
        })
    }

    /// A boolean member, false when absent.
    pub fn flag(&self, key: &str) -> bool {
        self.value
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// This node in `doc` with its `$ref`s followed, at the place they name.
    pub fn resolved(self, doc: &'a Value) -> Node<'a> {
        if self.value.get("$ref").is_none() {
            return self;
        }
        let (pointer, value) = resolve_ref(doc, "", self.value);
        Node {
            value,
            at: JsonPath::from_pointer(&format!("#{pointer}")),
        }
    }
}

/// What the left document (the old one, or ours) and the right (the new
/// one, or theirs) have of one thing.
#[derive(Debug, Clone)]
pub enum Pair<T> {
    Both(T, T),
    Left(T),
    Right(T),
}

/// The entries of two maps paired by key, in key order.
fn pair_maps<K: Ord, T>(left: BTreeMap<K, T>, mut right: BTreeMap<K, T>) -> Vec<(K, Pair<T>)> {
    let mut pairs: Vec<(K, Pair<T>)> = left
        .into_iter()
        .map(|(key, l)| {
            let pair = match right.remove(&key) {
                Some(r) => Pair::Both(l, r),
                None => Pair::Left(l),
            };
            (key, pair)
        })
        .collect();
    pairs.extend(right.into_iter().map(|(key, r)| (key, Pair::Right(r))));
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// One side of a comparison: a document and one of its operations.
#[derive(Clone, Copy)]
pub struct Side<'s, 'a> {
    pub doc: &'a Value,
    pub op: &'s Operation<'a>,
}

impl<'a> Side<'_, 'a> {
    fn node(&self) -> Node<'a> {
        Node {
            value: self.op.node,
            at: self.op.at.clone(),
        }
    }
}

/// Where a parameter goes and its name: a header's in lower case (header
/// names are compared in any case).
pub type ParameterKey = (String, String);

/// The parameters of two operations ([`tracking_spec::parameters`]), by
/// where they go and their names; path parameters by their position in the
/// path, under the right side's name, so that `{orderId}` and `{order_id}`
/// are one.
pub fn parameters<'a>(
    left: Side<'_, 'a>,
    right: Side<'_, 'a>,
) -> Vec<(ParameterKey, Pair<Node<'a>>)> {
    let renames: BTreeMap<String, String> = path_names(&left.op.path)
        .into_iter()
        .zip(path_names(&right.op.path))
        .collect();
    let collect = |side: Side<'_, 'a>, renamed: &BTreeMap<String, String>| {
        let op = side.op;
        let item_at = format!("/paths/{}", tracking_spec::pointer_token(&op.path));
        let op_at = format!("{item_at}/{}", op.method);
        tracking_spec::parameters(side.doc, &item_at, op.item, &op_at, op.node)
            .into_iter()
            .map(|p| {
                let name = match p.location {
                    "header" => p.name.to_ascii_lowercase(),
                    "path" => renamed.get(p.name).cloned().unwrap_or(p.name.to_string()),
                    _ => p.name.to_string(),
                };
                let node = Node {
                    value: p.node,
                    at: p.path,
                };
                ((p.location.to_string(), name), node)
            })
            .collect::<BTreeMap<_, _>>()
    };
    pair_maps(collect(left, &renames), collect(right, &BTreeMap::new()))
}

/// The names of a path template's parameters, in order.
fn path_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .map(str::to_string)
        .collect()
}

/// The request bodies of two operations, their `$ref`s followed.
pub fn request_bodies<'a>(left: Side<'_, 'a>, right: Side<'_, 'a>) -> Option<Pair<Node<'a>>> {
    let body = |side: Side<'_, 'a>| side.node().get("requestBody").map(|b| b.resolved(side.doc));
    match (body(left), body(right)) {
        (Some(l), Some(r)) => Some(Pair::Both(l, r)),
        (Some(l), None) => Some(Pair::Left(l)),
        (None, Some(r)) => Some(Pair::Right(r)),
        (None, None) => None,
    }
}

/// The responses of two operations by status, their `$ref`s followed.
pub fn responses<'a>(left: Side<'_, 'a>, right: Side<'_, 'a>) -> Vec<(String, Pair<Node<'a>>)> {
    let statuses = |side: Side<'_, 'a>| -> BTreeMap<String, Node<'a>> {
        let Some(responses) = side.node().get("responses") else {
            return BTreeMap::new();
        };
        responses
            .value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(status, value)| {
                let node = Node {
                    value,
                    at: responses.at.key(status.clone()),
                };
                (status.clone(), node.resolved(side.doc))
            })
            .collect()
    };
    pair_maps(statuses(left), statuses(right))
}

/// The media types of two bodies or responses by essence
/// (`application/json; charset=utf-8` is `application/json`).
pub fn media<'a>(left: &Node<'a>, right: &Node<'a>) -> Vec<(String, Pair<Node<'a>>)> {
    let by_essence = |node: &Node<'a>| -> BTreeMap<String, Node<'a>> {
        let Some(content) = node.get("content") else {
            return BTreeMap::new();
        };
        content
            .value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(media, value)| {
                let node = Node {
                    value,
                    at: content.at.key(media.clone()),
                };
                (tracking_spec::media_essence(media), node)
            })
            .collect()
    };
    pair_maps(by_essence(left), by_essence(right))
}

/// The JSON media of a body or response: the schema of its JSON media type,
/// with where it is ([`tracking_spec::json_media`]).
pub fn json_schema<'a>(doc: &'a Value, node: &Node<'a>) -> Option<Node<'a>> {
    let (media, value) = tracking_spec::json_media(doc, node.value)?;
    Node {
        value,
        at: node.at.key("content").key(media),
    }
    .get("schema")
}

/// The security of two operations, by what goes on the wire
/// ([`tracking_spec::security_alternatives`]).
pub struct Security {
    /// Each side's alternatives.
    pub left: BTreeSet<BTreeSet<String>>,
    pub right: BTreeSet<BTreeSet<String>>,
    /// Where each side's are: the operation's `security`, or the document's.
    pub left_at: JsonPath,
    pub right_at: JsonPath,
}

impl Security {
    /// The left side's alternatives the right does not have.
    pub fn left_only(&self) -> impl Iterator<Item = &BTreeSet<String>> {
        self.left.difference(&self.right)
    }

    /// The right side's alternatives the left does not have.
    pub fn right_only(&self) -> impl Iterator<Item = &BTreeSet<String>> {
        self.right.difference(&self.left)
    }
}

pub fn security(left: Side<'_, '_>, right: Side<'_, '_>) -> Security {
    let at = |side: Side<'_, '_>| match side.node().get("security") {
        Some(own) => own.at,
        None => JsonPath::root().key("security"),
    };
    Security {
        left: tracking_spec::security_alternatives(left.doc, left.op.node),
        right: tracking_spec::security_alternatives(right.doc, right.op.node),
        left_at: at(left),
        right_at: at(right),
    }
}
