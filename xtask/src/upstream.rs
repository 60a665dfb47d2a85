//! `cargo xtask upstream`: one of our specs beside a provider's own published
//! document, for the operations both have (matched by method and path).
//!
//! Each difference gets a class, by what it lets through on the wire:
//! - **ours looser**: ours accepts what theirs refuses. In a request, our
//!   client may send what the provider refuses: an *error*.
//! - **ours stricter**: ours refuses what theirs accepts. In a request, our
//!   client never sends it: a *warning* (say why in the spec). In a
//!   response it is the dangerous direction (our client may refuse what the
//!   provider answers): an *error*.
//! - **incompatible**: neither contains the other (another type): an error.
//! - **other**: a difference that changes neither (a status or a field only
//!   one side documents, where nothing refuses it): information.
//!
//! As OpenAPI says, header parameters named `Accept`, `Content-Type` and
//! `Authorization` are ignored; security schemes are compared by what they
//! put on the wire (the header's name, bearer, basic), not by their names.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};
use tracking_spec::{JsonPath, resolve_ref};

use crate::operations::{Operation, match_operations};

/// What a difference lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Ours accepts what theirs refuses.
    OursLooser,
    /// Ours refuses what theirs accepts.
    OursStricter,
    /// Neither contains the other.
    Incompatible,
    /// Neither side refuses more.
    Other,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::OursLooser => "ours looser",
            Class::OursStricter => "ours stricter",
            Class::Incompatible => "incompatible",
            Class::Other => "other",
        })
    }
}

use tracking_spec::Direction;
/// How much a difference matters: an error, our client may send what the
/// provider refuses or refuse what it answers; a warning, ours is stricter
/// where that is safe (say why in the spec); info, worth knowing.
pub use tracking_spec::Severity;

/// One difference, with where it is in both documents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Difference {
    /// `POST /path (operationId)` in ours.
    pub operation: String,
    /// Its class.
    pub class: Class,
    /// How much it matters.
    pub severity: Severity,
    /// What differs, e.g. `request body.courier: required in theirs only`.
    pub what: String,
    /// Where in ours (JSONPath), if ours has the node.
    pub ours: Option<String>,
    /// Where in theirs, if theirs has the node.
    pub theirs: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] {}: {}",
            self.severity, self.class, self.operation, self.what
        )?;
        if let Some(at) = &self.ours {
            write!(f, "\n    ours:   {at}")?;
        }
        if let Some(at) = &self.theirs {
            write!(f, "\n    theirs: {at}")?;
        }
        Ok(())
    }
}

/// The comparison of two documents.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// Pairs compared: `(ours, theirs)` labels.
    pub compared: Vec<(String, String)>,
    /// Operations of ours that theirs does not have (an error: the provider
    /// does not document them).
    pub only_ours: Vec<String>,
    /// Operations of theirs that ours does not have (not compared).
    pub only_theirs: Vec<String>,
    /// Every difference of the pairs, errors first.
    pub differences: Vec<Difference>,
}

impl Report {
    /// Whether anything is an error.
    pub fn has_errors(&self) -> bool {
        !self.only_ours.is_empty()
            || self
                .differences
                .iter()
                .any(|d| d.severity == Severity::Error)
    }

    /// How many differences of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.differences
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Compares `ours` with `theirs` (both OpenAPI 3.0 documents as JSON).
pub fn compare(ours: &Value, theirs: &Value) -> Report {
    let matched = match_operations(ours, theirs);
    let mut differences = Vec::new();
    for (o, t) in &matched.pairs {
        let mut walk = Walk {
            ours,
            theirs,
            operation: o.label(),
            found: &mut differences,
            seen: BTreeSet::new(),
        };
        walk.operation(o, t);
    }
    differences.sort_by(|a, b| (a.severity, &a.operation).cmp(&(b.severity, &b.operation)));
    Report {
        compared: matched
            .pairs
            .iter()
            .map(|(o, t)| (o.label(), t.label()))
            .collect(),
        only_ours: matched.only_ours.iter().map(Operation::label).collect(),
        only_theirs: matched.only_theirs.iter().map(Operation::label).collect(),
        differences,
    }
}

/// A node of one document, resolved, with where it is.
#[derive(Clone)]
struct Node<'a> {
    value: &'a Value,
    at: JsonPath,
}

