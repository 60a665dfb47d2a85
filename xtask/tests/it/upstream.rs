//! `cargo xtask upstream`: our spec beside a provider's own document. The
//! VTEX fixture (`tests/fixtures/vtex-shapes.json`, of this project's own
//! making) reproduces the shapes of VTEX's published document for the three
//! tracking operations; small documents below show each class.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use xtask::upstream::{Class, Severity, compare};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/vtex-shapes.json")
}

fn upstream(spec: &Path, theirs: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("upstream")
        .arg(spec)
        .arg(theirs)
        .output()
        .expect("xtask runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn our_vtex() -> PathBuf {
    xtask::workspace_root().join("specs/vtex-oms.yaml")
}

#[test]
fn our_vtex_spec_sends_nothing_vtexs_document_refuses() {
    let output = upstream(&our_vtex(), &fixture());
    assert!(output.status.success(), "{}", text(&output));
    let report = text(&output);
    assert!(report.contains("0 error(s)"), "{report}");
    // Matched by method and path, whatever the operationIds.
    assert!(report.contains(
        "compared PATCH /api/oms/pvt/orders/{orderId}/invoice/{invoiceNumber} (updatePartialInvoice) with PATCH /api/oms/pvt/orders/{orderId}/invoice/{invoiceNumber} (Updatepartialinvoice.SendTrackingNumber)"
    ));
    // Accept and Content-Type header parameters are ignored.
    assert!(!report.contains("parameter accept"), "{report}");
    assert!(!report.contains("parameter content-type"), "{report}");
    // Security compared by what goes on the wire, not by scheme names.
    assert!(!report.contains("security:"), "{report}");
}

#[test]
fn a_spec_that_omits_keys_vtex_requires_is_an_error_naming_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(our_vtex()).unwrap();
    let loose = spec.replace(
        "required: [trackingNumber, trackingUrl, courier, dispatchedDate]",
        "required: [trackingNumber]",
    );
    assert_ne!(spec, loose);
    let path = dir.path().join("vtex-oms.yaml");
    std::fs::write(&path, loose).unwrap();
    let output = upstream(&path, &fixture());
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    assert!(
        report.contains(
            "error[ours looser] PATCH /api/oms/pvt/orders/{orderId}/invoice/{invoiceNumber} (updatePartialInvoice): request body.courier: required in theirs only\n    ours:   $.components.schemas.UpdatePartialInvoiceRequest\n    theirs: $.components.schemas.PartialInvoice"
        ),
        "{report}"
    );
    assert!(report.contains("3 error(s)"), "{report}");
}

fn document(paths: Value, components: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": components})
}

fn post(body: Value, response: Value) -> Value {
    json!({"/things/{id}": {"post": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}}
    }}})
}

fn classes(ours: &Value, theirs: &Value) -> Vec<(Class, Severity, String)> {
    compare(ours, theirs)
        .differences
        .into_iter()
        .map(|d| (d.class, d.severity, d.what))
        .collect()
}

#[test]
fn each_difference_is_classed_by_what_it_lets_through() {
    let open = json!({"type": "object", "properties": {}});
    let ours = document(
        post(
            json!({"type": "object", "additionalProperties": false, "required": ["kind"], "properties": {
                "kind": {"type": "string", "enum": ["a"]},
                "size": {"type": "string", "enum": ["s", "m", "l"]},
                "count": {"type": "string"},
                "note": {"type": "string", "maxLength": 10},
            }}),
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}}}),
        ),
        json!({}),
    );
    let theirs = document(
        post(
            json!({"type": "object", "required": ["kind", "count"], "properties": {
                "kind": {"type": "string", "enum": ["a", "b"]},
                "size": {"type": "string", "enum": ["s", "m"]},
                "count": {"type": "integer"},
                "note": {"type": "string"},
                "extra": {"type": "string"},
            }}),
            open,
        ),
        json!({}),
    );
    let found = classes(&ours, &theirs);
    let has = |class, severity, what: &str| {
        assert!(
            found
                .iter()
                .any(|(c, s, w)| *c == class && *s == severity && w == what),
            "{what:?} ({class:?}, {severity:?}) not in {found:#?}"
        );
    };
    has(
        Class::OursStricter,
        Severity::Warning,
        "request body.kind: enum [\"a\"] in ours, [\"a\", \"b\"] in theirs",
    );
    has(
        Class::OursLooser,
        Severity::Error,
        "request body.size: enum [\"l\", \"m\", \"s\"] in ours, [\"m\", \"s\"] in theirs",
    );
    has(
        Class::Incompatible,
        Severity::Error,
        "request body.count: type \"string\" in ours, \"integer\" in theirs",
    );
    has(
        Class::OursLooser,
        Severity::Error,
        "request body.count: required in theirs only",
    );
    has(
        Class::OursStricter,
        Severity::Warning,
        "request body.note: maxLength 10 in ours, none in theirs",
    );
    has(
        Class::OursStricter,
        Severity::Warning,
        "request body.extra: in theirs only",
    );
    has(
        Class::OursStricter,
        Severity::Warning,
        "request body: closed in ours (additionalProperties: false), open in theirs",
    );
    // In a response, ours stricter is the error: our client may refuse
    // what the provider answers.
    has(
        Class::OursStricter,
        Severity::Error,
        "response 200.id: required in ours only",
    );
}

