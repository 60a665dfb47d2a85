//! Every lint rule on a small bad spec, and every diff category on a pair of
//! small specs, with the expected rule, place and classification.

use std::path::Path;

use xtask::diff::{Impact, diff_texts};
use xtask::lint::lint_text;

/// A small spec that breaks no rule.
const GOOD: &str = r##"openapi: 3.0.3
info:
  title: Shop
  version: 1.0.0
servers:
  - url: https://{shop}.example.com/api
    variables:
      shop:
        default: demo
security:
  - key: []
paths:
  /orders/{id}/tracking:
    put:
      operationId: setTracking
      summary: Set tracking
      description: Sets the tracking of an order.
      parameters:
        - name: id
          in: path
          required: true
          description: The order.
          schema:
            type: integer
          example: 7
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Tracking'
            examples:
              ups:
                value:
                  number: 1Z
                  carrier: UPS
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Receipt'
              examples:
                ok:
                  value:
                    receipt: r-1
                    status: stored
        '404':
          description: No such order.
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
  schemas:
    Tracking:
      type: object
      additionalProperties: false
      required: [number]
      properties:
        number:
          type: string
        carrier:
          type: string
          enum: [UPS, FedEx]
    Receipt:
      type: object
      required: [receipt]
      properties:
        receipt:
          type: string
        status:
          type: string
"##;

fn file() -> &'static Path {
    Path::new("specs/shop.yaml")
}

fn with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from:?} is not in the base spec");
    GOOD.replacen(from, to, 1)
}

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
        ["58:5 component `Spare` is never used (at $.components.schemas.Spare)"]
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

// ---- diff ---------------------------------------------------------------------

/// The changes from the base spec to `new`, as `impact: what`.
fn changes(new: &str) -> Vec<String> {
    diff_texts(file(), GOOD, new)
        .unwrap()
        .into_iter()
        .map(|c| format!("{:?}: {}", c.impact, c.what))
        .collect()
}

fn impact(new: &str) -> Vec<Impact> {
    diff_texts(file(), GOOD, new)
        .unwrap()
        .into_iter()
        .map(|c| c.impact)
        .collect()
}

#[test]
fn no_change_no_report() {
    assert!(changes(GOOD).is_empty());
}

#[test]
fn operation_renamed_removed_and_added() {
    // Same method and path, another operationId: the method is renamed.
    let renamed = with("operationId: setTracking", "operationId: putTracking");
    assert_eq!(
        changes(&renamed),
        ["Breaking: operation setTracking renamed to putTracking (PUT /orders/{id}/tracking)"]
    );
    let moved = with(
        "  /orders/{id}/tracking:\n    put:\n      operationId: setTracking",
        "  /orders/{id}/shipping:\n    put:\n      operationId: putTracking",
    );
    assert_eq!(
        changes(&moved),
        [
            "Breaking: operation setTracking (PUT /orders/{id}/tracking) removed",
            "NonBreaking: operation putTracking (PUT /orders/{id}/shipping) added"
        ]
    );
}

#[test]
fn operations_without_an_operation_id_are_compared_by_method_and_path() {
    let anonymous = GOOD.replace("      operationId: setTracking\n", "");
    let retyped = anonymous.replace(
        "        number:\n          type: string",
        "        number:\n          type: integer",
    );
    let found = diff_texts(file(), &anonymous, &retyped).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].what,
        "PUT /orders/{id}/tracking request body.number: type changed from \"string\" to \"integer\""
    );
    assert_eq!(found[0].impact, Impact::Breaking);
}

#[test]
fn an_enum_put_on_a_free_string_breaks_requests_and_code() {
    // VTEX's InvoiceNotification.type, 2025-11-11 → 2026-07-24.
    let free = with("          enum: [UPS, FedEx]\n", "");
    let found = diff_texts(file(), &free, GOOD).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].impact, Impact::Breaking);
    assert!(
        found[0]
            .what
            .ends_with("an enum put on a free value (\"FedEx\", \"UPS\")"),
        "{}",
        found[0].what
    );
    // And the other way: the Rust type changes back to a string.
    let found = diff_texts(file(), GOOD, &free).unwrap();
    assert_eq!(found[0].impact, Impact::Breaking);
    assert!(
        found[0].what.ends_with("its enum removed"),
        "{}",
        found[0].what
    );
}

