//! eBay: `createShippingFulfillment`, a new shipping fulfillment (one
//! package) of the order (`order_ref` is its id) with the row's line items,
//! the tracking number and the carrier's eBay code from the
//! [carrier table](crate::carriers). An order takes several fulfillments.
//!
//! A row's `line_items` are eBay line item ids (`id:quantity`); a row
//! without them ships every line item not shipped yet, in the quantity
//! left, read from the order and its fulfillments. A carrier is required:
//! eBay links the tracking number through it.
//!
//! The create may not be repeated: every arrival creates another
//! fulfillment. When its answer is lost, the order's fulfillments are read
//! (`getShippingFulfillments`), and it is sent again only when none
//! carries the tracking number. eBay has no call that changes a
//! fulfillment, so `--push-changes` sends nothing and says what to do.
//!
//! `shipped_at` is the fulfillment's `shippedDate` (eBay takes the time of
//! the call without it). Not sent, since a fulfillment has no field for
//! them: `service`, `tracking_url` (eBay makes the link from the carrier
//! and the number), `cost` and `weight`. `target` and the VTEX fields are
//! refused.
//!
//! Settings: `EBAY_CLIENT_ID` and `EBAY_CLIENT_SECRET` (the application's
//! keys) and `EBAY_REFRESH_TOKEN` (the seller's, from the one-time consent);
//! `EBAY_BASE_URL` and `EBAY_TOKEN_URL` to point elsewhere (the sandbox).

mod plan;
mod reads;

use ebay_client::operation_ids as ops;
use ebay_client::types as eb;
use futures_util::future::BoxFuture;
use tracking_runtime::{ClientConfig, Secret};

use crate::once::{Found, not_sent, send_once};
use crate::outcome::PushError;
use crate::plan::{Errors, Plan, Sent};
use crate::provider::{
    Account, Connection, Lookup, Platform, Provider, ProviderClient, Settings, Settled,
};
use crate::pusher::Delivery;
use crate::shipment::Shipment;
use crate::update::Unchangeable;

/// The provider.
pub(crate) struct Ebay;

impl Provider {
    /// eBay (`ebay`).
    pub const EBAY: Provider = Provider(&Ebay);
}

impl ProviderClient for ebay_client::Client {
    fn provider() -> Provider {
        Provider::EBAY
    }
}

static SETTINGS: Settings = Settings {
    prefix: "EBAY_",
    variables: &[
        "EBAY_CLIENT_ID",
        "EBAY_CLIENT_SECRET",
        "EBAY_REFRESH_TOKEN",
        "EBAY_BASE_URL",
        "EBAY_TOKEN_URL",
    ],
    base_url: "EBAY_BASE_URL",
};

const CREDENTIALS: [&str; 3] = ["EBAY_CLIENT_ID", "EBAY_CLIENT_SECRET", "EBAY_REFRESH_TOKEN"];

/// eBay's calls for one shipment.
#[derive(Debug, Clone)]
pub enum Calls {
    /// `createShippingFulfillment`, after reading the order's line items
    /// when the row names none.
    Create {
        /// The order.
        order_id: String,
        /// The body; no line items means every one not shipped yet.
        body: eb::ShippingFulfillmentDetails,
    },
}

impl Ebay {
    const PROVIDER: Provider = Provider::EBAY;
}

impl Platform for Ebay {
    fn name(&self) -> &'static str {
        "ebay"
    }

    fn title(&self) -> &'static str {
        "eBay"
    }

    fn settings(&self) -> &'static Settings {
        &SETTINGS
    }

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {
        if CREDENTIALS.iter().any(|n| settings.get(n).is_none()) {
            return Err(settings.missing(&CREDENTIALS, ""));
        }
        let base_url = settings
            .get("EBAY_BASE_URL")
            .unwrap_or_else(|| ebay_client::servers::PRODUCTION.to_string());
        let client_id = settings.get("EBAY_CLIENT_ID").unwrap_or_default();
        Ok(Settled {
            base_url,
            // One application's token for one seller: the refresh token
            // names the seller, and only its fingerprint is kept.
            account: Account::Token(Secret::from(format!(
                "{client_id}:{}",
                settings.get("EBAY_REFRESH_TOKEN").unwrap_or_default()
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
            .get("EBAY_TOKEN_URL")
            .unwrap_or_else(|| ebay_client::auth::TOKEN_URL.to_string());
        let client = ebay_client::auth::user_token(
            &token_url,
            &get("EBAY_CLIENT_ID"),
            Secret::from(get("EBAY_CLIENT_SECRET")),
            Secret::from(get("EBAY_REFRESH_TOKEN")),
        )
        .map_err(|e| format!("ebay: EBAY_TOKEN_URL: {e}"))
        .and_then(|token| {
            ebay_client::Client::with_user_token_and_config(base_url, token, config)
                .map_err(|e| format!("ebay: {e}"))
        })
        .map(Connection::from);
        Box::pin(std::future::ready(client))
    }

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("EBAY_CLIENT_ID", "mock-client-id"),
            ("EBAY_CLIENT_SECRET", "mock-client-secret"),
            ("EBAY_REFRESH_TOKEN", "mock-refresh-token"),
        ]
    }

    fn server_path(&self) -> &'static str {
        "/sell/fulfillment/v1"
    }

    fn token_endpoint(&self) -> Option<(&'static str, &'static str)> {
        Some(("EBAY_TOKEN_URL", "/identity/v1/oauth2/token"))
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
            "eBay has no call that changes a shipping fulfillment, so nothing was sent for the change of {}: correct the tracking on eBay (Seller Hub), or push a new tracking number as another package",
            changed.join(", ")
        )))
    }
}

