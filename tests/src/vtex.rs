//! VTEX's own pieces for the tests that send its partial-invoice PATCH.

/// A VTEX partial-invoice body with only a tracking number: VTEX requires
/// the other three keys, sent as null. For `.body_map(|b| tracking_only(b, "1Z"))`.
pub fn tracking_only(
    body: vtex_oms_client::types::builder::UpdatePartialInvoiceRequest,
    number: impl Into<String>,
) -> vtex_oms_client::types::builder::UpdatePartialInvoiceRequest {
    body.tracking_number(number.into())
        .tracking_url(None)
        .courier(None)
        .dispatched_date(None)
}