#[test]
fn security_and_statuses_are_compared_by_what_reaches_the_wire() {
    let op = |security: Value, status: &str, media: &str| {
        json!({"/x": {"put": {
            "security": security,
            "responses": {status: {"description": "d", "content": {media: {"schema": {"type": "object"}}}}}
        }}})
    };
    let ours = document(
        op(json!([{"mine": []}]), "200", "application/json"),
        json!({"securitySchemes": {"mine": {"type": "apiKey", "in": "header", "name": "X-Key"}}}),
    );
    let theirs = document(
        op(
            json!([{"theirs": []}, {"bearer": []}]),
            "200",
            "application/json; charset=utf-8",
        ),
        json!({"securitySchemes": {
            "theirs": {"type": "apiKey", "in": "header", "name": "x-key"},
            "bearer": {"type": "http", "scheme": "bearer"},
        }}),
    );
    let found = classes(&ours, &theirs);
    assert_eq!(
        found,
        [(
            Class::OursStricter,
            Severity::Warning,
            "security: theirs also takes http bearer, ours does not".to_string()
        )],
        "names and charset parameters do not matter"
    );
    let ours = document(
        op(json!([{"other": []}]), "201", "application/json"),
        json!({"securitySchemes": {"other": {"type": "apiKey", "in": "header", "name": "X-Other"}}}),
    );
    let report = compare(&ours, &theirs);
    assert!(report.has_errors());
    let whats: Vec<&str> = report.differences.iter().map(|d| d.what.as_str()).collect();
    assert!(
        whats.contains(
            &"security: ours may authenticate with header x-other, theirs does not list it"
        ),
        "{whats:?}"
    );
    assert!(
        whats.contains(
            &"response 200: in theirs only (our client reports it as an undocumented status)"
        ),
        "{whats:?}"
    );
    assert!(whats.contains(&"response 201: in ours only"), "{whats:?}");
}

#[test]
fn operations_only_one_side_has_are_reported() {
    let ours = document(
        json!({"/a": {"get": {"responses": {}}}, "/b/{id}": {"delete": {"responses": {}}}}),
        json!({}),
    );
    let theirs = document(
        json!({"/a": {"get": {"responses": {}}}, "/c": {"post": {"responses": {}}}}),
        json!({}),
    );
    let report = compare(&ours, &theirs);
    assert_eq!(report.only_ours, ["DELETE /b/{id}"]);
    assert_eq!(report.only_theirs, ["POST /c"]);
    assert!(
        report.has_errors(),
        "an operation the provider does not document"
    );
}

/// eBay's 201 documents an empty object and sends no body: ours, with no
/// content, reads none, so it refuses nothing. A response ours reads in
/// another media type is still stricter.
#[test]
fn a_response_body_ours_does_not_read_refuses_nothing() {
    let op = |content: Value| json!({"/x": {"post": {"responses": {"201": {"description": "d", "content": content}}}}});
    let theirs = document(
        op(json!({"application/json": {"schema": {"type": "object"}}})),
        json!({}),
    );
    let unread = document(op(json!({})), json!({}));
    let found = classes(&unread, &theirs);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (Class::Other, Severity::Info));
    assert!(found[0].2.contains("ours has no body"), "{found:?}");

    let other_media = document(
        op(json!({"text/plain": {"schema": {"type": "string"}}})),
        json!({}),
    );
    let found = classes(&other_media, &theirs);
    assert!(
        found
            .iter()
            .any(|(class, _, what)| *class == Class::OursStricter
                && what == "response 201: application/json in theirs, not in ours"),
        "{found:?}"
    );
}

