//! Documents as platforms publish them, Swagger 2.0 and OpenAPI 3.1, through
//! the generator: converted to 3.0 first, every operation generated, and
//! what the conversion lost or guessed leading the notes. (That the code
//! compiles is `cargo xtask corpus`'s proof, which CI runs.)

use std::path::{Path, PathBuf};

use tracking_codegen::Strictness;

fn corpus(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(file)
}

/// `text` in a file `name` of a new temporary folder (kept while the
/// folder is).
fn written(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

/// How many operations the document has as published.
fn operations(file: &Path) -> usize {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    json["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().keys())
        .filter(|key| tracking_spec::METHODS.contains(&key.as_str()))
        .count()
}

/// How many the generated code has: progenitor writes one `OperationInfo`
/// per operation.
fn generated_operations(code: &str) -> usize {
    code.matches("OperationInfo {").count()
}

#[test]
fn every_operation_of_swagger_s_own_examples_is_generated() {
    for name in [
        "swagger2-petstore.json",
        "swagger2-petstore-expanded.json",
        "swagger2-petstore-minimal.json",
        "swagger2-petstore-simple.json",
        "swagger2-petstore-with-external-docs.json",
        "swagger2-uber.json",
        "swagger2-api-with-examples.json",
    ] {
        let file = corpus(&format!("oai/{name}"));
        let code = tracking_codegen::generate_file(&file, Strictness::LeaveOut)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            generated_operations(&code.code),
            operations(&file),
            "{name}"
        );
    }
}

#[test]
fn amazon_s_orders_model_generates_the_calls_a_tracking_push_needs() {
    let generated =
        tracking_codegen::generate_file(&corpus("amazon/ordersV0.json"), Strictness::LeaveOut)
            .unwrap();
    for method in ["confirm_shipment", "get_order", "get_order_items"] {
        assert!(
            generated.code.contains(&format!("pub fn {method}(")),
            "no {method}"
        );
    }
    // The body parameter is a typed request body, its schema from
    // `definitions`, and the server is Amazon's host.
    assert!(generated.code.contains("pub struct ConfirmShipmentRequest"));
    assert!(
        generated
            .code
            .contains("https://sellingpartnerapi-na.amazon.com")
    );
    // Amazon's named examples are not by media type, as 2.0 has them: each
    // is a note at its node, not dropped in silence.
    let dropped: Vec<_> = generated
        .notes
        .iter()
        .filter(|n| n.rule == "swagger-examples")
        .collect();
    assert!(!dropped.is_empty());
    assert!(
        dropped
            .iter()
            .all(|n| n.path.to_string().contains(".examples."))
    );
}

#[test]
fn a_3_1_document_s_webhooks_are_a_note_and_its_operations_code() {
    let generated = tracking_codegen::generate_file(
        &corpus("oai/openapi31-webhook-example.json"),
        Strictness::LeaveOut,
    )
    .unwrap();
    assert_eq!(generated.notes[0].rule, "openapi31-webhooks");
    assert!(generated.notes[0].message.contains("newPet"));
    let generated = tracking_codegen::generate_file(
        &corpus("oai/openapi31-non-oauth-scopes.json"),
        Strictness::LeaveOut,
    )
    .unwrap();
    assert!(generated.code.contains("pub fn get_users("));
}

#[test]
fn a_3_1_schema_is_generated_as_3_0_would_say_it() {
    let (_dir, file) = written(
        "shop.yaml",
        r##"openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /shipments:
    post:
      operationId: createShipment
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Shipment"}
      responses:
        "201": {description: created}
components:
  schemas:
    Shipment:
      type: object
      required: [tracking, kind, weight]
      properties:
        tracking: {type: string, examples: ["1Z999", "1Z998"]}
        note: {type: [string, "null"]}
        kind: {const: parcel}
        weight: {type: number, exclusiveMinimum: 0}
        carrier: {$ref: "#/components/schemas/Carrier", description: "who carries it"}
    Carrier: {type: string, enum: [UPS, DHL]}
"##,
    );
    let generated = tracking_codegen::generate_file(&file, Strictness::LeaveOut).unwrap();
    let code = &generated.code;
    // `[string, "null"]` is an optional string the server may send as null.
    assert!(
        code.contains("pub note: ::std::option::Option<::std::string::String>"),
        "{code}"
    );
    // `const` is a one-value enum: a type with one variant.
    assert!(code.contains("Parcel"), "{code}");
    // The `$ref` with a sibling still names the type.
    assert!(code.contains("Carrier"), "{code}");
    let rules: Vec<_> = generated.notes.iter().map(|n| n.rule).collect();
    assert_eq!(rules, ["openapi31-examples"], "{:?}", generated.notes);
}

/// `tests/corpus/fixtures/quirks.json`: one operation per quirk of the
/// published documents (the corpus compiles what is generated).
#[test]
fn an_operation_is_left_out_not_the_document_and_quirks_are_read() {
    let file = corpus("fixtures/quirks.json");
    let generated = tracking_codegen::generate_file(&file, Strictness::LeaveOut).unwrap();
    let notes: Vec<(&str, String)> = generated
        .notes
        .iter()
        .map(|n| (n.rule, n.path.to_string()))
        .collect();
    let has = |rule: &str, at: &str| {
        assert!(
            notes.iter().any(|(r, p)| *r == rule && p == at),
            "no {rule} at {at} in {notes:#?}"
        )
    };
    // Only the operations progenitor cannot do are left out, each named.
    has("left-out", "$.paths['/listings/{listingId}/images'].post");
    has("left-out", "$.paths['/session'].get");
    assert_eq!(generated_operations(&generated.code), 2);
    assert!(generated.code.contains("pub fn create_shipment("));
    assert!(generated.code.contains("pub fn get_order("));
    // Vendor JSON is typed, and sent and asked for by its exact name.
    has(
        "vendor-json",
        "$.paths['/shipments'].post.requestBody.content['application/vnd.retailer.v10+json']",
    );
    assert!(generated.code.contains("pub struct Shipment"));
    assert_eq!(
        generated
            .code
            .matches("\"createShipment\" => Some(\"application/vnd.retailer.v10+json\")")
            .count(),
        2,
        "Content-Type and Accept"
    );
    // A server variable declared as a path parameter is dropped, and said.
    let absent = generated
        .notes
        .iter()
        .find(|n| n.rule == "absent-path-parameter")
        .unwrap();
    assert!(absent.message.contains("servers[0].variables.accountName"));
    has("null-as-empty", "$.components.requestBodies");

    // --strict (and our own specs) still refuse the document, naming both.
    let error = tracking_codegen::generate_file(&file, Strictness::Strict)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("2 nodes progenitor cannot generate"),
        "{error}"
    );
}

