//! Amazon (Selling Partner API, Orders v0): `confirmShipment`, one package
//! of the order (`order_ref` is its Amazon order id) with the row's items,
//! the tracking number and the carrier's Amazon code from the
//! [carrier table](crate::carriers), or `Other` with the carrier's name.
//! An order takes several packages.
//!
//! A row's `line_items` are Amazon order item ids (`id:quantity`); a row
//! without them ships every item not shipped yet, in the quantity left,
//! read from `getOrderItems`. A carrier is required: Amazon requires
//! `carrierCode` in every marketplace. `shipped_at` is the package's
//! `shipDate`, which Amazon requires: a row without it is sent with the
//! time of the push. `service` is the `shippingMethod`. The
//! `packageReferenceId` (positive numbers only) is made from the order and
//! the tracking number, so a rerun sends the same one. `target`, where
//! given, is the order's marketplace id instead of `AMAZON_MARKETPLACE_ID`.
//! Not sent, since a package has no field for them: `tracking_url` (Amazon
//! makes the link from the carrier and the number), `cost` and `weight`;
//! the VTEX fields are refused.
//!
//! The confirmation may not be repeated: its quantities add to what the
//! order has shipped. When its answer is lost, the order is read
//! (`getOrder`, then `getOrderItems`), and it is sent again only when the
//! quantities show it was not applied. Quantities cannot tell which
//! tracking number was applied: when an earlier package of the same items
//! could explain them, the row is reported uncertain, neither resent nor
//! called delivered. Amazon has no call that changes a
//! confirmation, so `--push-changes` sends nothing and says what to do.
//!
//! Pace: each operation keeps to its usage plan (`confirmShipment` 2 a
//! second with a burst of 10, the reads 0.5 a second with a burst of 30),
//! or to the rate its answers announce in `x-amzn-RateLimit-Limit`.
//!
//! Settings: `AMAZON_LWA_CLIENT_ID` and `AMAZON_LWA_CLIENT_SECRET` (the
//! application's Login with Amazon keys), `AMAZON_REFRESH_TOKEN` (the
//! seller's, from authorizing the application), `AMAZON_MARKETPLACE_ID`,
//! and `AMAZON_REGION` (`na`, `eu` or `fe`) or `AMAZON_BASE_URL`;
//! `AMAZON_TOKEN_URL` to point the token exchange elsewhere.

mod plan;
mod reads;

use std::pin::Pin;
use std::sync::Mutex;

use amazon_client::operation_ids as ops;
use amazon_client::types as am;
use futures_util::future::BoxFuture;
use tracking_runtime::json_call::{self, JsonCall};
use tracking_runtime::{ClientConfig, Secret};

use crate::once::{not_sent, send_once};
use crate::outcome::PushError;
use crate::plan::{Errors, Plan, Sent};
use crate::provider::{
    Account, Connection, Lookup, Platform, Provider, ProviderClient, Settings, Settled,
};
use crate::pusher::Delivery;
use crate::shipment::{FieldError, Shipment};
use crate::update::Unchangeable;

/// The provider.
pub(crate) struct Amazon;

impl Provider {
    /// Amazon (`amazon`).
    pub const AMAZON: Provider = Provider(&Amazon);
}

/// A seller's client and the marketplace its orders are in: what a
/// [`Pusher`](crate::Pusher) sends Amazon's packages through, since every
/// confirmation names its marketplace.
///
/// ```no_run
/// # fn run(client: amazon_client::Client) {
/// use order_tracking::Pusher;
/// use order_tracking::providers::amazon::Seller;
///
/// let pusher = Pusher::new().with_client(Seller::new(client, "ATVPDKIKX0DER"));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Seller {
    client: amazon_client::Client,
    marketplace_id: String,
}

impl Seller {
    /// `client`'s seller in marketplace `marketplace_id` (`ATVPDKIKX0DER`,
    /// the United States); a row's `target` names another.
    pub fn new(client: amazon_client::Client, marketplace_id: impl Into<String>) -> Self {
        Self {
            client,
            marketplace_id: marketplace_id.into(),
        }
    }

