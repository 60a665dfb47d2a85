//! Sending planned shipments through the generated clients, one or many.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use std::any::Any;

use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tracking_runtime::ApiError;

use crate::limit::RateLimiter;
use crate::outcome::{PushError, Receipt};
use crate::plan::{Plan, plan};
use crate::provider::{Connection, Provider};
use crate::shipment::Shipment;

/// The default of [`Pusher::with_lookup_delay`].
pub const DEFAULT_LOOKUP_DELAY: Duration = Duration::from_secs(5);

/// The limits of operations with usage plans of their own, by provider and operationId.
type OperationLimits = HashMap<(Provider, &'static str), Arc<RateLimiter>>;

/// The orders being delivered to, by provider and order.
type OrderLocks = HashMap<(Provider, String), Arc<tokio::sync::Mutex<()>>>;

/// Pushes shipments to the providers it has clients for.
#[derive(Clone, Default)]
pub struct Pusher {
    clients: HashMap<Provider, Connection>,
    limits: HashMap<Provider, Arc<RateLimiter>>,
    /// Per operation of a provider with a usage plan of its own
    /// ([`Provider::operation_pace`]), made on its first call.
    operation_limits: Arc<StdMutex<OperationLimits>>,
    /// Whether the usage plans are left aside (a mock has none).
    no_usage_plans: bool,
    /// One lock per order whose reads decide what is sent
    /// ([`Plan::order`]), while a delivery to it is under way.
    orders: Arc<StdMutex<OrderLocks>>,
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

    /// Adds a provider's client: a generated client (any
    /// [`ProviderClient`](crate::ProviderClient)) or a [`Connection`] from
    /// [`Provider::connect`]. A second one for the same provider replaces
    /// the first.
    pub fn with_client(mut self, client: impl Into<Connection>) -> Self {
        let connection = client.into();
        self.clients.insert(connection.provider, connection);
        self
    }

    /// Calls to `provider` start at most `per_second` times a second.
    pub fn with_rate_limit(mut self, provider: Provider, per_second: f64) -> Self {
        self.limits
            .insert(provider, Arc::new(RateLimiter::per_second(per_second)));
        self
    }

    /// Leaves the platforms' per-operation usage plans
    /// ([`Provider::operation_pace`]) aside: for a mock or a test server,
    /// which has none. Limits given with [`Pusher::with_rate_limit`] still
    /// hold.
    pub fn without_usage_plans(mut self) -> Self {
        self.no_usage_plans = true;
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
        let mut found: Vec<Provider> = self.clients.keys().copied().collect();
        found.sort();
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
    /// Crux's), the pusher asks (after [`Pusher::with_lookup_delay`]), and
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
            unreachable: false,
            looked_up: false,
        })
    }

    /// Waits until `provider`'s rate limit lets a call start, if it has one.
    pub(crate) async fn wait_for_rate_limit(&self, provider: Provider) {
        if let Some(limit) = self.limits.get(&provider) {
            limit.acquire().await;
        }
    }

    /// The limit of `operation` of `provider`, where its usage plan sets one.
    fn operation_limit(
        &self,
        provider: Provider,
        operation: &'static str,
    ) -> Option<Arc<RateLimiter>> {
        if self.no_usage_plans {
            return None;
        }
        let (rate, burst) = provider.operation_pace(operation)?;
        let mut limits = self
            .operation_limits
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        Some(
            limits
                .entry((provider, operation))
                .or_insert_with(|| Arc::new(RateLimiter::with_burst(rate, burst)))
                .clone(),
        )
    }

    /// The lock of an order ([`Plan::order`]), made on first use.
    fn order_lock(&self, key: &(Provider, String)) -> Arc<tokio::sync::Mutex<()>> {
        let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        orders.entry(key.clone()).or_default().clone()
    }

    /// Forgets an order's lock once no delivery holds or waits for it, so
    /// that a file of a million orders keeps none in memory.
    fn release_order(&self, key: (Provider, String), lock: Arc<tokio::sync::Mutex<()>>) {
        let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        // Ours and the map's: nobody else holds or waits for it.
        if Arc::strong_count(&lock) == 2 {
            orders.remove(&key);
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
        let connection = self
            .clients
            .get(&provider)
            .filter(|_| plan.provider() == provider)
            .ok_or(PushError::NotConfigured(provider))?;
        let order = plan.order().map(|order| (provider, order));
        let lock = order.as_ref().map(|key| self.order_lock(key));
        let held = match &lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let mut delivery = Delivery {
            pusher: self,
            provider,
            client: connection.client.as_any(),
            done: Vec::new(),
        };
        let sent = plan.send(&mut delivery, may_be_applied).await;
        drop(held);
        if let (Some(key), Some(lock)) = (order, lock) {
            self.release_order(key, lock);
        }
        let sent = sent?;
        Ok(Receipt {
            provider,
            operations: delivery.done,
            reference: sent.reference,
            already_applied: sent.already_applied,
        })
    }
}

/// The calls of one delivery, made one after another: what every call of a
/// plan shares (the provider's client, the rate limit, the error with the
/// calls that succeeded before it, the list of calls made).
pub(crate) struct Delivery<'a> {
    pusher: &'a Pusher,
    provider: Provider,
    client: &'a (dyn Any + Send + Sync),
    pub(crate) done: Vec<&'static str>,
}

impl<'a> Delivery<'a> {
    /// The provider's client, of the type its module sends through.
    pub(crate) fn client<C: 'static>(&self) -> Result<&'a C, PushError> {
        self.client
            .downcast_ref()
            .ok_or(PushError::NotConfigured(self.provider))
    }

    /// Waits until the provider's rate limit lets a call start.
    pub(crate) async fn wait_for_rate_limit(&self) {
        self.pusher.wait_for_rate_limit(self.provider).await;
    }

    /// Waits until the provider's rate limit, and `operation`'s own where
    /// its usage plan sets one, let a call of it start.
    pub(crate) async fn wait_for(&self, operation: &'static str) {
        self.pusher.wait_for_rate_limit(self.provider).await;
        if let Some(limit) = self.pusher.operation_limit(self.provider, operation) {
            limit.acquire().await;
        }
    }

    /// Follows the rate (calls a second) an answer to `operation` announced
    /// for it, where its usage plan sets one.
    pub(crate) async fn follow_announced_rate(&self, operation: &'static str, per_second: f64) {
        if per_second > 0.0
            && let Some(limit) = self.pusher.operation_limit(self.provider, operation)
        {
            limit.set_rate(per_second).await;
        }
    }

    /// How long to wait before a lookup ([`Pusher::with_lookup_delay`]).
    pub(crate) fn lookup_delay(&self) -> Duration {
        self.pusher.lookup_delay()
    }

    /// Waits for the rate limit, makes the call `send` starts (operation
    /// `operation`) and records it; its answer on success.
    pub(crate) async fn make<R, E: Serialize + std::fmt::Debug + 'static, F>(
        &mut self,
        operation: &'static str,
        send: impl FnOnce() -> F,
    ) -> Result<R, PushError>
    where
        F: Future<Output = Result<R, ApiError<E>>>,
    {
        self.pusher.wait_for_rate_limit(self.provider).await;
        let answer = send()
            .await
            .map_err(|e| PushError::failed(e, self.done.clone()))?;
        self.done.push(operation);
        Ok(answer)
    }
}
