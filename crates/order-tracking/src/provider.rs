//! What a provider is to this crate: one module under
//! [`providers`](crate::providers) that implements [`Platform`], and a
//! [`Provider`] handle that names it. Nothing outside a provider's module
//! knows which providers there are: the pusher, the journal keys, the
//! change plans and `trackctl`'s settings all ask the provider.

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tracking_runtime::{ClientConfig, Secret, json_call};

use crate::plan::{Errors, Plan};
use crate::shipment::Shipment;
use crate::update::Unchangeable;

/// Where a shipment's tracking goes: one of [`Provider::all`], by its name
/// in files, flags, the mock and the journal (its spec's file name). Each
/// provider's module adds a constant for it (`Provider::CRUX`).
#[derive(Clone, Copy)]
pub struct Provider(pub(crate) &'static dyn Platform);

impl Provider {
    /// Every provider, in the registry's order.
    pub fn all() -> impl Iterator<Item = Provider> {
        crate::providers::ALL.iter().map(|p| Provider(*p))
    }

    /// The name used in files, flags, the mock and the journal.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The name people know it by (`VTEX OMS`).
    pub fn title(self) -> &'static str {
        self.0.title()
    }

    /// Its settings ([`Settings`]).
    pub fn settings(self) -> &'static Settings {
        self.0.settings()
    }

    /// Calls a second at most, unless the user says otherwise: what the
    /// platform allows. `None`: as fast as the platform answers.
    pub fn default_pace(self) -> Option<f64> {
        self.0.default_pace()
    }

    /// Calls a second on average, and at once after a quiet spell, that
    /// `operation` may start, where the platform's usage plan gives the
    /// operation a limit of its own (Amazon's); on top of
    /// [`Provider::default_pace`] and `--rate-limit`.
    pub fn operation_pace(self, operation: &str) -> Option<(f64, u32)> {
        self.0.operation_pace(operation)
    }

    /// Whether an answer with this status means the platform refused the
    /// credentials (or their scopes), so that every further call with them
    /// would be refused too: always a 401, and a 403 where the platform
    /// documents it for missing permissions of the credentials.
    pub fn refuses_credentials(self, status: u16) -> bool {
        status == 401 || (status == 403 && self.0.forbidden_is_credentials())
    }

    /// Whether a row that replaces another row's tracking number on the
    /// same line of the same file is a correction of that number (rather
    /// than a further package), on a record that takes several numbers.
    /// Only where the platform keeps one record per number that nothing
    /// but the number tells apart.
    pub fn same_line_is_a_correction(self) -> bool {
        self.0.same_line_is_a_correction()
    }

    /// Checks the settings, sending and opening nothing: complete
    /// credentials, a base URL.
    pub fn settle(self, settings: &dyn Fn(&str) -> Option<String>) -> Result<Settled, String> {
        self.0.settle(&Lookup::new(self, settings))
    }

    /// A client from the settings ([`Provider::settle`]d first); a
    /// provider that logs in does so here.
    pub async fn connect(
        self,
        settings: &dyn Fn(&str) -> Option<String>,
        config: &ClientConfig,
    ) -> Result<Connection, String> {
        let lookup = Lookup::new(self, settings);
        let settled = self.0.settle(&lookup)?;
        self.0.connect(&lookup, &settled.base_url, config).await
    }

    /// The path of its servers' URLs (`/sell/fulfillment/v1`), after the
    /// host.
    pub fn server_path(self) -> &'static str {
        self.0.server_path()
    }

    /// The setting that names its OAuth token endpoint and that endpoint's
    /// path on the platform's host (its spec's `tokenUrl`), if it has one.
    pub fn token_endpoint(self) -> Option<(&'static str, &'static str)> {
        self.0.token_endpoint()
    }

    /// The settings that reach this provider in a mock served at `root`
    /// (`tracking-mock`: the provider under `/{name}`), with the
    /// credentials the mock accepts by default.
    pub fn mock_settings(self, root: &str) -> Vec<(&'static str, String)> {
        let mut settings: Vec<(&'static str, String)> = self
            .0
            .mock_credentials()
            .iter()
            .map(|(name, value)| (*name, value.to_string()))
            .collect();
        let path = self.0.server_path();
        let base = format!("{}/{}{path}", root.trim_end_matches('/'), self.name());
        settings.push((self.settings().base_url, base));
        if let Some((setting, path)) = self.0.token_endpoint() {
            let url = format!("{}/{}{path}", root.trim_end_matches('/'), self.name());
            settings.push((setting, url));
        }
        settings
    }
}

