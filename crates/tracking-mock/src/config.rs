//! What the mock serves and how badly it behaves.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::credentials::Credentials;

/// The specs of `specs/`, by name (the build script lists them).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_specs.rs"));

/// A spec the mock serves: its name (the first path segment it is served
/// under) and its text.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// The provider's name, e.g. `crux`.
    pub name: String,
    /// Where the text came from (for messages).
    pub origin: PathBuf,
    /// The YAML or JSON text.
    pub text: String,
}

impl SpecSource {
    /// The specs built into this crate: every file of its `specs/` folder
    /// (a copy of the workspace's), named after the file.
    pub fn builtin() -> Vec<SpecSource> {
        BUILTIN
            .iter()
            .copied()
            .map(|(name, text)| SpecSource {
                name: name.to_string(),
                origin: PathBuf::from(format!("specs/{name}.yaml")),
                text: text.to_string(),
            })
            .collect()
    }

    /// A spec file; its name is the file stem.
    pub fn file(path: impl Into<PathBuf>) -> std::io::Result<SpecSource> {
        let origin = path.into();
        Ok(SpecSource {
            name: origin
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            text: std::fs::read_to_string(&origin)?,
            origin,
        })
    }
}

/// Faults injected into requests that reach an operation, drawn per request
/// from a seeded generator: the same seed and request order give the same
/// faults. Rates are shares between 0 and 1, tried in this order.
///
/// A client that looks up a call whose answer was lost (`order-tracking`
/// does, for an add its spec marks `x-tracking-adds-to`) needs the mock started
/// [`stateful`](MockConfig::stateful) to test the drops: a stateless mock
/// answers every lookup as found, so a dropped, never-applied call would
/// pass as delivered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Share answered 429 with `Retry-After`.
    pub too_many_requests: f64,
    /// Seconds in that `Retry-After`.
    pub retry_after_secs: u64,
    /// Share answered 500.
    pub server_error: f64,
    /// Share answered 503.
    pub unavailable: f64,
    /// Share whose connection is dropped without an answer, before anything
    /// is applied.
    pub drop_connection: f64,
    /// Share applied (and recorded in the ledger) whose connection is then
    /// dropped without an answer: the provider did the work, the client never
    /// hears of it.
    pub drop_after_apply: f64,
    /// Share whose connection is dropped without an answer at once, and
    /// which is applied (and recorded) `delay_ms` later: a provider still
    /// working on a request after the client gave up on it.
    pub apply_late: f64,
    /// Share delayed by `delay_ms` before being handled normally.
    pub delay: f64,
    /// The delay (and the lateness of `apply_late`), in milliseconds.
    pub delay_ms: u64,
    /// The operationIds the faults apply to; empty: every operation.
    pub only: Vec<String>,
}

impl Faults {
    /// No faults at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether the faults apply to `operation`.
    pub fn apply_to(&self, operation: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == operation)
    }

    /// Checks that every rate is a share and that they add up to at most 1.
    pub fn check(&self) -> Result<(), String> {
        let rates = [
            self.too_many_requests,
            self.server_error,
            self.unavailable,
            self.drop_connection,
            self.drop_after_apply,
            self.apply_late,
        ];
        if rates
            .iter()
            .chain([&self.delay])
            .any(|r| !(0.0..=1.0).contains(r))
        {
            return Err("every fault rate must be between 0 and 1".into());
        }
        if rates.iter().sum::<f64>() > 1.0 {
            return Err(
                "the 429, 500, 503, drop and late-apply rates add up to more than 1".into(),
            );
        }
        Ok(())
    }
}

/// How to start a mock.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// The specs to serve.
    pub specs: Vec<SpecSource>,
    /// Faults at start (changeable while running).
    pub faults: Faults,
    /// Seed of the fault generator and of issued tokens.
    pub seed: u64,
    /// Largest request body accepted, in bytes (413 above).
    pub body_limit: usize,
    /// The address to listen on; port 0 picks a free one.
    pub addr: std::net::SocketAddr,
    /// Remember the tracking numbers added through the mock, and answer 404
    /// to a lookup of one never added (see [`MockConfig::stateful`]).
    pub stateful: bool,
    /// How long a client has to send a request's whole header (its first
    /// line and every header field) before its connection is closed
    /// without an answer; a half-sent request would otherwise hold a
    /// connection open forever. The time to send the body, and to answer,
    /// is not counted. It also closes a kept-alive connection that sends
    /// nothing for that long. Must be above zero.
    pub header_timeout: Duration,
    /// Requests per second admitted per provider (by name); those above are
    /// answered 429 and not applied. See [`MockConfig::with_throttle`].
    pub throttle: BTreeMap<String, f64>,
    /// The credentials each provider (by name) accepts; a provider not
    /// named accepts any (see [`crate::credentials`]). Those of a provider
    /// not served are ignored, so that [`MockConfig::builtin`]'s stay
    /// harmless when `specs` is replaced.
    pub credentials: BTreeMap<String, Credentials>,
}

