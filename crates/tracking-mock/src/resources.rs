//! What exists at the provider, for a mock started with
//! [`MockConfig::stateful`](crate::MockConfig::stateful): the tracking
//! numbers added through it, to the record each call names. A spec says
//! which call adds them (`x-tracking-adds-to`) and which call looks one up
//! (`x-tracking-lookup`, see [`tracking_spec::tracking`]): a lookup of a
//! number never added answers 404, as the provider would, so that a client
//! that lost the answer to its add can ask the mock whether the add was
//! applied and get the truth.
//!
//! Calls that set a number in place (an invoice's, an order's) need no
//! record: the mock cannot know the records another system made.
//!
//! Where a spec says where items and quantities are
//! (`x-tracking-quantities`), the quantities an add ships are kept per
//! record and item, and the reads answer them (Amazon's quantities
//! shipped), so that a client that lost the answer to its confirmation
//! reads what was applied. Where it says where lines and their statuses
//! are (`x-tracking-lines`), the statuses an add sets are kept per record
//! and line, and the reads show them (Walmart's line statuses, tracking
//! numbers and all).

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;
use tracking_spec::tracking::QuantityPlace;

use crate::provider::Provider;

/// One thing that exists: provider, record parameter, record, tracking number.
type Key = (String, String, String, String);

/// One item of a record: provider, record, item id.
type Item = (String, String, String);

/// The things created so far.
#[derive(Default)]
pub(crate) struct Resources {
    existing: HashSet<Key>,
    shipped: BTreeMap<Item, i64>,
    statuses: BTreeMap<Item, Vec<Value>>,
}

/// What a call does to the resources, read from its request.
pub(crate) struct Effect {
    /// The things it needs to exist, with a message for each.
    required: Vec<(Key, String)>,
    created: Vec<Key>,
    removed: Vec<Key>,
    shipped: Vec<(Item, i64)>,
    statuses: Vec<(Item, Vec<Value>)>,
}

impl Effect {
    /// Reads what `operation` of `provider` does, from its spec's tracking
    /// facts, its path parameters and its body.
    pub(crate) fn of(
        provider: &Provider,
        operation: &str,
        path_params: &BTreeMap<String, String>,
        body: Option<&Value>,
    ) -> Self {
        let mut effect = Effect {
            required: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            shipped: Vec::new(),
            statuses: Vec::new(),
        };
        let Some(facts) = provider.tracking.get(operation) else {
            return effect;
        };
        let key = |parameter: &str, record: &str, number: &str| {
            (
                provider.name.clone(),
                parameter.to_string(),
                record.to_string(),
                number.to_string(),
            )
        };
        let numbers = provider.tracking_numbers(operation, body);
        if let Some(parameter) = &facts.adds_to
            && let Some(record) = path_params.get(parameter)
        {
            for number in &numbers {
                effect.created.push(key(parameter, record, number));
            }
            if let (Some(quantities), Some(body)) = (&facts.quantities, body)
                && let QuantityPlace::Items {
                    items,
                    id,
                    quantity,
                } = &quantities.place
            {
                for item in body
                    .pointer(items)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let (Some(item_id), Some(count)) = (
                        item.get(id).and_then(Value::as_str),
                        item.get(quantity).and_then(Value::as_i64),
                    ) {
                        let at = (provider.name.clone(), record.clone(), item_id.to_string());
                        effect.shipped.push((at, count));
                    }
                }
            }
            if let (Some(lines), Some(body)) = (&facts.lines, body) {
                let list = body.pointer(&lines.items).and_then(Value::as_array);
                for line in list.into_iter().flatten() {
                    if let (Some(id), Some(statuses)) = (
                        line.get(&lines.id).and_then(Value::as_str),
                        line.pointer(&lines.statuses).and_then(Value::as_array),
                    ) {
                        let at = (provider.name.clone(), record.clone(), id.to_string());
                        effect.statuses.push((at, statuses.clone()));
                    }
                }
            }
        }
        if let Some(lookup) = &facts.lookup
            && let (Some(record), Some(number)) = (
                path_params.get(&lookup.record),
                path_params.get(&lookup.number),
            )
        {
            let message = format!(
                "no tracking number {number} of {} {record} was created through this mock",
                lookup.record
            );
            effect
                .required
                .push((key(&lookup.record, record, number), message));
            // A lookup that sets another number renames the one it found.
            if let Some(new) = numbers.first().filter(|new| *new != number) {
                effect.removed.push(key(&lookup.record, record, number));
                effect.created.push(key(&lookup.record, record, new));
            }
        }
        effect
    }
}

