//! VTEX OMS: with `invoice_value`, `invoiceNotification` (a new invoice
//! that carries the tracking number); without, `updatePartialInvoice` on
//! `invoice_number`; then `updateTrackingStatus` when there are `events`
//! or a `delivered_at`. An invoice holds one tracking number. Neither POST
//! may be repeated, and VTEX documents no lookup for them.
//!
//! Settings: `VTEX_APP_KEY` and `VTEX_APP_TOKEN`; `VTEX_ACCOUNT` (the
//! store, which names the host) or `VTEX_BASE_URL`.

mod plan;

use futures_util::future::BoxFuture;
use tracking_runtime::{ClientConfig, Secret};
use vtex_oms_client::operation_ids as ops;
use vtex_oms_client::types as vtex;

use crate::outcome::PushError;
use crate::plan::{Errors, Plan, Sent};
use crate::provider::{
    Account, Connection, Lookup, Platform, Provider, ProviderClient, Settings, Settled,
};
use crate::pusher::Delivery;
use crate::shipment::Shipment;
use crate::update::Unchangeable;

/// The provider.
pub(crate) struct VtexOms;

impl Provider {
    /// VTEX OMS (`vtex-oms`, or `vtex`).
    pub const VTEX_OMS: Provider = Provider(&VtexOms);
}

impl ProviderClient for vtex_oms_client::Client {
    fn provider() -> Provider {
        Provider::VTEX_OMS
    }
}

static SETTINGS: Settings = Settings {
    prefix: "VTEX_",
    variables: &[
        "VTEX_APP_KEY",
        "VTEX_APP_TOKEN",
        "VTEX_ACCOUNT",
        "VTEX_BASE_URL",
    ],
    base_url: "VTEX_BASE_URL",
};

/// VTEX's calls for one shipment.
#[derive(Debug, Clone)]
pub enum Calls {
    /// `invoiceNotification` (a new invoice carrying the tracking number),
    /// then `updateTrackingStatus` when there are events.
    Invoice {
        /// The order.
        order_id: String,
        /// The body.
        body: vtex::InvoiceNotificationRequest,
        /// Events to report afterwards.
        events: Option<vtex::UpdateTrackingStatusRequest>,
    },
    /// `updatePartialInvoice` (the tracking number onto an existing
    /// invoice), then `updateTrackingStatus` when there are events.
    PartialInvoice {
        /// The order.
        order_id: String,
        /// The invoice.
        invoice_number: String,
        /// The body.
        body: vtex::UpdatePartialInvoiceRequest,
        /// Events to report afterwards.
        events: Option<vtex::UpdateTrackingStatusRequest>,
    },
    /// `updateTrackingStatus` alone: the events of a plan whose invoice
    /// call was applied already ([`Plan::after`]).
    Events {
        /// The order.
        order_id: String,
        /// The invoice.
        invoice_number: String,
        /// The events.
        body: vtex::UpdateTrackingStatusRequest,
    },
}

impl VtexOms {
    const PROVIDER: Provider = Provider::VTEX_OMS;
}

impl Platform for VtexOms {
    fn name(&self) -> &'static str {
        "vtex-oms"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["vtex"]
    }

    fn title(&self) -> &'static str {
        "VTEX OMS"
    }

    fn settings(&self) -> &'static Settings {
        &SETTINGS
    }

    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String> {
        if settings.get("VTEX_APP_KEY").is_none() || settings.get("VTEX_APP_TOKEN").is_none() {
            return Err(settings.missing(&["VTEX_APP_KEY", "VTEX_APP_TOKEN"], ""));
        }
        let base_url = settings.base_url("VTEX_ACCOUNT", vtex_oms_client::servers::base_url)?;
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
        let secret = |name| Secret::from(settings.get(name).unwrap_or_default());
        let client = vtex_oms_client::Client::with_app_key_and_config(
            base_url,
            secret("VTEX_APP_KEY"),
            secret("VTEX_APP_TOKEN"),
            config,
        )
        .map_err(|e| format!("vtex-oms: {e}"))
        .map(Connection::from);
        Box::pin(std::future::ready(client))
    }

    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("VTEX_APP_KEY", "mock-app-key"),
            ("VTEX_APP_TOKEN", "mock-app-token"),
        ]
    }

    fn forbidden_is_credentials(&self) -> bool {
        // VTEX's 403: the app key's role lacks the resource (`Notify invoice`).
        true
    }

    fn plan(&self, shipment: &Shipment, errors: &mut Errors) -> Option<Plan> {
        plan::plan(shipment, errors).map(|calls| Plan::new(Self::PROVIDER, calls))
    }

    /// The tracking on an invoice goes by `updatePartialInvoice` (carrier,
    /// URL, dispatch time), which may be repeated; an invoice's value or
    /// items, and tracking events, have no such call.
    fn plan_change(
        &self,
        _old: &Shipment,
        new: &Shipment,
        changed: &[String],
    ) -> Result<Plan, Unchangeable> {
        let fixed: Vec<&str> = changed
            .iter()
            .map(String::as_str)
            .filter(|f| ["invoice_value", "line_items", "events", "delivered_at"].contains(f))
            .collect();
        if !fixed.is_empty() {
            return Err(Unchangeable(format!(
                "VTEX has no call that changes {} once sent: change it in VTEX's admin (an invoice's value or items: cancel the invoice and notify a new one)",
                fixed.join(", ")
            )));
        }
        let tracking_only = Shipment {
            invoice_value: None,
            events: Vec::new(),
            delivered_at: None,
            ..new.clone()
        };
        crate::plan(&tracking_only, Provider::VTEX_OMS).map_err(Unchangeable::invalid)
    }

    fn key_parts(&self, shipment: &Shipment) -> Vec<String> {
        let invoice = shipment.invoice_number.as_deref().unwrap_or_default();
        vec![self.order_id(&shipment.order_ref), invoice.trim().into()]
    }
}

