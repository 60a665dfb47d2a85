//! Two schemas compared, one from each document: nullability, type,
//! values (`enum`, `format`, `pattern`), bounds, and object properties,
//! `allOf` parts folded in; each difference classed by what it lets
//! through.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use tracking_spec::{Direction, JsonPath};

use super::Class;
use super::walk::Walk;
use crate::pairs::Node;

/// A schema with its `allOf` parts folded in (properties, required, type,
/// bounds), so that `type: string, allOf: [$ref]` compares as one schema.
pub(super) fn folded(doc: &Value, node: &Node<'_>) -> Value {
    let Some(parts) = node.value.get("allOf").and_then(Value::as_array) else {
        return node.value.clone();
    };
    let mut merged: Map<String, Value> = node.value.as_object().cloned().unwrap_or_default();
    merged.remove("allOf");
    for (i, part) in parts.iter().enumerate() {
        let part = Node {
            value: part,
            at: node.at.key("allOf").index(i),
        }
        .resolved(doc);
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

impl<'a> Walk<'a, '_> {
    /// Compares two schemas; `what` names the place (`request body.items[]`).
    pub(super) fn schema(
        &mut self,
        ours: Node<'a>,
        theirs: Node<'a>,
        direction: Direction,
        what: &str,
    ) {
        let (o, t) = (ours.resolved(self.ours), theirs.resolved(self.theirs));
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
                            Node { value: part, at }
                                .resolved(doc)
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