#[test]
fn colliding_type_names_are_made_distinct_so_both_types_are_whole() {
    let file = corpus("fixtures/quirks.json");
    let generated = tracking_codegen::generate_file(&file, Strictness::LeaveOut).unwrap();
    let moved: Vec<String> = generated
        .notes
        .iter()
        .filter(|n| n.rule == "colliding-types")
        .map(|n| n.path.to_string())
        .collect();
    assert_eq!(
        moved,
        [
            "$.components.schemas.OrderShip.properties.node",
            "$.components.schemas.PurchaseOrder.properties.list",
        ]
    );
    let code = &generated.code;
    // One type of each name (and its builder), and the second one whole.
    assert_eq!(code.matches("pub struct PurchaseOrderList {").count(), 2);
    assert_eq!(code.matches("pub struct PurchaseOrderList2 {").count(), 2);
    assert_eq!(code.matches("pub struct OrderShipNode {").count(), 2);
    assert!(
        code.contains("pub node: ::std::option::Option<OrderShipNode2>"),
        "{code}"
    );
    assert!(code.contains("pub weight: ::std::option::Option<i64>"));
}

/// progenitor and typify name no place when they fail: the generator
/// finds the piece that fails alone.
#[test]
fn a_failure_inside_progenitor_or_typify_names_its_node() {
    let dir = tempfile::tempdir().unwrap();
    let failure = |schemas: &str| {
        let file = dir.path().join("tax.yaml");
        std::fs::write(
            &file,
            format!(
                "openapi: 3.0.3\ninfo: {{title: Tax, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
            ),
        )
        .unwrap();
        let error = tracking_codegen::generate_file(&file, Strictness::LeaveOut).unwrap_err();
        (error.path().map(ToString::to_string), error.to_string())
    };
    // A default of the wrong type (BigCommerce's tax provider document had
    // `tax_exempt: {type: boolean, default: 'false'}`).
    let (at, message) = failure(
        "    Money: {type: object, properties: {amount: {type: number}}}
    Item:
      type: object
      required: [price]
      properties:
        price: {$ref: '#/components/schemas/Money'}
        exempt: {type: boolean, default: 'false'}
",
    );
    assert_eq!(
        at.as_deref(),
        Some("$.components.schemas.Item.properties.exempt"),
        "{message}"
    );
    assert!(message.contains("does not conform"), "{message}");
    // A type progenitor panics on, deep in a schema.
    let (at, message) = failure(
        "    Wrapping: {type: object, properties: {wrapping: {anyOf: [{type: string}, {type: 'null'}]}}}
",
    );
    assert_eq!(
        at.as_deref(),
        Some("$.components.schemas.Wrapping.properties.wrapping.anyOf[1]"),
        "{message}"
    );
}

