//! The walk of two operations, on the pairs [`crate::pairs`] finds (the
//! walk `diff` shares): parameters, request bodies and their media types,
//! responses, security, each difference classed by what it lets through.

use std::collections::BTreeSet;

use serde_json::Value;
use tracking_spec::{Direction, JsonPath};

use super::{Class, Difference, Severity};
use crate::operations::Operation;
use crate::pairs::{self, Node, Pair, Side};

pub(super) struct Walk<'a, 'f> {
    pub(super) ours: &'a Value,
    pub(super) theirs: &'a Value,
    pub(super) operation: String,
    pub(super) found: &'f mut Vec<Difference>,
    /// Schema pairs already compared (a recursive schema ends).
    pub(super) seen: BTreeSet<(String, String)>,
}

impl<'a> Walk<'a, '_> {
    pub(super) fn add(
        &mut self,
        class: Class,
        direction: Option<Direction>,
        what: String,
        ours: Option<&JsonPath>,
        theirs: Option<&JsonPath>,
    ) {
        // Ours reading an answer theirs never gives (a status as a plain
        // string where theirs lists its values) is how our conventions keep
        // responses open: it lets nothing wrong through.
        let (class, what) = match (class, direction) {
            (Class::OursLooser, Some(Direction::Response)) => (
                Class::Other,
                format!("{what} (ours reads more: open by our conventions)"),
            ),
            _ => (class, what),
        };
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

    pub(super) fn operation(&mut self, ours: &Operation<'a>, theirs: &Operation<'a>) {
        let (o, t) = (
            Side {
                doc: self.ours,
                op: ours,
            },
            Side {
                doc: self.theirs,
                op: theirs,
            },
        );
        self.parameters(o, t);
        self.request_body(o, t);
        self.responses(o, t);
        self.security(o, t);
    }

    /// Parameters by where and name ([`pairs::parameters`]): theirs first,
    /// then ours alone.
    fn parameters(&mut self, ours: Side<'_, 'a>, theirs: Side<'_, 'a>) {
        let found = pairs::parameters(ours, theirs);
        let d = Some(Direction::Request);
        for ((location, name), pair) in &found {
            let what = format!("parameter {name} ({location})");
            match pair {
                Pair::Right(t) if t.flag("required") => self.add(
                    Class::OursLooser,
                    d,
                    format!("{what}: required in theirs, not in ours (our client never sends it)"),
                    None,
                    Some(&t.at),
                ),
                Pair::Right(t) => self.add(
                    Class::Other,
                    d,
                    format!("{what}: only in theirs (optional)"),
                    None,
                    Some(&t.at),
                ),
                Pair::Both(o, t) => {
                    if t.flag("required") && !o.flag("required") {
                        self.add(
                            Class::OursLooser,
                            d,
                            format!("{what}: required in theirs, optional in ours"),
                            Some(&o.at),
                            Some(&t.at),
                        );
                    }
                    if let (Some(os), Some(ts)) = (o.get("schema"), t.get("schema")) {
                        self.schema(os, ts, Direction::Request, &what);
                    }
                }
                Pair::Left(_) => {}
            }
        }
        for ((location, name), pair) in &found {
            if let Pair::Left(o) = pair {
                self.add(
                    Class::Other,
                    d,
                    format!(
                        "parameter {name} ({location}): only in ours (the provider's document does not know it)"
                    ),
                    Some(&o.at),
                    None,
                );
            }
        }
    }

    fn request_body(&mut self, ours: Side<'_, 'a>, theirs: Side<'_, 'a>) {
        let d = Some(Direction::Request);
        let (o, t) = match pairs::request_bodies(ours, theirs) {
            None => return,
            Some(Pair::Left(o)) => {
                return self.add(
                    Class::OursLooser,
                    d,
                    "request body: sent by ours, not in theirs".into(),
                    Some(&o.at),
                    None,
                );
            }
            Some(Pair::Right(t)) => {
                let class = if t.flag("required") {
                    Class::OursLooser
                } else {
                    Class::Other
                };
                return self.add(
                    class,
                    d,
                    "request body: in theirs only".into(),
                    None,
                    Some(&t.at),
                );
            }
            Some(Pair::Both(o, t)) => (o, t),
        };
        if t.flag("required") && !o.flag("required") {
            self.add(
                Class::OursLooser,
                d,
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
        let found = pairs::media(o, t);
        let d = Some(direction);
        for (media, pair) in &found {
            match pair {
                Pair::Left(onode) => {
                    let class = match direction {
                        Direction::Request => Class::OursLooser,
                        Direction::Response => Class::Other,
                    };
                    let what = format!("{what}: {media} in ours, not in theirs");
                    self.add(class, d, what, Some(&onode.at), Some(&t.at));
                }
                Pair::Both(onode, tnode) => {
                    if let (Some(os), Some(ts)) = (onode.get("schema"), tnode.get("schema")) {
                        self.schema(os, ts, direction, what);
                    }
                }
                Pair::Right(_) => {}
            }
        }
        // A response ours gives no content at all is not read: our client
        // takes whatever body comes (eBay's 201 documents an empty object
        // and sends none).
        let unread = direction == Direction::Response
            && !found
                .iter()
                .any(|(_, pair)| matches!(pair, Pair::Left(_) | Pair::Both(..)));
        for (media, pair) in &found {
            if let Pair::Right(tnode) = pair {
                let (class, what) = if unread {
                    (
                        Class::Other,
                        format!(
                            "{what}: {media} in theirs; ours has no body, which our client does not read"
                        ),
                    )
                } else {
                    (
                        Class::OursStricter,
                        format!("{what}: {media} in theirs, not in ours"),
                    )
                };
                self.add(class, d, what, Some(&o.at), Some(&tnode.at));
            }
        }
    }

    fn responses(&mut self, ours: Side<'_, 'a>, theirs: Side<'_, 'a>) {
        let found = pairs::responses(ours, theirs);
        let d = Some(Direction::Response);
        let at = |side: Side<'_, 'a>| side.op.at.key("responses");
        for (status, pair) in &found {
            match pair {
                Pair::Right(t) => self.add(
                    Class::Other,
                    d,
                    format!("response {status}: in theirs only (our client reports it as an undocumented status)"),
                    Some(&at(ours)),
                    Some(&t.at),
                ),
                Pair::Both(o, t) => {
                    self.content(o, t, Direction::Response, &format!("response {status}"));
                }
                Pair::Left(_) => {}
            }
        }
        for (status, pair) in &found {
            if let Pair::Left(o) = pair {
                self.add(
                    Class::Other,
                    d,
                    format!("response {status}: in ours only"),
                    Some(&o.at),
                    Some(&at(theirs)),
                );
            }
        }
    }

    fn security(&mut self, ours: Side<'_, 'a>, theirs: Side<'_, 'a>) {
        let security = pairs::security(ours, theirs);
        let show = |alt: &BTreeSet<String>| {
            if alt.is_empty() {
                "no credentials".to_string()
            } else {
                alt.iter().cloned().collect::<Vec<_>>().join(" + ")
            }
        };
        let (oat, tat) = (Some(&security.left_at), Some(&security.right_at));
        // A document that says nothing of credentials anywhere (Amazon's
        // models) is silent, not open to anyone: not a looser ours.
        if security.left_only().next().is_some()
            && says_nothing_of_security(theirs.doc, theirs.op.node)
        {
            let ours: Vec<String> = security.left.iter().map(show).collect();
            return self.add(
                Class::Other,
                Some(Direction::Request),
                format!(
                    "security: theirs declares none; ours authenticates with {}",
                    ours.join(", or ")
                ),
                oat,
                tat,
            );
        }
        // Headers theirs declares as required parameters (Walmart's
        // `WM_SEC.ACCESS_TOKEN`, in its components) are its own word on
        // what goes on the wire, whatever scheme its operations name.
        let declared = required_headers(theirs.doc);
        for alt in security.left_only() {
            let headers: Vec<&str> = alt
                .iter()
                .filter_map(|s| s.strip_prefix("header "))
                .collect();
            if !headers.is_empty()
                && headers.len() == alt.len()
                && headers.iter().all(|h| declared.contains(*h))
            {
                self.add(
                    Class::Other,
                    Some(Direction::Request),
                    format!(
                        "security: ours sends {}, a required header theirs declares as a parameter, though its security names others",
                        show(alt)
                    ),
                    oat,
                    tat,
                );
                continue;
            }
            self.add(
                Class::OursLooser,
                Some(Direction::Request),
                format!(
                    "security: ours may authenticate with {}, theirs does not list it",
                    show(alt)
                ),
                oat,
                tat,
            );
        }
        for alt in security.right_only() {
            self.add(
                Class::OursStricter,
                Some(Direction::Request),
                format!("security: theirs also takes {}, ours does not", show(alt)),
                oat,
                tat,
            );
        }
    }
}

/// Whether a document names no credentials at all: no `security` on the
/// operation or the document, and no security schemes.
fn says_nothing_of_security(doc: &Value, op: &Value) -> bool {
    op.get("security").is_none()
        && doc.get("security").is_none()
        && doc
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .is_none_or(|schemes| schemes.is_empty())
}

/// The names (lower case) of the header parameters a document declares
/// required, in its components or on any operation.
fn required_headers(doc: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut note = |p: &Value| {
        if p.get("in").and_then(Value::as_str) == Some("header")
            && p.get("required").and_then(Value::as_bool) == Some(true)
            && let Some(name) = p.get("name").and_then(Value::as_str)
        {
            found.insert(name.to_ascii_lowercase());
        }
    };
    for p in doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, p)| p)
    {
        note(p);
    }
    for item in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for node in
            std::iter::once(item).chain(item.as_object().into_iter().flatten().map(|(_, v)| v))
        {
            for p in node
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                note(p);
            }
        }
    }
    found
}
