//! What an operation does with tracking numbers, written in the spec as
//! `x-` extensions on the operation, so that the mock and the tests read
//! a provider's facts from its spec rather than from a list of their own:
//!
//! - `x-tracking-numbers`: JSON pointers into the request body where the
//!   call sets tracking numbers, `*` standing for every element of an
//!   array (`[/tracking_numbers/*/tracking]`); `[]` for a call with a body
//!   that sets none (a login, tracking events). Every operation with a
//!   request body says it.
//! - `x-tracking-adds-to`: the path parameter naming the record the call
//!   adds its tracking numbers to (`order_uuid`), for a call that adds
//!   rather than sets: a record then holds several numbers.
//! - `x-tracking-lookup`: `{record: P, number: Q}` on the call that
//!   answers 404 when the record named by path parameter `P` has no
//!   tracking number `Q` (another path parameter): the lookup that settles
//!   whether an add whose answer was lost was applied.
//! - `x-tracking-lists`: `{record: P, numbers: POINTER}` on the call that
//!   lists what the record named by path parameter `P` holds, its answer
//!   carrying the tracking numbers at `POINTER` (into the first 2xx
//!   response's JSON body, `*` for every element): the read that settles
//!   an add whose answer was lost, where there is no per-number lookup.
//! - `x-tracking-quantities`: where the items of an order and their
//!   quantities are, for a platform whose add ships quantities of items
//!   (Amazon's confirmation) and whose reads tell what has shipped. On the
//!   add: `{items: POINTER, id: FIELD, quantity: FIELD}`, the list of items
//!   in the request body and each one's fields. On a read: `{record: P,
//!   items: POINTER, id: FIELD, quantity: FIELD}`, the answer's list with
//!   each item's quantity shipped, or `{record: P, total: POINTER}`, the
//!   answer's count of items shipped. A stateful mock answers the reads by
//!   what the adds shipped.
//! - `x-tracking-lines`: where the lines of an order and their statuses
//!   are, for a platform whose add sets the statuses of lines (Walmart's
//!   shipping update) and whose read shows them, tracking numbers and all.
//!   On the add: `{items: POINTER, id: FIELD, statuses: POINTER}`, the list
//!   of lines in the request body, each one's id field and the list of its
//!   statuses within it. On a read: the same, with `record: P`, in the
//!   answer. A stateful mock answers the reads with the statuses the adds
//!   set.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::JsonPath;
use crate::refs::follow_ref;
use crate::vocabulary::METHODS;
use crate::walk::json_schema;

/// `x-tracking-numbers`.
pub const NUMBERS: &str = "x-tracking-numbers";
/// `x-tracking-adds-to`.
pub const ADDS_TO: &str = "x-tracking-adds-to";
/// `x-tracking-lookup`.
pub const LOOKUP: &str = "x-tracking-lookup";
/// `x-tracking-lists`.
pub const LISTS: &str = "x-tracking-lists";
/// `x-tracking-quantities`.
pub const QUANTITIES: &str = "x-tracking-quantities";
/// `x-tracking-lines`.
pub const LINES: &str = "x-tracking-lines";

/// One operation's tracking facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tracking {
    /// Where its request body carries tracking numbers.
    pub numbers: Vec<String>,
    /// The path parameter naming the record it adds them to.
    pub adds_to: Option<String>,
    /// The lookup it is, if it is one.
    pub lookup: Option<Lookup>,
    /// The listing it is, if it is one.
    pub lists: Option<Listing>,
    /// The quantities of items it ships or reads, if it does.
    pub quantities: Option<Quantities>,
    /// The statuses of lines it sets or reads, if it does.
    pub lines: Option<Lines>,
}

/// `x-tracking-lines`: where a call's lines and their statuses are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    /// The path parameter naming the record a read reads (`None` on the
    /// add, whose record is its `x-tracking-adds-to`).
    pub record: Option<String>,
    /// The list of lines (`/orderShipment/orderLines/orderLine`).
    pub items: String,
    /// Each line's id field (`lineNumber`).
    pub id: String,
    /// The list of a line's statuses, within it
    /// (`/orderLineStatuses/orderLineStatus`).
    pub statuses: String,
}