/// An operation typify panics on (a `type: 'null'`, as BigCommerce's tax
/// provider document had) is left out, with what the generator said of
/// it, and every other one is generated.
#[test]
fn an_operation_the_generator_fails_on_is_left_out_with_its_reason() {
    let (_dir, file) = written(
        "scim.yaml",
        r#"openapi: 3.0.3
info: {title: SCIM, version: '1'}
paths:
  /groups/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getGroup
      responses:
        '200': {description: the group, content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}}
    patch:
      operationId: patchGroup
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                op: {anyOf: [{type: string}, {type: 'null'}]}
      responses:
        '204': {description: patched}
"#,
    );
    let generated = tracking_codegen::generate_file(&file, Strictness::LeaveOut).unwrap();
    assert!(generated.code.contains("pub fn get_group("));
    assert!(!generated.code.contains("pub fn patch_group("));
    let note = generated
        .notes
        .iter()
        .find(|n| n.rule == "left-out")
        .unwrap();
    assert_eq!(note.path.to_string(), "$.paths['/groups/{id}'].patch");
    assert!(
        note.message.contains("invalid type: null"),
        "{}",
        note.message
    );
    // Strict: refused, at the operation.
    let error = tracking_codegen::generate_file(&file, Strictness::Strict).unwrap_err();
    assert_eq!(
        error.path().map(ToString::to_string).as_deref(),
        Some("$.paths['/groups/{id}'].patch")
    );
}

/// GitHub's SCIM and search operations have enum values typify names
/// alike (`add` and `Add`) and panics on: the schema is a plain string,
/// and the operation is generated.
#[test]
fn enum_values_of_one_rust_name_make_a_string_not_a_failure() {
    let (_dir, file) = written(
        "scim.yaml",
        r#"openapi: 3.0.3
info: {title: SCIM, version: '1'}
paths:
  /groups:
    patch:
      operationId: patchGroups
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                op: {type: string, enum: [add, Add, remove, Remove]}
      responses:
        '204': {description: patched}
"#,
    );
    let generated = tracking_codegen::generate_file(&file, Strictness::Strict).unwrap();
    assert!(generated.code.contains("pub fn patch_groups("));
    assert!(
        generated
            .code
            .contains("pub op: ::std::option::Option<::std::string::String>")
    );
    assert_eq!(generated.notes[0].rule, "enum-variant-names");
}
