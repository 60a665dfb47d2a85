//! Specs the generator cannot handle fail with a message naming the file and
//! the JSON path of every offending node, never a panic; what it can adjust
//! generates, with a note naming the node.

use std::path::Path;

use tracking_codegen::{CodegenError, Generated, generate, parse};

const GOOD: &str = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /orders/{id}:
    put:
      operationId: updateOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
        '404':
          description: missing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
components:
  schemas:
    Order:
      type: object
      properties:
        tracking: {type: string}
    Problem:
      type: object
      properties:
        detail: {type: string}
"##;

fn generated(text: &str) -> Result<Generated, CodegenError> {
    let file = Path::new("specs/broken.yaml");
    generate(
        file,
        parse(file, text)?,
        tracking_codegen::Strictness::Strict,
    )
}

fn run(text: &str) -> Result<String, CodegenError> {
    generated(text).map(|g| g.code)
}

/// The code for `text`, checked to come with one note of `rule` at `path`.
fn adjusted(text: &str, rule: &str, path: &str) -> String {
    let generated = generated(text).unwrap_or_else(|e| panic!("{e}"));
    let notes: Vec<String> = generated.notes.iter().map(ToString::to_string).collect();
    assert!(
        generated
            .notes
            .iter()
            .any(|n| n.rule == rule && n.path.to_string() == path),
        "a `{rule}` note at {path}: {notes:?}"
    );
    generated.code
}

/// The message for `text`, checked to name the file and `path`.
fn rejected(text: &str, path: &str, words: &str) -> String {
    let message = run(text)
        .expect_err("the spec must be rejected")
        .to_string();
    assert!(
        message.starts_with("specs/broken.yaml"),
        "names the file: {message}"
    );
    assert!(message.contains(path), "names the node {path}: {message}");
    assert!(message.contains(words), "says {words:?}: {message}");
    message
}

