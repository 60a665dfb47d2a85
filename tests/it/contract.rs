//! The contract engine over every spec in `specs/`: every example is valid,
//! every operation is illustrated, the documents are clean, and each example,
//! broken on purpose (a required field removed, a wrong type, a value outside
//! an enum, an unknown field, a null), is judged as the spec says.

use std::path::{Path, PathBuf};

use contract_tests::spec::{SpecFile, all_specs, resolve};
use serde_json::{Value, json};
use tracking_contract::{Contract, Direction, check_document};

fn contract(spec: &SpecFile) -> Contract {
    Contract::load(&spec.path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_example_of_every_spec_is_valid() {
    for spec in all_specs() {
        let findings = contract(&spec).check_examples();
        assert!(findings.is_empty(), "{}:\n{}", spec.name, lines(&findings));
    }
}

#[test]
fn every_spec_is_clean_no_unused_components_duplicate_ids_or_broken_refs() {
    for spec in all_specs() {
        let findings = check_document(&spec.json);
        assert!(findings.is_empty(), "{}:\n{}", spec.name, lines(&findings));
    }
}

#[test]
fn every_operation_has_a_request_example_and_one_per_documented_response() {
    for spec in all_specs() {
        for op in spec.operations() {
            assert!(
                !op.has_body || !op.request_examples.is_empty(),
                "{} {}: no request example",
                spec.name,
                op.id
            );
            for response in &op.responses {
                assert!(
                    !response.has_body || !response.examples.is_empty(),
                    "{} {}: response {} has no example",
                    spec.name,
                    op.id,
                    response.status
                );
            }
        }
    }
}

fn lines(items: &[impl ToString]) -> String {
    items
        .iter()
        .map(|i| format!("  {}", i.to_string()))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- examples broken on purpose ------------------------------------------------

/// What a mutated example should get from the validator.
enum Expect {
    /// Refused, with a violation at `pointer` (or naming `name` in its message).
    Invalid {
        pointer: String,
        name: String,
    },
    Valid,
}

struct Mutation {
    what: String,
    instance: Value,
    expect: Expect,
}

/// The schema node behind `$ref`s and single-element `allOf`s, and whether
/// the way there said `nullable`.
fn effective<'a>(root: &'a Value, schema: &'a Value) -> (&'a Value, bool) {
    let mut nullable = schema
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut node = resolve(root, schema);
    loop {
        nullable |= node
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        match node.get("allOf").and_then(Value::as_array) {
            Some(all) if all.len() == 1 => node = resolve(root, &all[0]),
            _ => return (node, nullable),
        }
    }
}

fn wrong_type(schema: &Value) -> Option<Value> {
    match schema.get("type")?.as_str()? {
        "string" => Some(json!(12345)),
        "integer" | "number" | "boolean" | "array" | "object" => Some(json!("wrong type")),
        _ => None,
    }
}

fn mutations(
    root: &Value,
    schema: &Value,
    instance: &Value,
    pointer: &str,
    direction: Direction,
    out: &mut Vec<Mutation>,
) {
    let (schema, _) = effective(root, schema);
    match instance {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, value) in object {
                let at = format!("{pointer}/{name}");
                let mutate = |value: Value| {
                    let mut copy = object.clone();
                    copy.insert(name.clone(), value);
                    Value::Object(copy)
                };
                if required.contains(&name.as_str()) {
                    let mut copy = object.clone();
                    copy.remove(name);
                    out.push(Mutation {
                        what: format!("required {at} removed"),
                        instance: Value::Object(copy),
                        expect: Expect::Invalid {
                            pointer: pointer.to_string(),
                            name: name.clone(),
                        },
                    });
                }
                let Some(property) = properties.and_then(|p| p.get(name)) else {
                    continue;
                };
                let (property_schema, nullable) = effective(root, property);
                if let Some(wrong) = wrong_type(property_schema) {
                    out.push(Mutation {
                        what: format!("{at} of the wrong type"),
                        instance: mutate(wrong),
                        expect: Expect::Invalid {
                            pointer: at.clone(),
                            name: name.clone(),
                        },
                    });
                }
                if property_schema.get("enum").is_some() {
                    out.push(Mutation {
                        what: format!("{at} outside its enum"),
                        instance: mutate(json!("NotInTheEnum")),
                        expect: Expect::Invalid {
                            pointer: at.clone(),
                            name: name.clone(),
                        },
                    });
                }
                out.push(Mutation {
                    what: format!("{at} null (nullable: {nullable})"),
                    instance: mutate(Value::Null),
                    expect: if nullable {
                        Expect::Valid
                    } else {
                        Expect::Invalid {
                            pointer: at.clone(),
                            name: name.clone(),
                        }
                    },
                });
                // Deeper mutations of this property, wrapped back into the object.
                let mut inner = Vec::new();
                mutations(root, property, value, &at, direction, &mut inner);
                out.extend(inner.into_iter().map(|m| Mutation {
                    instance: mutate(m.instance),
                    ..m
                }));
            }
            if direction == Direction::Request
                && schema.get("additionalProperties") == Some(&Value::Bool(false))
            {
                let mut copy = object.clone();
                copy.insert("unknownField".into(), json!("x"));
                out.push(Mutation {
                    what: format!("unknown field in {pointer:?}"),
                    instance: Value::Object(copy),
                    expect: Expect::Invalid {
                        pointer: pointer.to_string(),
                        name: "unknownField".into(),
                    },
                });
            }
        }
        Value::Array(items) => {
            let Some(item_schema) = schema.get("items") else {
                return;
            };
            for (i, item) in items.iter().enumerate() {
                let mut inner = Vec::new();
                mutations(
                    root,
                    item_schema,
                    item,
                    &format!("{pointer}/{i}"),
                    direction,
                    &mut inner,
                );
                out.extend(inner.into_iter().map(|m| {
                    let mut copy = items.clone();
                    copy[i] = m.instance;
                    Mutation {
                        instance: Value::Array(copy),
                        ..m
                    }
                }));
            }
        }
        _ => {}
    }
}

