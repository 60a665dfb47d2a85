//! Every request a client puts on the wire, for every row shape
//! `order-tracking` can plan (each combination of the optional fields), is
//! valid under the provider's own document as well as ours: VTEX's,
//! BigCommerce's, eBay's and Amazon's.
//!
//! No document is committed (VTEX's and BigCommerce's repositories show no
//! licence; eBay's is under the eBay API License Agreement): each test
//! reads a fixture of this project's own making that reproduces the shapes
//! of the provider's document for these operations
//! (`tests/fixtures/vtex-shapes.json`, `tests/fixtures/bigcommerce-shapes.json`,
//! `tests/fixtures/ebay-shapes.json`; `cargo xtask upstream` finds the same
//! differences with either), or the document a variable names
//! (`UPSTREAM_VTEX_DOCUMENT`, `UPSTREAM_BIGCOMMERCE_DOCUMENT`,
//! `UPSTREAM_EBAY_DOCUMENT`: set it to the published document to check
//! against that; CI uses the fixtures). Amazon's own document (Apache-2.0)
//! is committed: `tests/corpus/amazon/ordersV0.json`, Swagger 2.0, read
//! through the generator's conversion. Walmart's carries no licence:
//! `tests/fixtures/walmart-shapes.json` (or `UPSTREAM_WALMART_DOCUMENT`).

use std::path::{Path, PathBuf};

use order_tracking::{LineItem, Provider, Pusher, Shipment, TrackingEvent};
use tracking_contract::{Contract, Request};
use tracking_mock::{LedgerEntry, MockConfig, MockServer};

const OPTIONS: [&str; 6] = [
    "carrier",
    "tracking_url",
    "shipped_at",
    "invoice_value",
    "delivered_at",
    "events",
];

/// Whether `mask` sets the bit of `option` (its place in `options`).
fn chosen(options: &[&str], mask: usize, option: &str) -> bool {
    let bit = options.iter().position(|o| *o == option).unwrap();
    mask & (1 << bit) != 0
}

/// Pushes the row of every mask of `bits` bits (`row`) through `pusher`;
/// the number of rows.
async fn push_every_shape(pusher: &Pusher, bits: usize, row: fn(usize) -> Shipment) -> usize {
    let shapes = 1 << bits;
    for mask in 0..shapes {
        let shipment = row(mask);
        if let Err(e) = pusher.push(&shipment).await {
            panic!("row shape {mask:0bits$b} ({shipment:?}): {e}");
        }
    }
    shapes
}

/// Asserts that `judge` (from `document`) holds every request of `ledger`
/// valid, naming each violation.
fn assert_valid_under(judge: &Contract, document: &Path, ledger: &[LedgerEntry]) {
    let violations = judged(judge, document, ledger);
    assert!(
        violations.is_empty(),
        "requests refused by {} ({} violations):\n{}",
        document.display(),
        violations.len(),
        violations.join("\n")
    );
}

/// Our spec of `judges`, as a contract.
fn our_contract(judges: &Judges) -> Contract {
    Contract::load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../specs")
            .join(judges.spec),
    )
    .unwrap()
}