impl Resources {
    /// The tracking numbers created under `record` (path parameter
    /// `parameter`) of `provider`, sorted.
    pub(crate) fn numbers(&self, provider: &str, parameter: &str, record: &str) -> Vec<String> {
        let mut found: Vec<String> = self
            .existing
            .iter()
            .filter(|(p, param, r, _)| p == provider && param == parameter && r == record)
            .map(|(_, _, _, number)| number.clone())
            .collect();
        found.sort();
        found
    }

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
        for (item, count) in effect.shipped {
            *self.shipped.entry(item).or_default() += count;
        }
        for (line, statuses) in effect.statuses {
            self.statuses.entry(line).or_default().extend(statuses);
        }
    }

    /// A read's answer with the statuses set through the mock on the lines
    /// of `record` of `provider`: each listed line's, in place of its own (a
    /// line set that the answer lacks is added, a copy of its first).
    pub(crate) fn with_lines(
        &self,
        provider: &str,
        record: &str,
        lines: &tracking_spec::tracking::Lines,
        mut answer: Value,
    ) -> Value {
        let set: Vec<(&String, &Vec<Value>)> = self
            .statuses
            .iter()
            .filter(|((p, r, _), _)| p == provider && r == record)
            .map(|((_, _, line), statuses)| (line, statuses))
            .collect();
        if set.is_empty() {
            return answer;
        }
        let Some(list) = answer
            .pointer_mut(&lines.items)
            .and_then(Value::as_array_mut)
        else {
            return answer;
        };
        let template = list.first().cloned();
        for (line, statuses) in set {
            let element = element_with(list, template.as_ref(), &lines.id, line);
            if let Some(slot) = element.and_then(|e| e.pointer_mut(&lines.statuses)) {
                *slot = Value::Array(statuses.clone());
            }
        }
        answer
    }

    /// A read's answer with the quantities shipped through the mock of
    /// `record` of `provider`, where `place` says: each listed item's
    /// (an item shipped that the answer lacks is added, a copy of its
    /// first), or the total.
    pub(crate) fn with_quantities(
        &self,
        provider: &str,
        record: &str,
        place: &QuantityPlace,
        mut answer: Value,
    ) -> Value {
        let of_record: Vec<(&String, i64)> = self
            .shipped
            .iter()
            .filter(|((p, r, _), _)| p == provider && r == record)
            .map(|((_, _, item), count)| (item, *count))
            .collect();
        match place {
            QuantityPlace::Total(pointer) => {
                let total: i64 = of_record.iter().map(|(_, count)| count).sum();
                if let Some(slot) = answer.pointer_mut(pointer) {
                    *slot = Value::from(total);
                }
            }
            QuantityPlace::Items {
                items,
                id,
                quantity,
            } => {
                let Some(list) = answer.pointer_mut(items).and_then(Value::as_array_mut) else {
                    return answer;
                };
                let template = list.first().cloned();
                // Every listed item shows what shipped of it, nothing if
                // nothing did; an item shipped that the answer lacks is added.
                for element in list.iter_mut() {
                    let item = element.get(id).and_then(Value::as_str).unwrap_or_default();
                    let count = of_record
                        .iter()
                        .find(|(i, _)| *i == item)
                        .map_or(0, |(_, c)| *c);
                    set_field(element, quantity, Value::from(count));
                }
                for (item, count) in &of_record {
                    if let Some(element) = element_with(list, template.as_ref(), id, item) {
                        set_field(element, quantity, Value::from(*count));
                    }
                }
            }
        }
        answer
    }
}

/// The element of `list` whose `id_field` is `id`; else a copy of
/// `template` (the list's first) with that id, added to the list.
fn element_with<'a>(
    list: &'a mut Vec<Value>,
    template: Option<&Value>,
    id_field: &str,
    id: &str,
) -> Option<&'a mut Value> {
    let listed = list
        .iter()
        .position(|e| e.get(id_field).and_then(Value::as_str) == Some(id));
    let at = match listed {
        Some(at) => at,
        None => {
            let mut element = template?.clone();
            set_field(&mut element, id_field, Value::from(id));
            list.push(element);
            list.len() - 1
        }
    };
    list.get_mut(at)
}