    /// The client.
    pub fn client(&self) -> &amazon_client::Client {
        &self.client
    }

    /// The marketplace of rows that name none.
    pub fn marketplace_id(&self) -> &str {
        &self.marketplace_id
    }
}

impl JsonCall for Seller {
    fn call_json<'a>(
        &'a self,
        operation: &'a str,
        args: &'a json_call::Args,
    ) -> Pin<Box<dyn Future<Output = json_call::Outcome> + Send + 'a>> {
        self.client.call_json(operation, args)
    }
}

impl ProviderClient for Seller {
    fn provider() -> Provider {
        Provider::AMAZON
    }
}

static SETTINGS: Settings = Settings {
    prefix: "AMAZON_",
    variables: &[
        "AMAZON_LWA_CLIENT_ID",
        "AMAZON_LWA_CLIENT_SECRET",
        "AMAZON_REFRESH_TOKEN",
        "AMAZON_MARKETPLACE_ID",
        "AMAZON_REGION",
        "AMAZON_BASE_URL",
        "AMAZON_TOKEN_URL",
    ],
    base_url: "AMAZON_BASE_URL",
};

const NEEDS: [&str; 4] = [
    "AMAZON_LWA_CLIENT_ID",
    "AMAZON_LWA_CLIENT_SECRET",
    "AMAZON_REFRESH_TOKEN",
    "AMAZON_MARKETPLACE_ID",
];

/// The regions `AMAZON_REGION` names, and their hosts.
const REGIONS: [(&str, &str); 3] = [
    ("na", amazon_client::servers::NORTH_AMERICA),
    ("eu", amazon_client::servers::EUROPE),
    ("fe", amazon_client::servers::FAR_EAST),
];

/// Amazon's calls for one shipment.
#[derive(Debug, Clone)]
pub enum Calls {
    /// `confirmShipment`, after reading the order's items when the row
    /// names none.
    Confirm {
        /// The order.
        order_id: String,
        /// The row's marketplace, where it names one (`target`).
        marketplace_id: Option<String>,
        /// The package; no items means every one not shipped yet.
        package: am::PackageDetail,
    },
}

impl Amazon {
    const PROVIDER: Provider = Provider::AMAZON;
}

