//! Walmart Marketplace (US): `shippingUpdates`, the row's lines of the
//! purchase order (`order_ref` is its `purchaseOrderId`) marked shipped in
//! one call, each in its quantity, with one tracking: the carrier's Walmart
//! name from the [carrier table](crate::carriers) (or, for a carrier
//! Walmart does not name, its own name with the row's `tracking_url`), the
//! method, the ship time and the tracking number.
//!
//! A row's `line_items` are Walmart line numbers (`1:2`: line 1, two of
//! it); a row without them ships every line not shipped yet, in the
//! quantity left. `target` is the `sellerOrderId`; without it, the order's
//! lines give it. `service` is the method code (`Standard`, `Express`,
//! `OneDay`, `Freight`, `WhiteGlove`, `Value`); without it, the one the
//! customer chose. `shipped_at` is the ship time, which Walmart requires:
//! a row without it ships now. Not sent: `cost` and `weight`; the VTEX
//! fields are refused.
//!
//! The order is read before every send (`getAnOrder`): lines that already
//! carry the row's tracking number make the row delivered without a send;
//! lines shipped under another number with too little left for the row
//! make it a changed row, refused with both numbers, never sent again
//! (Walmart documents no answer to shipping a line twice); a line with the
//! row's quantity still left ships (a second package of it). When an update's answer is lost, the order is read again,
//! and the update is sent again only when no line carries its number.
//! Walmart has no call in this client that changes a line's tracking, so
//! `--push-changes` sends nothing and says what to do.
//!
//! Settings: `WALMART_CLIENT_ID` and `WALMART_CLIENT_SECRET` (the seller's
//! API keys, from Walmart's Developer Portal); `WALMART_BASE_URL` and
//! `WALMART_TOKEN_URL` to point elsewhere (the sandbox).

mod plan;
mod reads;

use futures_util::future::BoxFuture;
use tracking_runtime::{ClientConfig, Secret};
use walmart_client::operation_ids as ops;
use walmart_client::types as wm;

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
pub(crate) struct Walmart;

impl Provider {
    /// Walmart (`walmart`).
    pub const WALMART: Provider = Provider(&Walmart);
}

impl ProviderClient for walmart_client::Client {
    fn provider() -> Provider {
        Provider::WALMART
    }
}

static SETTINGS: Settings = Settings {
    prefix: "WALMART_",
    variables: &[
        "WALMART_CLIENT_ID",
        "WALMART_CLIENT_SECRET",
        "WALMART_BASE_URL",
        "WALMART_TOKEN_URL",
    ],
    base_url: "WALMART_BASE_URL",
};

const CREDENTIALS: [&str; 2] = ["WALMART_CLIENT_ID", "WALMART_CLIENT_SECRET"];

/// A line of the order and how many of it ship.
#[derive(Debug, Clone)]
pub struct Line {
    /// Its line number.
    pub number: wm::ShippingLineLineNumber,
    /// How many of it.
    pub quantity: wm::ShipQuantityAmount,
}

/// Walmart's calls for one shipment.
#[derive(Debug, Clone)]
pub enum Calls {
    /// `shippingUpdates`, after reading the order (`getAnOrder`).
    Ship {
        /// The purchase order.
        order_id: String,
        /// The lines; none means every one not shipped yet.
        lines: Vec<Line>,
        /// The row's seller order id, where it gives one.
        seller_order_id: Option<wm::ShippingLineSellerOrderId>,
        /// The row's method, where it gives one.
        method: Option<wm::MethodCode>,
        /// The carrier.
        carrier: wm::CarrierName,
        /// The tracking number.
        tracking_number: wm::TrackingInfoTrackingNumber,
        /// The tracking URL, where the row gives one.
        tracking_url: Option<wm::TrackingInfoTrackingUrl>,
        /// When it shipped, in milliseconds since 1970.
        shipped_at_ms: i64,
    },
}

impl Walmart {
    const PROVIDER: Provider = Provider::WALMART;
}

impl Platform for Walmart {
    fn name(&self) -> &'static str {
        "walmart"
    }

    fn title(&self) -> &'static str {
        "Walmart"
    }

    fn settings(&self) -> &'static Settings {
        &SETTINGS
    }

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {
        if CREDENTIALS.iter().any(|n| settings.get(n).is_none()) {
            return Err(settings.missing(&CREDENTIALS, ""));
        }
        let base_url = settings
            .get("WALMART_BASE_URL")
            .unwrap_or_else(|| walmart_client::servers::PRODUCTION.to_string());
        Ok(Settled {
            base_url,
            // The client id is the seller's: one seller per id.
            account: Account::Named(settings.get("WALMART_CLIENT_ID").unwrap_or_default()),
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
            .get("WALMART_TOKEN_URL")
            .unwrap_or_else(|| walmart_client::auth::TOKEN_URL.to_string());
        let client = walmart_client::auth::client_token(
            &token_url,
            &get("WALMART_CLIENT_ID"),
            Secret::from(get("WALMART_CLIENT_SECRET")),
        )
        .map_err(|e| format!("walmart: WALMART_TOKEN_URL: {e}"))
        .and_then(|token| {
            walmart_client::Client::with_client_token_and_config(base_url, token, config)
                .map_err(|e| format!("walmart: {e}"))
        })
        .map(Connection::from);
        Box::pin(std::future::ready(client))
    }

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("WALMART_CLIENT_ID", "mock-client-id"),
            ("WALMART_CLIENT_SECRET", "mock-client-secret"),
        ]
    }

    fn token_endpoint(&self) -> Option<(&'static str, &'static str)> {
        Some(("WALMART_TOKEN_URL", "/v3/token"))
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
            "this client has no call that changes a Walmart line's tracking, so nothing was sent for the change of {}: correct it in Walmart's Seller Center",
            changed.join(", ")
        )))
    }
}