impl MockConfig {
    /// The built-in specs, no faults, 1 MiB bodies, an ephemeral port on
    /// 127.0.0.1, 10 s to send a header, no throttling, and the built-in
    /// providers' default credentials ([`crate::credentials`]).
    pub fn builtin() -> Self {
        Self {
            specs: SpecSource::builtin(),
            faults: Faults::none(),
            seed: 0,
            body_limit: 1024 * 1024,
            addr: ([127, 0, 0, 1], 0).into(),
            stateful: false,
            header_timeout: Duration::from_secs(10),
            throttle: BTreeMap::new(),
            credentials: Credentials::builtin(),
        }
    }

    /// Accepts `value` too as the whole value of the header of `provider`'s
    /// security scheme `scheme` (its name in the spec, or the header it
    /// names), besides those accepted already: e.g. `("shop", "tokenAuth",
    /// "Token token-2")` for a second account of provider `shop`. For an
    /// `oauth2` scheme, `value` is a refresh token its token endpoint takes
    /// ([`token`](crate::token)). Starting fails if the provider's spec has
    /// no such scheme.
    pub fn with_credential(
        mut self,
        provider: impl Into<String>,
        scheme: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.credentials
            .entry(provider.into())
            .or_default()
            .accepted
            .entry(scheme.into())
            .or_default()
            .push(value.into());
        self
    }

    /// Accepts `username` with `password` too at `provider`'s login, besides
    /// those accepted already; at an OAuth 2 token endpoint, a client id
    /// with its secret. Starting fails if the provider's spec has neither.
    pub fn with_login(
        mut self,
        provider: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.credentials
            .entry(provider.into())
            .or_default()
            .logins
            .push((username.into(), password.into()));
        self
    }

    /// Accepts, at every served provider's login, the accounts of that
    /// login's own request examples too: a tool that calls every operation
    /// with its spec's examples (the tour) is let in, whatever the spec.
    pub fn with_example_logins(mut self) -> Self {
        for source in &self.specs {
            self.credentials
                .entry(source.name.clone())
                .or_default()
                .example_logins = true;
        }
        self
    }

    /// Throttles `provider` to `per_second` requests a second, as a token
    /// bucket: it holds `per_second` rounded up (the burst: that many
    /// requests at once are admitted), starts full, and refills at
    /// `per_second`. Every request under the provider's mount takes a token,
    /// whatever it asks (a real provider counts calls, not valid ones); one
    /// that finds none is answered 429 with `Retry-After` (the whole seconds,
    /// at least 1, until a token is back), before anything else is checked,
    /// and is not applied. [`MockServer::throttled`](crate::MockServer::throttled)
    /// counts them. The rate must be above zero.
    pub fn with_throttle(mut self, provider: impl Into<String>, per_second: f64) -> Self {
        self.throttle.insert(provider.into(), per_second);
        self
    }

    /// Sets the faults.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Remembers the tracking numbers added through the mock, per record
    /// (the calls its specs mark `x-tracking-adds-to`), and answers 404 to a
    /// lookup of one never added (`x-tracking-lookup`), as the provider
    /// would. A client that lost the answer to its add-tracking POST can
    /// then look it up (as `order-tracking` does) and get the truth; without
    /// this (the default) every valid call is answered with the spec's
    /// example, so that a test may update a tracking number the mock never
    /// saw, and a lookup always finds. VTEX invoices are not tracked:
    /// tracking numbers are commonly added to invoices issued elsewhere.
    pub fn stateful(mut self) -> Self {
        self.stateful = true;
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

impl Default for MockConfig {
    fn default() -> Self {
        Self::builtin()
    }
}

/// A rate as the command lines take it, `PROVIDER=RATE` (`NAME=3`: calls
/// a second, at least 0.001): the mock's `--throttle` (see
/// [`MockConfig::with_throttle`]) and trackctl's `--rate-limit` alike.
pub fn parse_throttle(text: &str) -> Result<(String, f64), String> {
    let (provider, rate) = text
        .split_once('=')
        .ok_or("expected PROVIDER=RATE, e.g. NAME=3 (calls a second)")?;
    let rate: f64 = rate
        .trim()
        .parse()
        .ok()
        .filter(|r: &f64| r.is_finite() && *r >= 0.001)
        .ok_or_else(|| {
            format!("{rate:?} is not a number of calls a second of at least 0.001 (one call every 1,000 s)")
        })?;
    Ok((provider.trim().to_string(), rate))
}
