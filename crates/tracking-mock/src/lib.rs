//! A stand-in provider built from the specs alone: every operation of every
//! spec is served under `/<provider>/<server base path>`, requests are
//! validated against the spec (422 with `application/problem+json` listing
//! every violation), credentials are checked against those it
//! [accepts](credentials) (401; a bearer token must come from the mock's
//! own login and expires as `expires_in` says), a method a
//! path does not serve gets 405 with `Allow`, and answers are the spec's
//! examples (`Prefer: code=404` and `Prefer: example=NAME` choose, as Prism
//! does). What the mock itself may answer is in an OpenAPI document of its
//! own per provider ([`MockServer::openapi`]). Faults can be injected,
//! deterministically from a seed, and a ledger keeps every accepted request
//! (with its passwords [redacted](REDACTED)). A provider can be throttled
//! ([`MockConfig::with_throttle`]), and a client that does not send a whole
//! request header in time ([`MockConfig::header_timeout`]) is disconnected.
//!
//! Use it in your own tests:
//!
//! ```no_run
//! use tracking_mock::{MockConfig, MockServer, credentials};
//!
//! # async fn test() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockServer::start(MockConfig::builtin()).await?;
//! let vtex = vtex_oms_client::Client::with_app_key(
//!     &mock.base_url("vtex-oms").unwrap(),
//!     "mock-app-key",
//!     "mock-app-token",
//! )?;
//!
//! // ... run your code that pushes tracking through `vtex` ...
//! # vtex.update_partial_invoice().order_id("o-1").invoice_number("1")
//! #     .body_map(|b| b.tracking_number("BR1".to_string()).tracking_url(None).courier(None).dispatched_date(None))
//! #     .send().await?;
//!
//! let pushed = mock.ledger();
//! assert_eq!(pushed.len(), 1);
//! assert_eq!(pushed[0].operation, "updatePartialInvoice");
//! assert_eq!(pushed[0].body.as_ref().unwrap()["trackingNumber"], "BR1");
//! mock.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Or run it: `cargo run -p tracking-mock --features cli -- --help` (the
//! binary, its command line (`tracking_mock::cli`, which `trackctl mock`
//! shares) and its logs are behind the `cli` feature, so that a library
//! user compiles none of them). Over HTTP, the ledger is
//! `GET /_mock/ledger`, the faults `GET`/`PUT /_mock/faults`, the
//! requests throttled so far, per provider, `GET /_mock/throttled`, and a
//! provider's document `GET /_mock/openapi/<provider>`.

#![forbid(unsafe_code)]

#[cfg(feature = "cli")]
pub mod cli;
mod config;
pub mod credentials;
mod handler;
mod ledger;
mod openapi;
mod problem;
mod provider;
mod redact;
mod resources;
mod throttle;
pub mod token;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

pub use config::{Faults, MockConfig, SpecSource, parse_throttle};
pub use credentials::Credentials;
pub use ledger::{LedgerEntry, applied, tracking_number_counts};
pub use redact::REDACTED;

use provider::Provider;
use resources::{Effect, Resources};
use throttle::Throttle;

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// A spec could not be loaded.
    #[error("{0}")]
    Spec(String),
    /// Two specs have the same name.
    #[error("two specs are named {0}")]
    DuplicateName(String),
    /// The faults are not shares.
    #[error("invalid faults: {0}")]
    Faults(String),
    /// Another setting of the [`MockConfig`] cannot be used.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// State shared by all requests.
