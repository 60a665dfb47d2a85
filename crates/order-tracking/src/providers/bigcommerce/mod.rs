//! BigCommerce: `createOrderShipments`, a new shipment on the order
//! (`order_ref` is its id) with the tracking number, the carrier as an
//! AfterShip slug from the [carrier table](crate::carriers), the link and
//! the method; `updateOrderShipment` for a change. An order takes several
//! shipments.
//!
//! A shipment needs its items and its shipping address. A row's
//! `line_items` are order product ids (`id:quantity`); a row without them
//! ships every product not shipped yet, read from the order. A row's
//! `target` is the `order_address_id`; without it, the order's only
//! shipping address (or the one all the items go to) is used, and a row
//! for an order with several is refused, naming them.
//!
//! The create may not be repeated: every arrival creates another
//! shipment. When its answer is lost, the order's shipments are read
//! (`getOrderShipments`), and it is sent again only when none carries the
//! tracking number.
//!
//! Not sent, since a BigCommerce shipment has no field for them:
//! `shipped_at` (BigCommerce records the time of the call), `cost` and
//! `weight`. The VTEX fields are refused.
//!
//! Settings: `BIGCOMMERCE_ACCESS_TOKEN` (a store API account's token, sent
//! as `X-Auth-Token`) and `BIGCOMMERCE_STORE_HASH` (which names the host
//! path), or `BIGCOMMERCE_BASE_URL`.

mod plan;
mod reads;

use bigcommerce_client::operation_ids as ops;
use bigcommerce_client::types as bc;
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
pub(crate) struct BigCommerce;

impl Provider {
    /// BigCommerce (`bigcommerce`).
    pub const BIGCOMMERCE: Provider = Provider(&BigCommerce);
}

impl ProviderClient for bigcommerce_client::Client {
    fn provider() -> Provider {
        Provider::BIGCOMMERCE
    }
}

static SETTINGS: Settings = Settings {
    prefix: "BIGCOMMERCE_",
    variables: &[
        "BIGCOMMERCE_ACCESS_TOKEN",
        "BIGCOMMERCE_STORE_HASH",
        "BIGCOMMERCE_BASE_URL",
    ],
    base_url: "BIGCOMMERCE_BASE_URL",
};

/// BigCommerce's calls for one shipment.
#[derive(Debug, Clone)]
pub enum Calls {
    /// `createOrderShipments`, after reading what the row left to the
    /// order (its items, its address).
    Create {
        /// The order.
        order_id: u64,
        /// Whether the row gave the address (else it is read).
        address_given: bool,
        /// The body; no items means the whole order's.
        body: bc::ShipmentCreate,
    },
    /// `updateOrderShipment` on the order's shipment that carries the
    /// tracking number (found with `getOrderShipments`).
    Update {
        /// The order.
        order_id: u64,
        /// The tracking number of the shipment to change.
        tracking_number: String,
        /// The fields to set.
        body: bc::ShipmentUpdate,
    },
}

impl BigCommerce {
    const PROVIDER: Provider = Provider::BIGCOMMERCE;
}

