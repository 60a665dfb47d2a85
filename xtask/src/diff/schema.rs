//! Two versions of a schema compared: what a consumer of the generated
//! crate sees change (its Rust type, its fields, its enum), and what the
//! provider now refuses or sends.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tracking_spec::{JsonPath, follow_ref};

use super::differ::Differ;

/// Whether a schema describes what the client sends or what it receives.
pub use tracking_spec::Direction;

/// Where a schema is and what it is, for the changes found in it.
pub struct Place {
    /// Its JSON path in the new document.
    pub at: JsonPath,
    /// What it is, for people: `addOrderTracking request body.carrier`.
    pub what: String,
    /// Sent or received.
    pub direction: Direction,
}

impl Place {
    fn inner(&self, at: JsonPath, what: String) -> Place {
        Place {
            at,
            what,
            direction: self.direction,
        }
    }
}

/// How deep schemas are followed (a recursive schema ends here).
const MAX_DEPTH: usize = 24;

/// The Rust type typify (and this generator's conversions) make of a
/// schema's `type` and `format`: a changed format that keeps it is no
/// change for the code (`format: uri` dropped is still a `String`).
fn rust_type(schema: &Value) -> String {
    let text = |k: &str| schema.get(k).and_then(Value::as_str).unwrap_or_default();
    let (ty, format) = (text("type"), text("format"));
    let rust = match (ty, format) {
        ("string", "date-time") => "chrono::DateTime<Utc>",
        ("string", "date") => "chrono::NaiveDate",
        ("string", "uuid") => "uuid::Uuid",
        ("string", "ip") => "std::net::IpAddr",
        ("string", "ipv4") => "std::net::Ipv4Addr",
        ("string", "ipv6") => "std::net::Ipv6Addr",
        ("string", "password") => "tracking_runtime::Secret",
        ("string", _) => "String",
        ("integer", "int8") => "i8",
        ("integer", "int16") => "i16",
        ("integer", "int32") => "i32",
        ("integer", "uint8") => "u8",
        ("integer", "uint16") => "u16",
        ("integer", "uint32") => "u32",
        ("integer", "uint64") => "u64",
        ("integer", _) => "i64",
        ("number", "float") => "f32",
        ("number", "decimal") if schema.get("multipleOf").and_then(Value::as_f64) == Some(0.01) => {
            "tracking_runtime::Decimal2"
        }
        ("number", _) => "f64",
        (other, _) => other,
    };
    rust.to_string()
}