fn media_schema(root: &Value, node: &Value) -> Option<Value> {
    tracking_spec::json_schema(root, node).cloned()
}

#[test]
fn every_example_broken_on_purpose_is_judged_as_the_spec_says() {
    let mut checked = 0;
    for spec in all_specs() {
        let contract = contract(&spec);
        let root = &spec.json;
        for op in spec.operations() {
            let op_node = &root["paths"][&op.path][op.method.to_lowercase()];
            let mut cases: Vec<(Direction, Option<u16>, Value, Value)> = Vec::new();
            if let Some(schema) = op_node
                .get("requestBody")
                .and_then(|b| media_schema(root, b))
            {
                cases.extend(
                    op.request_examples
                        .iter()
                        .map(|e| (Direction::Request, None, schema.clone(), e.value.clone())),
                );
            }
            for response in &op.responses {
                let node = &op_node["responses"][response.status.to_string()];
                if let Some(schema) = media_schema(root, node) {
                    cases.extend(response.examples.iter().map(|e| {
                        (
                            Direction::Response,
                            Some(response.status),
                            schema.clone(),
                            e.value.clone(),
                        )
                    }));
                }
            }
            for (direction, status, schema, example) in cases {
                let mut found = Vec::new();
                mutations(root, &schema, &example, "", direction, &mut found);
                for m in found {
                    let violations = contract
                        .validate_body(&op.id, direction, status, &m.instance)
                        .unwrap();
                    let what = format!(
                        "{} {} {direction:?} {status:?}: {}",
                        spec.name, op.id, m.what
                    );
                    match m.expect {
                        Expect::Valid => assert!(
                            violations.is_empty(),
                            "{what}: refused:\n{}",
                            lines(&violations)
                        ),
                        Expect::Invalid { pointer, name } => {
                            assert!(!violations.is_empty(), "{what}: accepted {}", m.instance);
                            assert!(
                                violations.iter().any(|v| v.pointer == pointer
                                    && (v.pointer.ends_with(&format!("/{name}"))
                                        || v.message.contains(&name))),
                                "{what}: no violation at {pointer:?} naming {name}:\n{}",
                                lines(&violations)
                            );
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} mutations checked");
}

// ---- specs broken on purpose ----------------------------------------------------

/// A copy of `specs/<name>.yaml` with `from` replaced by `to`, in a temp dir.
fn broken_copy(name: &str, from: &str, to: &str) -> PathBuf {
    let original = contract_tests::spec::specs_dir().join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&original).unwrap();
    assert!(
        text.contains(from),
        "{from:?} is not in {name}.yaml any more: update this test"
    );
    let dir = std::env::temp_dir().join(format!("contract-{}-{}", std::process::id(), hash(from)));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

fn hash(seed: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    seed.hash(&mut h);
    h.finish()
}

fn findings(path: &Path) -> Vec<String> {
    let contract = Contract::load(path).unwrap_or_else(|e| panic!("{e}"));
    contract
        .check_examples()
        .iter()
        .chain(&check_document(contract.json()))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_broken_example_is_reported_where_it_is() {
    let path = broken_copy(
        "crux",
        "                          quantity: 1\n",
        "                          quantity: '1'\n",
    );
    let found = findings(&path);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("at $.paths['/orders/tracking/{order_uuid}/'].post.requestBody.content['application/json'].examples.oneParcel.value"), "{}", found[0]);
    assert!(
        found[0].contains(
            "/tracking_numbers/0/line_items/0/quantity: \"1\" is not of type \"integer\""
        ),
        "{}",
        found[0]
    );
}

#[test]
fn a_broken_schema_is_caught_by_the_examples() {
    // The receipt's `receipt` becomes an integer: every receipt example breaks.
    let path = broken_copy(
        "vtex-oms",
        "        receipt:\n          type: string",
        "        receipt:\n          type: integer",
    );
    let found = findings(&path);
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|f| f
            .contains("/receipt: \"f67d33a8029c42ce9a8f07fc17f54449\" is not of type \"integer\"")),
        "{found:#?}"
    );
}

#[test]
fn a_schema_example_that_breaks_its_schema_is_reported() {
    let path = broken_copy(
        "sellercloud",
        "          example: 5004321\n",
        "          example: '5004321'\n",
    );
    let found = findings(&path);
    assert!(
        found.iter().any(|f| f.starts_with(
            "at $.components.schemas.UpdateOrderShippingStatusRequest.properties.OrderID.example"
        )),
        "{found:#?}"
    );
}

#[test]
fn an_unused_component_is_reported() {
    let path = broken_copy(
        "sellercloud",
        "  schemas:\n",
        "  schemas:\n    Leftover:\n      type: string\n",
    );
    assert_eq!(
        findings(&path),
        ["at $.components.schemas.Leftover: component `Leftover` is never used"]
    );
}

#[test]
fn a_duplicate_operation_id_is_reported() {
    let path = broken_copy(
        "crux",
        "operationId: updateOrderTracking",
        "operationId: addOrderTracking",
    );
    let found = findings(&path);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("operationId `addOrderTracking` is already used at"),
        "{}",
        found[0]
    );
}

#[test]
fn an_unresolved_ref_is_reported() {
    let path = broken_copy(
        "vtex-oms",
        "$ref: '#/components/schemas/TrackingEvent'",
        "$ref: '#/components/schemas/TrackingEvents'",
    );
    let error = Contract::load(&path).err().expect("refused").to_string();
    assert!(
        error.contains(
            "$.components.schemas.UpdateTrackingStatusRequest.properties.events.items['$ref']"
        ),
        "{error}"
    );
    assert!(error.contains("does not resolve"), "{error}");
}

// ---- whole requests and responses ----------------------------------------------

#[test]
fn requests_are_checked_whole_path_parameters_included() {
    let spec = all_specs()
        .into_iter()
        .find(|s| s.name == "sellercloud")
        .unwrap();
    let contract = contract(&spec);
    let body = json!({"TrackingNumber": "1Z"});
    let ok = tracking_contract::Request {
        method: "PUT",
        path: "/api/PurchaseOrders/18227/TrackingNumber",
        body: Some(&body),
        ..Default::default()
    };
    assert_eq!(
        contract.validate_request(&ok).unwrap().id,
        "updatePurchaseOrderTracking"
    );

    let bad_id = tracking_contract::Request {
        path: "/api/PurchaseOrders/abc/TrackingNumber",
        ..ok.clone()
    };
    let violations = contract.validate_request(&bad_id).unwrap_err();
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].part, "path parameter id");
    assert!(
        violations[0]
            .message
            .contains("\"abc\" is not of type \"integer\""),
        "{}",
        violations[0]
    );

    let unknown = tracking_contract::Request {
        path: "/api/Nowhere",
        ..ok.clone()
    };
    let violations = contract.validate_request(&unknown).unwrap_err();
    assert!(
        violations[0]
            .message
            .contains("no operation is PUT /api/Nowhere (known: "),
        "{}",
        violations[0]
    );

    let no_body = tracking_contract::Request {
        body: None,
        ..ok.clone()
    };
    assert_eq!(
        contract.validate_request(&no_body).unwrap_err()[0].message,
        "a request body is required"
    );
}