impl crate::plan::Calls for Calls {
    fn operations(&self) -> Vec<&'static str> {
        let then_events = |first, events: &Option<vtex::UpdateTrackingStatusRequest>| {
            let mut operations = vec![first];
            if events.is_some() {
                operations.push(ops::UPDATE_TRACKING_STATUS);
            }
            operations
        };
        match self {
            Calls::Invoice { events, .. } => then_events(ops::INVOICE_NOTIFICATION, events),
            Calls::PartialInvoice { events, .. } => {
                then_events(ops::UPDATE_PARTIAL_INVOICE, events)
            }
            Calls::Events { .. } => vec![ops::UPDATE_TRACKING_STATUS],
        }
    }

    fn idempotent_operations(&self) -> &'static [&'static str] {
        vtex_oms_client::IDEMPOTENT_OPERATIONS
    }

    /// After the invoice call, the events alone.
    fn rest(self: Box<Self>, done: usize) -> Option<Box<dyn crate::plan::Calls>> {
        let (order_id, invoice_number, events) = match *self {
            Calls::Invoice {
                order_id,
                body,
                events: Some(events),
            } => (order_id, body.invoice_number.to_string(), events),
            Calls::PartialInvoice {
                order_id,
                invoice_number,
                events: Some(events),
                ..
            } => (order_id, invoice_number, events),
            _ => return None,
        };
        (done == 1).then(|| {
            Box::new(Calls::Events {
                order_id,
                invoice_number,
                body: events,
            }) as Box<dyn crate::plan::Calls>
        })
    }

    fn choice(&self) -> Option<String> {
        match self {
            Calls::Invoice { body, .. } => Some(format!(
                "a new invoice {} (the row has invoice_value): invoiceNotification",
                *body.invoice_number
            )),
            Calls::PartialInvoice { invoice_number, .. } => Some(format!(
                "tracking onto invoice {invoice_number}, which the order must already have (the row has no invoice_value, which a new invoice needs): updatePartialInvoice"
            )),
            Calls::Events { .. } => None,
        }
    }

    fn tracking_slot(&self) -> Option<&'static str> {
        match self {
            Calls::Invoice { .. } | Calls::PartialInvoice { .. } => Some("invoice"),
            Calls::Events { .. } => None,
        }
    }

    fn send<'a>(
        self: Box<Self>,
        delivery: &'a mut Delivery<'_>,
        _may_be_applied: bool,
    ) -> BoxFuture<'a, Result<Sent, PushError>> {
        Box::pin(async move {
            let client = delivery.client::<vtex_oms_client::Client>()?;
            let mut sent = Sent::default();
            // The events, reported once the invoice carries the number.
            let events = match *self {
                Calls::Invoice {
                    order_id,
                    body,
                    events,
                } => {
                    let invoice_number = body.invoice_number.to_string();
                    let receipt = delivery
                        .make(ops::INVOICE_NOTIFICATION, || {
                            client
                                .invoice_notification()
                                .order_id(order_id.as_str())
                                .body(body)
                                .send()
                        })
                        .await?;
                    sent.reference = receipt.into_inner().receipt;
                    events.map(|e| (order_id, invoice_number, e))
                }
                Calls::PartialInvoice {
                    order_id,
                    invoice_number,
                    body,
                    events,
                } => {
                    let receipt = delivery
                        .make(ops::UPDATE_PARTIAL_INVOICE, || {
                            client
                                .update_partial_invoice()
                                .order_id(order_id.as_str())
                                .invoice_number(invoice_number.as_str())
                                .body(body)
                                .send()
                        })
                        .await?;
                    sent.reference = receipt.into_inner().receipt;
                    events.map(|e| (order_id, invoice_number, e))
                }
                Calls::Events {
                    order_id,
                    invoice_number,
                    body,
                } => Some((order_id, invoice_number, body)),
            };
            if let Some((order_id, invoice_number, events)) = events {
                let receipt = delivery
                    .make(ops::UPDATE_TRACKING_STATUS, || {
                        client
                            .update_tracking_status()
                            .order_id(order_id.as_str())
                            .invoice_number(invoice_number.as_str())
                            .body(events)
                            .send()
                    })
                    .await?;
                sent.reference = receipt.into_inner().receipt;
            }
            Ok(sent)
        })
    }
}
