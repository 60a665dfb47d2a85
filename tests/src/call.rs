//! Calls any operation of any client by name, with JSON arguments (a spec's
//! examples), and gives back what came out as JSON.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracking_runtime::{ApiError, ClientConfig};

/// Credentials the tests use; none is real.
pub mod credentials {
    /// Crux token.
    pub const CRUX_TOKEN: &str = "crux-token-5ecret";
    /// VTEX app key.
    pub const VTEX_APP_KEY: &str = "vtexappkey-store-5ecret";
    /// VTEX app token.
    pub const VTEX_APP_TOKEN: &str = "vtex-app-token-5ecret";
    /// SellerCloud user.
    pub const SELLERCLOUD_USER: &str = "api@example.com";
    /// SellerCloud password.
    pub const SELLERCLOUD_PASSWORD: &str = "sellercloud-password-5ecret";

    /// `config` accepting, besides the mock's own defaults, these
    /// credentials and the accounts of the specs' login examples (which
    /// [`call`](super::call) sends with [`Args::from_examples`](super::Args::from_examples)).
    pub fn accepted_by(config: tracking_mock::MockConfig) -> tracking_mock::MockConfig {
        config
            .with_credential("crux", "tokenAuth", format!("Token {CRUX_TOKEN}"))
            .with_credential("vtex-oms", "appKey", VTEX_APP_KEY)
            .with_credential("vtex-oms", "appToken", VTEX_APP_TOKEN)
            .with_login("sellercloud", SELLERCLOUD_USER, SELLERCLOUD_PASSWORD)
            .with_login(
                "crux",
                "shipping@example.com",
                "correct-horse-battery-staple",
            )
            .with_login(
                "sellercloud",
                "api@example.com",
                "correct-horse-battery-staple",
            )
    }
}

/// A failed call, as JSON.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The status, if the provider answered.
    pub status: Option<u16>,
    /// The typed error body, serialized back, if there was one.
    pub body: Option<Value>,
    /// The error's message.
    pub message: String,
}

/// What a call gave: the success body as JSON (`None` when there is none), or the failure.
pub type Outcome = Result<Option<Value>, Failure>;

/// Arguments of a call.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// Path parameters by name.
    pub params: BTreeMap<String, Value>,
    /// The request body.
    pub body: Option<Value>,
}

impl Args {
    /// `op`'s parameter examples and the given body.
    pub fn with_body(op: &crate::spec::Operation, body: Option<Value>) -> Self {
        Self {
            params: op
                .params
                .iter()
                .filter_map(|p| Some((p.name.clone(), p.example.clone()?)))
                .collect(),
            body,
        }
    }

    /// `op`'s parameter examples and its first request example.
    pub fn from_examples(op: &crate::spec::Operation) -> Self {
        Self::with_body(op, op.request_examples.first().map(|e| e.value.clone()))
    }

    fn text(&self, name: &str) -> String {
        crate::spec::text(
            self.params
                .get(name)
                .unwrap_or_else(|| panic!("missing parameter {name}")),
        )
    }

    fn int(&self, name: &str) -> i32 {
        let value = self
            .params
            .get(name)
            .unwrap_or_else(|| panic!("missing parameter {name}"));
        value
            .as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or_else(|| panic!("{name} = {value} is not an i32"))
    }

    fn body<T: DeserializeOwned>(&self) -> T {
        let body = self.body.clone().expect("this operation needs a body");
        serde_json::from_value(body.clone()).unwrap_or_else(|e| {
            panic!("the example does not deserialize into the generated type: {e}\n{body:#}")
        })
    }
}

fn outcome<T: Serialize, E: Serialize>(
    result: Result<progenitor_client::ResponseValue<T>, ApiError<E>>,
) -> Outcome {
    match result {
        Ok(value) => {
            let json = serde_json::to_value(value.into_inner()).expect("serializable");
            Ok((!json.is_null()).then_some(json))
        }
        Err(error) => Err(Failure {
            status: error.status().map(|s| s.as_u16()),
            body: error
                .body()
                .map(|b| serde_json::to_value(b).expect("serializable"))
                .filter(|b| !b.is_null()),
            message: error.to_string(),
        }),
    }
}