pub(crate) struct Shared {
    providers: Vec<Provider>,
    body_limit: usize,
    faults: Mutex<Faults>,
    rng: Mutex<fastrand::Rng>,
    ledger: Mutex<Vec<LedgerEntry>>,
    /// What exists, when started stateful.
    resources: Option<Mutex<Resources>>,
    /// Requests to be applied late (`Faults::apply_late`).
    late: Mutex<tokio::task::JoinSet<()>>,
    seq: AtomicU64,
    /// Per throttled provider, by name.
    throttles: BTreeMap<String, Throttle>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not take the mock down with it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }
    fn faults(&self) -> Faults {
        lock(&self.faults).clone()
    }
    fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
    }
    /// Two draws in [0, 1): the fault, and whether to delay.
    fn roll(&self) -> (f64, f64) {
        let mut rng = lock(&self.rng);
        (rng.f64(), rng.f64())
    }
    fn fresh_token(&self, provider: &str) -> String {
        let mut rng = lock(&self.rng);
        format!("mock-{provider}-{:016x}", rng.u64(..))
    }
    /// Applies an accepted call: its effect on what exists (when the mock
    /// is stateful), then its ledger entry. If something it needs does not
    /// exist: why, and nothing is applied or recorded.
    fn commit(&self, effect: Option<Effect>, entry: LedgerEntry) -> Result<(), String> {
        let mut resources = self.resources.as_ref().map(lock);
        if let (Some(resources), Some(effect)) = (resources.as_mut(), effect) {
            if let Some(missing) = resources.missing(&effect) {
                return Err(missing);
            }
            resources.apply(effect);
        }
        lock(&self.ledger).push(entry);
        Ok(())
    }
    /// Checks faults: shares, and operations that exist.
    fn check_faults(&self, faults: &Faults) -> Result<(), MockError> {
        faults.check().map_err(MockError::Faults)?;
        let unknown: Vec<&str> = faults
            .only
            .iter()
            .filter(|op| {
                !self
                    .providers
                    .iter()
                    .any(|p| p.contract.operation(op).is_ok())
            })
            .map(String::as_str)
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(MockError::Faults(format!(
                "`only` names operations no spec has: {}",
                unknown.join(", ")
            )))
        }
    }
    fn ledger(&self) -> Vec<LedgerEntry> {
        lock(&self.ledger).clone()
    }
    fn clear_ledger(&self) {
        lock(&self.ledger).clear();
    }
    /// The requests refused by throttling so far, per throttled provider.
    fn throttled(&self) -> BTreeMap<String, u64> {
        self.throttles
            .iter()
            .map(|(name, t)| (name.clone(), t.refused()))
            .collect()
    }
}

/// The throttles of `config`, checked: every name a provider's, every rate above zero.
fn throttles(
    config: &MockConfig,
    providers: &[Provider],
) -> Result<BTreeMap<String, Throttle>, MockError> {
    let now = Instant::now();
    config
        .throttle
        .iter()
        .map(|(name, &rate)| {
            if !providers.iter().any(|p| &p.name == name) {
                return Err(MockError::Config(format!(
                    "cannot throttle {name}: no spec is named so"
                )));
            }
            // Written so that NaN fails too.
            if !(rate > 0.0 && rate.is_finite()) {
                return Err(MockError::Config(format!(
                    "the throttle of {name} must be a number of requests per second above zero, not {rate}"
                )));
            }
            Ok((name.clone(), Throttle::new(rate, now)))
        })
        .collect()
}

