//! Which providers to push to, with which credentials: environment variables
//! (or the same names in a config file: [`crate::settings`]), a `--base-url`
//! serving every provider (a running `trackctl mock`), or the built-in mock
//! started in this process: asked for with `--mock`, or the default when
//! nothing names a provider (no `--config`, no provider variable, set or
//! blank). Anything less is an error, never a silent rehearsal: a failed
//! secret injection (`CRUX_TOKEN=`) or a config with no credentials would
//! otherwise "push" a day's rows to a mock and exit 0.

use order_tracking::{Provider, Pusher};
use tracking_mock::{MockConfig, MockServer};
use tracking_runtime::{ClientConfig, Secret};

use crate::destination::{Account, Destination, canonical_url};
use crate::settings::{PROVIDER_VARIABLES, Settings};

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
) -> Result<Targets, String> {
    if builtin(settings, mock, base_url) {
        let server = MockServer::start(MockConfig::builtin().stateful())
            .await
            .map_err(|e| format!("cannot start the built-in mock: {e}"))?;
        let (pusher, destinations) = mock_clients(&server.url(), client)?;
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
        let (pusher, destinations) = mock_clients(base.trim_end_matches('/'), client)?;
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

/// A provider's settings, checked: where its rows go, and how it logs in.
struct Settled<'a> {
    base: String,
    destination: Destination,
    login: Login<'a>,
}

enum Login<'a> {
    CruxToken(&'a str),
    CruxUser(&'a str, &'a str),
    Vtex(&'a str, &'a str),
    SellerCloud(&'a str, &'a str),
}

/// Every provider whose settings are set, checked without sending or
/// opening anything: its credentials complete, its base URL a URL. A
/// provider with some settings but not all it needs is an error naming
/// what is missing, and so are settings that configure no provider.
fn settle(settings: &Settings) -> Result<Vec<Settled<'_>>, String> {
    let get = |name: &str| settings.get(name);
    // `needs`: the settings wanted, of which those unset are named.
    let missing = |provider: &str, needs: &[&str], or: &str| {
        let unset: Vec<&str> = needs.iter().copied().filter(|n| get(n).is_none()).collect();
        format!(
            "{provider}: {} set, but not {}{or}: nothing can be sent to {provider} without it",
            settings.set_for(provider).join(", "),
            unset.join(" and ")
        )
    };
    // The provider's URL is made of it: one label of a host name, so
    // that no value can point the credentials at another host.
    let label = |name: &str, value: &str, instead: &str| {
        let ok = (1..=63).contains(&value.len())
            && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{name} is not a name the provider's host is made of (letters, digits and hyphens; the value is not shown): give {instead} for another URL"
            ))
        }
    };
    let mut settled = Vec::new();
    if !settings.set_for("crux").is_empty() {
        let base = get("CRUX_BASE_URL")
            .unwrap_or(crux_client::servers::PRODUCTION)
            .to_string();
        // One Crux URL serves every organisation: the account tells them
        // apart (a name the user gives, else the login user, else the token).
        let named = get("CRUX_ACCOUNT").map(|a| Account::Named(a.into()));
        let (login, account) = match (
            get("CRUX_TOKEN"),
            get("CRUX_USERNAME"),
            get("CRUX_PASSWORD"),
        ) {
            (Some(token), _, _) => (
                Login::CruxToken(token),
                named.unwrap_or_else(|| Account::Token(Secret::from(token))),
            ),
            (None, Some(user), Some(password)) => (
                Login::CruxUser(user, password),
                named.unwrap_or_else(|| Account::Named(format!("user={}", user.trim()))),
            ),
            (None, Some(_), None) => {
                return Err(missing("crux", &["CRUX_PASSWORD"], " (or CRUX_TOKEN)"));
            }
            _ => {
                return Err(missing(
                    "crux",
                    &["CRUX_TOKEN"],
                    " (or CRUX_USERNAME and CRUX_PASSWORD)",
                ));
            }
        };
        let destination = Destination::new(Provider::Crux, &base, account)?;
        settled.push(Settled {
            base,
            destination,
            login,
        });
    }
    if !settings.set_for("vtex-oms").is_empty() {
        let (Some(key), Some(token)) = (get("VTEX_APP_KEY"), get("VTEX_APP_TOKEN")) else {
            return Err(missing("vtex-oms", &["VTEX_APP_KEY", "VTEX_APP_TOKEN"], ""));
        };
        let base = match (get("VTEX_BASE_URL"), get("VTEX_ACCOUNT")) {
            (Some(url), _) => url.to_string(),
            (None, Some(account)) => {
                label("VTEX_ACCOUNT", account, "VTEX_BASE_URL")?;
                vtex_oms_client::servers::base_url(account)
            }
            (None, None) => {
                return Err(missing(
                    "vtex-oms",
                    &["VTEX_ACCOUNT"],
                    " (or VTEX_BASE_URL)",
                ));
            }
        };
        let destination = Destination::new(Provider::VtexOms, &base, Account::InUrl)?;
        settled.push(Settled {
            base,
            destination,
            login: Login::Vtex(key, token),
        });
    }
    if !settings.set_for("sellercloud").is_empty() {
        let (Some(user), Some(password)) =
            (get("SELLERCLOUD_USERNAME"), get("SELLERCLOUD_PASSWORD"))
        else {
            return Err(missing(
                "sellercloud",
                &["SELLERCLOUD_USERNAME", "SELLERCLOUD_PASSWORD"],
                "",
            ));
        };
        let base = match (get("SELLERCLOUD_BASE_URL"), get("SELLERCLOUD_SERVER_ID")) {
            (Some(url), _) => url.to_string(),
            (None, Some(id)) => {
                label("SELLERCLOUD_SERVER_ID", id, "SELLERCLOUD_BASE_URL")?;
                sellercloud_client::servers::base_url(id)
            }
            (None, None) => {
                return Err(missing(
                    "sellercloud",
                    &["SELLERCLOUD_SERVER_ID"],
                    " (or SELLERCLOUD_BASE_URL)",
                ));
            }
        };
        let destination = Destination::new(Provider::SellerCloud, &base, Account::InUrl)?;
        settled.push(Settled {
            base,
            destination,
            login: Login::SellerCloud(user, password),
        });
    }
    if settled.is_empty() {
        let known: Vec<&str> = PROVIDER_VARIABLES
            .iter()
            .flat_map(|(_, names)| names.iter().copied())
            .collect();
        let unknown = match settings.unknown.as_slice() {
            [] => String::new(),
            names => format!(
                "; the environment has {}, which trackctl does not read (misspelled?)",
                names.join(", ")
            ),
        };
        return Err(format!(
            "the settings name no provider's credentials (read: {}){unknown}: give them, or run with --mock to rehearse against the built-in mock",
            known.join(", ")
        ));
    }
    Ok(settled)
}

