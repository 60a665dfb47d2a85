//! Which providers to push to, with which credentials: environment variables
//! (or the same names in a YAML config file), a `--base-url` serving every
//! provider (a running `trackctl mock`), or, with neither, the built-in mock
//! started in this process.

use std::collections::BTreeMap;
use std::path::Path;

use order_tracking::{Provider, Pusher};
use tracking_mock::{MockConfig, MockServer};
use tracking_runtime::{ClientConfig, Secret};

/// The variables read, per provider; a provider is configured when its
/// credentials are there.
pub const VARIABLES: &[&str] = &[
    "CRUX_TOKEN",
    "CRUX_USERNAME",
    "CRUX_PASSWORD",
    "CRUX_BASE_URL",
    "VTEX_APP_KEY",
    "VTEX_APP_TOKEN",
    "VTEX_ACCOUNT",
    "VTEX_BASE_URL",
    "SELLERCLOUD_USERNAME",
    "SELLERCLOUD_PASSWORD",
    "SELLERCLOUD_SERVER_ID",
    "SELLERCLOUD_BASE_URL",
];

/// Settings from the config file, overridden by the environment.
pub struct Settings(BTreeMap<String, String>);

impl Settings {
    /// Reads `config` (if given) and the environment.
    pub fn load(config: Option<&Path>) -> Result<Self, String> {
        let mut values = BTreeMap::new();
        if let Some(path) = config {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let file: BTreeMap<String, String> =
                yaml_serde::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            for key in file.keys() {
                if !VARIABLES.contains(&key.as_str()) {
                    return Err(format!(
                        "{}: unknown setting {key} (known: {})",
                        path.display(),
                        VARIABLES.join(", ")
                    ));
                }
            }
            values.extend(file);
        }
        for name in VARIABLES {
            if let Ok(value) = std::env::var(name) {
                values.insert(name.to_string(), value);
            }
        }
        Ok(Self(values))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    fn any_credentials(&self) -> bool {
        [
            "CRUX_TOKEN",
            "CRUX_USERNAME",
            "VTEX_APP_KEY",
            "SELLERCLOUD_USERNAME",
        ]
        .iter()
        .any(|n| self.get(n).is_some())
    }
}

/// Where the pushes go.
pub struct Targets {
    /// The pusher with a client per configured provider.
    pub pusher: Pusher,
    /// The mock started in this process, if no provider was configured.
    pub mock: Option<MockServer>,
    /// What to tell the user about where the pushes go.
    pub description: String,
}

/// Builds the clients from `settings`, or starts the built-in mock.
pub async fn targets(
    settings: &Settings,
    base_url: Option<&str>,
    client: &ClientConfig,
) -> Result<Targets, String> {
    if base_url.is_none() && !settings.any_credentials() {
        let mock = MockServer::start(MockConfig::builtin().stateful())
            .await
            .map_err(|e| format!("cannot start the built-in mock: {e}"))?;
        let pusher = mock_clients(&mock.url(), client)?;
        let description = format!(
            "No provider credentials found: pushing to the built-in mock providers at {} (nothing leaves this machine; see README for real providers).",
            mock.url()
        );
        return Ok(Targets {
            pusher,
            mock: Some(mock),
            description,
        });
    }
    if let Some(base) = base_url {
        let pusher = mock_clients(base.trim_end_matches('/'), client)?;
        return Ok(Targets {
            pusher,
            mock: None,
            description: format!("Pushing to the providers served at {base}."),
        });
    }

    let mut pusher = Pusher::new();
    let mut configured = Vec::new();
    if settings.get("CRUX_TOKEN").is_some() || settings.get("CRUX_USERNAME").is_some() {
        let base = settings
            .get("CRUX_BASE_URL")
            .unwrap_or(crux_client::servers::PRODUCTION);
        let crux = match (
            settings.get("CRUX_TOKEN"),
            settings.get("CRUX_USERNAME"),
            settings.get("CRUX_PASSWORD"),
        ) {
            (Some(token), _, _) => {
                crux_client::Client::with_token_and_config(base, Secret::from(token), client)
                    .map_err(|e| format!("crux: {e}"))?
            }
            (None, Some(user), Some(password)) => {
                crux_client::Client::login(base, user, Secret::from(password), client)
                    .await
                    .map_err(|e| format!("crux: login failed: {e}"))?
            }
            _ => return Err("crux: CRUX_USERNAME needs CRUX_PASSWORD (or give CRUX_TOKEN)".into()),
        };
        pusher = pusher.with_crux(crux);
        configured.push(format!("crux at {base}"));
    }
    if let Some(key) = settings.get("VTEX_APP_KEY") {
        let token = settings
            .get("VTEX_APP_TOKEN")
            .ok_or("vtex-oms: VTEX_APP_KEY needs VTEX_APP_TOKEN")?;
        let base = match (settings.get("VTEX_BASE_URL"), settings.get("VTEX_ACCOUNT")) {
            (Some(url), _) => url.to_string(),
            (None, Some(account)) => vtex_oms_client::servers::base_url(account),
            (None, None) => return Err("vtex-oms: set VTEX_ACCOUNT (or VTEX_BASE_URL)".into()),
        };
        let vtex = vtex_oms_client::Client::with_app_key_and_config(
            &base,
            Secret::from(key),
            Secret::from(token),
            client,
        )
        .map_err(|e| format!("vtex-oms: {e}"))?;
        pusher = pusher.with_vtex(vtex);
        configured.push(format!("vtex-oms at {base}"));
    }
    if let Some(user) = settings.get("SELLERCLOUD_USERNAME") {
        let password = settings
            .get("SELLERCLOUD_PASSWORD")
            .ok_or("sellercloud: SELLERCLOUD_USERNAME needs SELLERCLOUD_PASSWORD")?;
        let base = match (
            settings.get("SELLERCLOUD_BASE_URL"),
            settings.get("SELLERCLOUD_SERVER_ID"),
        ) {
            (Some(url), _) => url.to_string(),
            (None, Some(id)) => sellercloud_client::servers::base_url(id),
            (None, None) => {
                return Err(
                    "sellercloud: set SELLERCLOUD_SERVER_ID (or SELLERCLOUD_BASE_URL)".into(),
                );
            }
        };
        let sellercloud = sellercloud_client::Client::with_credentials_and_config(
            &base,
            user,
            Secret::from(password),
            client,
        )
        .map_err(|e| format!("sellercloud: {e}"))?;
        // SellerCloud throttles at 10,800 calls an hour per IP: stay under it.
        pusher = pusher
            .with_sellercloud(sellercloud)
            .with_rate_limit(Provider::SellerCloud, 3.0);
        configured.push(format!("sellercloud at {base}"));
    }
    Ok(Targets {
        pusher,
        mock: None,
        description: format!("Pushing to {}.", configured.join(", ")),
    })
}

/// Clients for every provider of a mock at `base` (placeholder credentials:
/// the mock checks they are there, not what they are).
fn mock_clients(base: &str, client: &ClientConfig) -> Result<Pusher, String> {
    let error = |e: tracking_runtime::ConfigError| e.to_string();
    Ok(Pusher::new()
        .with_crux(
            crux_client::Client::with_token_and_config(
                &format!("{base}/crux"),
                "mock-token",
                client,
            )
            .map_err(error)?,
        )
        .with_vtex(
            vtex_oms_client::Client::with_app_key_and_config(
                &format!("{base}/vtex-oms"),
                "mock-key",
                "mock-token",
                client,
            )
            .map_err(error)?,
        )
        .with_sellercloud(
            sellercloud_client::Client::with_credentials_and_config(
                &format!("{base}/sellercloud/rest"),
                "mock-user",
                "mock-password",
                client,
            )
            .map_err(error)?,
        ))
}