#[test]
fn a_format_that_keeps_the_rust_type_is_no_break() {
    let uri = with(
        "        number:\n          type: string",
        "        number:\n          type: string\n          format: uri",
    );
    let found = diff_texts(file(), &uri, GOOD).unwrap();
    assert_eq!(found[0].impact, Impact::NonBreaking, "{found:?}");
    assert!(found[0].why.contains("stays `String`"), "{}", found[0].why);
    let date = with(
        "        number:\n          type: string",
        "        number:\n          type: string\n          format: date-time",
    );
    let found = diff_texts(file(), GOOD, &date).unwrap();
    assert_eq!(found[0].impact, Impact::Breaking, "{found:?}");
}

#[test]
fn security_compares_what_is_sent_not_how_it_is_described() {
    let described = with(
        "      name: X-Key\n",
        "      name: X-Key\n      description: The shop's key.\n",
    );
    assert!(changes(&described).is_empty(), "{:?}", changes(&described));
    let alternative = with("security:\n  - key: []\n", "security:\n  - key: []\n  - cookie: []\n")
        .replace("  securitySchemes:\n", "  securitySchemes:\n    cookie:\n      type: apiKey\n      in: cookie\n      name: session\n");
    assert_eq!(
        changes(&alternative),
        ["NonBreaking: setTracking: security gained an alternative"]
    );
}

#[test]
fn an_inline_schema_is_located_inside_its_media_type() {
    let inline = with(
        "            schema:\n              $ref: '#/components/schemas/Tracking'\n            examples:",
        "            schema:\n              type: object\n              properties:\n                number:\n                  type: string\n            examples:",
    );
    let retyped = inline.replacen(
        "                number:\n                  type: string",
        "                number:\n                  type: integer",
        1,
    );
    let found = diff_texts(file(), &inline, &retyped).unwrap();
    assert_eq!(
        found[0].path,
        "$.paths['/orders/{id}/tracking'].put.requestBody.content['application/json'].schema.properties.number.type"
    );
}

#[test]
fn two_files_of_either_format_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("old.yaml");
    let json = dir.path().join("new.json");
    std::fs::write(&yaml, GOOD).unwrap();
    let mut new: serde_json::Value = tracking_spec::parse(file(), GOOD).unwrap().json;
    new["components"]["schemas"]["Receipt"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("status");
    std::fs::write(&json, serde_json::to_string_pretty(&new).unwrap()).unwrap();
    let report = xtask::diff::diff_files(&yaml, &json, "1.2.3").unwrap();
    let changes = &report.specs[0].changes;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0].what.ends_with("response field `status` removed"));
    assert!(changes[0].location.starts_with(&yaml.display().to_string()));
    assert_eq!(report.specs[0].suggested().as_deref(), Some("2.0.0"));
}

#[test]
fn method_and_path_changed() {
    assert_eq!(
        changes(&with("    put:", "    post:")),
        ["Breaking: setTracking: method changed from PUT to POST"]
    );
    let moved = with("  /orders/{id}/tracking:", "  /orders/{id}/shipping:");
    assert_eq!(
        changes(&moved),
        ["Breaking: setTracking: path changed from /orders/{id}/tracking to /orders/{id}/shipping"]
    );
}

const NEW_PARAM: &str = "        - name: dryRun\n          in: query\n          required: REQ\n          description: d\n          schema:\n            type: boolean\n          example: true\n";

#[test]
fn parameter_added_removed_renamed_retyped() {
    let required = with(
        "      requestBody:",
        &format!("{}      requestBody:", NEW_PARAM.replace("REQ", "true")),
    );
    assert_eq!(
        changes(&required),
        ["Breaking: setTracking: required query parameter `dryRun` added"]
    );
    let optional = with(
        "      requestBody:",
        &format!("{}      requestBody:", NEW_PARAM.replace("REQ", "false")),
    );
    assert_eq!(impact(&optional), [Impact::NonBreaking]);
    let renamed = with("  /orders/{id}/tracking:", "  /orders/{orderId}/tracking:").replacen(
        "        - name: id\n",
        "        - name: orderId\n",
        1,
    );
    assert!(
        changes(&renamed).contains(
            &"Breaking: setTracking: path parameter `id` renamed to `orderId`".to_string()
        ),
        "{:?}",
        changes(&renamed)
    );
    let retyped = with(
        "          schema:\n            type: integer\n          example: 7",
        "          schema:\n            type: string\n          example: '7'",
    );
    assert_eq!(
        changes(&retyped),
        ["Breaking: setTracking path parameter `id`: type changed from \"integer\" to \"string\""]
    );
    let base_with_optional = with(
        "      requestBody:",
        &format!("{}      requestBody:", NEW_PARAM.replace("REQ", "false")),
    );
    let removed = diff_texts(file(), &base_with_optional, GOOD).unwrap();
    assert_eq!(
        removed[0].what,
        "setTracking: query parameter `dryRun` removed"
    );
    assert_eq!(removed[0].impact, Impact::Breaking);
}

