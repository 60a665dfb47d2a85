//! Shipment keys, normalisation and the planning of changes: two spellings
//! of one provider record are one key, two records never are, and a change
//! goes only by calls that may be repeated.

use order_tracking::providers::crux;
use order_tracking::{Provider, Shipment, changed_fields, plan_change};

fn shipment(provider: Provider, order_ref: &str, tracking: &str) -> Shipment {
    Shipment {
        provider: Some(provider),
        order_ref: order_ref.into(),
        tracking_number: tracking.into(),
        carrier: Some("UPS".into()),
        ..Default::default()
    }
}

const UUID: &str = "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3";

#[test]
fn spellings_of_one_record_are_one_key() {
    let crux = |order: &str| shipment(Provider::CRUX, order, "1Z1").key(Provider::CRUX);
    assert_eq!(crux(UUID), crux(&UUID.to_uppercase()));
    assert_eq!(crux(UUID), crux(&format!("{{{UUID}}}")));
    assert_eq!(crux(UUID), crux(&format!(" {UUID} ")));

    let po = |order: &str| {
        let mut s = shipment(Provider::SELLERCLOUD, order, "1Z1");
        s.target = Some("po".into());
        s.key(Provider::SELLERCLOUD)
    };
    assert_eq!(po("7"), po("007"));
    assert_eq!(po("7"), po(" 7"));
}

#[test]
fn different_records_are_different_keys() {
    let vtex = |order: &str, tracking: &str| {
        let mut s = shipment(Provider::VTEX_OMS, order, tracking);
        s.invoice_number = Some("inv".into());
        s.key(Provider::VTEX_OMS)
    };
    // Under a `|`-joined key these were one.
    assert_ne!(vtex("a|b", "c"), vtex("a", "b|c"));
    assert_ne!(vtex("a\",\"b", "c"), vtex("a", "b\",\"c"));

    let sellercloud = |target| {
        let mut s = shipment(Provider::SELLERCLOUD, "123", "1Z1");
        s.target = target;
        s.key(Provider::SELLERCLOUD)
    };
    assert_eq!(sellercloud(None), sellercloud(Some("order".into())));
    assert_ne!(sellercloud(None), sellercloud(Some("po".into())));
    assert_ne!(
        sellercloud(Some("po".into())),
        sellercloud(Some("po-multiple".into()))
    );
    assert_ne!(
        shipment(Provider::CRUX, UUID, "1Z1").key(Provider::CRUX),
        shipment(Provider::CRUX, UUID, "1Z2").key(Provider::CRUX)
    );
}

#[test]
fn normalised_rows_compare_what_the_provider_reads() {
    let a = shipment(Provider::CRUX, UUID, "1Z1");
    let mut b = shipment(Provider::CRUX, &UUID.to_uppercase(), " 1Z1 ");
    b.carrier = Some(" UPS ".into());
    b.tracking_url = Some("".into());
    assert_eq!(a.normalized(Provider::CRUX), b.normalized(Provider::CRUX));
    assert!(changed_fields(&a, &b, Provider::CRUX).is_empty());
    b.carrier = Some("FedEx".into());
    assert_eq!(changed_fields(&a, &b, Provider::CRUX), ["carrier"]);
}

