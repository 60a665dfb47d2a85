//! Sending planned shipments through the generated clients, one or many.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tracking_runtime::ApiError;

use crux_client::types as crux;

use crate::limit::RateLimiter;
use crate::plan::{Plan, plan};
use crate::shipment::{FieldError, Provider, Shipment};

/// What a delivered shipment got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The provider.
    pub provider: Provider,
    /// The operations called, in order.
    pub operations: Vec<&'static str>,
    /// The provider's receipt, when it gives one (VTEX).
    pub reference: Option<String>,
    /// The provider already had it: the answer to an earlier send was lost
    /// (or the process stopped during it), and a lookup found the tracking
    /// number on the order, so the add was not sent again. The lookup also
    /// set this shipment's fields on it, so it carries them even if the
    /// number had been added by someone else, or changed in Crux since the
    /// earlier send.
    pub already_applied: bool,
}

/// Why a shipment was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// No provider given, neither on the shipment nor as a default.
    #[error("provider: required (give it per row or for the whole file)")]
    NoProvider,
    /// The shipment cannot be sent to its provider; nothing was sent.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// No client is configured for the provider.
    #[error("no credentials are configured for {0}")]
    NotConfigured(Provider),
    /// The provider refused or could not be reached (after the client's retries).
    #[error("{message}")]
    Failed {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status, if the provider answered.
        status: Option<u16>,
        /// The client's error message (operation, status, provider's body).
        message: String,
        /// Operations that had already succeeded for this shipment.
        completed: Vec<&'static str>,
        /// Whether the provider may have applied the failed call anyway
        /// ([`ApiError::in_doubt`]).
        in_doubt: bool,
    },
}

impl PushError {
    fn failed<E: Serialize>(error: ApiError<E>, completed: Vec<&'static str>) -> Self {
        PushError::Failed {
            operation: error.operation(),
            status: error.status().map(|s| s.as_u16()),
            message: error.to_string(),
            in_doubt: error.in_doubt(),
            completed,
        }
    }
}

/// Pushes shipments to the providers it has clients for.
#[derive(Clone, Default)]
pub struct Pusher {
    crux: Option<crux_client::Client>,
    vtex: Option<vtex_oms_client::Client>,
    sellercloud: Option<sellercloud_client::Client>,
    limits: HashMap<Provider, Arc<RateLimiter>>,
    default_provider: Option<Provider>,
    lookup_delay: Option<Duration>,
}

impl fmt::Debug for Pusher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pusher")
            .field("providers", &self.providers())
            .finish()
    }
}

impl Pusher {
    /// A pusher with no providers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a Crux client.
    pub fn with_crux(mut self, client: crux_client::Client) -> Self {
        self.crux = Some(client);
        self
    }

    /// Adds a VTEX OMS client.
    pub fn with_vtex(mut self, client: vtex_oms_client::Client) -> Self {
        self.vtex = Some(client);
        self
    }

    /// Adds a SellerCloud client.
    pub fn with_sellercloud(mut self, client: sellercloud_client::Client) -> Self {
        self.sellercloud = Some(client);
        self
    }

    /// Calls to `provider` start at most `per_second` times a second.
    pub fn with_rate_limit(mut self, provider: Provider, per_second: f64) -> Self {
        self.limits
            .insert(provider, Arc::new(RateLimiter::per_second(per_second)));
        self
    }

    /// How long to wait before asking a provider whether a call whose answer
    /// was lost was applied (default [`DEFAULT_LOOKUP_DELAY`]). A provider
    /// may still be working on a request after the client gave up on it (a
    /// timeout, a gateway's 504); a lookup before it finishes would miss it
    /// and the call would be sent twice. Set it above the longest time your
    /// provider may take to apply a request.
    pub fn with_lookup_delay(mut self, delay: Duration) -> Self {
        self.lookup_delay = Some(delay);
        self
    }

    fn lookup_delay(&self) -> Duration {
        self.lookup_delay.unwrap_or(DEFAULT_LOOKUP_DELAY)
    }

    /// The provider of shipments that name none.
    pub fn with_default_provider(mut self, provider: Option<Provider>) -> Self {
        self.default_provider = provider;
        self
    }