/// The row with the options whose bits are set in `mask`.
fn row(mask: usize) -> Shipment {
    let has = |option: &str| chosen(&OPTIONS, mask, option);
    let price = || "24.95".parse().unwrap();
    Shipment {
        provider: Some(Provider::VTEX_OMS),
        order_ref: format!("v{mask}-01"),
        tracking_number: format!("BR{mask:09}BR"),
        invoice_number: Some(format!("INV-{mask}")),
        carrier: has("carrier").then(|| "Correios".into()),
        tracking_url: has("tracking_url").then(|| format!("https://track.example.com/{mask}")),
        shipped_at: has("shipped_at").then(|| "2024-04-09T15:00:00Z".parse().unwrap()),
        invoice_value: has("invoice_value").then(|| "49.90".parse().unwrap()),
        line_items: if has("invoice_value") {
            vec![LineItem {
                id: "1".into(),
                quantity: 2,
                price: Some(price()),
            }]
        } else {
            Vec::new()
        },
        delivered_at: has("delivered_at").then(|| "2024-04-11T18:05:00Z".parse().unwrap()),
        events: if has("events") {
            vec![TrackingEvent {
                city: Some("Rio de Janeiro".into()),
                state: Some("RJ".into()),
                description: "Coletado pela transportadora".into(),
                date: "2024-04-09".parse().unwrap(),
            }]
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

/// The provider's document: the one `variable` names, else the fixture.
fn document(variable: &str, fixture: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(fixture)
        })
}

/// A document in any format the generator reads (Amazon's is Swagger 2.0),
/// as OpenAPI 3.0 by the one conversion; its schemas are judged as they
/// are, whatever else of the document 3.0 would not take.
fn contract(document: &Path) -> Contract {
    let text = std::fs::read_to_string(document).unwrap();
    let tree = tracking_spec::parse_tree(document, &text).unwrap();
    let (_, json, _) = tracking_spec::convert::to_openapi_30(tree).unwrap();
    Contract::from_json(document, json).unwrap()
}

/// Every violation of `theirs` by the requests in `ledger`, one line each,
/// after printing how many requests it held valid.
fn judged(theirs: &Contract, document: &Path, ledger: &[LedgerEntry]) -> Vec<String> {
    let mut violations = Vec::new();
    for entry in ledger {
        let request = Request {
            method: &entry.method,
            path: &entry.path,
            body: entry.body.as_ref(),
            ..Default::default()
        };
        if let Err(found) = theirs.validate_request(&request) {
            for v in found {
                violations.push(format!(
                    "{} {} #{}: {v}",
                    entry.operation, entry.path, entry.seq
                ));
            }
        }
    }
    let refused: std::collections::BTreeSet<&str> = violations
        .iter()
        .filter_map(|v| v.split(':').next())
        .collect();
    println!(
        "{} of {} requests valid under {}",
        ledger.len() - refused.len(),
        ledger.len(),
        document.display()
    );
    violations
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vtex_request_of_every_row_shape_is_valid_under_vtexs_document_and_ours() {
    let document = document("UPSTREAM_VTEX_DOCUMENT", "vtex-shapes.json");
    let theirs = contract(&document);

    // The mock checks every request against our spec, and records it.
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let client = vtex_oms_client::Client::with_app_key(
        &mock.base_url("vtex-oms").unwrap(),
        "mock-app-key",
        "mock-app-token",
    )
    .unwrap();
    let pusher = Pusher::new().with_client(client);
    let shapes = push_every_shape(&pusher, OPTIONS.len(), row).await;

    let ledger = mock.ledger();
    // 64 shapes: one invoice call each, and the events PUT for the 48 with
    // a delivery or events.
    assert_eq!(ledger.len(), shapes + shapes * 3 / 4, "{ledger:#?}");
    assert_valid_under(&theirs, &document, &ledger);
}

const BIGCOMMERCE_OPTIONS: [&str; 5] =
    ["carrier", "tracking_url", "service", "line_items", "target"];

/// A BigCommerce row with the options whose bits are set in `mask`; the
/// others are left to the order (its products, its only address).
fn bigcommerce_row(mask: usize) -> Shipment {
    let has = |option: &str| chosen(&BIGCOMMERCE_OPTIONS, mask, option);
    Shipment {
        provider: Some(Provider::BIGCOMMERCE),
        order_ref: format!("{}", 100 + mask),
        tracking_number: format!("1Z999AA1{mask:010}"),
        carrier: has("carrier").then(|| "UPS".into()),
        tracking_url: has("tracking_url").then(|| format!("https://track.example.com/{mask}")),
        service: has("service").then(|| "Ground".into()),
        line_items: if has("line_items") {
            vec![LineItem {
                id: "194".into(),
                quantity: 1,
                price: None,
            }]
        } else {
            Vec::new()
        },
        target: has("target").then(|| "127".into()),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bigcommerce_request_of_every_row_shape_is_valid_under_bigcommerces_document_and_ours()
 {
    let document = document(BIGCOMMERCE.variable, BIGCOMMERCE.fixture);
    let theirs = contract(&document);
    let mock = MockServer::start(MockConfig::builtin().stateful())
        .await
        .unwrap();
    let client = bigcommerce_client::Client::with_access_token(
        &mock.base_url("bigcommerce").unwrap(),
        "mock-access-token",
    )
    .unwrap();
    let pusher = Pusher::new().with_client(client);
    let shapes = push_every_shape(&pusher, BIGCOMMERCE_OPTIONS.len(), bigcommerce_row).await;
    let ledger = mock.ledger();
    let count = |op: &str| ledger.iter().filter(|e| e.operation == op).count();
    // One shipment per row; the products read for the rows without items,
    // the addresses for the rows without a target.
    assert_eq!(count("createOrderShipments"), shapes, "{ledger:#?}");
    assert_eq!(
        count("getOrderProducts"),
        shapes / 2 + shapes / 4,
        "{ledger:#?}"
    );
    assert_eq!(
        count("getOrderShippingAddresses"),
        shapes / 2,
        "{ledger:#?}"
    );
    assert_valid_under(&theirs, &document, &ledger);
}

/// Where a platform's write is judged: our spec, the platform's document
/// (the variable's, else the fixture) and the path of one request.
struct Judges {
    spec: &'static str,
    variable: &'static str,
    fixture: &'static str,
    path: &'static str,
}

const BIGCOMMERCE: Judges = Judges {
    spec: "bigcommerce.yaml",
    variable: "UPSTREAM_BIGCOMMERCE_DOCUMENT",
    fixture: "bigcommerce-shapes.json",
    path: "/orders/225/shipments",
};

const EBAY: Judges = Judges {
    spec: "ebay.yaml",
    variable: "UPSTREAM_EBAY_DOCUMENT",
    fixture: "ebay-shapes.json",
    path: "/order/01-03955-36441/shipping_fulfillment",
};

/// What each judge (ours, then theirs) says of one POST `body`.
fn verdicts_of(
    judges: &Judges,
    body: serde_json::Value,
) -> (Result<(), String>, Result<(), String>) {
    let ours = our_contract(judges);
    let theirs = contract(&document(judges.variable, judges.fixture));
    let judge = |contract: &Contract| {
        let request = Request {
            method: "POST",
            path: judges.path,
            body: Some(&body),
            ..Default::default()
        };
        contract
            .validate_request(&request)
            .map(|_| ())
            .map_err(|found| {
                found
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
    };
    (judge(&ours), judge(&theirs))
}

/// What each judge says of one request body of `createOrderShipments`.
fn verdicts(body: serde_json::Value) -> (Result<(), String>, Result<(), String>) {
    verdicts_of(&BIGCOMMERCE, body)
}

#[test]
fn only_our_spec_refuses_a_bigcommerce_shipment_without_its_required_fields() {
    let complete = serde_json::json!({
        "order_address_id": 127,
        "tracking_number": "1Z999AA10123456784",
        "items": [{"order_product_id": 194, "quantity": 1}]
    });
    assert_eq!(verdicts(complete.clone()), (Ok(()), Ok(())));
    // BigCommerce requires these in prose only: its document takes them.
    for field in ["order_address_id", "items"] {
        let mut body = complete.clone();
        body.as_object_mut().unwrap().remove(field);
        let (ours, theirs) = verdicts(body);
        let refused = ours.expect_err(field);
        assert!(refused.contains(field), "{refused}");
        assert_eq!(theirs, Ok(()), "{field}");
    }
    for field in ["order_product_id", "quantity"] {
        let mut body = complete.clone();
        body["items"][0].as_object_mut().unwrap().remove(field);
        let (ours, theirs) = verdicts(body);
        assert!(ours.expect_err(field).contains(field));
        assert_eq!(theirs, Ok(()), "{field}");
    }
}

#[test]
fn each_judge_refuses_what_it_can_judge_of_a_bigcommerce_shipment() {
    let base = serde_json::json!({
        "order_address_id": 127,
        "items": [{"order_product_id": 194, "quantity": 1}]
    });
    let with = |key: &str, value: serde_json::Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    // A wrong type: both documents refuse it.
    let (ours, theirs) = verdicts(with("order_address_id", serde_json::json!("127")));
    assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    // A tracking number over BigCommerce's 50 characters: both.
    let (ours, theirs) = verdicts(with("tracking_number", serde_json::json!("1".repeat(51))));
    assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    // An unknown carrier: ours (and the carrier table); BigCommerce's
    // document leaves the carrier free.
    let (ours, theirs) = verdicts(with("tracking_carrier", serde_json::json!("pony-express")));
    assert!(ours.is_err(), "{ours:?}");
    assert_eq!(theirs, Ok(()));
    let refused = Pusher::new()
        .check(&Shipment {
            provider: Some(Provider::BIGCOMMERCE),
            order_ref: "225".into(),
            tracking_number: "1Z999AA10123456784".into(),
            carrier: Some("Pony Express".into()),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("unknown carrier \"Pony Express\""),
        "{refused}"
    );
}

#[test]
fn every_carrier_of_the_table_is_a_tracking_carrier_of_our_spec() {
    for carrier in order_tracking::carriers::CARRIERS {
        let slug = carrier.bigcommerce.unwrap_or_default();
        let (ours, _) = verdicts(serde_json::json!({
            "order_address_id": 127,
            "tracking_carrier": slug,
            "items": [{"order_product_id": 194, "quantity": 1}]
        }));
        assert_eq!(ours, Ok(()), "{}: {slug}", carrier.name);
    }
}

const EBAY_OPTIONS: [&str; 3] = ["shipped_at", "line_items", "service"];

/// An eBay row with the options whose bits are set in `mask`; without line
/// items, the order's are read.
fn ebay_row(mask: usize) -> Shipment {
    let has = |option: &str| chosen(&EBAY_OPTIONS, mask, option);
    Shipment {
        provider: Some(Provider::EBAY),
        order_ref: format!("01-03955-{:05}", 36000 + mask),
        tracking_number: format!("94055096999370{mask:08}"),
        carrier: Some("USPS".into()),
        shipped_at: has("shipped_at").then(|| "2024-04-09T12:26:18Z".parse().unwrap()),
        service: has("service").then(|| "Priority Mail".into()),
        line_items: if has("line_items") {
            vec![LineItem {
                id: "10000001234101".into(),
                quantity: 2,
                price: None,
            }]
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

fn ebay_document() -> PathBuf {
    document(EBAY.variable, EBAY.fixture)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ebay_request_of_every_row_shape_is_valid_under_ebays_document_and_ours() {
    let document = ebay_document();
    let theirs = contract(&document);
    let mock = MockServer::start(MockConfig::builtin().stateful())
        .await
        .unwrap();
    let token = ebay_client::auth::user_token(
        &mock.token_url("ebay").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
        tracking_mock::token::REFRESH_TOKEN,
    )
    .unwrap();
    let client =
        ebay_client::Client::with_user_token(&mock.base_url("ebay").unwrap(), token).unwrap();
    let pusher = Pusher::new().with_client(client);
    let shapes = push_every_shape(&pusher, EBAY_OPTIONS.len(), ebay_row).await;
    let ledger = mock.ledger();
    let count = |op: &str| ledger.iter().filter(|e| e.operation == op).count();
    // One fulfillment per row; the order and its fulfillments read for the
    // rows without line items.
    assert_eq!(count("createShippingFulfillment"), shapes, "{ledger:#?}");
    assert_eq!(count("getOrder"), shapes / 2, "{ledger:#?}");
    assert_eq!(count("getShippingFulfillments"), shapes / 2, "{ledger:#?}");
    assert_valid_under(&theirs, &document, &ledger);
}

/// What each judge says of one request body of `createShippingFulfillment`.
fn ebay_verdicts(body: serde_json::Value) -> (Result<(), String>, Result<(), String>) {
    verdicts_of(&EBAY, body)
}

fn ebay_complete() -> serde_json::Value {
    serde_json::json!({
        "lineItems": [{"lineItemId": "10000001234101", "quantity": 2}],
        "shippingCarrierCode": "USPS",
        "trackingNumber": "9405509699937003457459"
    })
}

#[test]
fn only_our_spec_refuses_an_ebay_fulfillment_without_its_line_items() {
    assert_eq!(ebay_verdicts(ebay_complete()), (Ok(()), Ok(())));
    // eBay's document lists no required field at all.
    for field in ["lineItems", "shippingCarrierCode", "trackingNumber"] {
        let mut body = ebay_complete();
        body.as_object_mut().unwrap().remove(field);
        let (ours, theirs) = ebay_verdicts(body);
        assert!(ours.expect_err(field).contains(field));
        assert_eq!(theirs, Ok(()), "{field}");
    }
    let mut empty = ebay_complete();
    empty["lineItems"] = serde_json::json!([]);
    let (ours, theirs) = ebay_verdicts(empty);
    assert!(ours.is_err(), "an empty lineItems");
    assert_eq!(theirs, Ok(()));
    for field in ["lineItemId", "quantity"] {
        let mut body = ebay_complete();
        body["lineItems"][0].as_object_mut().unwrap().remove(field);
        let (ours, theirs) = ebay_verdicts(body);
        assert!(ours.expect_err(field).contains(field));
        assert_eq!(theirs, Ok(()), "{field}");
    }
}

#[test]
fn each_judge_refuses_what_it_can_judge_of_an_ebay_fulfillment() {
    // A wrong type: both documents refuse it. (eBay publishes no length
    // for a tracking number, so there is no over-long one to judge.)
    let mut body = ebay_complete();
    body["lineItems"][0]["quantity"] = serde_json::json!("2");
    let (ours, theirs) = ebay_verdicts(body);
    assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    // An unknown carrier code: ours (and the carrier table); eBay's
    // document leaves it free.
    let mut body = ebay_complete();
    body["shippingCarrierCode"] = serde_json::json!("PonyExpress");
    let (ours, theirs) = ebay_verdicts(body);
    assert!(ours.is_err(), "{ours:?}");
    assert_eq!(theirs, Ok(()));
}

#[test]
fn every_ebay_code_of_the_carrier_table_is_one_our_spec_takes() {
    let mut coded = 0;
    for carrier in order_tracking::carriers::CARRIERS {
        let Some(code) = carrier.ebay else { continue };
        let mut body = ebay_complete();
        body["shippingCarrierCode"] = serde_json::json!(code);
        let (ours, theirs) = ebay_verdicts(body);
        assert_eq!((ours, theirs), (Ok(()), Ok(())), "{}: {code}", carrier.name);
        coded += 1;
    }
    assert!(coded >= 10, "{coded}");
}

const AMAZON: Judges = Judges {
    spec: "amazon.yaml",
    variable: "UPSTREAM_AMAZON_DOCUMENT",
    fixture: "../corpus/amazon/ordersV0.json",
    path: "/orders/v0/orders/902-1106328-1059050/shipmentConfirmation",
};

const AMAZON_OPTIONS: [&str; 5] = ["line_items", "service", "shipped_at", "target", "other"];

fn amazon_row(mask: usize) -> Shipment {
    let has = |option: &str| chosen(&AMAZON_OPTIONS, mask, option);
    Shipment {
        provider: Some(Provider::AMAZON),
        // An order per shape: a row without items ships what its order has left.
        order_ref: format!("902-{mask:07}-1059050"),
        tracking_number: format!("1Z999AA1{mask:010}"),
        carrier: Some(if has("other") { "Purolator" } else { "UPS" }.into()),
        service: has("service").then(|| "UPS Ground".into()),
        shipped_at: has("shipped_at").then(|| "2024-04-09T12:26:18Z".parse().unwrap()),
        target: has("target").then(|| "A2EUQ1WTGCTBG2".into()),
        line_items: if has("line_items") {
            vec![LineItem {
                id: "05015851154158".into(),
                quantity: 1,
                price: None,
            }]
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_amazon_request_of_every_row_shape_is_valid_under_amazons_document_and_ours() {
    let document = document(AMAZON.variable, AMAZON.fixture);
    let theirs = contract(&document);
    let ours = our_contract(&AMAZON);
    let mock = MockServer::start(MockConfig::builtin().stateful())
        .await
        .unwrap();
    let token = amazon_client::auth::lwa_token(
        &mock.token_url("amazon").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
        tracking_mock::token::REFRESH_TOKEN,
    )
    .unwrap();
    let client =
        amazon_client::Client::with_lwa_token(&mock.base_url("amazon").unwrap(), token).unwrap();
    let seller = order_tracking::providers::amazon::Seller::new(client, "ATVPDKIKX0DER");
    let pusher = Pusher::new().with_client(seller).without_usage_plans();
    let shapes = push_every_shape(&pusher, AMAZON_OPTIONS.len(), amazon_row).await;
    let ledger = mock.ledger();
    let count = |op: &str| ledger.iter().filter(|e| e.operation == op).count();
    assert_eq!(count("confirmShipment"), shapes, "{ledger:#?}");
    assert_eq!(count("getOrderItems"), shapes / 2, "{ledger:#?}");
    assert_valid_under(&theirs, &document, &ledger);
    assert_valid_under(&ours, Path::new(AMAZON.spec), &ledger);
}

fn amazon_complete() -> serde_json::Value {
    serde_json::json!({
        "marketplaceId": "ATVPDKIKX0DER",
        "packageDetail": {
            "packageReferenceId": "1",
            "carrierCode": "UPS",
            "trackingNumber": "1Z999AA10123456784",
            "shipDate": "2024-04-09T12:26:18Z",
            "orderItems": [{"orderItemId": "79039765272157", "quantity": 1}]
        }
    })
}

fn amazon_verdicts(body: serde_json::Value) -> (Result<(), String>, Result<(), String>) {
    verdicts_of(&AMAZON, body)
}

#[test]
fn each_judge_refuses_what_it_can_judge_of_an_amazon_confirmation() {
    assert_eq!(amazon_verdicts(amazon_complete()), (Ok(()), Ok(())));
    // Amazon's required fields: both judges refuse a body without one.
    for field in [
        "packageReferenceId",
        "carrierCode",
        "trackingNumber",
        "shipDate",
        "orderItems",
    ] {
        let mut body = amazon_complete();
        body["packageDetail"].as_object_mut().unwrap().remove(field);
        let (ours, theirs) = amazon_verdicts(body);
        assert!(ours.expect_err(field).contains(field));
        assert!(theirs.expect_err(field).contains(field));
    }
    let mut body = amazon_complete();
    body.as_object_mut().unwrap().remove("marketplaceId");
    let (ours, theirs) = amazon_verdicts(body);
    assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    // A ship date that is no date-time (the sandbox's 400 case): both.
    let mut body = amazon_complete();
    body["packageDetail"]["shipDate"] = serde_json::json!("02/21/2022");
    let (ours, theirs) = amazon_verdicts(body);
    assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    // What Amazon says in prose only: ours refuses, its document cannot.
    let prose = [
        (
            "/packageDetail/packageReferenceId",
            serde_json::json!("PKG-1"),
        ),
        (
            "/packageDetail/carrierCode",
            serde_json::json!("Pony Express"),
        ),
        ("/packageDetail/orderItems", serde_json::json!([])),
        ("/packageDetail/trackingNumber", serde_json::json!("")),
    ];
    for (pointer, value) in prose {
        let mut body = amazon_complete();
        *body.pointer_mut(pointer).unwrap() = value;
        let (ours, theirs) = amazon_verdicts(body);
        assert!(ours.is_err(), "{pointer}: {ours:?}");
        assert_eq!(theirs, Ok(()), "{pointer}");
    }
}

#[test]
fn every_amazon_code_of_the_carrier_table_is_one_both_judges_take() {
    let mut coded = 0;
    for carrier in order_tracking::carriers::CARRIERS {
        let (code, name) = match carrier.amazon {
            Some(code) => (code, None),
            None => ("Other", Some(carrier.name)),
        };
        let mut body = amazon_complete();
        body["packageDetail"]["carrierCode"] = serde_json::json!(code);
        if let Some(name) = name {
            body["packageDetail"]["carrierName"] = serde_json::json!(name);
        }
        let (ours, theirs) = amazon_verdicts(body);
        assert_eq!((ours, theirs), (Ok(()), Ok(())), "{}: {code}", carrier.name);
        coded += usize::from(carrier.amazon.is_some());
    }
    assert_eq!(coded, 4);
}

const WALMART: Judges = Judges {
    spec: "walmart.yaml",
    variable: "UPSTREAM_WALMART_DOCUMENT",
    fixture: "walmart-shapes.json",
    path: "/v3/orders/1815367951431/shipping",
};

const WALMART_OPTIONS: [&str; 5] = ["line_items", "service", "shipped_at", "target", "other"];

fn walmart_row(mask: usize) -> Shipment {
    let has = |option: &str| chosen(&WALMART_OPTIONS, mask, option);
    Shipment {
        provider: Some(Provider::WALMART),
        // An order per shape: a row without lines ships what its order has left.
        order_ref: format!("18153679{mask:05}"),
        tracking_number: format!("1Z999AA1{mask:010}"),
        carrier: Some(if has("other") { "Purolator" } else { "UPS" }.into()),
        tracking_url: has("other")
            .then(|| format!("https://www.purolator.com/en/shipping/tracker?pin={mask}")),
        service: has("service").then(|| "Express".into()),
        shipped_at: has("shipped_at").then(|| "2024-04-09T12:26:18Z".parse().unwrap()),
        target: has("target").then(|| "SO-92344".into()),
        line_items: if has("line_items") {
            vec![LineItem {
                id: "2".into(),
                quantity: 1,
                price: None,
            }]
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_walmart_request_of_every_row_shape_is_valid_under_walmarts_document_and_ours() {
    let document = document(WALMART.variable, WALMART.fixture);
    let theirs = contract(&document);
    let ours = our_contract(&WALMART);
    let mock = MockServer::start(MockConfig::builtin().stateful())
        .await
        .unwrap();
    let token = walmart_client::auth::client_token(
        &mock.token_url("walmart").unwrap(),
        tracking_mock::token::CLIENT_ID,
        tracking_mock::token::CLIENT_SECRET,
    )
    .unwrap();
    let client =
        walmart_client::Client::with_client_token(&mock.base_url("walmart").unwrap(), token)
            .unwrap();
    let pusher = Pusher::new().with_client(client);
    let shapes = push_every_shape(&pusher, WALMART_OPTIONS.len(), walmart_row).await;
    let ledger = mock.ledger();
    let count = |op: &str| ledger.iter().filter(|e| e.operation == op).count();
    assert_eq!(count("shippingUpdates"), shapes, "{ledger:#?}");
    assert_eq!(count("getAnOrder"), shapes, "{ledger:#?}");
    assert_valid_under(&theirs, &document, &ledger);
    assert_valid_under(&ours, Path::new(WALMART.spec), &ledger);
}

fn walmart_complete() -> serde_json::Value {
    serde_json::json!({
        "orderShipment": {"orderLines": {"orderLine": [{
            "lineNumber": "1",
            "sellerOrderId": "92344",
            "orderLineStatuses": {"orderLineStatus": [{
                "status": "Shipped",
                "statusQuantity": {"unitOfMeasurement": "EACH", "amount": "1"},
                "trackingInfo": {
                    "shipDateTime": 1580821866000_i64,
                    "carrierName": {"carrier": "UPS"},
                    "methodCode": "Standard",
                    "trackingNumber": "1Z999AA10123456784"
                }
            }]}
        }]}}
    })
}

fn walmart_verdicts(body: serde_json::Value) -> (Result<(), String>, Result<(), String>) {
    verdicts_of(&WALMART, body)
}

#[test]
fn each_judge_refuses_what_it_can_judge_of_a_walmart_update() {
    assert_eq!(walmart_verdicts(walmart_complete()), (Ok(()), Ok(())));
    let status = "/orderShipment/orderLines/orderLine/0/orderLineStatuses/orderLineStatus/0";
    // Walmart's required fields: both judges refuse a body without one.
    for field in [
        "carrierName",
        "methodCode",
        "shipDateTime",
        "trackingNumber",
    ] {
        let mut body = walmart_complete();
        body.pointer_mut(&format!("{status}/trackingInfo"))
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove(field);
        let (ours, theirs) = walmart_verdicts(body);
        assert!(ours.expect_err(field).contains(field));
        assert!(theirs.expect_err(field).contains(field));
    }
    let mut body = walmart_complete();
    body["orderShipment"]["orderLines"]["orderLine"][0]
        .as_object_mut()
        .unwrap()
        .remove("sellerOrderId");
    let (ours, theirs) = walmart_verdicts(body);
    assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    // A method Walmart does not have: both.
    let mut body = walmart_complete();
    *body
        .pointer_mut(&format!("{status}/trackingInfo/methodCode"))
        .unwrap() = serde_json::json!("Ground");
    let (ours, theirs) = walmart_verdicts(body);
    assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    // What Walmart says in prose only: ours refuses, its document cannot.
    let prose = [
        (
            format!("{status}/statusQuantity/amount"),
            serde_json::json!("0"),
        ),
        (format!("{status}/status"), serde_json::json!("Cancelled")),
        (
            "/orderShipment/orderLines/orderLine".to_string(),
            serde_json::json!([]),
        ),
    ];
    for (pointer, value) in prose {
        let mut body = walmart_complete();
        *body.pointer_mut(&pointer).unwrap() = value;
        let (ours, theirs) = walmart_verdicts(body);
        assert!(ours.is_err(), "{pointer}: {ours:?}");
        assert_eq!(theirs, Ok(()), "{pointer}");
    }
}

#[test]
fn every_walmart_name_of_the_carrier_table_is_one_both_judges_take() {
    let mut named = 0;
    for carrier in order_tracking::carriers::CARRIERS {
        let mut body = walmart_complete();
        let slot = "/orderShipment/orderLines/orderLine/0/orderLineStatuses/orderLineStatus/0/trackingInfo";
        let tracking = body.pointer_mut(slot).unwrap();
        match carrier.walmart {
            Some(name) => {
                tracking["carrierName"] = serde_json::json!({"carrier": name});
                named += 1;
            }
            None => {
                tracking["carrierName"] = serde_json::json!({"otherCarrier": carrier.name});
                tracking["trackingURL"] = serde_json::json!("https://track.example.com/1");
            }
        }
        let (ours, theirs) = walmart_verdicts(body);
        assert_eq!((ours, theirs), (Ok(()), Ok(())), "{}", carrier.name);
    }
    assert_eq!(named, 9);
}
