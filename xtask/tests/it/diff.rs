//! Every diff category on a pair of small specs, with the expected
//! classification and place.

use xtask::diff::{Impact, diff_texts};

use crate::spec::{GOOD, file, with};

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
    assert_eq!(change.location, "specs/shop.yaml:65:11");
    assert_eq!(
        change.path,
        "$.components.schemas.Tracking.properties.number.type"
    );
}
