//! Crux: `addOrderTracking` on the order (`order_ref` is its UUID), and
//! `updateOrderTracking` for a change. An order takes several tracking
//! numbers. The add may not be repeated, but Crux can be asked whether it
//! was applied (its `lookup` module), so a lost answer is settled, never
//! sent twice.
//!
//! Settings: `CRUX_TOKEN`, or `CRUX_USERNAME` and `CRUX_PASSWORD` (a
//! `userLogin`); `CRUX_BASE_URL` (default: production); `CRUX_ACCOUNT`
//! names the organisation, since one URL serves them all.

mod lookup;
mod plan;

use crux_client::operation_ids as ops;
use crux_client::types as crux;
use futures_util::future::BoxFuture;
use tracking_runtime::{ClientConfig, Secret};

use crate::outcome::PushError;
use crate::plan::{Errors, Plan, Sent};
use crate::provider::{
    Account, Connection, Lookup, Platform, Provider, ProviderClient, Settings, Settled, as_parsed,
};
use crate::pusher::Delivery;
use crate::shipment::Shipment;
use crate::update::Unchangeable;

pub use crate::once::MAX_SENDS;

/// The provider.
pub(crate) struct Crux;

impl Provider {
    /// Crux (`crux`).
    pub const CRUX: Provider = Provider(&Crux);
}

impl ProviderClient for crux_client::Client {
    fn provider() -> Provider {
        Provider::CRUX
    }
}

static SETTINGS: Settings = Settings {
    prefix: "CRUX_",
    variables: &[
        "CRUX_TOKEN",
        "CRUX_USERNAME",
        "CRUX_PASSWORD",
        "CRUX_BASE_URL",
        "CRUX_ACCOUNT",
    ],
    base_url: "CRUX_BASE_URL",
};

/// Crux's calls for one shipment.
#[derive(Debug, Clone)]
pub enum Calls {
    /// `addOrderTracking`.
    Add {
        /// The order.
        order_uuid: uuid::Uuid,
        /// The body.
        body: crux::AddOrderTrackingRequest,
    },
    /// `updateOrderTracking`: new fields for a tracking number the order
    /// already has (a row changed since it was pushed; see
    /// [`plan_change`](crate::plan_change)).
    Update {
        /// The order.
        order_uuid: uuid::Uuid,
        /// The tracking number the order has.
        tracking_number: String,
        /// The fields to set.
        body: crux::UpdateOrderTrackingRequest,
    },
}

impl Crux {
    const PROVIDER: Provider = Provider::CRUX;
}

impl Platform for Crux {
    fn name(&self) -> &'static str {
        "crux"
    }

    fn title(&self) -> &'static str {
        "Crux"
    }

    fn settings(&self) -> &'static Settings {
        &SETTINGS
    }

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {
        let base_url = settings
            .get("CRUX_BASE_URL")
            .unwrap_or_else(|| crux_client::servers::PRODUCTION.to_string());
        // One Crux URL serves every organisation: the account tells them
        // apart (a name the user gives, else the login user, else the token).
        let named = settings.get("CRUX_ACCOUNT").map(Account::Named);
        let account = match (
            settings.get("CRUX_TOKEN"),
            settings.get("CRUX_USERNAME"),
            settings.get("CRUX_PASSWORD"),
        ) {
            (Some(token), _, _) => named.unwrap_or(Account::Token(Secret::from(token))),
            (None, Some(user), Some(_)) => named.unwrap_or(Account::Named(format!("user={user}"))),
            (None, Some(_), None) => {
                return Err(settings.missing(&["CRUX_PASSWORD"], " (or CRUX_TOKEN)"));
            }
            _ => {
                return Err(
                    settings.missing(&["CRUX_TOKEN"], " (or CRUX_USERNAME and CRUX_PASSWORD)")
                );
            }
        };
        Ok(Settled { base_url, account })
    }

    fn connect<'a>(
        &'a self,
        settings: &'a Lookup<'a>,
        base_url: &'a str,
        config: &'a ClientConfig,
    ) -> BoxFuture<'a, Result<Connection, String>> {
        let token = settings.get("CRUX_TOKEN");
        let user = settings.get("CRUX_USERNAME").unwrap_or_default();
        let password = Secret::from(settings.get("CRUX_PASSWORD").unwrap_or_default());
        Box::pin(async move {
            let client = match token {
                Some(token) => crux_client::Client::with_token_and_config(base_url, token, config)
                    .map_err(|e| format!("crux: {e}"))?,
                None => crux_client::Client::login_and_config(base_url, &user, password, config)
                    .await
                    .map_err(|e| format!("crux: login failed: {}", tracking_runtime::report(&e)))?,
            };
            Ok(Connection::from(client))
        })
    }

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {
        &[("CRUX_TOKEN", "mock-token-auth")]
    }

    fn same_line_is_a_correction(&self) -> bool {
        // An order takes several numbers, and a number is all that tells
        // its records apart: a new number on a line that had another is a
        // correction of it, for which Crux has no call.
        true
    }

    fn plan(&self, shipment: &Shipment, errors: &mut Errors) -> Option<Plan> {
        plan::plan(shipment, errors).map(|calls| Plan::new(Self::PROVIDER, calls))
    }

    fn plan_change(
        &self,
        _old: &Shipment,
        new: &Shipment,
        _changed: &[String],
    ) -> Result<Plan, Unchangeable> {
        // The update PUT sets the fields given; it may be repeated.
        let plan = crate::plan(new, Provider::CRUX).map_err(Unchangeable::invalid)?;
        let Some(Calls::Add { order_uuid, body }) = plan.calls::<Calls>().cloned() else {
            return Ok(plan);
        };
        let Some(number) = body.tracking_numbers.into_iter().next() else {
            return Err(Unchangeable("no tracking number".into()));
        };
        Ok(Plan::new(
            Self::PROVIDER,
            Calls::Update {
                order_uuid,
                tracking_number: number.tracking.to_string(),
                body: update_fields(&number),
            },
        ))
    }

    fn order_id(&self, order_ref: &str) -> String {
        as_parsed::<uuid::Uuid>(order_ref)
    }

    fn line_item_id(&self, id: &str) -> String {
        as_parsed::<uuid::Uuid>(id)
    }
}