/// What the read before a send found: the update to send, or that the
/// order already carries it.
enum Ready {
    Send(wm::OrderShipment),
    Applied,
}

impl Calls {
    /// The update for `order` (read just now), or that it is there: the
    /// row's lines (or those left), their seller order id and method from
    /// the row or the order. Lines shipped under another number refuse
    /// the row.
    fn ready(&self, order: &wm::Order) -> Result<Ready, PushError> {
        let Calls::Ship {
            order_id,
            lines,
            seller_order_id,
            method,
            carrier,
            tracking_number,
            tracking_url,
            shipped_at_ms,
        } = self;
        let shipped = reads::shipped(order, lines, tracking_number);
        if let Found::Applied = reads::verdict(order_id, &shipped, !lines.is_empty()) {
            return Ok(Ready::Applied);
        }
        if !shipped.others.is_empty() && !lines.is_empty() {
            let shown: Vec<String> = shipped
                .others
                .iter()
                .map(|(line, number)| format!("line {line} with {number}"))
                .collect();
            return Err(reads::refused(
                "tracking_number",
                format!(
                    "order {order_id} has these lines shipped already under another tracking number: {}. A changed row: Walmart takes no second shipment of a line; correct the tracking in Seller Center",
                    shown.join(", ")
                ),
            ));
        }
        let lines = if lines.is_empty() {
            reads::unshipped(order_id, order)?
        } else {
            // Lines that carry the row's number already (an earlier send
            // applied to some of them) are not shipped again.
            lines
                .iter()
                .filter(|l| !shipped.ours.iter().any(|n| n.as_str() == l.number.as_str()))
                .cloned()
                .collect()
        };
        let seller_order_id = match seller_order_id {
            Some(id) => id.clone(),
            None => reads::seller_order_id(order_id, order, &lines)?,
        };
        let method = match method {
            Some(method) => *method,
            None => reads::method(order_id, order)?,
        };
        let order_line = lines
            .into_iter()
            .map(|line| wm::ShippingLine {
                line_number: line.number,
                seller_order_id: seller_order_id.clone(),
                order_line_statuses: wm::ShipLineStatuses {
                    order_line_status: [wm::ShipLineStatus {
                        status: wm::ShipLineStatusStatus::Shipped,
                        status_quantity: wm::ShipQuantity {
                            amount: line.quantity,
                            unit_of_measurement: wm::ShipQuantityUnitOfMeasurement::Each,
                        },
                        tracking_info: wm::TrackingInfo {
                            carrier_name: carrier.clone(),
                            method_code: method,
                            ship_date_time: *shipped_at_ms,
                            tracking_number: tracking_number.clone(),
                            tracking_url: tracking_url.clone(),
                        },
                    }],
                },
            })
            .collect();
        Ok(Ready::Send(wm::OrderShipment {
            order_shipment: wm::OrderShipmentRecord {
                order_lines: wm::ShippingLines { order_line },
            },
        }))
    }
}

impl crate::plan::Calls for Calls {
    fn operations(&self) -> Vec<&'static str> {
        vec![ops::SHIPPING_UPDATES]
    }

    fn idempotent_operations(&self) -> &'static [&'static str] {
        walmart_client::IDEMPOTENT_OPERATIONS
    }

    fn tracking_slot(&self) -> Option<&'static str> {
        None
    }

    /// The order's line statuses tell whether an update was applied.
    fn has_lookup(&self) -> bool {
        true
    }

    fn order(&self) -> Option<String> {
        let Calls::Ship { order_id, .. } = self;
        Some(order_id.clone())
    }

    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        Box::pin(async move {
            let client = delivery.client::<walmart_client::Client>()?;
            let calls = *self;
            let Calls::Ship {
                order_id,
                lines,
                tracking_number,
                ..
            } = &calls;
            let shared: &Delivery<'_> = delivery;
            let order = order_id.as_str();
            let send = || async {
                // A read: nothing is sent if it fails.
                let read = reads::order(shared, client, order)
                    .await
                    .map_err(|e| not_sent(e, ops::SHIPPING_UPDATES))?;
                match calls.ready(&read)? {
                    Ready::Applied => Ok(false),
                    Ready::Send(body) => client
                        .shipping_updates()
                        .purchase_order_id(order)
                        .body(body)
                        .send()
                        .await
                        .map(|_| true)
                        .map_err(|e| PushError::failed(e, Vec::new())),
                }
            };
            let look = || async {
                let read = reads::order(shared, client, order)
                    .await
                    .map_err(|e| e.to_string())?;
                let shipped = reads::shipped(&read, lines, tracking_number);
                Ok(reads::verdict(order, &shipped, !lines.is_empty()))
            };
            let (found, sent) = send_once(
                shared,
                ops::SHIPPING_UPDATES,
                true,
                may_be_applied,
                send,
                look,
            )
            .await?;
            // The read before the send found it there already.
            let already_applied = found || sent == Some(false);
            delivery.done.push(ops::SHIPPING_UPDATES);
            Ok(Sent {
                reference: None,
                already_applied,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_walmart_name_of_the_carrier_table_is_one_the_spec_takes() {
        let names: Vec<&str> = crate::carriers::CARRIERS
            .iter()
            .filter_map(|c| c.walmart)
            .collect();
        for name in &names {
            assert!(name.parse::<wm::Carrier>().is_ok(), "{name}");
        }
        assert_eq!(names.len(), 9, "{names:?}");
        assert!("Purolator".parse::<wm::Carrier>().is_err());
    }
}