impl Platform for BigCommerce {
    fn name(&self) -> &'static str {
        "bigcommerce"
    }

    fn title(&self) -> &'static str {
        "BigCommerce"
    }

    fn settings(&self) -> &'static Settings {
        &SETTINGS
    }

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {
        if settings.get("BIGCOMMERCE_ACCESS_TOKEN").is_none() {
            return Err(settings.missing(&["BIGCOMMERCE_ACCESS_TOKEN"], ""));
        }
        let base_url = settings.base_url(
            "BIGCOMMERCE_STORE_HASH",
            bigcommerce_client::servers::base_url,
        )?;
        Ok(Settled {
            base_url,
            // The store hash is in the URL.
            account: Account::InUrl,
        })
    }

    fn connect<'a>(
        &'a self,
        settings: &'a Lookup<'a>,
        base_url: &'a str,
        config: &'a ClientConfig,
    ) -> BoxFuture<'a, Result<Connection, String>> {
        let client = bigcommerce_client::Client::with_access_token_and_config(
            base_url,
            Secret::from(settings.get("BIGCOMMERCE_ACCESS_TOKEN").unwrap_or_default()),
            config,
        )
        .map_err(|e| format!("bigcommerce: {e}"))
        .map(Connection::from);
        Box::pin(std::future::ready(client))
    }

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {
        &[("BIGCOMMERCE_ACCESS_TOKEN", "mock-access-token")]
    }

    fn server_path(&self) -> &'static str {
        // The server's path with its variable at its default, as the mock
        // serves it.
        "/stores/store_hash/v2"
    }

    fn default_pace(&self) -> Option<f64> {
        // BigCommerce's published quota for Standard and Plus stores, the
        // lowest: 150 requests per 30 seconds, shared by every app of the
        // store. Pro stores have 450 (`--rate-limit bigcommerce=15`).
        Some(5.0)
    }

    fn forbidden_is_credentials(&self) -> bool {
        // BigCommerce's 403: the token's API account lacks the scope.
        true
    }

    fn plan(&self, shipment: &Shipment, errors: &mut Errors) -> Option<Plan> {
        plan::plan(shipment, errors).map(|calls| Plan::new(Self::PROVIDER, calls))
    }

    /// The tracking number, carrier, link and method of a shipment change
    /// by `updateOrderShipment`, which may be repeated; its items and
    /// address cannot change.
    fn plan_change(
        &self,
        _old: &Shipment,
        new: &Shipment,
        changed: &[String],
    ) -> Result<Plan, Unchangeable> {
        let fixed: Vec<&str> = changed
            .iter()
            .map(String::as_str)
            .filter(|f| ["line_items", "target"].contains(f))
            .collect();
        if !fixed.is_empty() {
            return Err(Unchangeable(format!(
                "BigCommerce has no call that changes a shipment's {}: delete the shipment in BigCommerce's admin and push the row again",
                fixed.join(", ")
            )));
        }
        let plan = crate::plan(new, Provider::BIGCOMMERCE).map_err(Unchangeable::invalid)?;
        let Some(Calls::Create { order_id, body, .. }) = plan.calls::<Calls>().cloned() else {
            return Ok(plan);
        };
        Ok(Plan::new(
            Self::PROVIDER,
            Calls::Update {
                order_id,
                tracking_number: new.tracking_number.trim().to_string(),
                body: update_of(&body),
            },
        ))
    }

    fn order_id(&self, order_ref: &str) -> String {
        crate::provider::as_parsed::<u64>(order_ref)
    }

    fn line_item_id(&self, id: &str) -> String {
        crate::provider::as_parsed::<u64>(id)
    }
}

/// The update that gives a shipment the tracking fields of `body`: each
/// of them, "" where the row has none (BigCommerce keeps a field left
/// out, and a field the row no longer has is to be cleared). Not the
/// tracking number: the shipment updated is the one found carrying it, and
/// sending it again would be a second arrival of the number on the wire.
fn update_of(body: &bc::ShipmentCreate) -> bc::ShipmentUpdate {
    bc::ShipmentUpdate {
        tracking_number: None,
        tracking_carrier: Some(body.tracking_carrier.unwrap_or(bc::TrackingCarrier::X)),
        tracking_link: body.tracking_link.clone().or_else(|| "".parse().ok()),
        shipping_method: body
            .shipping_method
            .as_ref()
            .map_or("", |m| m.as_str())
            .parse()
            .ok(),
        comments: None,
    }
}