/// `x-tracking-quantities`: where a call's items and their quantities are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantities {
    /// The path parameter naming the record a read reads (`None` on the
    /// add, whose record is its `x-tracking-adds-to`).
    pub record: Option<String>,
    /// What it holds.
    pub place: QuantityPlace,
}

/// Where the quantities are, in the add's request body or a read's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityPlace {
    /// A list of items (`/packageDetail/orderItems`), each with its id and
    /// quantity fields.
    Items {
        /// The list.
        items: String,
        /// Each item's id field.
        id: String,
        /// Each item's quantity field.
        quantity: String,
    },
    /// The count of every item shipped (`/payload/NumberOfItemsShipped`).
    Total(String),
}

/// `x-tracking-lists`: what a listing call lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The path parameter naming the record.
    pub record: String,
    /// Where its answer carries the tracking numbers.
    pub numbers: String,
}

/// `x-tracking-lookup`: path parameters of the lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The record's.
    pub record: String,
    /// The tracking number's.
    pub number: String,
}

/// Every operation's tracking facts, by operationId, and the problems
/// found, each at its node: a malformed extension, a pointer that is no
/// string field of the request body, a parameter that is no path
/// parameter of the operation, an operation with a request body that does
/// not say where it carries tracking numbers.
pub fn tracking(root: &Value) -> (BTreeMap<String, Tracking>, Vec<(JsonPath, String)>) {
    let mut facts = BTreeMap::new();
    let mut problems = Vec::new();
    let paths = root.get("paths").and_then(Value::as_object);
    for (template, item) in paths.into_iter().flatten() {
        let item = follow_ref(root, item);
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let at = JsonPath::root().key("paths").key(template).key(*method);
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut problem = |path: JsonPath, message: String| problems.push((path, message));
            let mut found = Tracking::default();
            let body = op.get("requestBody").and_then(|b| json_schema(root, b));
            match op.get(NUMBERS) {
                None if body.is_some() => problem(
                    at.clone(),
                    format!(
                        "the request body's tracking numbers are not placed: give {NUMBERS} (JSON pointers into the body; [] if it carries none)"
                    ),
                ),
                None => {}
                Some(Value::Array(list)) => {
                    for (i, pointer) in list.iter().enumerate() {
                        let here = at.key(NUMBERS).index(i);
                        let Some(pointer) = pointer.as_str() else {
                            problem(here, "not a JSON pointer".into());
                            continue;
                        };
                        match body {
                            Some(schema) if string_at(root, schema, pointer) => {
                                found.numbers.push(pointer.to_string())
                            }
                            _ => problem(
                                here,
                                format!("{pointer} is no string field of the request body"),
                            ),
                        }
                    }
                }
                Some(_) => problem(at.key(NUMBERS), "not a list of JSON pointers".into()),
            }
            let path_params = path_parameters(template);
            let mut parameter = |key: &str, value: Option<&Value>, path: JsonPath| match value
                .and_then(Value::as_str)
            {
                Some(name) if path_params.iter().any(|p| p == name) => Some(name.to_string()),
                other => {
                    let given = other.map_or("nothing".into(), |name| format!("{name:?}"));
                    problems.push((
                        path,
                        format!("{key}: {given} is not a path parameter of {template}"),
                    ));
                    None
                }
            };
            if let Some(value) = op.get(ADDS_TO) {
                found.adds_to = parameter(ADDS_TO, Some(value), at.key(ADDS_TO));
            }
            if let Some(value) = op.get(LOOKUP) {
                let here = at.key(LOOKUP);
                let record = parameter("record", value.get("record"), here.key("record"));
                let number = parameter("number", value.get("number"), here.key("number"));
                if let (Some(record), Some(number)) = (record, number) {
                    found.lookup = Some(Lookup { record, number });
                }
            }
            if let Some(value) = op.get(LISTS) {
                let here = at.key(LISTS);
                let record = parameter("record", value.get("record"), here.key("record"));
                let numbers = match value.get("numbers").and_then(Value::as_str) {
                    Some(pointer)
                        if success_body(root, op)
                            .is_some_and(|schema| string_at(root, schema, pointer)) =>
                    {
                        Some(pointer.to_string())
                    }
                    Some(pointer) => {
                        let message = format!(
                            "{pointer} is no string field of the first success response's body"
                        );
                        problems.push((here.key("numbers"), message));
                        None
                    }
                    None => {
                        problems.push((here.key("numbers"), "not a JSON pointer".into()));
                        None
                    }
                };
                if let (Some(record), Some(numbers)) = (record, numbers) {
                    found.lists = Some(Listing { record, numbers });
                }
            }
            if let Some(value) = op.get(QUANTITIES) {
                let within = Within {
                    root,
                    op,
                    template,
                    body,
                };
                found.quantities =
                    quantities(&within, value, found.adds_to.is_some(), &at, &mut problems);
            }
            if let Some(value) = op.get(LINES) {
                let within = Within {
                    root,
                    op,
                    template,
                    body,
                };
                found.lines = lines(&within, value, found.adds_to.is_some(), &at, &mut problems);
            }
            facts.insert(id.to_string(), found);
        }
    }
    (facts, problems)
}