#[test]
fn request_fields() {
    let required = with(
        "      required: [number]\n      properties:\n        number:",
        "      required: [number, weight]\n      properties:\n        weight:\n          type: number\n        number:",
    );
    assert_eq!(
        changes(&required),
        ["Breaking: setTracking request body: required request field `weight` added"]
    );
    let retyped = with(
        "        number:\n          type: string",
        "        number:\n          type: integer",
    );
    assert_eq!(impact(&retyped), [Impact::Breaking]);
    let enum_removed = with("enum: [UPS, FedEx]", "enum: [UPS]");
    assert_eq!(
        changes(&enum_removed),
        ["Breaking: setTracking request body.carrier: enum value \"FedEx\" removed"]
    );
    let enum_added = with("enum: [UPS, FedEx]", "enum: [UPS, FedEx, DHL]");
    assert_eq!(impact(&enum_added), [Impact::NonBreaking]);
}

#[test]
fn response_fields() {
    let removed = with("        status:\n          type: string\n", "");
    assert_eq!(
        changes(&removed),
        ["Breaking: setTracking 200 response: response field `status` removed"]
    );
    let optional = with(
        "      required: [receipt]\n      properties:\n        receipt:",
        "      properties:\n        receipt:",
    );
    assert_eq!(
        changes(&optional),
        ["Breaking: setTracking 200 response: response field `receipt` made optional"]
    );
    let nullable = with(
        "        status:\n          type: string\n",
        "        status:\n          type: string\n          nullable: true\n",
    );
    assert_eq!(
        changes(&nullable),
        ["Breaking: setTracking 200 response.status: may now be null"]
    );
    let retyped = with(
        "        status:\n          type: string\n",
        "        status:\n          type: integer\n",
    );
    assert_eq!(impact(&retyped), [Impact::Breaking]);
    let added = with(
        "        status:\n          type: string\n",
        "        status:\n          type: string\n        extra:\n          type: string\n",
    );
    assert_eq!(
        changes(&added),
        ["NonBreaking: setTracking 200 response: response field `extra` added"]
    );
}

#[test]
fn enum_value_added_to_a_response_says_how_the_code_copes() {
    let base = with(
        "        status:\n          type: string\n",
        "        status:\n          type: string\n          enum: [stored]\n",
    );
    let new = with(
        "        status:\n          type: string\n",
        "        status:\n          type: string\n          enum: [stored, queued]\n",
    );
    let found = diff_texts(file(), &base, &new).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].impact, Impact::Breaking);
    assert!(
        found[0]
            .why
            .contains("generated enums reject unknown values"),
        "{}",
        found[0].why
    );
}

#[test]
fn response_status_security_and_servers() {
    let status = with(
        "        '404':\n          description: No such order.\n",
        "",
    );
    assert_eq!(
        changes(&status),
        ["Breaking: setTracking: response 404 removed"]
    );
    let security = with(
        "      in: header\n      name: X-Key",
        "      in: header\n      name: X-Api-Key",
    );
    assert!(
        changes(&security)[0].starts_with("Breaking: setTracking: security changed"),
        "{:?}",
        changes(&security)
    );
    let server = with(
        "https://{shop}.example.com/api",
        "https://{shop}.example.net/api",
    );
    assert_eq!(
        changes(&server),
        [
            "Breaking: server https://{shop}.example.com/api removed or changed",
            "NonBreaking: server https://{shop}.example.net/api added"
        ]
    );
}

#[test]
fn changes_have_places() {
    let retyped = with(
        "        number:\n          type: string",
        "        number:\n          type: integer",
    );
    let change = &diff_texts(file(), GOOD, &retyped).unwrap()[0];
    assert_eq!(change.location, "specs/shop.yaml:64:11");
    assert_eq!(
        change.path,
        "$.components.schemas.Tracking.properties.number.type"
    );
}
