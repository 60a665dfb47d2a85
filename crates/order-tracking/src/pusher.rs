//! Sending planned shipments through the generated clients, one or many.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crux_client::ResponseValue;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tracking_runtime::ApiError;

use crate::crux_lookup::DEFAULT_LOOKUP_DELAY;
use crate::limit::RateLimiter;
use crate::outcome::{PushError, Receipt};
use crate::plan::{Plan, plan};
use crate::shipment::{Provider, Shipment};

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

    pub(crate) fn lookup_delay(&self) -> Duration {
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

    /// Waits until `provider`'s rate limit lets a call start, if it has one.
    pub(crate) async fn wait_for_rate_limit(&self, provider: Provider) {
        if let Some(limit) = self.limits.get(&provider) {
            limit.acquire().await;
        }
    }

    /// Makes the plan's calls in order. `may_be_applied`: an earlier send
    /// may have delivered it, so a plan with a lookup looks first.
    async fn deliver(
        &self,
        provider: Provider,
        plan: Plan,
        may_be_applied: bool,
    ) -> Result<Receipt, PushError> {
        let mut calls = Calls {
            pusher: self,
            provider,
            done: Vec::new(),
        };
        let mut reference = None;
        let mut already_applied = false;
        // VTEX tracking events, reported once the invoice carries the number.
        let mut events_after = None;
        let has_lookup = plan.has_lookup();
        match plan {
            Plan::Crux { order_uuid, body } => {
                let client = self.client(&self.crux, provider)?;
                already_applied = self
                    .add_crux_tracking_once(client, order_uuid, body, has_lookup, may_be_applied)
                    .await?;
                calls
                    .done
                    .push(crux_client::operation_ids::ADD_ORDER_TRACKING);
            }
            Plan::CruxUpdate {
                order_uuid,
                tracking_number,
                body,
            } => {
                let client = self.client(&self.crux, provider)?;
                let op = crux_client::operation_ids::UPDATE_ORDER_TRACKING;
                calls
                    .make(op, || {
                        client
                            .update_order_tracking()
                            .order_uuid(order_uuid)
                            .tracking_number(tracking_number)
                            .body(body)
                            .send()
                    })
                    .await?;
            }
            Plan::VtexInvoice {
                order_id,
                body,
                events,
            } => {
                let client = self.client(&self.vtex, provider)?;
                let invoice_number = body.invoice_number.to_string();
                let op = vtex_oms_client::operation_ids::INVOICE_NOTIFICATION;
                let receipt = calls
                    .make(op, || {
                        client
                            .invoice_notification()
                            .order_id(order_id.as_str())
                            .body(body)
                            .send()
                    })
                    .await?;
                reference = receipt.receipt;
                events_after = events.map(|e| (order_id, invoice_number, e));
            }
            Plan::VtexPartialInvoice {
                order_id,
                invoice_number,
                body,
                events,
            } => {
                let client = self.client(&self.vtex, provider)?;
                let op = vtex_oms_client::operation_ids::UPDATE_PARTIAL_INVOICE;
                let receipt = calls
                    .make(op, || {
                        client
                            .update_partial_invoice()
                            .order_id(order_id.as_str())
                            .invoice_number(invoice_number.as_str())
                            .body(body)
                            .send()
                    })
                    .await?;
                reference = receipt.receipt;
                events_after = events.map(|e| (order_id, invoice_number, e));
            }
            Plan::VtexEvents {
                order_id,
                invoice_number,
                body,
            } => events_after = Some((order_id, invoice_number, body)),
            Plan::SellerCloudOrder { body } => {
                let client = self.client(&self.sellercloud, provider)?;
                let op = sellercloud_client::operation_ids::UPDATE_ORDER_SHIPPING_STATUS;
                calls
                    .make(op, || {
                        client.update_order_shipping_status().body(body).send()
                    })
                    .await?;
            }
            Plan::SellerCloudPo { id, body } => {
                let client = self.client(&self.sellercloud, provider)?;
                let op = sellercloud_client::operation_ids::UPDATE_PURCHASE_ORDER_TRACKING;
                calls
                    .make(op, || {
                        client
                            .update_purchase_order_tracking()
                            .id(id)
                            .body(body)
                            .send()
                    })
                    .await?;
            }
            Plan::SellerCloudPoMultiple { id, body } => {
                let client = self.client(&self.sellercloud, provider)?;
                let op = sellercloud_client::operation_ids::ADD_PURCHASE_ORDER_TRACKING_NUMBERS;
                calls
                    .make(op, || {
                        client
                            .add_purchase_order_tracking_numbers()
                            .id(id)
                            .body(body)
                            .send()
                    })
                    .await?;
            }
        }
        if let Some((order_id, invoice_number, events)) = events_after {
            let client = self.client(&self.vtex, provider)?;
            let op = vtex_oms_client::operation_ids::UPDATE_TRACKING_STATUS;
            let receipt = calls
                .make(op, || {
                    client
                        .update_tracking_status()
                        .order_id(order_id.as_str())
                        .invoice_number(invoice_number.as_str())
                        .body(events)
                        .send()
                })
                .await?;
            reference = receipt.receipt;
        }
        Ok(Receipt {
            provider,
            operations: calls.done,
            reference,
            already_applied,
        })
    }

    /// The client configured for `provider`.
    fn client<'a, C>(&self, client: &'a Option<C>, provider: Provider) -> Result<&'a C, PushError> {
        client.as_ref().ok_or(PushError::NotConfigured(provider))
    }
}

/// The calls of one delivery, made one after another: what every call of a
/// plan shares (the rate limit, the error with the calls that succeeded
/// before it, the list of calls made).
struct Calls<'a> {
    pusher: &'a Pusher,
    provider: Provider,
    done: Vec<&'static str>,
}

impl Calls<'_> {
    /// Waits for the rate limit, makes the call `send` starts (operation
    /// `operation`) and records it; its answer's body on success.
    async fn make<T, E: Serialize + std::fmt::Debug + 'static, F>(
        &mut self,
        operation: &'static str,
        send: impl FnOnce() -> F,
    ) -> Result<T, PushError>
    where
        F: Future<Output = Result<ResponseValue<T>, ApiError<E>>>,
    {
        self.pusher.wait_for_rate_limit(self.provider).await;
        let answer = send()
            .await
            .map_err(|e| PushError::failed(e, self.done.clone()))?;
        self.done.push(operation);
        Ok(answer.into_inner())
    }
}
