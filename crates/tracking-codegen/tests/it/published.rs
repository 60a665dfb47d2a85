//! Documents as platforms publish them, Swagger 2.0 and OpenAPI 3.1, through
//! the generator: converted to 3.0 first, every operation generated, and
//! what the conversion lost or guessed leading the notes. (That the code
//! compiles is `cargo xtask corpus`'s proof, which CI runs.)

use std::path::{Path, PathBuf};

fn corpus(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(file)
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
fn generated(code: &str) -> usize {
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
        let code = tracking_codegen::generate_file(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(generated(&code.code), operations(&file), "{name}");
    }
}

#[test]
fn amazon_s_orders_model_generates_the_calls_a_tracking_push_needs() {
    let generated = tracking_codegen::generate_file(&corpus("amazon/ordersV0.json")).unwrap();
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
    let generated =
        tracking_codegen::generate_file(&corpus("oai/openapi31-webhook-example.json")).unwrap();
    assert_eq!(generated.notes[0].rule, "openapi31-webhooks");
    assert!(generated.notes[0].message.contains("newPet"));
    let generated =
        tracking_codegen::generate_file(&corpus("oai/openapi31-non-oauth-scopes.json")).unwrap();
    assert!(generated.code.contains("pub fn get_users("));
}

#[test]
fn a_3_1_schema_is_generated_as_3_0_would_say_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.yaml");
    std::fs::write(
        &file,
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
    )
    .unwrap();
    let generated = tracking_codegen::generate_file(&file).unwrap();
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