impl crate::plan::Calls for Calls {
    fn operations(&self) -> Vec<&'static str> {
        match self {
            Calls::Create { .. } => vec![ops::CREATE_ORDER_SHIPMENTS],
            Calls::Update { .. } => vec![ops::UPDATE_ORDER_SHIPMENT],
        }
    }

    fn idempotent_operations(&self) -> &'static [&'static str] {
        bigcommerce_client::IDEMPOTENT_OPERATIONS
    }

    fn tracking_slot(&self) -> Option<&'static str> {
        None
    }

    /// The order's shipments tell whether a create was applied.
    fn has_lookup(&self) -> bool {
        matches!(self, Calls::Create { .. })
    }

    fn order(&self) -> Option<String> {
        match self {
            Calls::Create { order_id, .. } | Calls::Update { order_id, .. } => {
                Some(order_id.to_string())
            }
        }
    }

    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        Box::pin(async move {
            let client = delivery.client::<bigcommerce_client::Client>()?;
            match *self {
                Calls::Create {
                    order_id,
                    address_given,
                    body,
                } => {
                    let number = body.tracking_number.as_deref().cloned().unwrap_or_default();
                    let shared: &Delivery<'_> = delivery;
                    let send = || {
                        let mut body = body.clone();
                        async move {
                            // Reads: the create is not sent if they fail.
                            reads::complete(shared, client, order_id, address_given, &mut body)
                                .await
                                .map_err(|e| not_sent(e, ops::CREATE_ORDER_SHIPMENTS))?;
                            client
                                .create_order_shipments()
                                .order_id(order_id)
                                .body(body)
                                .send()
                                .await
                                .map_err(|e| PushError::failed(e, Vec::new()))
                        }
                    };
                    // The shipment a lookup found, to give it the row's fields.
                    let found_id = std::sync::Mutex::new(None);
                    let look = || async {
                        match reads::carrying(shared, client, order_id, &number).await {
                            Ok(found) if found.is_empty() => Ok(Found::NotApplied),
                            Ok(found) => {
                                *found_id.lock().unwrap_or_else(|e| e.into_inner()) =
                                    found.iter().find_map(|s| s.id);
                                Ok(Found::Applied)
                            }
                            Err(e) => Err(e.to_string()),
                        }
                    };
                    let (already_applied, created) = send_once(
                        shared,
                        ops::CREATE_ORDER_SHIPMENTS,
                        true,
                        may_be_applied,
                        send,
                        look,
                    )
                    .await?;
                    delivery.done.push(ops::CREATE_ORDER_SHIPMENTS);
                    // Found by a lookup: it carries this row's fields, as
                    // the create would have set them (they may have changed
                    // in the file since an earlier process sent it).
                    let found = found_id.into_inner().unwrap_or_else(|e| e.into_inner());
                    if let Some(shipment_id) = found.and_then(|id| u64::try_from(id).ok()) {
                        let fields = update_of(&body);
                        delivery
                            .make(ops::UPDATE_ORDER_SHIPMENT, || {
                                client
                                    .update_order_shipment()
                                    .order_id(order_id)
                                    .shipment_id(shipment_id)
                                    .body(fields)
                                    .send()
                            })
                            .await?;
                    }
                    Ok(Sent {
                        reference: created
                            .and_then(|c| c.into_inner().id)
                            .map(|id| format!("shipment {id}")),
                        already_applied,
                    })
                }
                Calls::Update {
                    order_id,
                    tracking_number,
                    body,
                } => {
                    let found =
                        reads::carrying(delivery, client, order_id, &tracking_number).await?;
                    let shipment_id = match found.as_slice() {
                        [one] => one.id.and_then(|id| u64::try_from(id).ok()),
                        _ => None,
                    };
                    let Some(shipment_id) = shipment_id else {
                        return Err(PushError::Failed {
                            operation: ops::UPDATE_ORDER_SHIPMENT,
                            status: None,
                            message: format!(
                                "order {order_id} has {} shipments with tracking number {tracking_number} in BigCommerce, not one: nothing was changed",
                                found.len()
                            ),
                            completed: Vec::new(),
                            in_doubt: false,
                            unreachable: false,
                            looked_up: false,
                        });
                    };
                    let answer = delivery
                        .make(ops::UPDATE_ORDER_SHIPMENT, || {
                            client
                                .update_order_shipment()
                                .order_id(order_id)
                                .shipment_id(shipment_id)
                                .body(body)
                                .send()
                        })
                        .await?;
                    Ok(Sent {
                        reference: answer.into_inner().id.map(|id| format!("shipment {id}")),
                        already_applied: false,
                    })
                }
            }
        })
    }
}