/// A tracking number's own fields, without the number: the body of the
/// update that sets them.
fn update_fields(number: &crux::TrackingNumber) -> crux::UpdateOrderTrackingRequest {
    crux::UpdateOrderTrackingRequest {
        tracking: None,
        carrier: number.carrier.clone(),
        method: number.method.clone(),
        ship_cost: number.ship_cost,
        weight: number.weight,
        line_items: number.line_items.clone(),
    }
}

impl crate::plan::Calls for Calls {
    fn operations(&self) -> Vec<&'static str> {
        match self {
            Calls::Add { .. } => vec![ops::ADD_ORDER_TRACKING],
            Calls::Update { .. } => vec![ops::UPDATE_ORDER_TRACKING],
        }
    }

    fn idempotent_operations(&self) -> &'static [&'static str] {
        crux_client::IDEMPOTENT_OPERATIONS
    }

    fn tracking_slot(&self) -> Option<&'static str> {
        None
    }

    /// Crux's `updateOrderTracking` answers 404 for a tracking number the
    /// order does not have, and otherwise sets the fields it is given,
    /// which the lookup takes from this plan. So only an add whose tracking
    /// numbers carry a field besides the number: an empty update is not
    /// documented.
    fn has_lookup(&self) -> bool {
        match self {
            Calls::Add { body, .. } => body.tracking_numbers.iter().all(|n| {
                n.carrier.is_some()
                    || n.method.is_some()
                    || n.ship_cost.is_some()
                    || n.weight.is_some()
                    || !n.line_items.is_empty()
            }),
            Calls::Update { .. } => false,
        }
    }

    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        let has_lookup = crate::plan::Calls::has_lookup(&*self);
        Box::pin(async move {
            let client = delivery.client::<crux_client::Client>()?;
            match *self {
                Calls::Add { order_uuid, body } => {
                    let already_applied = lookup::add_once(
                        delivery,
                        client,
                        order_uuid,
                        body,
                        has_lookup,
                        may_be_applied,
                    )
                    .await?;
                    delivery.done.push(ops::ADD_ORDER_TRACKING);
                    Ok(Sent {
                        reference: None,
                        already_applied,
                    })
                }
                Calls::Update {
                    order_uuid,
                    tracking_number,
                    body,
                } => {
                    delivery
                        .make(ops::UPDATE_ORDER_TRACKING, || {
                            client
                                .update_order_tracking()
                                .order_uuid(order_uuid)
                                .tracking_number(tracking_number)
                                .body(body)
                                .send()
                        })
                        .await?;
                    Ok(Sent::default())
                }
            }
        })
    }
}