/// The fulfillment's id, the last part of the `Location` eBay answers.
fn fulfillment_id(location: Option<&str>) -> Option<String> {
    let id = location?.trim_end_matches('/').rsplit('/').next()?;
    (!id.is_empty()).then(|| id.to_string())
}

impl crate::plan::Calls for Calls {
    fn operations(&self) -> Vec<&'static str> {
        vec![ops::CREATE_SHIPPING_FULFILLMENT]
    }

    fn idempotent_operations(&self) -> &'static [&'static str] {
        ebay_client::IDEMPOTENT_OPERATIONS
    }

    fn tracking_slot(&self) -> Option<&'static str> {
        None
    }

    /// The order's fulfillments tell whether a create was applied.
    fn has_lookup(&self) -> bool {
        true
    }

    fn order(&self) -> Option<String> {
        let Calls::Create { order_id, .. } = self;
        Some(order_id.clone())
    }

    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        Box::pin(async move {
            let client = delivery.client::<ebay_client::Client>()?;
            let Calls::Create { order_id, body } = *self;
            let number = body.tracking_number.to_string();
            let shared: &Delivery<'_> = delivery;
            let order = order_id.as_str();
            let send = || {
                let mut body = body.clone();
                async move {
                    if body.line_items.is_empty() {
                        // A read: the create is not sent if it fails.
                        body.line_items = reads::unshipped(shared, client, order)
                            .await
                            .map_err(|e| not_sent(e, ops::CREATE_SHIPPING_FULFILLMENT))?;
                    }
                    client
                        .create_shipping_fulfillment()
                        .order_id(order)
                        .body(body)
                        .send()
                        .await
                        .map_err(|e| PushError::failed(e, Vec::new()))
                }
            };
            let look = || async {
                match reads::carrying(shared, client, order, &number).await {
                    Ok(true) => Ok(Found::Applied),
                    Ok(false) => Ok(Found::NotApplied),
                    Err(e) => Err(e.to_string()),
                }
            };
            let (already_applied, created) = send_once(
                shared,
                ops::CREATE_SHIPPING_FULFILLMENT,
                true,
                may_be_applied,
                send,
                look,
            )
            .await?;
            delivery.done.push(ops::CREATE_SHIPPING_FULFILLMENT);
            Ok(Sent {
                reference: created
                    .and_then(|c| {
                        fulfillment_id(c.headers().get("location").and_then(|v| v.to_str().ok()))
                    })
                    .map(|id| format!("fulfillment {id}")),
                already_applied,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ebay_code_of_the_carrier_table_is_one_the_spec_takes() {
        let codes: Vec<&str> = crate::carriers::CARRIERS
            .iter()
            .filter_map(|c| c.ebay)
            .collect();
        for code in &codes {
            assert!(code.parse::<eb::ShippingCarrierCode>().is_ok(), "{code}");
        }
        // And the spec's enum is the table's column, no more.
        for code in ["UPS", "FedEx", "USPS", "DHL", "DHLGlobalMail", "ONTRACK"] {
            assert!(codes.contains(&code), "{code}");
        }
        assert!("Other".parse::<eb::ShippingCarrierCode>().is_err());
    }

    #[test]
    fn a_fulfillment_id_is_the_last_part_of_its_location() {
        let location = "https://api.ebay.com/sell/fulfillment/v1/order/01-03955-36441/shipping_fulfillment/9405509699937003457459";
        assert_eq!(
            fulfillment_id(Some(location)).as_deref(),
            Some("9405509699937003457459")
        );
        assert_eq!(fulfillment_id(None), None);
    }
}