/// Refuses settings that cannot be pushed with, before anything is opened
/// or sent ([`settle`]).
pub fn check(settings: &Settings, mock: bool, base_url: Option<&str>) -> Result<(), String> {
    if let Some(base) = base_url {
        canonical_url(base).map_err(|e| format!("--base-url: {e}"))?;
    }
    if builtin(settings, mock, base_url) || base_url.is_some() {
        return Ok(());
    }
    settle(settings).map(|_| ())
}

/// The clients of every provider whose settings are set ([`settle`]).
async fn configured(settings: &Settings, client: &ClientConfig) -> Result<Targets, String> {
    let mut pusher = Pusher::new();
    let mut destinations = Vec::new();
    for Settled {
        base,
        destination,
        login,
    } in settle(settings)?
    {
        let provider = destination.provider;
        let error = |e: tracking_runtime::ConfigError| format!("{provider}: {e}");
        pusher = match login {
            Login::CruxToken(token) => pusher.with_crux(
                crux_client::Client::with_token_and_config(&base, Secret::from(token), client)
                    .map_err(error)?,
            ),
            Login::CruxUser(user, password) => pusher.with_crux(
                crux_client::Client::login_and_config(&base, user, Secret::from(password), client)
                    .await
                    .map_err(|e| format!("crux: login failed: {}", tracking_runtime::report(&e)))?,
            ),
            Login::Vtex(key, token) => pusher.with_vtex(
                vtex_oms_client::Client::with_app_key_and_config(
                    &base,
                    Secret::from(key),
                    Secret::from(token),
                    client,
                )
                .map_err(error)?,
            ),
            Login::SellerCloud(user, password) => paced(
                pusher.with_sellercloud(
                    sellercloud_client::Client::with_credentials_and_config(
                        &base,
                        user,
                        Secret::from(password),
                        client,
                    )
                    .map_err(error)?,
                ),
            ),
        };
        destinations.push(destination);
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

/// SellerCloud throttles at 10,800 calls an hour per IP: stay under it. (A
/// mock is not paced unless asked, `--rate-limit sellercloud=3`.)
fn paced(pusher: Pusher) -> Pusher {
    pusher.with_rate_limit(Provider::SellerCloud, 3.0)
}

/// Clients for every provider of a mock at `base`, with the credentials a
/// mock accepts by default ([`tracking_mock::credentials`]), and their
/// destinations.
fn mock_clients(base: &str, client: &ClientConfig) -> Result<(Pusher, Vec<Destination>), String> {
    use tracking_mock::credentials::{
        CRUX_TOKEN, SELLERCLOUD_PASSWORD, SELLERCLOUD_USERNAME, VTEX_APP_KEY, VTEX_APP_TOKEN,
    };
    let error = |e: tracking_runtime::ConfigError| e.to_string();
    let crux = format!("{base}/crux");
    let vtex = format!("{base}/vtex-oms");
    let sellercloud = format!("{base}/sellercloud/rest");
    let destinations = vec![
        Destination::new(Provider::Crux, &crux, Account::Token(CRUX_TOKEN.into()))?,
        Destination::new(Provider::VtexOms, &vtex, Account::InUrl)?,
        Destination::new(Provider::SellerCloud, &sellercloud, Account::InUrl)?,
    ];
    let pusher = Pusher::new()
        .with_crux(
            crux_client::Client::with_token_and_config(&crux, CRUX_TOKEN, client).map_err(error)?,
        )
        .with_vtex(
            vtex_oms_client::Client::with_app_key_and_config(
                &vtex,
                VTEX_APP_KEY,
                VTEX_APP_TOKEN,
                client,
            )
            .map_err(error)?,
        )
        .with_sellercloud(
            sellercloud_client::Client::with_credentials_and_config(
                &sellercloud,
                SELLERCLOUD_USERNAME,
                SELLERCLOUD_PASSWORD,
                client,
            )
            .map_err(error)?,
        );
    Ok((pusher, destinations))
}
