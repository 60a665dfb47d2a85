//! `cargo xtask validate` on the provider pages' own examples: the corrected
//! ones pass, the broken ones are refused with a clear message and a non-zero
//! exit code, never a panic.

use std::path::Path;
use std::process::{Command, Output};

fn validate(spec: &str, operation: &str, response: Option<&str>, page: &str) -> Output {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pages")
        .join(page);
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["validate", "--spec", spec, "--operation", operation]);
    match response {
        Some(status) => command.args(["--response", status]),
        None => command.arg("--request"),
    };
    command.arg(file).output().expect("xtask runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn corrected_page_examples_are_valid() {
    for (spec, operation, response, page) in [
        ("crux", "addOrderTracking", None, "crux-add-corrected.json"),
        (
            "crux",
            "updateOrderTracking",
            None,
            "crux-update-corrected.json",
        ),
        (
            "vtex-oms",
            "updateTrackingStatus",
            None,
            "vtex-tracking-client-doc.json",
        ),
        (
            "vtex-oms",
            "updateTrackingStatus",
            Some("200"),
            "vtex-tracking-response.json",
        ),
        (
            "sellercloud",
            "updatePurchaseOrderTracking",
            None,
            "sellercloud-po-page.json",
        ),
    ] {
        let output = validate(spec, operation, response, page);
        assert!(output.status.success(), "{page}: {}", text(&output));
        assert!(
            text(&output).contains("valid for the"),
            "{page}: {}",
            text(&output)
        );
    }
}

#[test]
fn the_crux_post_example_with_its_trailing_comma_is_a_json_syntax_error_with_line_and_column() {
    let output = validate("crux", "addOrderTracking", None, "crux-add-page.json");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let message = text(&output);
    assert!(
        message.contains("crux-add-page.json:17:3: not valid JSON: trailing comma"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn the_crux_page_strings_for_quantity_and_cost_are_refused_field_by_field() {
    let output = validate(
        "crux",
        "addOrderTracking",
        None,
        "crux-add-page-strings.json",
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let message = text(&output);
    assert!(
        message.contains("2 violation(s) of the request of addOrderTracking"),
        "{message}"
    );
    assert!(
        message.contains(
            "body /tracking_numbers/0/line_items/0/quantity: \"1\" is not of type \"integer\""
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "body /tracking_numbers/0/line_items/0/sku_cost: \"27\" is not of type \"number\""
        ),
        "{message}"
    );
}

#[test]
fn the_vtex_page_curl_without_delivered_date_is_refused_as_vtexs_document_requires_it() {
    // VTEX's own OpenAPI document requires `deliveredDate` (nullable): the
    // page's curl example leaves it out, and VTEX's document wins.
    let output = validate(
        "vtex-oms",
        "updateTrackingStatus",
        None,
        "vtex-tracking-curl.json",
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("body: \"deliveredDate\" is a required property"),
        "{}",
        text(&output)
    );
}

#[test]
fn an_undocumented_status_or_operation_is_refused() {
    let output = validate(
        "vtex-oms",
        "updateTrackingStatus",
        Some("201"),
        "vtex-tracking-response.json",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("201 is not a documented status of updateTrackingStatus"),
        "{}",
        text(&output)
    );
    let output = validate("vtex-oms", "trackIt", None, "vtex-tracking-curl.json");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("has no operation `trackIt` (it has: "),
        "{}",
        text(&output)
    );
}
