//! Calls any operation of any client by its operationId, with JSON
//! arguments (a spec's examples), and gives back what came out as JSON:
//! through each provider's registered module (its client made from
//! settings, `order_tracking::Provider::connect`) and the client's
//! generated `json::call`. A new spec with its client and provider module
//! is covered without a line here.

use std::collections::BTreeMap;

use order_tracking::Provider;
use serde_json::Value;
use tracking_runtime::ClientConfig;
pub use tracking_runtime::json_call::{Failure, Outcome};

/// Arguments of a call.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// Parameters by name.
    pub params: BTreeMap<String, Value>,
    /// The request body.
    pub body: Option<Value>,
}

impl Args {
    /// `op`'s parameter examples and the given body.
    pub fn with_body(op: &crate::spec::Operation, body: Option<Value>) -> Self {
        Self {
            params: op
                .params
                .iter()
                .filter_map(|p| Some((p.name.clone(), p.example.clone()?)))
                .collect(),
            body,
        }
    }

    /// `op`'s parameter examples and its first request example.
    pub fn from_examples(op: &crate::spec::Operation) -> Self {
        Self::with_body(op, op.request_examples.first().map(|e| e.value.clone()))
    }

    /// As `json::call` takes them: the body under `body`.
    fn json(&self) -> tracking_runtime::json_call::Args {
        let mut args: tracking_runtime::json_call::Args = self
            .params
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(body) = &self.body {
            args.insert("body".into(), body.clone());
        }
        args
    }
}

/// The provider of spec `name` (its file stem).
pub fn provider(name: &str) -> Provider {
    name.parse().unwrap_or_else(|e| {
        panic!("spec {name}: {e}: every spec has a provider module in order-tracking (cargo xtask new-provider)")
    })
}

/// The settings a test client of `provider` at `base_url` is made with:
/// the credentials the mock accepts (`Provider::mock_settings`).
pub fn settings(provider: Provider, base_url: &str) -> Vec<(&'static str, String)> {
    let base = provider.settings().base_url;
    let mut settings: Vec<(&'static str, String)> = provider
        .mock_settings("http://127.0.0.1:1")
        .into_iter()
        .filter(|(name, _)| *name != base)
        .collect();
    settings.push((base, base_url.to_string()));
    // Its token endpoint on the same host as its API, as the platform's
    // is: where the base URL's server path starts.
    if let Some((name, path)) = provider.token_endpoint() {
        let host = base_url
            .strip_suffix(provider.server_path())
            .unwrap_or(base_url);
        settings.retain(|(n, _)| *n != name);
        settings.push((name, format!("{host}{path}")));
    }
    settings
}

/// Calls `operation` of the client of spec `provider` (its file stem) at `base_url`.
pub async fn call(
    provider: &str,
    base_url: &str,
    config: &ClientConfig,
    operation: &str,
    args: &Args,
) -> Outcome {
    let provider = self::provider(provider);
    let settings = settings(provider, base_url);
    let lookup = |name: &str| {
        settings
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    let connection = provider
        .connect(&lookup, config)
        .await
        .unwrap_or_else(|e| panic!("{provider}: {e}"));
    connection.call_json(operation, &args.json()).await
}
