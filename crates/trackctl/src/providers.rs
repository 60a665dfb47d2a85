//! Which providers to push to, with which credentials: environment variables
//! (or the same names in a config file: [`crate::settings`]), a `--base-url`
//! serving every provider (a running `trackctl mock`), or the built-in mock
//! started in this process: asked for with `--mock`, or the default when
//! nothing names a provider (no `--config`, no provider variable, set or
//! blank). Anything less is an error, never a silent rehearsal: a failed
//! secret injection (`CRUX_TOKEN=`) or a config with no credentials would
//! otherwise "push" a day's rows to a mock and exit 0.

use crate::error::Error;
use order_tracking::{Provider, Pusher, Settled};
use tracking_mock::{MockConfig, MockServer};
use tracking_runtime::ClientConfig;

use crate::destination::{Destination, canonical_url};
use crate::settings::{Settings, provider_variables};

/// Where the pushes go.
pub struct Targets {
    /// The pusher with a client per configured provider.
    pub pusher: Pusher,
    /// The mock started in this process, if no provider was configured.
    pub mock: Option<MockServer>,
    /// What to tell the user about where the pushes go.
    pub description: String,
    /// Where each configured provider's rows go.
    pub destinations: Vec<Destination>,
    /// Whether these are the real providers (settings from the environment
    /// or a config file), not a mock.
    pub real: bool,
    /// For the summary line when the pushes went to a mock, so that even a
    /// `-q` run says it delivered nothing to a real provider.
    pub rehearsal: Option<String>,
}

/// The built-in mock: asked for (`--mock`), or the default when nothing
/// names a provider.
pub fn builtin(settings: &Settings, mock: bool, base_url: Option<&str>) -> bool {
    mock || (base_url.is_none() && !settings.names_a_provider())
}

/// Builds the clients from `settings`, or starts the built-in mock.
pub async fn targets(
    settings: &Settings,
    base_url: Option<&str>,
    mock: bool,
    client: &ClientConfig,
) -> Result<Targets, Error> {
    if builtin(settings, mock, base_url) {
        let server = MockServer::start(MockConfig::builtin().stateful())
            .await
            .map_err(|e| Error::Setting(format!("cannot start the built-in mock: {e}")))?;
        let (pusher, destinations) = mock_clients(&server.url(), client).await?;
        let why = if mock {
            "--mock"
        } else {
            "no --config and no provider variable"
        };
        let description = format!(
            "Pushing to the built-in mock providers at {} ({why}): nothing leaves this machine. See README for real providers.",
            server.url()
        );
        return Ok(Targets {
            pusher,
            mock: Some(server),
            description,
            destinations,
            real: false,
            rehearsal: Some(
                "to the built-in mock: nothing was delivered to a real provider".into(),
            ),
        });
    }
    if let Some(base) = base_url {
        let (pusher, destinations) = mock_clients(base.trim_end_matches('/'), client).await?;
        // Shown canonical: without a user or password the URL may carry.
        let shown = canonical_url(base)?;
        return Ok(Targets {
            pusher,
            mock: None,
            description: format!("Pushing to the providers served at {shown} (--base-url)."),
            destinations,
            real: false,
            rehearsal: Some(format!("to {shown} (--base-url), not the real providers")),
        });
    }
    configured(settings, client).await
}

/// Every provider whose settings are set, checked without sending or
/// opening anything ([`Provider::settle`]): its credentials complete, its
/// base URL a URL. A provider with some settings but not all it needs is
/// an error naming what is missing, and so are settings that configure no
/// provider.
fn settle(settings: &Settings) -> Result<Vec<Destination>, Error> {
    let mut settled = Vec::new();
    for provider in Provider::all() {
        if settings.set_for(provider).is_empty() {
            continue;
        }
        let Settled { base_url, account } =
            provider.settle(&lookup(settings)).map_err(Error::Setting)?;
        settled.push(Destination::new(provider, &base_url, account)?);
    }
    if settled.is_empty() {
        let known: Vec<&str> = provider_variables().collect();
        let unknown = match settings.unknown.as_slice() {
            [] => String::new(),
            names => format!(
                "; the environment has {}, which trackctl does not read (misspelled?)",
                names.join(", ")
            ),
        };
        return Err(Error::Setting(format!(
            "the settings name no provider's credentials (read: {}){unknown}: give them, or run with --mock to rehearse against the built-in mock",
            known.join(", ")
        )));
    }
    Ok(settled)
}

/// The settings as a provider reads them.
fn lookup(settings: &Settings) -> impl Fn(&str) -> Option<String> + '_ {
    |name| settings.get(name).map(str::to_string)
}

/// Refuses settings that cannot be pushed with, before anything is opened
/// or sent ([`settle`]).
pub fn check(settings: &Settings, mock: bool, base_url: Option<&str>) -> Result<(), Error> {
    if let Some(base) = base_url {
        canonical_url(base).map_err(|e| Error::Setting(format!("--base-url: {e}")))?;
    }
    if builtin(settings, mock, base_url) || base_url.is_some() {
        return Ok(());
    }
    settle(settings).map(|_| ())
}

/// The clients of every provider whose settings are set ([`settle`]),
/// each at its platform's pace ([`Provider::default_pace`]).
async fn configured(settings: &Settings, client: &ClientConfig) -> Result<Targets, Error> {
    let mut pusher = Pusher::new();
    let destinations = settle(settings)?;
    for destination in &destinations {
        let provider = destination.provider;
        pusher = pusher.with_client(
            provider
                .connect(&lookup(settings), client)
                .await
                .map_err(Error::Setting)?,
        );
        if let Some(pace) = provider.default_pace() {
            pusher = pusher.with_rate_limit(provider, pace);
        }
    }
    Ok(Targets {
        pusher,
        mock: None,
        description: format!(
            "Pushing to {}.",
            destinations
                .iter()
                .map(|d| format!("{} at {}", d.provider, d.url))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        destinations,
        real: true,
        rehearsal: None,
    })
}

/// Clients for every provider of a mock at `base`, with the credentials a
/// mock accepts by default ([`Provider::mock_settings`]), and their
/// destinations. A mock is not paced unless asked (`--rate-limit`), nor
/// held to the platforms' usage plans.
async fn mock_clients(
    base: &str,
    client: &ClientConfig,
) -> Result<(Pusher, Vec<Destination>), Error> {
    let mut pusher = Pusher::new().without_usage_plans();
    let mut destinations = Vec::new();
    for provider in Provider::all() {
        let settings = provider.mock_settings(base);
        let lookup = |name: &str| {
            settings
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        };
        let Settled { base_url, account } = provider.settle(&lookup).map_err(Error::Setting)?;
        destinations.push(Destination::new(provider, &base_url, account)?);
        pusher = pusher.with_client(
            provider
                .connect(&lookup, client)
                .await
                .map_err(Error::Setting)?,
        );
    }
    Ok((pusher, destinations))
}