    /// The providers with a client.
    pub fn providers(&self) -> Vec<Provider> {
        let mut found = Vec::new();
        if self.crux.is_some() {
            found.push(Provider::Crux);
        }
        if self.vtex.is_some() {
            found.push(Provider::VtexOms);
        }
        if self.sellercloud.is_some() {
            found.push(Provider::SellerCloud);
        }
        found
    }

    /// The provider a shipment goes to.
    pub fn provider_of(&self, shipment: &Shipment) -> Result<Provider, PushError> {
        shipment
            .provider
            .or(self.default_provider)
            .ok_or(PushError::NoProvider)
    }

    /// Checks a shipment without sending anything.
    pub fn check(&self, shipment: &Shipment) -> Result<(Provider, Plan), PushError> {
        let provider = self.provider_of(shipment)?;
        let plan = plan(shipment, provider).map_err(PushError::Invalid)?;
        Ok((provider, plan))
    }

    /// Delivers one shipment: checks it, then makes its provider's calls.
    pub async fn push(&self, shipment: &Shipment) -> Result<Receipt, PushError> {
        let (provider, plan) = self.check(shipment)?;
        self.send(provider, plan).await
    }

    /// Delivers a stream of shipments, at most `concurrency` at a time, with
    /// each provider's rate limit. Results come as calls finish, each with
    /// the tag it went in with. Memory is bounded by `concurrency`, however
    /// long the stream.
    pub fn push_all<'a, T: 'a>(
        &'a self,
        shipments: impl Stream<Item = (T, Shipment)> + 'a,
        concurrency: usize,
    ) -> impl Stream<Item = (T, Result<Receipt, PushError>)> + 'a {
        shipments
            .map(move |(tag, shipment)| async move { (tag, self.push(&shipment).await) })
            .buffer_unordered(concurrency.max(1))
    }

    /// Makes the calls of a shipment already checked with [`Pusher::check`].
    ///
    /// A call that may not be repeated and whose answer is lost (the
    /// connection dropped, a timeout) is in doubt: the provider may have
    /// applied it. Where the provider can be asked ([`Plan::has_lookup`]:
    /// Crux), the pusher asks (after [`Pusher::with_lookup_delay`]), and
    /// sends again only if the call was not applied; otherwise the error
    /// says it is in doubt
    /// ([`PushError::Failed`] `in_doubt`).
    pub async fn send(&self, provider: Provider, plan: Plan) -> Result<Receipt, PushError> {
        self.deliver(provider, plan, false).await
    }

    /// Delivers a shipment that an earlier send may already have delivered:
    /// its answer was lost, or the process stopped during it. A plan whose
    /// every call may be repeated ([`Plan::repeatable`]) is sent again; one
    /// the provider can be asked about ([`Plan::has_lookup`]) is looked up
    /// first and sent only if the provider does not have it. Any other plan
    /// is refused with an in-doubt [`PushError::Failed`] and nothing is sent,
    /// since sending it again could apply it twice.
    pub async fn resume(&self, provider: Provider, plan: Plan) -> Result<Receipt, PushError> {
        if plan.repeatable() {
            return self.deliver(provider, plan, false).await;
        }
        if plan.has_lookup() {
            return self.deliver(provider, plan, true).await;
        }
        let operation = plan.operations()[0];
        Err(PushError::Failed {
            operation,
            status: None,
            message: format!(
                "an earlier send may have been applied, and {provider} cannot be asked: {operation} may not be repeated and has no lookup"
            ),
            completed: Vec::new(),
            in_doubt: true,
        })
    }

    /// Waits for a turn under `provider`'s rate limit, if it has one.
    async fn turn(&self, provider: Provider) {
        if let Some(limit) = self.limits.get(&provider) {
            limit.acquire().await;
        }
    }

    async fn deliver(
        &self,
        provider: Provider,
        plan: Plan,
        look_first: bool,
    ) -> Result<Receipt, PushError> {
        let not_configured = || PushError::NotConfigured(provider);
        let mut done: Vec<&'static str> = Vec::new();
        let mut reference = None;
        let mut already_applied = false;
        // VTEX tracking events, reported once the invoice carries the number.
        let mut events_after = None;
        let turn = || self.turn(provider);
        let has_lookup = plan.has_lookup();
        match plan {
            Plan::Crux { order_uuid, body } => {
                let client = self.crux.as_ref().ok_or_else(not_configured)?;
                already_applied = self
                    .crux_add(client, order_uuid, body, has_lookup, look_first)
                    .await?;
                done.push(crux_client::operation_ids::ADD_ORDER_TRACKING);
            }
            Plan::CruxUpdate {
                order_uuid,
                tracking_number,
                body,
            } => {
                let client = self.crux.as_ref().ok_or_else(not_configured)?;
                turn().await;
                client
                    .update_order_tracking()
                    .order_uuid(order_uuid)
                    .tracking_number(tracking_number)
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| PushError::failed(e, done.clone()))?;
                done.push(crux_client::operation_ids::UPDATE_ORDER_TRACKING);
            }
            Plan::VtexInvoice {
                order_id,
                body,
                events,
            } => {
                let client = self.vtex.as_ref().ok_or_else(not_configured)?;
                let invoice_number = body.invoice_number.to_string();
                turn().await;
                let receipt = client
                    .invoice_notification()
                    .order_id(order_id.as_str())
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| PushError::failed(e, done.clone()))?;
                reference = receipt.into_inner().receipt;
                done.push(vtex_oms_client::operation_ids::INVOICE_NOTIFICATION);
                events_after = events.map(|e| (order_id, invoice_number, e));
            }
            Plan::VtexPartialInvoice {
                order_id,
                invoice_number,
                body,
                events,
            } => {
                let client = self.vtex.as_ref().ok_or_else(not_configured)?;
                turn().await;
                let receipt = client
                    .update_partial_invoice()
                    .order_id(order_id.as_str())
                    .invoice_number(invoice_number.as_str())
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| PushError::failed(e, done.clone()))?;
                reference = receipt.into_inner().receipt;
                done.push(vtex_oms_client::operation_ids::UPDATE_PARTIAL_INVOICE);
                events_after = events.map(|e| (order_id, invoice_number, e));
            }
            Plan::VtexEvents {
                order_id,
                invoice_number,
                body,
            } => events_after = Some((order_id, invoice_number, body)),
            Plan::SellerCloudOrder { body } => {
                let client = self.sellercloud.as_ref().ok_or_else(not_configured)?;
                turn().await;
                client
                    .update_order_shipping_status()
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| PushError::failed(e, done.clone()))?;
                done.push(sellercloud_client::operation_ids::UPDATE_ORDER_SHIPPING_STATUS);
            }
            Plan::SellerCloudPo { id, body } => {
                let client = self.sellercloud.as_ref().ok_or_else(not_configured)?;
                turn().await;
                client
                    .update_purchase_order_tracking()
                    .id(id)
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| PushError::failed(e, done.clone()))?;
                done.push(sellercloud_client::operation_ids::UPDATE_PURCHASE_ORDER_TRACKING);
            }
            Plan::SellerCloudPoMultiple { id, body } => {
                let client = self.sellercloud.as_ref().ok_or_else(not_configured)?;
                turn().await;
                client
                    .add_purchase_order_tracking_numbers()
                    .id(id)
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| PushError::failed(e, done.clone()))?;
                done.push(sellercloud_client::operation_ids::ADD_PURCHASE_ORDER_TRACKING_NUMBERS);
            }
        }
        if let Some((order_id, invoice_number, events)) = events_after {
            let client = self.vtex.as_ref().ok_or_else(not_configured)?;
            turn().await;
            let receipt = client
                .update_tracking_status()
                .order_id(order_id.as_str())
                .invoice_number(invoice_number.as_str())
                .body(events)
                .send()
                .await
                .map_err(|e| PushError::failed(e, done.clone()))?;
            reference = receipt.into_inner().receipt;
            done.push(vtex_oms_client::operation_ids::UPDATE_TRACKING_STATUS);
        }
        Ok(Receipt {
            provider,
            operations: done,
            reference,
            already_applied,
        })
    }

    /// Crux `addOrderTracking`, never applied twice: when its answer is lost
    /// (or with `look_first`), waits [`Pusher::with_lookup_delay`], asks Crux
    /// whether the order has the tracking numbers, and sends again only if
    /// it has none of them; at most [`MAX_SENDS`] sends, each followed by a
    /// lookup if its answer is lost. True when Crux already had them.
    async fn crux_add(
        &self,
        client: &crux_client::Client,
        order_uuid: uuid::Uuid,
        body: crux::AddOrderTrackingRequest,
        has_lookup: bool,
        mut look_first: bool,
    ) -> Result<bool, PushError> {
        let mut lost = None;
        let mut sends = 0;
        loop {
            if look_first {
                tokio::time::sleep(self.lookup_delay()).await;
                match self.crux_has(client, order_uuid, &body).await {
                    Ok(Some(true)) => return Ok(true),
                    Ok(Some(false)) if sends < MAX_SENDS => {}
                    Ok(Some(false)) => {
                        let why = format!(
                            "looked up after {sends} sends whose answers were lost: not applied"
                        );
                        return Err(after_lookup(lost, why, false));
                    }
                    Ok(None) => {
                        let why = "Crux has some of its tracking numbers and not others";
                        return Err(after_lookup(lost, why.into(), true));
                    }
                    Err(e) => {
                        let why = format!("looking it up failed: {e}");
                        return Err(after_lookup(lost, why, true));
                    }
                }
            }
            self.turn(Provider::Crux).await;
            sends += 1;
            match client
                .add_order_tracking()
                .order_uuid(order_uuid)
                .body(body.clone())
                .send()
                .await
            {
                Ok(_) => return Ok(false),
                Err(e) if e.in_doubt() && has_lookup => {
                    lost = Some(PushError::failed(e, Vec::new()))
                }
                Err(e) => return Err(PushError::failed(e, Vec::new())),
            }
            look_first = true;
        }
    }

    /// Whether the order has every tracking number of `body` (`Some(true)`),
    /// none (`Some(false)`), or some only (`None`).
    ///
    /// Asks with `updateOrderTracking` on each number, whose body is partial
    /// (whatever is supplied is changed) and which answers 404 for a number
    /// the order does not have. The body is the number's own fields from
    /// `body`, without the number: if the add was applied, they are what
    /// Crux has, and nothing changes; if the number came from elsewhere, it
    /// now carries this shipment's fields, as the add would have set them.
    async fn crux_has(
        &self,
        client: &crux_client::Client,
        order_uuid: uuid::Uuid,
        body: &crux::AddOrderTrackingRequest,
    ) -> Result<Option<bool>, tracking_runtime::ApiError<crux::CruxError>> {
        let mut found = 0;
        for number in &body.tracking_numbers {
            self.turn(Provider::Crux).await;
            let fields = crux::UpdateOrderTrackingRequest {
                tracking: None,
                carrier: number.carrier.clone(),
                method: number.method.clone(),
                ship_cost: number.ship_cost,
                weight: number.weight,
                line_items: number.line_items.clone(),
            };
            let looked = client
                .update_order_tracking()
                .order_uuid(order_uuid)
                .tracking_number(number.tracking.to_string())
                .body(fields)
                .send()
                .await;
            match looked {
                Ok(_) => found += 1,
                Err(e) if e.status().is_some_and(|s| s.as_u16() == 404) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(match found {
            0 => Some(false),
            n if n == body.tracking_numbers.len() => Some(true),
            _ => None,
        })
    }
}

/// How many times Crux's add-tracking POST is sent while its answers are
/// lost and lookups show it was not applied.
pub const MAX_SENDS: usize = 3;

/// The default of [`Pusher::with_lookup_delay`].
pub const DEFAULT_LOOKUP_DELAY: Duration = Duration::from_secs(5);

/// The error of an add a lookup left unsettled (`in_doubt`: it may have
/// been applied) or showed was not applied: the lost send's own error with
/// `why` added when this process sent it, else one for a send of an earlier
/// process.
fn after_lookup(lost: Option<PushError>, why: String, in_doubt: bool) -> PushError {
    match lost {
        Some(PushError::Failed {
            operation,
            status,
            message,
            completed,
            ..
        }) => PushError::Failed {
            operation,
            status,
            message: format!("{message}; {why}"),
            completed,
            in_doubt,
        },
        _ => PushError::Failed {
            operation: crux_client::operation_ids::ADD_ORDER_TRACKING,
            status: None,
            message: format!("an earlier send may have been applied; {why}"),
            completed: Vec::new(),
            in_doubt,
        },
    }
}