impl Differ<'_> {
    /// Compares schema `old` (in the old document) with `new`.
    pub(super) fn schema(&mut self, old: &Value, new: &Value, place: &Place, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        // A `$ref` is located at its component, where a maintainer edits it.
        let at = match new.get("$ref").and_then(Value::as_str) {
            Some(r) => JsonPath::from_pointer(r),
            None => place.at.clone(),
        };
        let place = place.inner(at.clone(), place.what.clone());
        let (old, new) = (follow_ref(self.old, old), follow_ref(self.new, new));
        let single = |s: &Value| {
            s.get("allOf")
                .and_then(Value::as_array)
                .filter(|a| a.len() == 1)
                .map(|a| a[0].clone())
        };
        if let (Some(o), Some(n)) = (single(old), single(new)) {
            return self.schema(&o, &n, &place, depth + 1);
        }
        self.type_and_format(old, new, &place);
        self.nullability(old, new, &place);
        self.enumeration(old, new, &place);
        self.fields(old, new, &place, depth);
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            let items = place.inner(at.key("items"), format!("{}[]", place.what));
            self.schema(o, n, &items, depth + 1);
        }
    }

    fn type_and_format(&mut self, old: &Value, new: &Value, place: &Place) {
        let text = |s: &Value, k: &str| s.get(k).map(|v| v.to_string());
        let what = &place.what;
        if text(old, "type") != text(new, "type") {
            self.breaking(
                &place.at.key("type"),
                format!(
                    "{what}: type changed from {} to {}",
                    text(old, "type").unwrap_or("any".into()),
                    text(new, "type").unwrap_or("any".into())
                ),
                "the Rust type changes, and crates built before send or expect the old one",
            );
        } else if text(old, "format") != text(new, "format") {
            let change = format!(
                "{what}: format changed from {} to {}",
                text(old, "format").unwrap_or("none".into()),
                text(new, "format").unwrap_or("none".into())
            );
            let (before, after) = (rust_type(old), rust_type(new));
            if before == after {
                self.non_breaking(
                    &place.at.key("format"),
                    change,
                    &format!("the Rust type stays `{after}`"),
                );
            } else {
                self.breaking(
                    &place.at.key("format"),
                    change,
                    &format!("the Rust type changes from `{before}` to `{after}`"),
                );
            }
        }
    }

    fn nullability(&mut self, old: &Value, new: &Value, place: &Place) {
        let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let (what, at) = (&place.what, &place.at);
        match (nullable(old), nullable(new), place.direction) {
            (false, true, Direction::Response) => self.breaking(
                at,
                format!("{what}: may now be null"),
                "the field becomes an Option, and old crates fail to decode a null",
            ),
            (true, false, Direction::Request) => self.breaking(
                at,
                format!("{what}: may no longer be null"),
                "requests sending null are refused",
            ),
            (false, true, Direction::Request) => self.non_breaking(
                at,
                format!("{what}: may now be null"),
                "the provider accepts more",
            ),
            _ => {}
        }
    }

    fn enumeration(&mut self, old: &Value, new: &Value, place: &Place) {
        let values = |s: &Value| -> BTreeSet<String> {
            s.get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(ToString::to_string)
                .collect()
        };
        let (old_values, new_values) = (values(old), values(new));
        let (what, at) = (&place.what, place.at.key("enum"));
        let response = place.direction == Direction::Response;
        match (old_values.is_empty(), new_values.is_empty()) {
            (true, true) => return,
            (true, false) => {
                let listed: Vec<&str> = new_values.iter().map(String::as_str).collect();
                let why = if response {
                    "the Rust type changes from a string to an enum, and a value outside it no longer decodes"
                } else {
                    "the Rust type changes from a string to an enum, so code setting it no longer compiles, and requests with other values are refused"
                };
                self.breaking(
                    &at,
                    format!(
                        "{what}: an enum put on a free value ({})",
                        listed.join(", ")
                    ),
                    why,
                );
                return;
            }
            (false, true) => {
                self.breaking(
                    &at,
                    format!("{what}: its enum removed"),
                    "the Rust type changes from an enum to a string: code naming its variants no longer compiles",
                );
                return;
            }
            (false, false) => {}
        }
        for value in old_values.difference(&new_values) {
            if response {
                self.non_breaking(
                    &at,
                    format!("{what}: enum value {value} removed"),
                    "the provider sends fewer values",
                );
            } else {
                self.breaking(
                    &at,
                    format!("{what}: enum value {value} removed"),
                    "its Rust variant goes away, and requests with it are refused",
                );
            }
        }
        for value in new_values.difference(&old_values) {
            if response {
                self.breaking(&at, format!("{what}: enum value {value} added to a response"), "generated enums reject unknown values: crates built before fail to decode a response carrying it (this is why the specs keep responses free of enums)");
            } else {
                self.non_breaking(&at, format!("{what}: enum value {value} added"), "a new Rust variant; existing code still compiles unless it matches exhaustively");
            }
        }
    }

    fn fields(&mut self, old: &Value, new: &Value, place: &Place, depth: usize) {
        let response = place.direction == Direction::Response;
        let (what, at) = (&place.what, &place.at);
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
            let inner = place.inner(field_at, format!("{what}.{name}"));
            self.schema(old_prop, new_prop, &inner, depth + 1);
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
    }
}