impl<'a> Node<'a> {
    fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| Node {
            value,
            at: self.at.key(key),
        })
    }

    fn flag(&self, key: &str) -> bool {
        self.value
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

/// Follows `$ref`s from `node` within `doc`.
fn resolve<'a>(doc: &'a Value, node: Node<'a>) -> Node<'a> {
    if node.value.get("$ref").is_none() {
        return node;
    }
    let (pointer, value) = resolve_ref(doc, "", node.value);
    Node {
        value,
        at: JsonPath::from_pointer(&format!("#{pointer}")),
    }
}

/// A schema with its `allOf` parts folded in (properties, required, type,
/// bounds), so that `type: string, allOf: [$ref]` compares as one schema.
fn folded(doc: &Value, node: &Node<'_>) -> Value {
    let Some(parts) = node.value.get("allOf").and_then(Value::as_array) else {
        return node.value.clone();
    };
    let mut merged: Map<String, Value> = node.value.as_object().cloned().unwrap_or_default();
    merged.remove("allOf");
    for (i, part) in parts.iter().enumerate() {
        let part = resolve(
            doc,
            Node {
                value: part,
                at: node.at.key("allOf").index(i),
            },
        );
        let part = folded(doc, &part);
        for (key, value) in part.as_object().into_iter().flatten() {
            match (key.as_str(), merged.get_mut(key)) {
                ("properties", Some(Value::Object(mine))) => {
                    for (k, v) in value.as_object().into_iter().flatten() {
                        mine.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
                ("required", Some(Value::Array(mine))) => {
                    for v in value.as_array().into_iter().flatten() {
                        if !mine.contains(v) {
                            mine.push(v.clone());
                        }
                    }
                }
                (_, Some(_)) => {}
                (_, None) => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
    }
    Value::Object(merged)
}

struct Walk<'a, 'f> {
    ours: &'a Value,
    theirs: &'a Value,
    operation: String,
    found: &'f mut Vec<Difference>,
    /// Schema pairs already compared (a recursive schema ends).
    seen: BTreeSet<(String, String)>,
}

impl<'a> Walk<'a, '_> {
    fn add(
        &mut self,
        class: Class,
        direction: Option<Direction>,
        what: String,
        ours: Option<&JsonPath>,
        theirs: Option<&JsonPath>,
    ) {
        let severity = match (class, direction) {
            (Class::Incompatible, _) => Severity::Error,
            (Class::OursLooser, Some(Direction::Request)) => Severity::Error,
            (Class::OursStricter, Some(Direction::Response)) => Severity::Error,
            (Class::OursLooser | Class::OursStricter, _) => Severity::Warning,
            (Class::Other, _) => Severity::Info,
        };
        self.found.push(Difference {
            operation: self.operation.clone(),
            class,
            severity,
            what,
            ours: ours.map(ToString::to_string),
            theirs: theirs.map(ToString::to_string),
        });
    }

    fn operation(&mut self, ours: &Operation<'a>, theirs: &Operation<'a>) {
        let node = |op: &Operation<'a>| Node {
            value: op.node,
            at: op.at.clone(),
        };
        let (o, t) = (node(ours), node(theirs));
        self.parameters(ours, theirs);
        self.request_body(&o, &t);
        self.responses(&o, &t);
        self.security(&o, &t);
    }

    /// Parameters by where and name; a header's name in any case.
    fn parameters(&mut self, ours: &Operation<'a>, theirs: &Operation<'a>) {
        let collect = |doc: &'a Value, op: &Operation<'a>| {
            let item_at = format!("/paths/{}", tracking_spec::pointer_token(&op.path));
            let op_at = format!("{item_at}/{}", op.method);
            let mut found: BTreeMap<(String, String), Node<'a>> = BTreeMap::new();
            for p in tracking_spec::parameters(doc, &item_at, op.item, &op_at, op.node) {
                let name = match p.location {
                    "header" => p.name.to_ascii_lowercase(),
                    _ => p.name.to_string(),
                };
                let node = Node {
                    value: p.node,
                    at: JsonPath::from_pointer(&p.at),
                };
                found.insert((p.location.to_string(), name), node);
            }
            found
        };
        let mut ours_params = collect(self.ours, ours);
        let theirs_params = collect(self.theirs, theirs);
        // Path parameters are matched by position, whatever their names.
        let path_names = |path: &str| -> Vec<String> {
            path.split('{')
                .skip(1)
                .filter_map(|s| s.split('}').next())
                .map(str::to_string)
                .collect()
        };
        for (o, t) in path_names(&ours.path)
            .into_iter()
            .zip(path_names(&theirs.path))
        {
            if o != t
                && let Some(p) = ours_params.remove(&("path".to_string(), o))
            {
                ours_params.insert(("path".to_string(), t), p);
            }
        }
        for (key, t) in &theirs_params {
            let what = format!("parameter {} ({})", key.1, key.0);
            match ours_params.get(key) {
                None if t.flag("required") => self.add(
                    Class::OursLooser,
                    Some(Direction::Request),
                    format!("{what}: required in theirs, not in ours (our client never sends it)"),
                    None,
                    Some(&t.at),
                ),
                None => self.add(
                    Class::Other,
                    Some(Direction::Request),
                    format!("{what}: only in theirs (optional)"),
                    None,
                    Some(&t.at),
                ),
                Some(o) => {
                    if t.flag("required") && !o.flag("required") {
                        self.add(
                            Class::OursLooser,
                            Some(Direction::Request),
                            format!("{what}: required in theirs, optional in ours"),
                            Some(&o.at),
                            Some(&t.at),
                        );
                    }
                    if let (Some(os), Some(ts)) = (o.get("schema"), t.get("schema")) {
                        self.schema(os, ts, Direction::Request, &what);
                    }
                }
            }
        }
        for (key, o) in &ours_params {
            if !theirs_params.contains_key(key) {
                self.add(
                    Class::Other,
                    Some(Direction::Request),
                    format!(
                        "parameter {} ({}): only in ours (the provider's document does not know it)",
                        key.1, key.0
                    ),
                    Some(&o.at),
                    None,
                );
            }
        }
    }

    /// The JSON media of a body or response, by essence (`application/json;
    /// charset=utf-8` is `application/json`).
    fn media(node: &Node<'a>) -> BTreeMap<String, Node<'a>> {
        let Some(content) = node.get("content") else {
            return BTreeMap::new();
        };
        content
            .value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(media, value)| {
                let essence = tracking_spec::media_essence(media);
                (
                    essence,
                    Node {
                        value,
                        at: content.at.key(media.clone()),
                    },
                )
            })
            .collect()
    }

    fn request_body(&mut self, ours: &Node<'a>, theirs: &Node<'a>) {
        let body = |doc, node: &Node<'a>| node.get("requestBody").map(|b| resolve(doc, b));
        let (o, t) = (body(self.ours, ours), body(self.theirs, theirs));
        let (o, t) = match (o, t) {
            (None, None) => return,
            (Some(o), None) => {
                return self.add(
                    Class::OursLooser,
                    Some(Direction::Request),
                    "request body: sent by ours, not in theirs".into(),
                    Some(&o.at),
                    None,
                );
            }
            (None, Some(t)) => {
                let class = if t.flag("required") {
                    Class::OursLooser
                } else {
                    Class::Other
                };
                return self.add(
                    class,
                    Some(Direction::Request),
                    "request body: in theirs only".into(),
                    None,
                    Some(&t.at),
                );
            }
            (Some(o), Some(t)) => (o, t),
        };
        if t.flag("required") && !o.flag("required") {
            self.add(
                Class::OursLooser,
                Some(Direction::Request),
                "request body: required in theirs, optional in ours".into(),
                Some(&o.at),
                Some(&t.at),
            );
        }
        self.content(&o, &t, Direction::Request, "request body");
    }

    /// The media types of a body (request) or a response, and their
    /// schemas. A media type one side only has: in a request, ours looser
    /// if ours may send it, stricter if theirs takes one ours does not; in a
    /// response, ours stricter if theirs may answer one ours cannot read.
    fn content(&mut self, o: &Node<'a>, t: &Node<'a>, direction: Direction, what: &str) {
        let (om, tm) = (Self::media(o), Self::media(t));
        let d = Some(direction);
        for (media, onode) in &om {
            match tm.get(media) {
                None => {
                    let class = match direction {
                        Direction::Request => Class::OursLooser,
                        Direction::Response => Class::Other,
                    };
                    let what = format!("{what}: {media} in ours, not in theirs");
                    self.add(class, d, what, Some(&onode.at), Some(&t.at));
                }
                Some(tnode) => {
                    if let (Some(os), Some(ts)) = (onode.get("schema"), tnode.get("schema")) {
                        self.schema(os, ts, direction, what);
                    }
                }
            }
        }
        for (media, tnode) in &tm {
            if !om.contains_key(media) {
                let what = format!("{what}: {media} in theirs, not in ours");
                self.add(Class::OursStricter, d, what, Some(&o.at), Some(&tnode.at));
            }
        }
    }

    fn responses(&mut self, ours: &Node<'a>, theirs: &Node<'a>) {
        let statuses = |doc, node: &Node<'a>| -> BTreeMap<String, Node<'a>> {
            let Some(responses) = node.get("responses") else {
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
                    (status.clone(), resolve(doc, node))
                })
                .collect()
        };
        let (os, ts) = (statuses(self.ours, ours), statuses(self.theirs, theirs));
        for (status, t) in &ts {
            let Some(o) = os.get(status) else {
                self.add(
                    Class::Other,
                    Some(Direction::Response),
                    format!("response {status}: in theirs only (our client reports it as an undocumented status)"),
                    ours.get("responses").map(|r| r.at).as_ref(),
                    Some(&t.at),
                );
                continue;
            };
            self.content(o, t, Direction::Response, &format!("response {status}"));
        }
        for (status, o) in &os {
            if !ts.contains_key(status) {
                self.add(
                    Class::Other,
                    Some(Direction::Response),
                    format!("response {status}: in ours only"),
                    Some(&o.at),
                    theirs.get("responses").map(|r| r.at).as_ref(),
                );
            }
        }
    }

    /// Each alternative as the set of what it puts on the wire
    /// ([`tracking_spec::security_alternatives`]), and where they are.
    fn alternatives(doc: &Value, op: &Node<'_>) -> (BTreeSet<BTreeSet<String>>, JsonPath) {
        let at = match op.get("security") {
            Some(own) => own.at,
            None => JsonPath::root().key("security"),
        };
        (tracking_spec::security_alternatives(doc, op.value), at)
    }

    fn security(&mut self, ours: &Node<'a>, theirs: &Node<'a>) {
        let (o, oat) = Self::alternatives(self.ours, ours);
        let (t, tat) = Self::alternatives(self.theirs, theirs);
        let show = |alt: &BTreeSet<String>| {
            if alt.is_empty() {
                "no credentials".to_string()
            } else {
                alt.iter().cloned().collect::<Vec<_>>().join(" + ")
            }
        };
        for alt in o.difference(&t) {
            self.add(
                Class::OursLooser,
                Some(Direction::Request),
                format!(
                    "security: ours may authenticate with {}, theirs does not list it",
                    show(alt)
                ),
                Some(&oat),
                Some(&tat),
            );
        }
        for alt in t.difference(&o) {
            self.add(
                Class::OursStricter,
                Some(Direction::Request),
                format!("security: theirs also takes {}, ours does not", show(alt)),
                Some(&oat),
                Some(&tat),
            );
        }
    }

    /// Compares two schemas; `what` names the place (`request body.items[]`).
    fn schema(&mut self, ours: Node<'a>, theirs: Node<'a>, direction: Direction, what: &str) {
        let (o, t) = (resolve(self.ours, ours), resolve(self.theirs, theirs));
        let key = (o.at.to_string(), t.at.to_string());
        if !self.seen.insert(key) {
            return;
        }
        let (ov, tv) = (folded(self.ours, &o), folded(self.theirs, &t));
        let d = Some(direction);
        let (oa, ta) = (Some(&o.at), Some(&t.at));
        let get = |v: &Value, k: &str| v.get(k).cloned();

        // null
        let nullable = |v: &Value| v.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        match (nullable(&ov), nullable(&tv)) {
            (true, false) => self.add(
                Class::OursLooser,
                d,
                format!("{what}: null allowed in ours only"),
                oa,
                ta,
            ),
            (false, true) => self.add(
                Class::OursStricter,
                d,
                format!("{what}: null allowed in theirs only"),
                oa,
                ta,
            ),
            _ => {}
        }
        // type
        match (get(&ov, "type"), get(&tv, "type")) {
            (Some(a), Some(b)) if a != b => {
                let class = if a == "integer" && b == "number" {
                    Class::OursStricter
                } else if a == "number" && b == "integer" {
                    Class::OursLooser
                } else {
                    Class::Incompatible
                };
                self.add(
                    class,
                    d,
                    format!("{what}: type {a} in ours, {b} in theirs"),
                    oa,
                    ta,
                );
            }
            (None, Some(b)) => self.add(
                Class::OursLooser,
                d,
                format!("{what}: no type in ours, {b} in theirs"),
                oa,
                ta,
            ),
            (Some(a), None) => self.add(
                Class::OursStricter,
                d,
                format!("{what}: type {a} in ours, none in theirs"),
                oa,
                ta,
            ),
            _ => {}
        }
        self.values(&ov, &tv, direction, what, &o.at, &t.at);
        self.bounds(&ov, &tv, direction, what, &o.at, &t.at);
        self.object(&o, &t, &ov, &tv, direction, what);
        if let (Some(oi), Some(ti)) = (o.get("items"), t.get("items")) {
            self.schema(oi, ti, direction, &format!("{what}[]"));
        }
    }

    /// `enum`, `format`, `pattern`.
    fn values(
        &mut self,
        ov: &Value,
        tv: &Value,
        direction: Direction,
        what: &str,
        oat: &JsonPath,
        tat: &JsonPath,
    ) {
        let d = Some(direction);
        let (oa, ta) = (Some(oat), Some(tat));
        let set = |v: &Value| -> Option<BTreeSet<String>> {
            v.get("enum")
                .and_then(Value::as_array)
                .map(|e| e.iter().map(ToString::to_string).collect())
        };
        match (set(ov), set(tv)) {
            (Some(a), Some(b)) if a != b => {
                let class = if a.is_subset(&b) {
                    Class::OursStricter
                } else if b.is_subset(&a) {
                    Class::OursLooser
                } else {
                    Class::Incompatible
                };
                let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
                self.add(
                    class,
                    d,
                    format!(
                        "{what}: enum [{}] in ours, [{}] in theirs",
                        list(&a),
                        list(&b)
                    ),
                    oa,
                    ta,
                );
            }
            (Some(_), None) => self.add(
                Class::OursStricter,
                d,
                format!("{what}: an enum in ours only"),
                oa,
                ta,
            ),
            (None, Some(_)) => self.add(
                Class::OursLooser,
                d,
                format!("{what}: an enum in theirs only"),
                oa,
                ta,
            ),
            _ => {}
        }
        for keyword in ["format", "pattern"] {
            let (a, b) = (ov.get(keyword), tv.get(keyword));
            match (a, b) {
                (Some(a), Some(b)) if a != b => self.add(
                    Class::Other,
                    d,
                    format!("{what}: {keyword} {a} in ours, {b} in theirs"),
                    oa,
                    ta,
                ),
                (Some(a), None) => self.add(
                    Class::OursStricter,
                    d,
                    format!("{what}: {keyword} {a} in ours only"),
                    oa,
                    ta,
                ),
                (None, Some(b)) => self.add(
                    Class::OursLooser,
                    d,
                    format!("{what}: {keyword} {b} in theirs only"),
                    oa,
                    ta,
                ),
                _ => {}
            }
        }
    }

    /// Lower and upper bounds: lengths, values, item counts.
    fn bounds(
        &mut self,
        ov: &Value,
        tv: &Value,
        direction: Direction,
        what: &str,
        oat: &JsonPath,
        tat: &JsonPath,
    ) {
        let d = Some(direction);
        let (oa, ta) = (Some(oat), Some(tat));
        for (keyword, lower) in [
            ("minLength", true),
            ("minimum", true),
            ("minItems", true),
            ("maxLength", false),
            ("maximum", false),
            ("maxItems", false),
        ] {
            let (a, b) = (
                ov.get(keyword).and_then(Value::as_f64),
                tv.get(keyword).and_then(Value::as_f64),
            );
            let stricter = match (a, b) {
                (Some(a), Some(b)) if a == b => continue,
                (Some(a), Some(b)) => (a > b) == lower,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => continue,
            };
            let show = |x: Option<f64>| x.map_or("none".to_string(), |x| x.to_string());
            let class = if stricter {
                Class::OursStricter
            } else {
                Class::OursLooser
            };
            self.add(
                class,
                d,
                format!(
                    "{what}: {keyword} {} in ours, {} in theirs",
                    show(a),
                    show(b)
                ),
                oa,
                ta,
            );
        }
    }

    /// `required`, `properties`, `additionalProperties`.
    fn object(
        &mut self,
        o: &Node<'a>,
        t: &Node<'a>,
        ov: &Value,
        tv: &Value,
        direction: Direction,
        what: &str,
    ) {
        let d = Some(direction);
        let (oa, ta) = (Some(&o.at), Some(&t.at));
        let required = |v: &Value| -> BTreeSet<String> {
            v.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (or, tr) = (required(ov), required(tv));
        for name in tr.difference(&or) {
            self.add(
                Class::OursLooser,
                d,
                format!("{what}.{name}: required in theirs only"),
                oa,
                ta,
            );
        }
        for name in or.difference(&tr) {
            self.add(
                Class::OursStricter,
                d,
                format!("{what}.{name}: required in ours only"),
                oa,
                ta,
            );
        }
        let closed = |v: &Value| v.get("additionalProperties") == Some(&Value::Bool(false));
        match (closed(ov), closed(tv)) {
            (true, false) => self.add(
                Class::OursStricter,
                d,
                format!("{what}: closed in ours (additionalProperties: false), open in theirs"),
                oa,
                ta,
            ),
            (false, true) => self.add(
                Class::OursLooser,
                d,
                format!("{what}: open in ours, closed in theirs"),
                oa,
                ta,
            ),
            _ => {}
        }
        // Properties: through the folded view for names, through the nodes
        // (for paths) where the node itself has them.
        let names = |v: &Value| -> BTreeSet<String> {
            v.get("properties")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default()
        };
        let (on, tn) = (names(ov), names(tv));
        for name in on.intersection(&tn) {
            let property = |node: &Node<'a>, doc: &'a Value| -> Option<Node<'a>> {
                node.get("properties")
                    .and_then(|p| p.get(name))
                    .or_else(|| {
                        // From an allOf part: found there, for its path.
                        let parts = node.value.get("allOf")?.as_array()?;
                        parts.iter().enumerate().find_map(|(i, part)| {
                            let at = node.at.key("allOf").index(i);
                            resolve(doc, Node { value: part, at })
                                .get("properties")?
                                .get(name)
                        })
                    })
            };
            if let (Some(op), Some(tp)) = (property(o, self.ours), property(t, self.theirs)) {
                self.schema(op, tp, direction, &format!("{what}.{name}"));
            }
        }
        for name in on.difference(&tn) {
            let class = if closed(tv) {
                Class::OursLooser
            } else {
                Class::Other
            };
            self.add(class, d, format!("{what}.{name}: in ours only"), oa, ta);
        }
        for name in tn.difference(&on) {
            let class = if closed(ov) {
                Class::OursStricter
            } else {
                Class::Other
            };
            self.add(class, d, format!("{what}.{name}: in theirs only"), oa, ta);
        }
    }
}

/// The report as text: every difference, then the counts.
pub fn render(report: &Report) -> String {
    let mut text = String::new();
    for (ours, theirs) in &report.compared {
        text.push_str(&format!("compared {ours} with {theirs}\n"));
    }
    for label in &report.only_ours {
        text.push_str(&format!(
            "error[ours looser] {label}: not in theirs (the provider does not document it)\n"
        ));
    }
    if !report.only_theirs.is_empty() {
        text.push_str(&format!(
            "info: {} operation(s) of theirs not in ours (not compared)\n",
            report.only_theirs.len()
        ));
    }
    for difference in &report.differences {
        text.push_str(&format!("{difference}\n"));
    }
    text.push_str(&format!(
        "{} error(s), {} warning(s), {} other difference(s) in {} operation(s)\n",
        report.count(Severity::Error) + report.only_ours.len(),
        report.count(Severity::Warning),
        report.count(Severity::Info),
        report.compared.len()
    ));
    text
}