/// The operation an extension is read in.
struct Within<'a> {
    root: &'a Value,
    op: &'a Value,
    template: &'a str,
    body: Option<&'a Value>,
}

/// Where an extension's pointers lead: into the request body on the add,
/// into the first success answer on a read.
struct Place<'a> {
    root: &'a Value,
    schema: Option<&'a Value>,
    name: &'static str,
    here: JsonPath,
}

impl<'a> Within<'a> {
    /// The place of the extension at `here`: the add's (`is_add`) or a read's.
    fn place(&self, is_add: bool, here: JsonPath) -> Place<'a> {
        let (schema, name) = if is_add {
            (self.body, "the request body")
        } else {
            (
                success_body(self.root, self.op),
                "the first success response's body",
            )
        };
        Place {
            root: self.root,
            schema,
            name,
            here,
        }
    }
}

impl Place<'_> {
    /// Whether `pointer` (given as `key`) leads to a `kind` field; else a
    /// problem at the key.
    fn typed(
        &self,
        key: &str,
        pointer: Option<&str>,
        kind: &str,
        problems: &mut Vec<(JsonPath, String)>,
    ) -> bool {
        let found = match (pointer, self.schema) {
            (Some(p), Some(schema)) => type_at(self.root, schema, p) == Some(kind),
            _ => false,
        };
        if !found {
            let given = pointer.unwrap_or("nothing");
            problems.push((
                self.here.key(key),
                format!("{given} is no {kind} field of {}", self.name),
            ));
        }
        found
    }
}

/// `x-tracking-quantities` (`value`) of an operation at `at`: on the add
/// (`is_add`), in its request body; on a read, in its first success
/// answer, with the record's path parameter.
fn quantities(
    within: &Within<'_>,
    value: &Value,
    is_add: bool,
    at: &JsonPath,
    problems: &mut Vec<(JsonPath, String)>,
) -> Option<Quantities> {
    let place = within.place(is_add, at.key(QUANTITIES));
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    let found = match (value.get("total"), is_add) {
        (Some(_), false) => {
            let total = text("total");
            place
                .typed("total", total.as_deref(), "integer", problems)
                .then_some(total)
                .flatten()
                .map(QuantityPlace::Total)
        }
        _ => {
            let items = text("items");
            let items = place
                .typed("items", items.as_deref(), "array", problems)
                .then_some(items)
                .flatten();
            let field = |key: &str| Some(format!("{}/*/{}", items.as_ref()?, text(key)?));
            let id = place.typed("id", field("id").as_deref(), "string", problems);
            let quantity = place.typed(
                "quantity",
                field("quantity").as_deref(),
                "integer",
                problems,
            );
            match (items, id && quantity) {
                (Some(items), true) => Some(QuantityPlace::Items {
                    items,
                    id: text("id").unwrap_or_default(),
                    quantity: text("quantity").unwrap_or_default(),
                }),
                _ => None,
            }
        }
    };
    let record = if is_add {
        None
    } else {
        Some(record(within, value, &place.here, problems)?)
    };
    Some(Quantities {
        record,
        place: found?,
    })
}

