//! Every lint rule on a small bad spec, with the expected rule and place.

use xtask::lint::lint_text;

use crate::spec::{GOOD, file, with};

/// The findings of rule `rule` in `text`, as `line:column message`.
fn lints(text: &str, rule: &str) -> Vec<String> {
    lint_text(file(), text)
        .into_iter()
        .filter(|l| l.rule == rule)
        .map(|l| format!("{}:{} {} (at {})", l.line, l.column, l.message, l.path))
        .collect()
}

#[test]
fn the_base_spec_is_clean() {
    assert_eq!(lint_text(file(), GOOD), vec![]);
}

#[test]
fn spec_loads() {
    assert_eq!(lints("openapi: 3.0.3\ninfo: [\n", "spec-loads").len(), 1);
    let found = lints(&with("  title: Shop\n", "  title: [Shop]\n"), "spec-loads");
    assert!(found[0].contains("$.info"), "{found:?}");
}

#[test]
fn openapi_3_0() {
    assert_eq!(
        lints(&with("openapi: 3.0.3", "openapi: 3.1.0"), "openapi-3.0"),
        [
            "1:1 OpenAPI 3.1.0 is not supported: progenitor 0.15 reads OpenAPI 3.0.x only; write the spec as 3.0.3 (at $.openapi)"
        ]
    );
}

#[test]
fn operation_id() {
    assert_eq!(
        lints(
            &with("operationId: setTracking", "operationId: set_tracking"),
            "operation-id"
        ),
        [
            "15:7 operationId `set_tracking` is not camelCase (at $.paths['/orders/{id}/tracking'].put.operationId)"
        ]
    );
    assert_eq!(
        lints(
            &with("      operationId: setTracking\n", ""),
            "operation-id"
        )[0],
        "14:5 missing `operationId`: the client method is named after it (at $.paths['/orders/{id}/tracking'].put)"
    );
}

#[test]
fn operation_docs() {
    assert_eq!(
        lints(&with("      summary: Set tracking\n", ""), "operation-docs"),
        ["14:5 no `summary` (at $.paths['/orders/{id}/tracking'].put)"]
    );
}

#[test]
fn parameter_docs() {
    let found = lints(
        &with("          description: The order.\n", ""),
        "parameter-docs",
    );
    assert_eq!(
        found,
        [
            "19:11 parameter `id` has no `description` (at $.paths['/orders/{id}/tracking'].put.parameters[0])"
        ]
    );
    assert_eq!(
        lints(&with("          example: 7\n", ""), "parameter-docs").len(),
        1
    );
}

#[test]
fn request_example() {
    let text = with(
        "            examples:\n              ups:\n                value:\n                  number: 1Z\n                  carrier: UPS\n",
        "",
    );
    assert_eq!(
        lints(&text, "request-example"),
        [
            "29:11 the request body has no example (at $.paths['/orders/{id}/tracking'].put.requestBody.content['application/json'])"
        ]
    );
}

#[test]
fn response_example() {
    let text = with(
        "              examples:\n                ok:\n                  value:\n                    receipt: r-1\n                    status: stored\n",
        "",
    );
    assert_eq!(lints(&text, "response-example").len(), 1);
    assert!(lints(&text, "response-example")[0].contains("the 200 response has no example"));
}

#[test]
fn example_valid() {
    let found = lints(
        &with(
            "                  carrier: UPS",
            "                  carrier: DHL",
        ),
        "example-valid",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("34:17 example /carrier: \"DHL\" is not one of"),
        "{found:?}"
    );
}

#[test]
fn unused_component() {
    let found = lints(
        &with(
            "  schemas:\n",
            "  schemas:\n    Spare:\n      type: string\n",
        ),
        "unused-component",
    );
    assert_eq!(
        found,
        ["59:5 component `Spare` is never used (at $.components.schemas.Spare)"]
    );
}

#[test]
fn duplicate_operation_id_and_unresolved_ref() {
    let text = with(
        "components:",
        "  /other:\n    get:\n      operationId: setTracking\n      summary: s\n      description: d\n      responses:\n        '204':\n          description: ok\ncomponents:",
    );
    assert_eq!(lints(&text, "duplicate-operation-id").len(), 1);
    let found = lints(
        &with(
            "'#/components/schemas/Receipt'",
            "'#/components/schemas/Reciept'",
        ),
        "unresolved-ref",
    );
    assert!(found[0].contains("does not resolve"), "{found:?}");
}

#[test]
fn security_and_servers_declared() {
    assert_eq!(
        lints(&with("security:\n  - key: []\n", ""), "security-declared").len(),
        1
    );
    let text = with(
        "servers:\n  - url: https://{shop}.example.com/api\n    variables:\n      shop:\n        default: demo\n",
        "",
    );
    assert_eq!(
        lints(&text, "servers-declared"),
        [
            "1:1 no `servers`: declare where the API lives (with variables where the host varies) (at $.servers)"
        ]
    );
}

#[test]
fn open_responses() {
    let text = with(
        "    Receipt:\n      type: object\n",
        "    Receipt:\n      type: object\n      additionalProperties: false\n",
    );
    assert_eq!(lints(&text, "open-responses").len(), 1);
    let text = with(
        "        status:\n          type: string\n",
        "        status:\n          type: string\n          enum: [stored]\n",
    );
    assert!(lints(&text, "open-responses")[0].contains("an `enum` in a response"));
}

#[test]
fn generator_constructs() {
    let default = with("        '404':", "        default:");
    assert_eq!(lints(&default, "default-response").len(), 1);
    let mixed = with(
        "        '404':\n          description: No such order.\n",
        "        '201':\n          description: Created.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Tracking'\n              example: {number: x}\n",
    );
    assert_eq!(lints(&mixed, "mixed-success-bodies").len(), 1);
    let media = with(
        "            examples:\n              ups:",
        "          application/xml:\n            schema:\n              $ref: '#/components/schemas/Tracking'\n            examples:\n              ups:",
    );
    assert_eq!(lints(&media, "several-media-types").len(), 1);
    let cookie = with(
        "          example: 7\n",
        "          example: 7\n        - name: s\n          in: cookie\n          description: d\n          schema: {type: string}\n          example: x\n",
    );
    assert_eq!(lints(&cookie, "cookie-parameter").len(), 1);
}

#[test]
fn tracking_facts() {
    let unplaced = lints(
        &with("      x-tracking-numbers: [/number]\n", ""),
        "tracking-facts",
    );
    assert_eq!(unplaced.len(), 1, "{unplaced:?}");
    assert!(
        unplaced[0].contains("give x-tracking-numbers"),
        "{unplaced:?}"
    );
    assert_eq!(
        lints(
            &with(
                "x-tracking-numbers: [/number]",
                "x-tracking-numbers: [/carrier/x]\n      x-tracking-adds-to: order"
            ),
            "tracking-facts"
        ),
        [
            "51:28 /carrier/x is no string field of the request body (at $.paths['/orders/{id}/tracking'].put.x-tracking-numbers[0])",
            "52:7 x-tracking-adds-to: \"order\" is not a path parameter of /orders/{id}/tracking (at $.paths['/orders/{id}/tracking'].put.x-tracking-adds-to)"
        ]
    );
}