impl Platform for Amazon {
    fn name(&self) -> &'static str {
        "amazon"
    }

    fn title(&self) -> &'static str {
        "Amazon"
    }

    fn settings(&self) -> &'static Settings {
        &SETTINGS
    }

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {
        if NEEDS.iter().any(|n| settings.get(n).is_none()) {
            return Err(settings.missing(&NEEDS, ""));
        }
        let base_url = match (settings.get("AMAZON_BASE_URL"), settings.get("AMAZON_REGION")) {
            (Some(url), _) => url,
            (None, Some(region)) => REGIONS
                .iter()
                .find(|(name, _)| region.eq_ignore_ascii_case(name))
                .map(|(_, url)| url.to_string())
                .ok_or_else(|| {
                    format!(
                        "amazon: AMAZON_REGION is {region:?}: it is na (North America), eu (Europe, the Middle East, Africa and India) or fe (the Far East), the region of your marketplace; or give AMAZON_BASE_URL"
                    )
                })?,
            (None, None) => {
                return Err(settings.missing(
                    &["AMAZON_REGION"],
                    " (na, eu or fe: your marketplace's region; or AMAZON_BASE_URL)",
                ));
            }
        };
        let client_id = settings.get("AMAZON_LWA_CLIENT_ID").unwrap_or_default();
        Ok(Settled {
            base_url,
            // One application's token for one seller: the refresh token
            // names the seller, and only its fingerprint is kept.
            account: Account::Token(Secret::from(format!(
                "{client_id}:{}",
                settings.get("AMAZON_REFRESH_TOKEN").unwrap_or_default()
            ))),
        })
    }

    fn connect<'a>(
        &'a self,
        settings: &'a Lookup<'a>,
        base_url: &'a str,
        config: &'a ClientConfig,
    ) -> BoxFuture<'a, Result<Connection, String>> {
        let get = |name: &str| settings.get(name).unwrap_or_default();
        let token_url = settings
            .get("AMAZON_TOKEN_URL")
            .unwrap_or_else(|| amazon_client::auth::TOKEN_URL.to_string());
        let seller = amazon_client::auth::lwa_token(
            &token_url,
            &get("AMAZON_LWA_CLIENT_ID"),
            Secret::from(get("AMAZON_LWA_CLIENT_SECRET")),
            Secret::from(get("AMAZON_REFRESH_TOKEN")),
        )
        .map_err(|e| format!("amazon: AMAZON_TOKEN_URL: {e}"))
        .and_then(|token| {
            amazon_client::Client::with_lwa_token_and_config(base_url, token, config)
                .map_err(|e| format!("amazon: {e}"))
        })
        .map(|client| Connection::from(Seller::new(client, get("AMAZON_MARKETPLACE_ID"))));
        Box::pin(std::future::ready(seller))
    }

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("AMAZON_LWA_CLIENT_ID", "mock-client-id"),
            ("AMAZON_LWA_CLIENT_SECRET", "mock-client-secret"),
            ("AMAZON_REFRESH_TOKEN", "mock-refresh-token"),
            ("AMAZON_MARKETPLACE_ID", "ATVPDKIKX0DER"),
        ]
    }

    fn token_endpoint(&self) -> Option<(&'static str, &'static str)> {
        Some(("AMAZON_TOKEN_URL", "/auth/o2/token"))
    }

    /// The usage plans of Amazon's document (each operation's description).
    fn operation_pace(&self, operation: &str) -> Option<(f64, u32)> {
        match operation {
            ops::CONFIRM_SHIPMENT => Some((2.0, 10)),
            ops::GET_ORDER | ops::GET_ORDER_ITEMS => Some((0.5, 30)),
            _ => None,
        }
    }

    /// Amazon answers an expired token, a missing role and a revoked
    /// authorization alike with 403 (Access Denied, Unauthorized, Expired
    /// Token): every further call would be refused too.
    fn forbidden_is_credentials(&self) -> bool {
        true
    }

    fn plan(&self, shipment: &Shipment, errors: &mut Errors) -> Option<Plan> {
        plan::plan(shipment, errors).map(|calls| Plan::new(Self::PROVIDER, calls))
    }

    fn plan_change(
        &self,
        _old: &Shipment,
        _new: &Shipment,
        changed: &[String],
    ) -> Result<Plan, Unchangeable> {
        Err(Unchangeable(format!(
            "Amazon has no call that changes a shipment confirmation, so nothing was sent for the change of {}: correct the tracking in Seller Central (Edit shipment), or push a new tracking number as another package",
            changed.join(", ")
        )))
    }
}

/// Paces `operation` at the rate its answer's `headers` announce, if they
/// do.
async fn follow_announced_rate(
    delivery: &crate::pusher::Delivery<'_>,
    operation: &'static str,
    headers: &tracking_runtime::HeaderMap,
) {
    if let Some(rate) = announced_rate(headers) {
        delivery.follow_announced_rate(operation, rate).await;
    }
}

/// The rate `x-amzn-RateLimit-Limit` announces (`2.0`), if it does.
fn announced_rate(headers: &tracking_runtime::HeaderMap) -> Option<f64> {
    headers
        .get("x-amzn-ratelimit-limit")?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|rate| rate.is_finite() && *rate > 0.0)
}

/// A row Amazon's answers show cannot be shipped as given: nothing was sent.
fn refused(message: String) -> PushError {
    PushError::Invalid(vec![FieldError {
        field: "line_items".into(),
        message,
    }])
}