/// `x-tracking-lines` (`value`) of an operation at `at`: on the add
/// (`is_add`), in its request body; on a read, in its first success
/// answer, with the record's path parameter.
fn lines(
    within: &Within<'_>,
    value: &Value,
    is_add: bool,
    at: &JsonPath,
    problems: &mut Vec<(JsonPath, String)>,
) -> Option<Lines> {
    let place = within.place(is_add, at.key(LINES));
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    let (items, id, statuses) = (text("items"), text("id"), text("statuses"));
    let within_items = |rest: &Option<String>, sep: &str| {
        Some(format!("{}/*{sep}{}", items.as_ref()?, rest.as_ref()?))
    };
    let ok = [
        place.typed("items", items.as_deref(), "array", problems),
        place.typed("id", within_items(&id, "/").as_deref(), "string", problems),
        place.typed(
            "statuses",
            within_items(&statuses, "").as_deref(),
            "array",
            problems,
        ),
    ]
    .iter()
    .all(|ok| *ok);
    let record = if is_add {
        None
    } else {
        Some(record(within, value, &place.here, problems)?)
    };
    ok.then(|| Lines {
        record,
        items: items.unwrap_or_default(),
        id: id.unwrap_or_default(),
        statuses: statuses.unwrap_or_default(),
    })
}

/// The path parameter a read names in `record`; else a problem at `here`.
fn record(
    within: &Within<'_>,
    value: &Value,
    here: &JsonPath,
    problems: &mut Vec<(JsonPath, String)>,
) -> Option<String> {
    match value.get("record").and_then(Value::as_str) {
        Some(name) if path_parameters(within.template).iter().any(|p| p == name) => {
            Some(name.to_string())
        }
        other => {
            let given = other.map_or("nothing".into(), |name| format!("{name:?}"));
            problems.push((
                here.key("record"),
                format!(
                    "record: {given} is not a path parameter of {}",
                    within.template
                ),
            ));
            None
        }
    }
}

/// The JSON schema of the first 2xx response with one.
fn success_body<'a>(root: &'a Value, op: &'a Value) -> Option<&'a Value> {
    let responses = op.get("responses")?.as_object()?;
    let mut statuses: Vec<&String> = responses.keys().filter(|s| s.starts_with('2')).collect();
    statuses.sort();
    statuses
        .into_iter()
        .find_map(|status| json_schema(root, follow_ref(root, &responses[status])))
}

/// The `{name}`s of a path template.
fn path_parameters(template: &str) -> Vec<String> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(name, _)| name.to_string())
        .collect()
}

/// Whether `pointer` (with `*` for every element) leads through `schema`'s
/// properties and items to a string.
fn string_at(root: &Value, schema: &Value, pointer: &str) -> bool {
    type_at(root, schema, pointer) == Some("string")
}

/// The `type` of the schema `pointer` (with `*` for every element) leads
/// to through `schema`'s properties and items.
fn type_at<'a>(root: &'a Value, schema: &'a Value, pointer: &str) -> Option<&'a str> {
    let mut node = follow_ref(root, schema);
    for token in pointer.split('/').skip(1) {
        let next = if token == "*" {
            node.get("items")
        } else {
            node.get("properties")
                .and_then(|p| p.get(token.replace("~1", "/").replace("~0", "~")))
        };
        match next {
            Some(next) => node = follow_ref(root, next),
            None => return None,
        }
    }
    node.get("type").and_then(Value::as_str)
}