/// Calls `operation` of the `provider`'s client (the spec's file stem) at `base_url`.
pub async fn call(
    provider: &str,
    base_url: &str,
    config: &ClientConfig,
    operation: &str,
    args: &Args,
) -> Outcome {
    use credentials::*;
    match provider {
        "crux" => {
            let c = crux_client::Client::with_token_and_config(base_url, CRUX_TOKEN, config)
                .expect("client");
            match operation {
                "userLogin" => outcome(
                    c.user_login()
                        .body(args.body::<crux_client::types::LoginRequest>())
                        .send()
                        .await,
                ),
                "addOrderTracking" => outcome(
                    c.add_order_tracking()
                        .order_uuid(args.text("order_uuid").as_str())
                        .body(args.body::<crux_client::types::AddOrderTrackingRequest>())
                        .send()
                        .await,
                ),
                "updateOrderTracking" => outcome(
                    c.update_order_tracking()
                        .order_uuid(args.text("order_uuid").as_str())
                        .tracking_number(args.text("tracking_number"))
                        .body(args.body::<crux_client::types::UpdateOrderTrackingRequest>())
                        .send()
                        .await,
                ),
                other => {
                    panic!("{provider}: no call for operation {other}: add it to tests/src/call.rs")
                }
            }
        }
        "vtex-oms" => {
            let c = vtex_oms_client::Client::with_app_key_and_config(
                base_url,
                VTEX_APP_KEY,
                VTEX_APP_TOKEN,
                config,
            )
            .expect("client");
            use vtex_oms_client::types;
            match operation {
                "invoiceNotification" => outcome(
                    c.invoice_notification()
                        .order_id(args.text("orderId"))
                        .body(args.body::<types::InvoiceNotificationRequest>())
                        .send()
                        .await,
                ),
                "updatePartialInvoice" => outcome(
                    c.update_partial_invoice()
                        .order_id(args.text("orderId"))
                        .invoice_number(args.text("invoiceNumber"))
                        .body(args.body::<types::UpdatePartialInvoiceRequest>())
                        .send()
                        .await,
                ),
                "updateTrackingStatus" => outcome(
                    c.update_tracking_status()
                        .order_id(args.text("orderId"))
                        .invoice_number(args.text("invoiceNumber"))
                        .body(args.body::<types::UpdateTrackingStatusRequest>())
                        .send()
                        .await,
                ),
                other => {
                    panic!("{provider}: no call for operation {other}: add it to tests/src/call.rs")
                }
            }
        }
        "sellercloud" => {
            let c = sellercloud_client::Client::with_credentials_and_config(
                base_url,
                SELLERCLOUD_USER,
                SELLERCLOUD_PASSWORD,
                config,
            )
            .expect("client");
            use sellercloud_client::types;
            match operation {
                "createToken" => outcome(
                    c.create_token()
                        .body(args.body::<types::TokenRequest>())
                        .send()
                        .await,
                ),
                "updatePurchaseOrderTracking" => outcome(
                    c.update_purchase_order_tracking()
                        .id(args.int("id"))
                        .body(args.body::<types::UpdatePurchaseOrderTrackingRequest>())
                        .send()
                        .await,
                ),
                "addPurchaseOrderTrackingNumbers" => outcome(
                    c.add_purchase_order_tracking_numbers()
                        .id(args.int("id"))
                        .body(args.body::<types::AddPurchaseOrderTrackingNumbersRequest>())
                        .send()
                        .await,
                ),
                "updateOrderShippingStatus" => outcome(
                    c.update_order_shipping_status()
                        .body(args.body::<types::UpdateOrderShippingStatusRequest>())
                        .send()
                        .await,
                ),
                other => {
                    panic!("{provider}: no call for operation {other}: add it to tests/src/call.rs")
                }
            }
        }
        other => panic!("no client for spec {other}: add it to tests/src/call.rs"),
    }
}

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