/// A running mock. Dropping it stops it; [`MockServer::shutdown`] stops it gracefully.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Loads the specs and starts serving (on an ephemeral port by default).
    pub async fn start(config: MockConfig) -> Result<Self, MockError> {
        let mut providers: Vec<Provider> = Vec::new();
        for source in &config.specs {
            if providers.iter().any(|p| p.name == source.name) {
                return Err(MockError::DuplicateName(source.name.clone()));
            }
            providers.push(Provider::load(
                source,
                config.credentials.get(&source.name),
            )?);
        }
        if config.header_timeout.is_zero() {
            return Err(MockError::Config(
                "header_timeout must be above zero".into(),
            ));
        }
        let throttles = throttles(&config, &providers)?;
        let shared = Arc::new(Shared {
            providers,
            body_limit: config.body_limit,
            faults: Mutex::new(config.faults.clone()),
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            ledger: Mutex::new(Vec::new()),
            resources: config.stateful.then(|| Mutex::new(Resources::default())),
            late: Mutex::new(tokio::task::JoinSet::new()),
            seq: AtomicU64::new(0),
            throttles,
        });
        shared.check_faults(&config.faults)?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| MockError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| MockError::Bind {
            addr: config.addr,
            source,
        })?;
        let app = axum::Router::new()
            .fallback(handler::handle)
            .with_state(shared.clone());
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(config.header_timeout);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, app, http, stopped));
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
            task,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL to give a provider's client, e.g.
    /// `http://127.0.0.1:<port>/<provider>/rest` (the path of the spec's
    /// server URL after the provider's name); `None` for an unknown provider.
    pub fn base_url(&self, provider: &str) -> Option<String> {
        self.shared
            .providers
            .iter()
            .find(|p| p.name == provider)
            .map(|p| format!("{}{}", self.url(), p.mount))
    }

    /// The URL of `provider`'s token endpoint, for a spec with an `oauth2`
    /// security scheme: `http://127.0.0.1:<port>/<provider>` and the path
    /// of its `tokenUrl` ([`token`] says what it accepts); `None` for an
    /// unknown provider or one without.
    pub fn token_url(&self, provider: &str) -> Option<String> {
        let found = self.shared.providers.iter().find(|p| p.name == provider)?;
        let endpoint = found.token_endpoints.first()?;
        Some(format!("{}/{}{}", self.url(), found.name, endpoint.path))
    }

    /// The mock's own OpenAPI document of `provider` (JSON), as
    /// `GET /_mock/openapi/<provider>` serves it: the provider's spec, with
    /// `servers` naming this mock and the answers the mock itself may give
    /// added to every operation (`application/problem+json`); `None` for an
    /// unknown provider.
    pub fn openapi(&self, provider: &str) -> Option<serde_json::Value> {
        let found = self.shared.providers.iter().find(|p| p.name == provider)?;
        Some(openapi::document(
            found,
            &self.base_url(provider)?,
            self.shared.body_limit,
        ))
    }

    /// The providers served, by name.
    pub fn providers(&self) -> Vec<String> {
        self.shared
            .providers
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }

    /// Every accepted request so far, in the order applied: one applied
    /// late (`Faults::apply_late`) comes when it is applied, while its
    /// `seq` says when it was received. [`MockServer::settle`] waits for
    /// those still to come.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.shared.ledger()
    }

    /// Waits until every request to be applied late has been.
    pub async fn settle(&self) {
        let mut pending = std::mem::take(&mut *lock(&self.shared.late));
        while pending.join_next().await.is_some() {}
    }

    /// How many requests throttling has answered 429, over every provider
    /// (see [`MockConfig::with_throttle`]).
    pub fn throttled(&self) -> u64 {
        self.shared.throttled().values().sum()
    }

    /// How many requests to `provider` throttling has answered 429 (0 for
    /// one not throttled).
    pub fn throttled_at(&self, provider: &str) -> u64 {
        self.shared.throttled().get(provider).copied().unwrap_or(0)
    }

    /// Forgets the accepted requests.
    pub fn clear_ledger(&self) {
        self.shared.clear_ledger();
    }

    /// Changes the faults from now on.
    pub fn set_faults(&self, faults: Faults) -> Result<(), MockError> {
        self.shared.check_faults(&faults)?;
        self.shared.set_faults(faults);
        Ok(())
    }

    /// Stops accepting, lets requests in flight finish (and those to be
    /// applied late), and returns.
    pub async fn shutdown(mut self) {
        self.settle().await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Serves `app` on every connection `listener` accepts until `stop`, then
/// stops accepting, lets each connection finish the request it is handling
/// (an idle one closes at once), and returns. This is what `axum::serve`
/// with graceful shutdown does, but with hyper's connections built by
/// `http`, whose header read timeout axum does not expose.
async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    http: http1::Builder,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // The client gave up before being accepted: nothing to do.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionRefused
                ) =>
            {
                continue;
            }
            // Out of file descriptors, most likely: wait for connections to
            // close rather than spin (as axum::serve does).
            Err(e) => {
                tracing::error!(error = %e, "cannot accept a connection");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A header timeout, a client gone, or a dropped connection the
            // faults asked for: the connection ends either way.
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if self.stop.is_some() {
            self.task.abort();
        }
    }
}