/// Where the tracking numbers of a request body are: the strings at each
/// of `pointers` (`*` matching every array element), in order.
pub fn tracking_numbers<'a>(body: &'a Value, pointers: &[String]) -> Vec<&'a str> {
    let mut found = Vec::new();
    for pointer in pointers {
        collect(body, pointer, &mut found);
    }
    found
}

/// The strings at `pointer` in `value`, `*` matching every array element.
pub fn collect<'a>(value: &'a Value, pointer: &str, out: &mut Vec<&'a str>) {
    match pointer.split_once("/*") {
        None => out.extend(value.pointer(pointer).and_then(Value::as_str)),
        Some((array, rest)) => {
            for element in value
                .pointer(array)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                collect(element, rest, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(op: Value) -> Value {
        json!({
            "paths": {"/orders/{order}/tracking/{number}": {"post": op}},
            "components": {"schemas": {"Add": {"type": "object", "properties": {
                "numbers": {"type": "array", "items": {"$ref": "#/components/schemas/N"}},
                "count": {"type": "integer"}
            }}, "N": {"type": "object", "properties": {"tracking": {"type": "string"}}}}}
        })
    }

    fn with_body(extra: Value) -> Value {
        let mut op = json!({
            "operationId": "add",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Add"}}}}
        });
        for (k, v) in extra.as_object().unwrap() {
            op[k] = v.clone();
        }
        spec(op)
    }

    #[test]
    fn the_extensions_are_read() {
        let (facts, problems) = tracking(&with_body(json!({
            NUMBERS: ["/numbers/*/tracking"],
            ADDS_TO: "order",
            LOOKUP: {"record": "order", "number": "number"}
        })));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            facts["add"],
            Tracking {
                numbers: vec!["/numbers/*/tracking".into()],
                adds_to: Some("order".into()),
                lookup: Some(Lookup {
                    record: "order".into(),
                    number: "number".into()
                }),
                lists: None,
                quantities: None,
                lines: None,
            }
        );
        let body = json!({"numbers": [{"tracking": "1Z1"}, {"tracking": "1Z2"}]});
        assert_eq!(
            tracking_numbers(&body, &facts["add"].numbers),
            ["1Z1", "1Z2"]
        );
    }

    #[test]
    fn wrong_or_missing_facts_are_problems_at_their_node() {
        let messages = |op: Value| -> Vec<String> {
            tracking(&op)
                .1
                .into_iter()
                .map(|(path, message)| format!("{path}: {message}"))
                .collect()
        };
        let missing = messages(with_body(json!({})));
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].contains("x-tracking-numbers"), "{missing:?}");
        let wrong = messages(with_body(json!({
            NUMBERS: ["/numbers/*/missing", "/count"],
            ADDS_TO: "customer",
            LOOKUP: {"record": "order"}
        })));
        assert_eq!(wrong.len(), 4, "{wrong:?}");
        assert!(wrong[0].contains("/numbers/*/missing is no string field"));
        assert!(wrong[1].contains("/count is no string field"));
        assert!(wrong[2].contains("customer"), "{wrong:?}");
        assert!(
            wrong[3].contains("number: nothing is not a path parameter"),
            "{wrong:?}"
        );
        // No body: nothing to place.
        assert!(messages(spec(json!({"operationId": "read"}))).is_empty());
    }

    #[test]
    fn a_listing_names_its_record_and_where_its_answer_has_the_numbers() {
        let listing = |numbers: &str| {
            json!({"paths": {"/orders/{order}/shipments": {"get": {
                "operationId": "list",
                "x-tracking-lists": {"record": "order", "numbers": numbers},
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "array", "items": {
                        "type": "object", "properties": {"tracking_number": {"type": "string"}}
                    }}}}},
                    "204": {"description": "none"}
                }
            }}}})
        };
        let (facts, problems) = tracking(&listing("/*/tracking_number"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            facts["list"].lists,
            Some(Listing {
                record: "order".into(),
                numbers: "/*/tracking_number".into()
            })
        );
        let (facts, problems) = tracking(&listing("/*/number"));
        assert_eq!(facts["list"].lists, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].1.contains("/*/number is no string field"),
            "{problems:?}"
        );
    }

    #[test]
    fn quantities_are_read_on_the_add_and_the_reads_and_checked_against_their_schemas() {
        let spec = json!({
            "paths": {
                "/orders/{order}/ship": {"post": {
                    "operationId": "ship",
                    NUMBERS: ["/number"],
                    ADDS_TO: "order",
                    QUANTITIES: {"items": "/items", "id": "id", "quantity": "count"},
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                        "number": {"type": "string"},
                        "items": {"type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": "string"}, "count": {"type": "integer"}
                        }}}
                    }}}}}
                }},
                "/orders/{order}": {"get": {
                    "operationId": "read",
                    QUANTITIES: {"record": "order", "total": "/shipped"},
                    "responses": {"200": {"content": {"application/json": {"schema": {
                        "type": "object", "properties": {"shipped": {"type": "integer"}, "name": {"type": "string"}}
                    }}}}}
                }},
                "/orders/{order}/bad": {"get": {
                    "operationId": "bad",
                    QUANTITIES: {"record": "id", "total": "/name"},
                    "responses": {"200": {"content": {"application/json": {"schema": {
                        "type": "object", "properties": {"name": {"type": "string"}}
                    }}}}}
                }}
            }
        });
        let (facts, problems) = tracking(&spec);
        assert_eq!(
            facts["ship"].quantities,
            Some(Quantities {
                record: None,
                place: QuantityPlace::Items {
                    items: "/items".into(),
                    id: "id".into(),
                    quantity: "count".into()
                }
            })
        );
        assert_eq!(
            facts["read"].quantities,
            Some(Quantities {
                record: Some("order".into()),
                place: QuantityPlace::Total("/shipped".into())
            })
        );
        assert_eq!(facts["bad"].quantities, None);
        let messages: Vec<String> = problems
            .iter()
            .map(|(at, m)| format!("{at}: {m}"))
            .collect();
        assert_eq!(
            messages,
            [
                "$.paths['/orders/{order}/bad'].get.x-tracking-quantities.total: /name is no integer field of the first success response's body",
                "$.paths['/orders/{order}/bad'].get.x-tracking-quantities.record: record: \"id\" is not a path parameter of /orders/{order}/bad",
            ]
        );
    }

    #[test]
    fn lines_are_read_on_the_add_and_the_read_and_checked_against_their_schemas() {
        let line = json!({"type": "object", "properties": {
            "lineNumber": {"type": "string"},
            "statuses": {"type": "object", "properties": {"status": {"type": "array", "items": {"type": "object"}}}}
        }});
        let spec = json!({"paths": {
            "/orders/{po}/ship": {"post": {
                "operationId": "ship",
                NUMBERS: [],
                ADDS_TO: "po",
                LINES: {"items": "/lines", "id": "lineNumber", "statuses": "/statuses/status"},
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "lines": {"type": "array", "items": line.clone()}
                }}}}}
            }},
            "/orders/{po}": {"get": {
                "operationId": "read",
                LINES: {"record": "po", "items": "/order/lines", "id": "lineNumber", "statuses": "/statuses"},
                "responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "order": {"type": "object", "properties": {"lines": {"type": "array", "items": line}}}
                }}}}}}
            }}
        }});
        let (facts, problems) = tracking(&spec);
        assert_eq!(
            facts["ship"].lines,
            Some(Lines {
                record: None,
                items: "/lines".into(),
                id: "lineNumber".into(),
                statuses: "/statuses/status".into()
            })
        );
        // The read names the object, not the list of statuses: refused.
        assert_eq!(facts["read"].lines, None);
        let messages: Vec<String> = problems
            .iter()
            .map(|(at, m)| format!("{at}: {m}"))
            .collect();
        assert_eq!(
            messages,
            [
                "$.paths['/orders/{po}'].get.x-tracking-lines.statuses: /order/lines/*/statuses is no array field of the first success response's body"
            ]
        );
    }
}