impl PartialEq for Provider {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Provider {}

impl Hash for Provider {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl PartialOrd for Provider {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Provider {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Provider({:?})", self.name())
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Provider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let wanted = s.trim().to_ascii_lowercase();
        Provider::all()
            .find(|p| p.name() == wanted || p.0.aliases().contains(&wanted.as_str()))
            .ok_or_else(|| {
                let names: Vec<&str> = Provider::all().map(Provider::name).collect();
                format!("unknown provider {wanted:?} ({})", names.join(", "))
            })
    }
}

impl Serialize for Provider {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Provider {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A provider's settings, as environment variables or the lines of a
/// config file.
#[derive(Debug)]
pub struct Settings {
    /// The prefix every one of its variables has (`CRUX_`): a variable
    /// with it that is none of them is a misspelling.
    pub prefix: &'static str,
    /// Every variable it reads.
    pub variables: &'static [&'static str],
    /// The one that points it elsewhere than the platform (a sandbox, a
    /// mock).
    pub base_url: &'static str,
}

/// A provider's settings, checked.
#[derive(Debug, Clone)]
pub struct Settled {
    /// Where its calls go.
    pub base_url: String,
    /// Who they act for.
    pub account: Account,
}

/// Who the pushes act for, where one base URL may serve many accounts.
#[derive(Clone)]
pub enum Account {
    /// The URL names the account (a store's host).
    InUrl,
    /// A name the user gave, or the login user.
    Named(String),
    /// A token, which only a fingerprint of may be kept.
    Token(Secret),
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Account::InUrl => f.write_str("InUrl"),
            Account::Named(name) => write!(f, "Named({name:?})"),
            Account::Token(_) => f.write_str("Token(…)"),
        }
    }
}

/// A provider's client, ready for a [`Pusher`](crate::Pusher).
#[derive(Clone)]
pub struct Connection {
    pub(crate) provider: Provider,
    pub(crate) client: Arc<dyn AnyClient>,
}

impl Connection {
    /// The provider it reaches.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// Calls an operation of the client by its operationId with JSON
    /// arguments (the generated `json::call`), for tools and tests that
    /// drive every provider from its spec.
    #[doc(hidden)]
    pub async fn call_json(&self, operation: &str, args: &json_call::Args) -> json_call::Outcome {
        self.client.call_json(operation, args).await
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Connection({})", self.provider)
    }
}

/// A generated client that a provider's module sends through: what
/// [`Pusher::with_client`](crate::Pusher::with_client) takes.
pub trait ProviderClient: json_call::JsonCall + Any + Send + Sync {
    /// The provider its calls reach.
    fn provider() -> Provider;
}

/// A [`ProviderClient`] of any type, for a [`Connection`].
pub(crate) trait AnyClient: json_call::JsonCall {
    fn as_any(&self) -> &(dyn Any + Send + Sync);
}

impl<C: ProviderClient> AnyClient for C {
    fn as_any(&self) -> &(dyn Any + Send + Sync) {
        self
    }
}

impl<C: ProviderClient> From<C> for Connection {
    fn from(client: C) -> Self {
        Connection {
            provider: C::provider(),
            client: Arc::new(client),
        }
    }
}

/// A provider's settings as its module reads them: trimmed values, and
/// errors that name what is missing.
pub(crate) struct Lookup<'a> {
    provider: Provider,
    get: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Lookup<'a> {
    fn new(provider: Provider, get: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self { provider, get }
    }

    /// A setting, trimmed, if set.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        (self.get)(name).map(|v| v.trim().to_string())
    }

    /// The error for settings that name the provider but lack `needs`
    /// (those unset of them are named), `or` what may stand instead.
    pub(crate) fn missing(&self, needs: &[&str], or: &str) -> String {
        let provider = self.provider;
        let set: Vec<&str> = provider
            .settings()
            .variables
            .iter()
            .copied()
            .filter(|n| self.get(n).is_some())
            .collect();
        let unset: Vec<&str> = needs
            .iter()
            .copied()
            .filter(|n| self.get(n).is_none())
            .collect();
        format!(
            "{provider}: {} set, but not {}{or}: nothing can be sent to {provider} without it",
            set.join(", "),
            unset.join(" and ")
        )
    }

    /// The base URL: `explicit` if set, else one made of one label of a
    /// host name in `label` (an account, a server id) by `make`, so that
    /// no value can point the credentials at another host.
    pub(crate) fn base_url(
        &self,
        label: &str,
        make: impl Fn(&str) -> String,
    ) -> Result<String, String> {
        let explicit = self.provider.settings().base_url;
        if let Some(url) = self.get(explicit) {
            return Ok(url);
        }
        let Some(value) = self.get(label) else {
            return Err(self.missing(&[label], &format!(" (or {explicit})")));
        };
        let ok = (1..=63).contains(&value.len())
            && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok {
            Ok(make(&value))
        } else {
            Err(format!(
                "{label} is not a name the provider's host is made of (letters, digits and hyphens; the value is not shown): give {explicit} for another URL"
            ))
        }
    }
}