impl crate::plan::Calls for Calls {
    fn operations(&self) -> Vec<&'static str> {
        vec![ops::CONFIRM_SHIPMENT]
    }

    fn idempotent_operations(&self) -> &'static [&'static str] {
        amazon_client::IDEMPOTENT_OPERATIONS
    }

    fn tracking_slot(&self) -> Option<&'static str> {
        None
    }

    /// The order's quantities shipped tell whether a confirmation was
    /// applied, or that it cannot be told.
    fn has_lookup(&self) -> bool {
        true
    }

    fn order(&self) -> Option<String> {
        let Calls::Confirm { order_id, .. } = self;
        Some(order_id.clone())
    }

    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        Box::pin(async move {
            let seller = delivery.client::<Seller>()?;
            let client = &seller.client;
            let Calls::Confirm {
                order_id,
                marketplace_id,
                package,
            } = *self;
            let marketplace = marketplace_id.unwrap_or_else(|| seller.marketplace_id.clone());
            let marketplace_id: am::ConfirmShipmentRequestMarketplaceId =
                marketplace.parse().map_err(|_| {
                    PushError::Invalid(vec![FieldError {
                        field: "target".into(),
                        message: "required: the order's Amazon marketplace id (AMAZON_MARKETPLACE_ID, or the row's target)".into(),
                    }])
                })?;
            let reference = package.package_reference_id.to_string();
            // What was sent, and the quantities shipped just before, where
            // the order was read for them: what a lookup compares with.
            let sent: Mutex<reads::Sent> = Mutex::new(reads::Sent::of(&package));
            let shared: &Delivery<'_> = delivery;
            let order = order_id.as_str();
            let send = || {
                let mut package = package.clone();
                let body_marketplace = marketplace_id.clone();
                let sent = &sent;
                async move {
                    if package.order_items.is_empty() {
                        // A read: the confirmation is not sent if it fails.
                        let items = reads::items(shared, client, order)
                            .await
                            .map_err(|e| not_sent(e, ops::CONFIRM_SHIPMENT))?;
                        package.order_items = reads::unshipped(order, &items)?;
                        *sent.lock().unwrap_or_else(|e| e.into_inner()) =
                            reads::Sent::with_baseline(&package, &items);
                    }
                    client
                        .confirm_shipment()
                        .order_id(order)
                        .body(am::ConfirmShipmentRequest {
                            cod_collection_method: None,
                            marketplace_id: body_marketplace,
                            package_detail: package,
                        })
                        .send()
                        .await
                        .map_err(|e| PushError::failed(e, Vec::new()))
                }
            };
            let look = || async {
                let known = sent.lock().unwrap_or_else(|e| e.into_inner()).clone();
                reads::settle(shared, client, order, &known).await
            };
            let (already_applied, answer) = send_once(
                shared,
                ops::CONFIRM_SHIPMENT,
                true,
                may_be_applied,
                send,
                look,
            )
            .await?;
            if let Some(answer) = &answer {
                follow_announced_rate(delivery, ops::CONFIRM_SHIPMENT, answer.headers()).await;
            }
            delivery.done.push(ops::CONFIRM_SHIPMENT);
            Ok(Sent {
                reference: Some(format!("package {reference}")),
                already_applied,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_amazon_code_of_the_carrier_table_is_one_the_spec_takes() {
        let codes: Vec<&str> = crate::carriers::CARRIERS
            .iter()
            .filter_map(|c| c.amazon)
            .collect();
        for code in &codes {
            assert!(code.parse::<am::CarrierCode>().is_ok(), "{code}");
        }
        // And the spec's enum is the table's column and Other, no more.
        for code in ["UPS", "FedEx", "USPS", "DHL"] {
            assert!(codes.contains(&code), "{code}");
        }
        assert!("Other".parse::<am::CarrierCode>().is_ok());
        assert!("DHLGlobalMail".parse::<am::CarrierCode>().is_err());
    }

    #[test]
    fn an_announced_rate_is_read_when_it_is_a_positive_number() {
        let mut headers = tracking_runtime::HeaderMap::new();
        assert_eq!(announced_rate(&headers), None);
        headers.insert("x-amzn-RateLimit-Limit", "0.5".parse().unwrap());
        assert_eq!(announced_rate(&headers), Some(0.5));
        for bad in ["", "fast", "0", "-2", "NaN", "inf"] {
            headers.insert("x-amzn-RateLimit-Limit", bad.parse().unwrap());
            assert_eq!(announced_rate(&headers), None, "{bad}");
        }
    }
}
