//! VTEX credentials: an app key pair, or a user token. Each way has a short
//! form and one ending in `_and_config` that takes a [`ClientConfig`].

use std::sync::Arc;

use tracking_runtime::auth::HeaderAuth;

use crate::{Client, ClientConfig, ConfigError, Secret};

impl Client {
    /// A client that sends `X-VTEX-API-AppKey` and `X-VTEX-API-AppToken` on every call.
    pub fn with_app_key(
        base_url: &str,
        app_key: impl Into<Secret>,
        app_token: impl Into<Secret>,
    ) -> Result<Self, ConfigError> {
        Self::with_app_key_and_config(base_url, app_key, app_token, &ClientConfig::default())
    }

    /// [`Client::with_app_key`] with timeouts, retries and user agent of your choosing.
    pub fn with_app_key_and_config(
        base_url: &str,
        app_key: impl Into<Secret>,
        app_token: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let (key, token) = (app_key.into(), app_token.into());
        let auth = HeaderAuth::new([("x-vtex-api-appkey", &key), ("x-vtex-api-apptoken", &token)])?;
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }

    /// A client that sends a VTEX user token (`VtexIdclientAutCookie`) instead of an app key pair.
    pub fn with_user_token(base_url: &str, token: impl Into<Secret>) -> Result<Self, ConfigError> {
        Self::with_user_token_and_config(base_url, token, &ClientConfig::default())
    }

    /// [`Client::with_user_token`] with timeouts, retries and user agent of your choosing.
    pub fn with_user_token_and_config(
        base_url: &str,
        token: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let auth = HeaderAuth::new([("vtexidclientautcookie", &token.into())])?;
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }
}
