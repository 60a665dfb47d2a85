//! SellerCloud's own pieces for the tests of its token flow (auth, retries,
//! spans, secrets): the client that logs in and renews its bearer token.

use tracking_runtime::ApiError;

/// SellerCloud's tracking number of purchase order 18227 set to `1Z`: the
/// call the auth, retry and span tests make.
pub async fn po_tracking(
    client: &sellercloud_client::Client,
) -> Result<(), ApiError<sellercloud_client::types::SellerCloudError>> {
    client
        .update_purchase_order_tracking()
        .id(18227)
        .body_map(|b| b.tracking_number(Some("1Z".to_string())))
        .send()
        .await
        .map(|_| ())
}

/// Whether `request` is SellerCloud's login (`createToken`).
pub fn is_token(request: &crate::server::Recorded) -> bool {
    request.path.ends_with("/api/token")
}

/// SellerCloud's answer to a login: `token`, valid for `expires_in` seconds.
pub fn token_reply(token: &str, expires_in: u64) -> crate::server::Reply {
    crate::server::Reply::json(
        200,
        serde_json::json!({"access_token": token, "expires_in": expires_in}),
    )
}