#[test]
fn a_change_goes_by_calls_that_may_be_repeated() {
    // Crux: the update PUT, with the new fields.
    let old = shipment(Provider::CRUX, UUID, "1Z1");
    let mut new = old.clone();
    new.carrier = Some("FedEx".into());
    let plan = plan_change(&old, &new, Provider::CRUX).unwrap();
    assert!(
        matches!(plan.calls(), Some(crux::Calls::Update { body, .. }) if body.carrier.as_deref() == Some("FedEx"))
    );
    assert!(plan.repeatable());

    // VTEX: the tracking on an invoice goes by the PATCH, even for a row
    // that notified the invoice; its value cannot change.
    let mut old = shipment(Provider::VTEX_OMS, "v1-01", "BR1");
    old.invoice_number = Some("inv".into());
    old.invoice_value = Some("10.00".parse().unwrap());
    old.line_items = vec![order_tracking::LineItem {
        id: "1".into(),
        quantity: 1,
        price: Some("10.00".parse().unwrap()),
    }];
    let mut new = old.clone();
    new.tracking_url = Some("https://track.example.com/BR1".into());
    let plan = plan_change(&old, &new, Provider::VTEX_OMS).unwrap();
    assert_eq!(plan.operations(), ["updatePartialInvoice"]);
    assert!(plan.repeatable());
    new.invoice_value = Some("12.00".parse().unwrap());
    let refused = plan_change(&old, &new, Provider::VTEX_OMS).unwrap_err();
    assert!(refused.to_string().contains("invoice_value"), "{refused}");

    // SellerCloud: the PUTs again; the multiple-PO POST cannot change.
    let mut old = shipment(Provider::SELLERCLOUD, "18227", "1Z1");
    old.target = Some("po".into());
    let mut new = old.clone();
    new.carrier = Some("FedEx".into());
    assert_eq!(
        plan_change(&old, &new, Provider::SELLERCLOUD)
            .unwrap()
            .operations(),
        ["updatePurchaseOrderTracking"]
    );
    old.target = Some("po-multiple".into());
    new.target = Some("po-multiple".into());
    assert!(plan_change(&old, &new, Provider::SELLERCLOUD).is_err());
}

#[test]
fn identifiers_with_control_characters_are_refused() {
    for (order, tracking) in [
        (UUID, "1Z1\n"),
        (UUID, "1Z\u{7}1"),
        ("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3\r", "1Z1"),
    ] {
        let s = shipment(Provider::CRUX, order, tracking);
        let errors = order_tracking::plan(&s, Provider::CRUX).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("control character")),
            "{errors:?}"
        );
    }
}

#[test]
fn dates_in_json_lines_may_be_plain_dates() {
    let row: Shipment = serde_json::from_str(
        r#"{"order_ref":"a","tracking_number":"1","shipped_at":"2024-04-09","delivered_at":"2024-04-10T08:00:00+02:00"}"#,
    )
    .unwrap();
    assert_eq!(
        row.shipped_at.unwrap().to_rfc3339(),
        "2024-04-09T00:00:00+00:00"
    );
    assert_eq!(
        row.delivered_at.unwrap().to_rfc3339(),
        "2024-04-10T06:00:00+00:00"
    );
    let bad = serde_json::from_str::<Shipment>(
        r#"{"order_ref":"a","tracking_number":"1","shipped_at":"soon"}"#,
    );
    assert!(bad.unwrap_err().to_string().contains("is not a date-time"));
}

/// The keys journals hold, exactly as trackctl 0.1 and 0.2 wrote them: a
/// provider's module must read a row into the same key, or every journal
/// written before would take its rows for new ones and send them again.
#[test]
fn journal_keys_are_the_ones_journals_already_hold() {
    let mut crux = shipment(
        Provider::CRUX,
        &format!("{{{}}}", UUID.to_uppercase()),
        " 1Z1 ",
    );
    crux.target = Some("po".into());
    assert_eq!(
        crux.key(Provider::CRUX),
        format!(r#"["crux","{UUID}","1Z1"]"#)
    );

    let mut vtex = shipment(Provider::VTEX_OMS, " v1-01 ", "BR1");
    vtex.invoice_number = Some(" INV-7 ".into());
    assert_eq!(
        vtex.key(Provider::VTEX_OMS),
        r#"["vtex-oms","v1-01","INV-7","BR1"]"#
    );

    let mut sellercloud = shipment(Provider::SELLERCLOUD, "007", "1Z1");
    assert_eq!(
        sellercloud.key(Provider::SELLERCLOUD),
        r#"["sellercloud","order","7","1Z1"]"#
    );
    sellercloud.target = Some("po-multiple".into());
    assert_eq!(
        sellercloud.key(Provider::SELLERCLOUD),
        r#"["sellercloud","po-multiple","7","1Z1"]"#
    );
}
