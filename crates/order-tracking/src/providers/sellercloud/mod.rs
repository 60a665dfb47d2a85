//! SellerCloud: `updateOrderShippingStatus` on the sales order (the
//! default), or, with `target` `po` or `po-multiple`, the purchase order's
//! `updatePurchaseOrderTracking` or `addPurchaseOrderTrackingNumbers`.
//! A sales order and a single-tracking PO hold one tracking number each.
//! Its client logs in with `createToken` and renews the token itself.
//!
//! Settings: `SELLERCLOUD_USERNAME` and `SELLERCLOUD_PASSWORD`;
//! `SELLERCLOUD_SERVER_ID` (which names the host) or
//! `SELLERCLOUD_BASE_URL`. SellerCloud throttles at 10,800 calls an hour
//! per IP, so it is paced at 3 a second unless told otherwise.

mod plan;

use std::str::FromStr;

use futures_util::future::BoxFuture;
use sellercloud_client::operation_ids as ops;
use sellercloud_client::types as sellercloud;
use tracking_runtime::{ClientConfig, Secret};

use crate::outcome::PushError;
use crate::plan::{Errors, Plan, Sent};
use crate::provider::{
    Account, Connection, Lookup, Platform, Provider, ProviderClient, Settings, Settled, as_parsed,
};
use crate::pusher::Delivery;
use crate::shipment::Shipment;
use crate::update::Unchangeable;

/// The provider.
pub(crate) struct SellerCloud;

impl Provider {
    /// SellerCloud (`sellercloud`).
    pub const SELLERCLOUD: Provider = Provider(&SellerCloud);
}

impl ProviderClient for sellercloud_client::Client {
    fn provider() -> Provider {
        Provider::SELLERCLOUD
    }
}

static SETTINGS: Settings = Settings {
    prefix: "SELLERCLOUD_",
    variables: &[
        "SELLERCLOUD_USERNAME",
        "SELLERCLOUD_PASSWORD",
        "SELLERCLOUD_SERVER_ID",
        "SELLERCLOUD_BASE_URL",
    ],
    base_url: "SELLERCLOUD_BASE_URL",
};

/// Which SellerCloud record the tracking goes to: a shipment's `target`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Target {
    /// A sales order's shipping status (`updateOrderShippingStatus`). The default.
    #[default]
    Order,
    /// A purchase order, single tracking (`updatePurchaseOrderTracking`).
    Po,
    /// A purchase order, multiple tracking (`addPurchaseOrderTrackingNumbers`).
    PoMultiple,
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "order" => Ok(Self::Order),
            "po" => Ok(Self::Po),
            "po-multiple" => Ok(Self::PoMultiple),
            other => Err(format!("unknown target {other:?} (order, po, po-multiple)")),
        }
    }
}

impl Target {
    /// The name used in files: `order`, `po`, `po-multiple`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::Po => "po",
            Self::PoMultiple => "po-multiple",
        }
    }

    /// A shipment's target; absent, the sales order.
    pub fn of(shipment: &Shipment) -> Result<Self, String> {
        shipment
            .target
            .as_deref()
            .map_or(Ok(Self::Order), str::parse)
    }
}

/// SellerCloud's calls for one shipment.
#[derive(Debug, Clone)]
pub enum Calls {
    /// `updateOrderShippingStatus`.
    Order {
        /// The body.
        body: sellercloud::UpdateOrderShippingStatusRequest,
    },
    /// `updatePurchaseOrderTracking`.
    Po {
        /// The purchase order.
        id: i32,
        /// The body.
        body: sellercloud::UpdatePurchaseOrderTrackingRequest,
    },
    /// `addPurchaseOrderTrackingNumbers`.
    PoMultiple {
        /// The purchase order.
        id: i32,
        /// The body.
        body: sellercloud::AddPurchaseOrderTrackingNumbersRequest,
    },
}

impl SellerCloud {
    const PROVIDER: Provider = Provider::SELLERCLOUD;
}

