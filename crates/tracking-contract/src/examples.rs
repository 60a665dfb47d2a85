//! Every `example` and `examples[*].value` of a spec, checked against the
//! schema it illustrates.

use serde_json::Value;
use tracking_spec::{JsonPath, json_media, resolve_ref};

use crate::schema::Direction;
use crate::{Checker, Contract, Finding, compile, escape};

pub(crate) fn check(contract: &Contract) -> Vec<Finding> {
    let spec = contract.json();
    let mut findings = Vec::new();
    let mut check_examples = |at: &JsonPath, node: &Value, checker: &Checker| {
        for (example_at, value) in examples(spec, at, node) {
            for v in checker.check("example", value) {
                findings.push(Finding {
                    rule: "example-valid",
                    path: example_at.clone(),
                    message: format!(
                        "{}{}: {} (spec: {})",
                        v.part,
                        pointer(&v.pointer),
                        v.message,
                        v.rule
                    ),
                });
            }
        }
    };

    for op in contract.operations() {
        let op_node = spec.pointer(&format!(
            "/paths/{}/{}",
            escape(&op.path),
            op.method.to_lowercase()
        ));
        let Some(op_node) = op_node else { continue };
        let item_at = format!("/paths/{}", escape(&op.path));
        let Some(item) = spec.pointer(&item_at) else {
            continue;
        };
        let op_at = format!("{item_at}/{}", op.method.to_lowercase());
        for param in tracking_spec::parameters(spec, &item_at, item, &op_at, op_node) {
            let Some(spec_param) = op
                .params
                .iter()
                .find(|p| p.name == param.name && p.location == param.location)
            else {
                continue;
            };
            check_examples(&param.path, param.node, &spec_param.schema);
        }
        if let (Some(body), Some(spec_body)) = (op_node.get("requestBody"), &op.request) {
            let (body_at, body) =
                resolve_ref(spec, &pointer_of(&op.location.key("requestBody")), body);
            if let Some((media, media_node)) = json_media(spec, body) {
                check_examples(
                    &JsonPath::from_pointer(&body_at).key("content").key(media),
                    media_node,
                    &spec_body.schema,
                );
            }
        }
        for (status, response) in op_node
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(schema) = status
                .parse()
                .ok()
                .and_then(|s: u16| op.responses.get(&s)?.json())
            else {
                continue;
            };
            let (response_at, response) = resolve_ref(
                spec,
                &pointer_of(&op.location.key("responses").key(status.clone())),
                response,
            );
            if let Some((media, media_node)) = json_media(spec, response) {
                check_examples(
                    &JsonPath::from_pointer(&response_at)
                        .key("content")
                        .key(media),
                    media_node,
                    schema,
                );
            }
        }
    }

    // `example` inside component schemas, e.g. a property's example.
    let mut schema_examples = Vec::new();
    for (name, schema) in spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        collect_schema_examples(
            schema,
            &JsonPath::root()
                .key("components")
                .key("schemas")
                .key(name.clone()),
            &mut schema_examples,
        );
    }
    for (at, schema) in schema_examples {
        let Some(example) = schema.get("example") else {
            continue;
        };
        match compile(
            contract.file(),
            spec,
            pointer_of(&at),
            schema,
            Direction::Response,
        ) {
            Ok(checker) => {
                for v in checker.check("example", example) {
                    findings.push(Finding {
                        rule: "example-valid",
                        path: at.key("example"),
                        message: format!("{}{}: {}", v.part, pointer(&v.pointer), v.message),
                    });
                }
            }
            Err(e) => findings.push(Finding {
                rule: "example-valid",
                path: at,
                message: e.to_string(),
            }),
        }
    }
    findings
}

fn pointer(p: &str) -> String {
    if p.is_empty() {
        String::new()
    } else {
        format!(" {p}")
    }
}

/// The examples of a parameter or media type node ([`tracking_spec::examples`]),
/// each with where it is: `at`'s `example`, or `examples.NAME.value`.
fn examples<'a>(spec: &'a Value, at: &JsonPath, node: &'a Value) -> Vec<(JsonPath, &'a Value)> {
    tracking_spec::examples(spec, node)
        .into_iter()
        .map(|(name, value)| match name {
            None => (at.key("example"), value),
            Some(name) => (at.key("examples").key(name.to_string()).key("value"), value),
        })
        .collect()
}

fn collect_schema_examples<'a>(
    schema: &'a Value,
    at: &JsonPath,
    out: &mut Vec<(JsonPath, &'a Value)>,
) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if map.contains_key("example") && !map.contains_key("$ref") {
        out.push((at.clone(), schema));
    }
    for (name, property) in map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        collect_schema_examples(property, &at.key("properties").key(name.clone()), out);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = map.get(key) {
            collect_schema_examples(inner, &at.key(key), out);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, inner) in map
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            collect_schema_examples(inner, &at.key(key).index(i), out);
        }
    }
}

fn pointer_of(path: &JsonPath) -> String {
    path.segments()
        .map(|s| format!("/{}", escape(&s)))
        .collect()
}