/// Sets `field` of `element`, if it is an object (a spec of one's own may
/// list other values).
fn set_field(element: &mut Value, field: &str, value: Value) {
    if let Some(fields) = element.as_object_mut() {
        fields.insert(field.to_string(), value);
    }
}

/// The answer of a listing call (`x-tracking-lists`) for a record that
/// holds `numbers`: the example with the list at `pointer` (`/*/field`, or
/// `/fulfillments/*/field` for a list inside an object) holding one copy of
/// its first element per number, the number at the field; or `None` (no
/// body) when there are none and the call answers 204 then.
pub(crate) fn listing(
    example: Option<&Value>,
    pointer: &str,
    numbers: &[String],
    empty_is_204: bool,
) -> Option<Value> {
    if numbers.is_empty() && empty_is_204 {
        return None;
    }
    let (list, field) = pointer.split_once("/*").unwrap_or(("", pointer));
    let mut answer = example.cloned().unwrap_or_else(|| {
        if list.is_empty() {
            Value::Array(Vec::new())
        } else {
            Value::Object(Default::default())
        }
    });
    let template = answer
        .pointer(list)
        .and_then(|l| l.get(0))
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let listed = numbers
        .iter()
        .map(|number| {
            let mut element = template.clone();
            if let Some(slot) = element.pointer_mut(field) {
                *slot = Value::String(number.clone());
            }
            element
        })
        .collect();
    match answer.pointer_mut(list) {
        Some(slot) => *slot = Value::Array(listed),
        None => return Some(Value::Array(listed)),
    }
    Some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SpecSource;
    use serde_json::json;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn builtin(name: &str) -> Provider {
        let source = SpecSource::builtin()
            .into_iter()
            .find(|s| s.name == name)
            .unwrap();
        Provider::load(&source, None).unwrap()
    }

    #[test]
    fn a_listing_fills_a_list_inside_an_object_and_keeps_the_rest() {
        let example = json!({"fulfillments": [{"fulfillmentId": "1", "shipmentTrackingNumber": "X"}], "total": 1});
        let numbers = ["A".to_string(), "B".to_string()];
        let listed = listing(
            Some(&example),
            "/fulfillments/*/shipmentTrackingNumber",
            &numbers,
            false,
        )
        .unwrap();
        assert_eq!(
            listed["fulfillments"],
            json!([
                {"fulfillmentId": "1", "shipmentTrackingNumber": "A"},
                {"fulfillmentId": "1", "shipmentTrackingNumber": "B"}
            ])
        );
        assert_eq!(listed["total"], 1);
        let empty = listing(
            Some(&example),
            "/fulfillments/*/shipmentTrackingNumber",
            &[],
            false,
        );
        assert_eq!(empty.unwrap()["fulfillments"], json!([]));
        // A top-level list, as before.
        let top = listing(Some(&json!([{"n": "X"}])), "/*/n", &numbers, true).unwrap();
        assert_eq!(top, json!([{"n": "A"}, {"n": "B"}]));
        assert_eq!(listing(None, "/*/n", &[], true), None);
    }

    /// A provider whose spec adds numbers to an order and looks one up.
    fn adding() -> Provider {
        SpecSource::builtin()
            .iter()
            .map(|source| Provider::load(source, None).unwrap())
            .find(|p| p.tracking.values().any(|f| f.lookup.is_some()))
            .expect("a built-in spec with a lookup")
    }

    #[test]
    fn a_lookup_needs_what_an_add_created_under_the_same_record() {
        let provider = adding();
        let (add, added_to) = provider
            .tracking
            .iter()
            .find_map(|(op, f)| Some((op.clone(), f.adds_to.clone()?)))
            .unwrap();
        let (look, lookup) = provider
            .tracking
            .iter()
            .find_map(|(op, f)| Some((op.clone(), f.lookup.clone()?)))
            .unwrap();
        assert_eq!(lookup.record, added_to);
        let mut resources = Resources::default();
        let update = |order: &str, number: &str, body: Value| {
            Effect::of(
                &provider,
                &look,
                &params(&[(&lookup.record, order), (&lookup.number, number)]),
                Some(&body),
            )
        };
        let missing = resources.missing(&update("o-1", "1Z1", json!({})));
        assert_eq!(
            missing,
            Some(format!(
                "no tracking number 1Z1 of {} o-1 was created through this mock",
                lookup.record
            ))
        );

        let body = json!({"tracking_numbers": [{"tracking": "1Z1"}, {"tracking": "1Z2"}]});
        let added = Effect::of(&provider, &add, &params(&[(&added_to, "o-1")]), Some(&body));
        assert_eq!(resources.missing(&added), None);
        resources.apply(added);
        assert_eq!(resources.missing(&update("o-1", "1Z1", json!({}))), None);
        assert_eq!(resources.missing(&update("o-1", "1Z2", json!({}))), None);
        // Another order is another thing.
        assert!(
            resources
                .missing(&update("o-2", "1Z1", json!({})))
                .is_some()
        );

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
    fn calls_that_set_a_number_in_place_need_nothing() {
        let resources = Resources::default();
        for source in SpecSource::builtin() {
            let provider = builtin(&source.name);
            for (operation, facts) in &provider.tracking {
                if facts.lookup.is_some() {
                    continue;
                }
                let effect = Effect::of(
                    &provider,
                    operation,
                    &params(&[("orderId", "v1-01"), ("id", "1")]),
                    Some(&json!({})),
                );
                assert_eq!(resources.missing(&effect), None, "{operation}");
            }
        }
    }

    #[test]
    fn quantities_shipped_through_the_mock_fill_the_reads_of_their_record() {
        let place = QuantityPlace::Items {
            items: "/payload/OrderItems".into(),
            id: "OrderItemId".into(),
            quantity: "QuantityShipped".into(),
        };
        let mut resources = Resources::default();
        let item =
            |record: &str, id: &str| ("amazon".to_string(), record.to_string(), id.to_string());
        resources.apply(Effect {
            required: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            shipped: vec![
                (item("o-1", "A"), 2),
                (item("o-1", "B"), 1),
                (item("o-2", "A"), 5),
            ],
            statuses: Vec::new(),
        });
        resources.apply(Effect {
            required: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            shipped: vec![(item("o-1", "A"), 1)],
            statuses: Vec::new(),
        });
        let example = json!({"payload": {"OrderItems": [{"OrderItemId": "A", "QuantityOrdered": 3, "QuantityShipped": 0}]}});
        let read = resources.with_quantities("amazon", "o-1", &place, example.clone());
        assert_eq!(
            read["payload"]["OrderItems"],
            json!([
                {"OrderItemId": "A", "QuantityOrdered": 3, "QuantityShipped": 3},
                {"OrderItemId": "B", "QuantityOrdered": 3, "QuantityShipped": 1}
            ])
        );
        let total = QuantityPlace::Total("/payload/NumberOfItemsShipped".into());
        let order = json!({"payload": {"NumberOfItemsShipped": 0}});
        assert_eq!(
            resources.with_quantities("amazon", "o-1", &total, order.clone())["payload"]["NumberOfItemsShipped"],
            4
        );
        // Another record, another provider: their own.
        assert_eq!(
            resources.with_quantities("amazon", "o-3", &total, order.clone())["payload"]["NumberOfItemsShipped"],
            0
        );
        assert_eq!(
            resources.with_quantities("ebay", "o-1", &place, example.clone()),
            example
        );
    }

    #[test]
    fn line_statuses_set_through_the_mock_replace_the_reads_own() {
        let lines = tracking_spec::tracking::Lines {
            record: Some("po".into()),
            items: "/order/lines".into(),
            id: "lineNumber".into(),
            statuses: "/statuses/status".into(),
        };
        let shipped = json!([{"status": "Shipped", "trackingInfo": {"trackingNumber": "1Z1"}}]);
        let mut resources = Resources::default();
        resources.apply(Effect {
            required: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            shipped: Vec::new(),
            statuses: vec![(
                ("walmart".into(), "po-1".into(), "2".into()),
                shipped.as_array().unwrap().clone(),
            )],
        });
        let example = json!({"order": {"lines": [
            {"lineNumber": "1", "statuses": {"status": [{"status": "Acknowledged"}]}}
        ]}});
        let read = resources.with_lines("walmart", "po-1", &lines, example.clone());
        assert_eq!(
            read["order"]["lines"],
            json!([
                {"lineNumber": "1", "statuses": {"status": [{"status": "Acknowledged"}]}},
                {"lineNumber": "2", "statuses": {"status": shipped}}
            ])
        );
        assert_eq!(
            resources.with_lines("walmart", "po-2", &lines, example.clone()),
            example
        );
    }
}