#[test]
fn the_good_spec_generates() {
    let code = run(GOOD).unwrap();
    assert!(code.contains("pub fn send("));
    assert!(code.contains("async fn dispatch("));
    // progenitor's own header, which no provider documents, is taken off
    // every request in the `pre` hook (tests/wire.rs: never on the wire).
    assert!(code.contains(r#"request.headers_mut().remove("api-version");"#));
    assert!(code.contains("::tracking_runtime::call(\"updateOrder\""));
    assert!(code.contains("impl ClientHooks<::tracking_runtime::Runtime> for Client"));
    assert!(code.contains("async fn exec("));
}

#[test]
fn an_api_version_header_the_spec_documents_is_kept() {
    let text = GOOD.replace(
        "        - {name: id, in: path, required: true, schema: {type: string}}",
        "        - {name: id, in: path, required: true, schema: {type: string}}\n        \
         - {name: Api-Version, in: header, required: true, schema: {type: string}}",
    );
    let code = run(&text).unwrap();
    assert!(code.contains("api_version"), "the parameter: {code}");
    assert!(!code.contains(r#"remove("api-version")"#));
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(run(GOOD).unwrap(), run(GOOD).unwrap());
}

#[test]
fn a_default_response_generates_as_in_progenitor() {
    // buildomat has one: progenitor takes it for success and error alike.
    let text = GOOD
        .replace("        '404':", "        default:")
        .replace("schemas/Problem'}", "schemas/Order'}");
    let generated = generated(&text).unwrap();
    assert!(generated.notes.is_empty(), "{:?}", generated.notes);
    assert!(generated.code.contains("ApiError<types::Order>"));
}

#[test]
fn two_success_body_types_are_received_as_bytes() {
    let text = GOOD.replace(
        "        '404':",
        "        '201':\n          description: created\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Problem'}\n        '404':",
    );
    let code = adjusted(
        &text,
        "mixed-success-bodies",
        "$.paths['/orders/{id}'].put.responses",
    );
    assert!(code.contains("ResponseValue<ByteStream>"), "{code}");
}

#[test]
fn two_error_body_types_keep_the_typed_one_most_have() {
    let text = GOOD.replace(
        "        '404':",
        "        '400':\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Order'}\n        '409':\n          description: conflict\n        '404':",
    );
    let code = adjusted(
        &text,
        "mixed-error-bodies",
        "$.paths['/orders/{id}'].put.responses",
    );
    // 400 and 404 have different schemas and 409 none: one typed error.
    assert!(code.contains("ApiError<types::"), "{code}");
}

#[test]
fn openapi_3_1() {
    rejected(
        &GOOD.replace("openapi: 3.0.3", "openapi: 3.1.0"),
        "$.openapi",
        "OpenAPI 3.1.0 is not supported",
    );
}

#[test]
fn a_missing_operation_id_is_made_from_method_and_path() {
    let code = adjusted(
        &GOOD.replace("      operationId: updateOrder\n", ""),
        "operation-id",
        "$.paths['/orders/{id}'].put",
    );
    assert!(code.contains("pub fn put_orders_by_id(&self)"), "{code}");
}

#[test]
fn x_idempotent_that_is_not_a_boolean() {
    rejected(
        &GOOD.replace(
            "      operationId: updateOrder\n",
            "      operationId: updateOrder\n      x-idempotent: \"yes\"\n",
        ),
        "$.paths['/orders/{id}'].put.x-idempotent",
        "must be true or false",
    );
}

#[test]
fn a_duplicate_operation_id() {
    let text = GOOD.replace(
        "components:",
        "  /other:\n    get:\n      operationId: updateOrder\n      responses:\n        '204': {description: ok}\ncomponents:",
    );
    rejected(
        &text,
        "$.paths['/other'].get.operationId",
        "already used at $.paths['/orders/{id}'].put",
    );
}

#[test]
fn a_broken_ref() {
    let text = GOOD.replace(
        "schema: {$ref: '#/components/schemas/Problem'}",
        "schema: {$ref: '#/components/schemas/Problme'}",
    );
    rejected(
        &text,
        "$.paths['/orders/{id}'].put.responses['404'].content['application/json'].schema['$ref']",
        "does not resolve",
    );
}

#[test]
fn an_external_ref() {
    let text = GOOD.replace("'#/components/schemas/Problem'", "'common.yaml#/Problem'");
    rejected(&text, "['$ref']", "points outside this file");
}

#[test]
fn two_request_media_types_send_the_json_one() {
    let text = GOOD.replace(
        "            schema: {$ref: '#/components/schemas/Order'}\n      responses:",
        "            schema: {$ref: '#/components/schemas/Order'}\n          application/xml:\n            schema: {$ref: '#/components/schemas/Order'}\n      responses:",
    );
    let code = adjusted(
        &text,
        "several-media-types",
        "$.paths['/orders/{id}'].put.requestBody.content",
    );
    assert!(code.contains(".json(&body)"), "{code}");
}

#[test]
fn a_request_media_type_progenitor_cannot_send() {
    let text = GOOD.replace("        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Order'}\n      responses:", "        content:\n          application/xml:\n            schema: {$ref: '#/components/schemas/Order'}\n      responses:");
    rejected(
        &text,
        "$.paths['/orders/{id}'].put.requestBody.content['application/xml']",
        "progenitor cannot send a `application/xml` body",
    );
}

#[test]
fn every_problem_of_a_document_is_reported_at_once() {
    let text = GOOD.replace(
        "        - {name: id, in: path, required: true, schema: {type: string}}",
        "        - {name: id, in: path, required: false, schema: {type: string}}\n        - {name: session, in: cookie, schema: {type: string}}",
    );
    let message = rejected(
        &text,
        "$.paths['/orders/{id}'].put.parameters[0]",
        "2 nodes progenitor cannot generate",
    );
    assert!(message.contains("at $.paths['/orders/{id}'].put.parameters[1]: cookie parameters are not supported by progenitor [cookie-parameter]"), "{message}");
    assert!(message.contains("[path-parameters]"), "{message}");
}

#[test]
fn identifiers_named_like_the_generators_locals_and_rust_keywords() {
    // Parameters and properties named like every local progenitor's
    // `send` has (param-collision in progenitor's corpus), like the wrap
    // pass's private method, and like Rust keywords.
    let mut params = String::new();
    for name in [
        "request", "response", "result", "info", "client", "url", "dispatch", "type", "self",
        "match", "send",
    ] {
        params.push_str(&format!(
            "\n        - {{name: {name}, in: query, schema: {{type: string}}}}"
        ));
    }
    let text = GOOD
        .replace(
            "        - {name: id, in: path, required: true, schema: {type: string}}",
            &format!("        - {{name: id, in: path, required: true, schema: {{type: string}}}}{params}"),
        )
        .replace(
            "        tracking: {type: string}",
            "        tracking: {type: string}\n        body: {type: string}\n        type: {type: string}\n        Message: {type: string}\n        message: {type: string}",
        );
    let generated = generated(&text).unwrap_or_else(|e| panic!("{e}"));
    let code = &generated.code;
    syn::parse_file(code).expect("the output parses");
    assert!(
        code.contains("move || self.dispatch_()"),
        "the wrap pass's method steps aside"
    );
    assert!(
        code.contains("pub fn dispatch<V>(mut self, value: V)"),
        "the parameter keeps its name"
    );
    // `message` and `Message` are two fields, each with its wire name.
    assert!(
        code.contains("pub message: ::std::option::Option<::std::string::String>"),
        "{code}"
    );
    assert!(code.contains("rename = \"Message\","), "{code}");
    assert!(code.contains("pub message_2:"), "{code}");
    assert!(
        !code.contains("\"Message-2\""),
        "the made-up name is not on the wire"
    );
    // `send` is the builder's method: the parameter's is `send_2`, its wire
    // name `send` (put back in the builders, the property's in the types).
    assert!(
        code.contains("pub fn send_2<V>(mut self, value: V)"),
        "{code}"
    );
    assert!(code.contains("QueryParam::new(\"send\","), "{code}");
    assert!(!code.contains("\"send-2\""), "{code}");
    assert_eq!(generated.notes.len(), 2, "{:?}", generated.notes);
}

#[test]
fn the_json_call_takes_renamed_parameters_by_their_names_in_the_document() {
    // A path parameter named like the builder's `send`, and a query
    // parameter named like its `body` beside the request body.
    let text = GOOD
        .replace("  /orders/{id}:", "  /orders/{send}:")
        .replace(
            "        - {name: id, in: path, required: true, schema: {type: string}}",
            "        - {name: send, in: path, required: true, schema: {type: string}}\n        - {name: body, in: query, schema: {type: string}}",
        );
    let generated = generated(&text).unwrap_or_else(|e| panic!("{e}"));
    let code = &generated.code;
    assert!(
        code.contains("pub fn send_2<V>(mut self, value: V)"),
        "{code}"
    );
    assert!(
        code.contains("arg::<::std::string::String>(args, \"send\")"),
        "the path parameter by its name: {code}"
    );
    // `body` is the request body's key: the parameter keeps the name it
    // was given there, rather than take the body's value.
    assert!(
        code.contains("arg::<::std::string::String>(args, \"body-2\")"),
        "{code}"
    );
    assert!(code.contains("QueryParam::new(\"body\","), "{code}");
}

#[test]
fn a_cookie_parameter() {
    let text = GOOD.replace(
        "        - {name: id, in: path, required: true, schema: {type: string}}",
        "        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: session, in: cookie, schema: {type: string}}",
    );
    rejected(
        &text,
        "$.paths['/orders/{id}'].put.parameters[1]",
        "cookie parameters are not supported",
    );
}

#[test]
fn a_path_parameter_missing_from_the_template() {
    let text = GOOD.replace("  /orders/{id}:", "  /orders/{orderId}:");
    rejected(
        &text,
        "$.paths['/orders/{orderId}'].put.parameters",
        "no path parameter named `orderId`",
    );
}

#[test]
fn an_optional_path_parameter() {
    let text = GOOD.replace(
        "{name: id, in: path, required: true,",
        "{name: id, in: path, required: false,",
    );
    rejected(
        &text,
        "$.paths['/orders/{id}'].put.parameters[0]",
        "must have `required: true`",
    );
}

#[test]
fn a_node_of_the_wrong_shape() {
    let text = GOOD.replace(
        "        tracking: {type: string}",
        "        tracking: {type: [string, 'null']}",
    );
    // serde reports the schema object that failed (its inner fields are flattened).
    rejected(
        &text,
        "$.components.schemas.Order",
        "not a valid OpenAPI 3.0 node: invalid type: sequence, expected a string",
    );
}

#[test]
fn invalid_yaml_names_line_and_column() {
    let message = run("openapi: 3.0.3\ninfo: {title: T\n")
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("specs/broken.yaml:3:1: not valid YAML"),
        "{message}"
    );
}

#[test]
fn an_unreadable_file() {
    let message = tracking_codegen::generate_file(
        Path::new("specs/does-not-exist.yaml"),
        tracking_codegen::Strictness::Strict,
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.starts_with("specs/does-not-exist.yaml: cannot read the spec"),
        "{message}"
    );
}

#[test]
fn the_build_script_names_each_crate_whose_code_is_stale() {
    let root = std::env::temp_dir().join(format!("codegen-build-{}", std::process::id()));
    let golden = tracking_codegen::generated_path(&root, "acme");
    assert_eq!(golden, root.join("crates/acme-client/src/generated.rs"));
    std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
    std::fs::create_dir_all(root.join("specs")).unwrap();
    let spec = root.join("specs").join("acme.yaml");
    std::fs::write(&spec, GOOD).unwrap();

    // Nothing committed yet: the code and the mock's copy of the spec are stale.
    let stale = tracking_codegen::stale_crates(&root).unwrap();
    assert_eq!(stale.len(), 2, "{stale:?}");
    assert!(
        stale.iter().all(|s| s.contains("run `cargo xtask regen`")),
        "{stale:?}"
    );
    // What regen writes: current.
    let code = tracking_codegen::generate_file(&spec, tracking_codegen::Strictness::Strict)
        .unwrap()
        .code;
    assert!(code.starts_with("// Generated by tracking-codegen from specs/acme.yaml. Do not edit"));
    std::fs::write(&golden, &code).unwrap();
    let copy = tracking_codegen::mock_copy(&root, &spec);
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::write(&copy, GOOD).unwrap();
    assert!(tracking_codegen::stale_crates(&root).unwrap().is_empty());
    // The spec changes: both stale again.
    let changed = GOOD.replace("tracking: {type: string}", "tracking: {type: integer}");
    std::fs::write(&spec, changed).unwrap();
    assert_eq!(tracking_codegen::stale_crates(&root).unwrap().len(), 2);
    // A spec that does not generate: its error.
    let cookie = "        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: s, in: cookie, schema: {type: string}}";
    std::fs::write(
        &spec,
        GOOD.replace(
            "        - {name: id, in: path, required: true, schema: {type: string}}",
            cookie,
        ),
    )
    .unwrap();
    let message = tracking_codegen::stale_crates(&root).unwrap_err();
    assert!(
        message.starts_with(&format!(
            "{}: at $.paths['/orders/{{id}}'].put.parameters[1]",
            spec.display()
        )),
        "{message}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}
