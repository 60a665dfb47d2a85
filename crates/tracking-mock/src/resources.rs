//! What exists at the provider, for a mock started with
//! [`MockConfig::stateful`](crate::MockConfig::stateful): the Crux tracking
//! numbers added through it. An update of one it never added answers 404, as
//! Crux would, so that a client that lost the answer to its POST can ask the
//! mock whether the POST was applied and get the truth.
//!
//! VTEX invoices are not tracked: tracking numbers are commonly added to
//! invoices issued by another system, which the mock cannot know of.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::ledger::collect;

/// Where a call names the thing it creates or changes.
enum Id {
    /// A path parameter.
    Path(&'static str),
    /// A JSON pointer into the body (`*` for every element of an array).
    Body(&'static str),
}

/// What one operation does to one kind of thing.
struct Rule {
    operation: &'static str,
    /// What it is, for messages: e.g. `tracking number`.
    kind: &'static str,
    /// The path parameter naming what it belongs to (the order).
    parent: &'static str,
    id: Id,
    /// Creates it (otherwise it must exist already).
    creates: bool,
    /// A body field that renames it, if the call may.
    renamed_by: Option<&'static str>,
}

/// Every operation that creates or needs an existing thing. Operations not
/// listed are answered as without state.
const RULES: &[Rule] = &[
    Rule {
        operation: "addOrderTracking",
        kind: "tracking number",
        parent: "order_uuid",
        id: Id::Body("/tracking_numbers/*/tracking"),
        creates: true,
        renamed_by: None,
    },
    Rule {
        operation: "updateOrderTracking",
        kind: "tracking number",
        parent: "order_uuid",
        id: Id::Path("tracking_number"),
        creates: false,
        renamed_by: Some("/tracking"),
    },
];

/// Whether a stateful mock may answer `operation` 404: it changes a thing
/// that must have been created through the mock.
pub(crate) fn needs_existing(operation: &str) -> bool {
    RULES.iter().any(|r| r.operation == operation && !r.creates)
}

/// One thing that exists: provider, kind, parent, id.
type Key = (String, &'static str, String, String);

/// The things created so far.
#[derive(Default)]
pub(crate) struct Resources {
    existing: HashSet<Key>,
}

/// What a call does to the resources, read from its request.
pub(crate) struct Effect {
    /// The things it needs to exist, with a message for each.
    required: Vec<(Key, String)>,
    created: Vec<Key>,
    removed: Vec<Key>,
}

impl Effect {
    /// Reads what `operation` of `provider` does, from its path parameters and body.
    pub(crate) fn of(
        provider: &str,
        operation: &str,
        path_params: &BTreeMap<String, String>,
        body: Option<&Value>,
    ) -> Self {
        let mut effect = Effect {
            required: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
        };
        for rule in RULES.iter().filter(|r| r.operation == operation) {
            let Some(parent) = path_params.get(rule.parent) else {
                continue;
            };
            let key = |id: &str| {
                (
                    provider.to_string(),
                    rule.kind,
                    parent.clone(),
                    id.to_string(),
                )
            };
            let mut ids = Vec::new();
            match rule.id {
                Id::Path(name) => ids.extend(path_params.get(name).map(String::as_str)),
                Id::Body(pointer) => {
                    if let Some(body) = body {
                        collect(body, pointer, &mut ids);
                    }
                }
            }
            for id in ids {
                if rule.creates {
                    effect.created.push(key(id));
                    continue;
                }
                let message = format!(
                    "no {} {id} of {} {parent} was created through this mock",
                    rule.kind, rule.parent
                );
                effect.required.push((key(id), message));
                let renamed = rule
                    .renamed_by
                    .and_then(|pointer| body?.pointer(pointer)?.as_str());
                if let Some(new_id) = renamed.filter(|new_id| *new_id != id) {
                    effect.removed.push(key(id));
                    effect.created.push(key(new_id));
                }
            }
        }
        effect
    }
}

impl Resources {
    /// Why the call cannot be applied (something it needs does not exist), if so.
    pub(crate) fn missing(&self, effect: &Effect) -> Option<String> {
        effect
            .required
            .iter()
            .find(|(key, _)| !self.existing.contains(key))
            .map(|(_, message)| message.clone())
    }

    /// Applies the call's effect.
    pub(crate) fn apply(&mut self, effect: Effect) {
        for key in effect.removed {
            self.existing.remove(&key);
        }
        self.existing.extend(effect.created);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_update_needs_what_an_add_created_under_the_same_order() {
        let mut resources = Resources::default();
        let order = params(&[("order_uuid", "o-1")]);
        let update = |order: &str, number: &str, body: Value| {
            Effect::of(
                "crux",
                "updateOrderTracking",
                &params(&[("order_uuid", order), ("tracking_number", number)]),
                Some(&body),
            )
        };

        let missing = resources.missing(&update("o-1", "1Z1", json!({})));
        assert_eq!(
            missing.as_deref(),
            Some("no tracking number 1Z1 of order_uuid o-1 was created through this mock")
        );

        let add = json!({"tracking_numbers": [{"tracking": "1Z1"}, {"tracking": "1Z2"}]});
        let added = Effect::of("crux", "addOrderTracking", &order, Some(&add));
        assert_eq!(resources.missing(&added), None);
        resources.apply(added);
        assert_eq!(resources.missing(&update("o-1", "1Z1", json!({}))), None);
        assert_eq!(resources.missing(&update("o-1", "1Z2", json!({}))), None);
        // Another order, or the same number at another provider, is another thing.
        assert!(
            resources
                .missing(&update("o-2", "1Z1", json!({})))
                .is_some()
        );
        let elsewhere = Effect::of(
            "other",
            "updateOrderTracking",
            &params(&[("order_uuid", "o-1"), ("tracking_number", "1Z1")]),
            Some(&json!({})),
        );
        assert!(resources.missing(&elsewhere).is_some());

        // Renumbering moves it.
        resources.apply(update("o-1", "1Z1", json!({"tracking": "1Z9"})));
        assert!(
            resources
                .missing(&update("o-1", "1Z1", json!({})))
                .is_some()
        );
        assert_eq!(resources.missing(&update("o-1", "1Z9", json!({}))), None);
    }

    #[test]
    fn calls_on_things_the_mock_does_not_track_need_nothing() {
        let resources = Resources::default();
        let on_invoice = params(&[("orderId", "v1-01"), ("invoiceNumber", "77")]);
        for operation in ["updatePartialInvoice", "updateTrackingStatus"] {
            let effect = Effect::of("vtex-oms", operation, &on_invoice, Some(&json!({})));
            assert_eq!(resources.missing(&effect), None, "{operation}");
        }
        let shipping = Effect::of(
            "sellercloud",
            "updateOrderShippingStatus",
            &BTreeMap::new(),
            Some(&json!({"OrderID": 1})),
        );
        assert_eq!(resources.missing(&shipping), None);
    }

    #[test]
    fn every_rule_names_an_operation_and_path_parameters_of_the_specs() {
        let paths = crate::ledger::spec_routes();
        for rule in RULES {
            let route = paths
                .get(rule.operation)
                .unwrap_or_else(|| panic!("{}", rule.operation));
            assert!(route.contains(&format!("{{{}}}", rule.parent)), "{route}");
            if let Id::Path(name) = rule.id {
                assert!(route.contains(&format!("{{{name}}}")), "{route}");
            }
        }
    }
}