#[test]
fn every_violation_is_reported_not_just_the_first() {
    let spec = all_specs().into_iter().find(|s| s.name == "crux").unwrap();
    let body = json!({"tracking_numbers": [{"ship_cost": 1.234, "weight": "heavy", "line_items": [{"quantity": -1}]}], "extra": 1});
    let violations = contract(&spec)
        .validate_body("addOrderTracking", Direction::Request, None, &body)
        .unwrap();
    let pointers: Vec<&str> = violations.iter().map(|v| v.pointer.as_str()).collect();
    for expected in [
        "",
        "/tracking_numbers/0",
        "/tracking_numbers/0/ship_cost",
        "/tracking_numbers/0/weight",
        "/tracking_numbers/0/line_items/0/quantity",
        "/tracking_numbers/0/line_items/0",
    ] {
        assert!(
            pointers.contains(&expected),
            "{expected:?} missing from:\n{}",
            lines(&violations)
        );
    }
    assert!(
        violations.iter().all(|v| v.rule.starts_with("#/")),
        "{}",
        lines(&violations)
    );
}

#[test]
fn responses_are_checked_by_status() {
    let spec = all_specs()
        .into_iter()
        .find(|s| s.name == "vtex-oms")
        .unwrap();
    let contract = contract(&spec);
    let receipt = json!({"date": "2017-03-29T18:04:31.0521233+00:00", "orderId": "o", "receipt": "r", "addedLater": true});
    assert!(
        contract
            .validate_response("updateTrackingStatus", 200, Some(&receipt))
            .unwrap()
            .is_empty(),
        "open to added fields"
    );
    let undocumented = contract
        .validate_response("updateTrackingStatus", 201, Some(&receipt))
        .unwrap();
    assert_eq!(undocumented[0].part, "status");
    let wrong = contract
        .validate_response(
            "updateTrackingStatus",
            200,
            Some(&json!({"orderId": 7, "receipt": false})),
        )
        .unwrap();
    assert_eq!(wrong.len(), 2, "{}", lines(&wrong));
    assert!(contract.validate_response("nope", 200, None).is_err());
}