impl Platform for SellerCloud {
    fn name(&self) -> &'static str {
        "sellercloud"
    }

    fn title(&self) -> &'static str {
        "SellerCloud"
    }

    fn settings(&self) -> &'static Settings {
        &SETTINGS
    }

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {
        let user = settings.get("SELLERCLOUD_USERNAME");
        if user.is_none() || settings.get("SELLERCLOUD_PASSWORD").is_none() {
            return Err(settings.missing(&["SELLERCLOUD_USERNAME", "SELLERCLOUD_PASSWORD"], ""));
        }
        let base_url = settings.base_url(
            "SELLERCLOUD_SERVER_ID",
            sellercloud_client::servers::base_url,
        )?;
        Ok(Settled {
            base_url,
            account: Account::InUrl,
        })
    }

    fn connect<'a>(
        &'a self,
        settings: &'a Lookup<'a>,
        base_url: &'a str,
        config: &'a ClientConfig,
    ) -> BoxFuture<'a, Result<Connection, String>> {
        let user = settings.get("SELLERCLOUD_USERNAME").unwrap_or_default();
        let password = Secret::from(settings.get("SELLERCLOUD_PASSWORD").unwrap_or_default());
        let client = sellercloud_client::Client::with_credentials_and_config(
            base_url, &user, password, config,
        )
        .map_err(|e| format!("sellercloud: {e}"))
        .map(Connection::from);
        Box::pin(std::future::ready(client))
    }

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("SELLERCLOUD_USERNAME", "mock-user"),
            ("SELLERCLOUD_PASSWORD", "mock-password"),
        ]
    }

    fn server_path(&self) -> &'static str {
        "/rest"
    }

    fn default_pace(&self) -> Option<f64> {
        // 10,800 calls an hour per IP.
        Some(3.0)
    }

    fn plan(&self, shipment: &Shipment, errors: &mut Errors) -> Option<Plan> {
        plan::plan(shipment, errors).map(|calls| Plan::new(Self::PROVIDER, calls))
    }

    /// The sales-order and single-PO calls again (both PUTs); the
    /// multiple-PO POST adds numbers and cannot change one.
    fn plan_change(
        &self,
        _old: &Shipment,
        new: &Shipment,
        _changed: &[String],
    ) -> Result<Plan, Unchangeable> {
        if Target::of(new) == Ok(Target::PoMultiple) {
            return Err(Unchangeable(
                "SellerCloud's multiple PO tracking numbers can be added, not changed: change the number's fields in SellerCloud".into(),
            ));
        }
        let plan = crate::plan(new, Provider::SELLERCLOUD).map_err(Unchangeable::invalid)?;
        if plan.repeatable() {
            Ok(plan)
        } else {
            Err(Unchangeable(format!(
                "{} may not be repeated: change it at SellerCloud",
                plan.operations().join(", ")
            )))
        }
    }

    /// Order 123 is not PO 123.
    fn key_parts(&self, shipment: &Shipment) -> Vec<String> {
        let target = self.target(shipment.target.as_deref()).unwrap_or_default();
        vec![target, self.order_id(&shipment.order_ref)]
    }

    /// `007` is `7`.
    fn order_id(&self, order_ref: &str) -> String {
        as_parsed::<i64>(order_ref)
    }

    fn target(&self, target: Option<&str>) -> Option<String> {
        Some(match target {
            None => Target::Order.name().to_string(),
            Some(text) => text
                .parse::<Target>()
                .map_or_else(|_| text.trim().to_string(), |t| t.name().to_string()),
        })
    }
}

impl crate::plan::Calls for Calls {
    fn operations(&self) -> Vec<&'static str> {
        vec![match self {
            Calls::Order { .. } => ops::UPDATE_ORDER_SHIPPING_STATUS,
            Calls::Po { .. } => ops::UPDATE_PURCHASE_ORDER_TRACKING,
            Calls::PoMultiple { .. } => ops::ADD_PURCHASE_ORDER_TRACKING_NUMBERS,
        }]
    }

    fn idempotent_operations(&self) -> &'static [&'static str] {
        sellercloud_client::IDEMPOTENT_OPERATIONS
    }

    fn tracking_slot(&self) -> Option<&'static str> {
        match self {
            Calls::Order { .. } => Some("sales order"),
            Calls::Po { .. } => Some("purchase order"),
            Calls::PoMultiple { .. } => None,
        }
    }

    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        _may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        Box::pin(async move {
            let client = delivery.client::<sellercloud_client::Client>()?;
            match *self {
                Calls::Order { body } => {
                    delivery
                        .make(ops::UPDATE_ORDER_SHIPPING_STATUS, || {
                            client.update_order_shipping_status().body(body).send()
                        })
                        .await?;
                }
                Calls::Po { id, body } => {
                    delivery
                        .make(ops::UPDATE_PURCHASE_ORDER_TRACKING, || {
                            client
                                .update_purchase_order_tracking()
                                .id(id)
                                .body(body)
                                .send()
                        })
                        .await?;
                }
                Calls::PoMultiple { id, body } => {
                    delivery
                        .make(ops::ADD_PURCHASE_ORDER_TRACKING_NUMBERS, || {
                            client
                                .add_purchase_order_tracking_numbers()
                                .id(id)
                                .body(body)
                                .send()
                        })
                        .await?;
                }
            }
            Ok(Sent::default())
        })
    }
}