/// Everything a provider does with a shipment: implemented once per
/// provider, in its module under [`providers`](crate::providers).
pub(crate) trait Platform: Send + Sync + 'static {
    /// Its name in files, flags, the mock and the journal.
    fn name(&self) -> &'static str;
    /// Other names accepted for it.
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }
    /// The name people know it by.
    fn title(&self) -> &'static str;
    /// Its settings.
    fn settings(&self) -> &'static Settings;
    /// [`Provider::settle`].
    fn settle(&self, settings: &Lookup<'_>) -> Result<Settled, String>;
    /// [`Provider::connect`], with the settings settled to `base_url`.
    fn connect<'a>(
        &'a self,
        settings: &'a Lookup<'a>,
        base_url: &'a str,
        config: &'a ClientConfig,
    ) -> BoxFuture<'a, Result<Connection, String>>;
    /// The settings (besides the base URL) that log in to the mock.
    fn mock_credentials(&self) -> &'static [(&'static str, &'static str)];
    /// The path of its servers' URLs (`/rest`), which a mock serves it under too.
    fn server_path(&self) -> &'static str {
        ""
    }
    /// The setting that names its OAuth token endpoint and the path of
    /// that endpoint (its spec's `tokenUrl`), which a mock serves it under.
    fn token_endpoint(&self) -> Option<(&'static str, &'static str)> {
        None
    }
    /// [`Provider::default_pace`].
    fn default_pace(&self) -> Option<f64> {
        None
    }
    /// [`Provider::operation_pace`].
    fn operation_pace(&self, _operation: &str) -> Option<(f64, u32)> {
        None
    }
    /// Whether its 403 means the credentials lack a permission.
    fn forbidden_is_credentials(&self) -> bool {
        false
    }
    /// [`Provider::same_line_is_a_correction`].
    fn same_line_is_a_correction(&self) -> bool {
        false
    }

    /// The shipment's calls, with what stands in the way recorded in
    /// `errors` (the checks every provider shares are made already).
    fn plan(&self, shipment: &Shipment, errors: &mut Errors) -> Option<Plan>;
    /// The calls that bring `old`, which the provider has, to `new`
    /// (`changed`: the fields that differ), by calls that may be repeated.
    fn plan_change(
        &self,
        old: &Shipment,
        new: &Shipment,
        changed: &[String],
    ) -> Result<Plan, Unchangeable>;
    /// The parts of [`Shipment::key`] before the tracking number: what the
    /// provider files the tracking under, read as it reads it.
    fn key_parts(&self, shipment: &Shipment) -> Vec<String> {
        vec![self.order_id(&shipment.order_ref)]
    }
    /// An order reference as the provider reads it (trimmed, by default).
    fn order_id(&self, order_ref: &str) -> String {
        order_ref.trim().to_string()
    }
    /// A line item's id as the provider reads it (trimmed, by default).
    fn line_item_id(&self, id: &str) -> String {
        id.trim().to_string()
    }
    /// The shipment's `target` as the provider reads it: `None` for a
    /// provider with one kind of record.
    fn target(&self, _target: Option<&str>) -> Option<String> {
        None
    }
}

/// `text` parsed as `T` and written back in `T`'s own form; trimmed as it
/// is if it does not parse (the plan refuses it then).
pub(crate) fn as_parsed<T: FromStr + ToString>(text: &str) -> String {
    let text = text.trim();
    text.parse::<T>()
        .map_or_else(|_| text.to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What trackctl and the mock take from the registry holds for every
    /// provider: one name each, settings under its own prefix, and mock
    /// settings that are its settings.
    #[test]
    fn the_registry_is_consistent() {
        let mut names = std::collections::BTreeSet::new();
        let mut prefixes = std::collections::BTreeSet::new();
        for provider in Provider::all() {
            for name in std::iter::once(provider.name()).chain(provider.0.aliases().iter().copied())
            {
                assert!(names.insert(name), "{name} names two providers");
                assert_eq!(name.parse::<Provider>(), Ok(provider));
            }
            let settings = provider.settings();
            assert!(prefixes.insert(settings.prefix), "{provider}: prefix");
            for variable in settings.variables {
                assert!(variable.starts_with(settings.prefix), "{variable}");
            }
            assert!(settings.variables.contains(&settings.base_url));
            for (name, _) in provider.mock_settings("http://127.0.0.1:1") {
                assert!(settings.variables.contains(&name), "{provider}: {name}");
            }
            let mock = provider.mock_settings("http://127.0.0.1:1");
            let lookup = |name: &str| {
                mock.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
            };
            let settled = provider.settle(&lookup).expect("mock settings settle");
            assert!(
                settled
                    .base_url
                    .starts_with(&format!("http://127.0.0.1:1/{}", provider.name())),
                "{provider}: {}",
                settled.base_url
            );
        }
        assert!("nowhere".parse::<Provider>().is_err());
    }

    /// A 401 is refused credentials everywhere; a 403 only where the
    /// platform documents it for the credentials' permissions (VTEX: the
    /// app key's role lacks the resource), not where it may be about one
    /// record (Crux's "permission denied" is not said to be either).
    #[test]
    fn refused_credentials_are_the_platforms_own_statuses() {
        for provider in Provider::all() {
            assert!(provider.refuses_credentials(401), "{provider}");
            assert!(!provider.refuses_credentials(404), "{provider}");
            assert!(!provider.refuses_credentials(500), "{provider}");
        }
        assert!(Provider::VTEX_OMS.refuses_credentials(403));
        assert!(!Provider::CRUX.refuses_credentials(403));
        assert!(!Provider::SELLERCLOUD.refuses_credentials(403));
    }
}