/// Amazon publishes Swagger 2.0 (`tests/corpus/amazon/ordersV0.json`): it
/// is compared after the one conversion to 3.0, which the report names.
#[test]
fn a_swagger_2_document_is_compared_after_its_conversion() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("amazon.yaml");
    std::fs::write(
        &ours,
        r##"openapi: 3.0.3
info: {title: Amazon, version: "0"}
paths:
  /orders/v0/orders/{orderId}/shipmentConfirmation:
    post:
      operationId: confirmShipment
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [packageDetail]
              properties:
                marketplaceId: {type: string}
                packageDetail: {type: object}
      responses:
        "204": {description: confirmed}
"##,
    )
    .unwrap();
    let theirs = xtask::workspace_root().join("tests/corpus/amazon/ordersV0.json");
    let output = upstream(&ours, &theirs);
    let report = text(&output);
    assert!(
        report.contains("ordersV0.json (Swagger 2.0, converted to 3.0 with "),
        "{report}"
    );
    assert!(
        report.contains("compared POST /orders/v0/orders/{orderId}/shipmentConfirmation (confirmShipment) with POST /orders/v0/orders/{orderId}/shipmentConfirmation (confirmShipment)"),
        "{report}"
    );
    // Their body, now a request body of the converted document, is judged:
    // ours leaves out a key Amazon requires.
    assert!(
        report.contains("error[ours looser] POST /orders/v0/orders/{orderId}/shipmentConfirmation (confirmShipment): request body.marketplaceId: required in theirs only"),
        "{report}"
    );
    assert_eq!(output.status.code(), Some(1), "{report}");
}

/// Amazon's models declare no security at all: silent, not open to anyone,
/// so our token header is no looser than theirs.
#[test]
fn a_document_silent_on_credentials_is_not_a_looser_ours() {
    let op = json!({"/x": {"put": {"responses": {}}}});
    let ours = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": op,
        "security": [{"token": []}],
        "components": {"securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "x-amz-access-token"}}}
    });
    let found = classes(&ours, &document(op.clone(), json!({})));
    assert_eq!(
        found,
        [(
            Class::Other,
            Severity::Info,
            "security: theirs declares none; ours authenticates with header x-amz-access-token"
                .to_string()
        )]
    );
    // A document that does declare credentials, and not ours, still makes
    // ours looser.
    let theirs = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": op,
        "security": [{"key": []}],
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}
    });
    assert!(compare(&ours, &theirs).has_errors());
    // Walmart's operations name a bearer scheme, and its components
    // declare the header its token goes in, required: that header is
    // theirs too.
    let walmart = |ours_header: &str| {
        let ours = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": op,
            "security": [{"token": []}],
            "components": {"securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": ours_header}}}
        });
        let theirs = json!({
            "openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": op,
            "security": [{"bearer": []}],
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "parameters": {"accessToken": {"name": "WM_SEC.ACCESS_TOKEN", "in": "header", "required": true, "schema": {"type": "string"}}}
            }
        });
        compare(&ours, &theirs)
    };
    let report = walmart("WM_SEC.ACCESS_TOKEN");
    assert!(!report.has_errors(), "{:?}", report.differences);
    assert!(report.differences.iter().any(|d| d.class == Class::Other
        && d.what.starts_with(
            "security: ours sends header wm_sec.access_token, a required header theirs declares"
        )));
    assert!(walmart("X-Other-Token").has_errors());
}

/// Responses are open by our conventions (a status as a plain string where
/// theirs lists its values): ours reads more, which lets nothing wrong
/// through, so it is no looser ours.
#[test]
fn a_response_ours_reads_more_openly_is_no_looser_ours() {
    let status = |schema: Value| {
        document(
            post(
                json!({"type": "object"}),
                json!({"type": "object", "properties": {"status": schema}}),
            ),
            json!({}),
        )
    };
    let ours = status(json!({"type": "string"}));
    let theirs = status(json!({"type": "string", "enum": ["Shipped", "Unshipped"]}));
    let found = classes(&ours, &theirs);
    assert_eq!(
        found,
        [(
            Class::Other,
            Severity::Info,
            "response 200.status: an enum in theirs only (ours reads more: open by our conventions)"
                .to_string()
        )]
    );
}

#[test]
fn our_amazon_spec_is_no_looser_than_amazons_document() {
    let ours = xtask::workspace_root().join("specs/amazon.yaml");
    let theirs = xtask::workspace_root().join("tests/corpus/amazon/ordersV0.json");
    let output = upstream(&ours, &theirs);
    let report = text(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("0 error(s)"), "{report}");
    assert!(!report.contains("[ours looser]"), "{report}");
    assert!(!report.contains("[incompatible]"), "{report}");
    // Their required keys are ours too: dropping one is caught.
    let spec = std::fs::read_to_string(&ours).unwrap();
    let loose = spec.replace(
        "required: [packageReferenceId, carrierCode, trackingNumber, shipDate, orderItems]",
        "required: [packageReferenceId, carrierCode, trackingNumber, orderItems]",
    );
    assert_ne!(spec, loose);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("amazon.yaml");
    std::fs::write(&path, loose).unwrap();
    let report = text(&upstream(&path, &theirs));
    assert!(
        report.contains("error[ours looser] POST /orders/v0/orders/{orderId}/shipmentConfirmation (confirmShipment): request body.packageDetail.shipDate: required in theirs only"),
        "{report}"
    );
}
