//! BigCommerce's credentials: a store API account's access token, sent as
//! `X-Auth-Token` (the store hash goes in the URL, see
//! [`servers::base_url`](crate::servers::base_url)). Checked against
//! BigCommerce's document (its `X-Auth-Token` security scheme). Each way
//! has a short form and one ending in `_and_config` that takes a
//! [`ClientConfig`].

use std::sync::Arc;

use tracking_runtime::auth::HeaderAuth;

use crate::{Client, ClientConfig, ConfigError, Secret};

impl Client {
    /// A client that sends the access token as `X-Auth-Token` on every call.
    pub fn with_access_token(
        base_url: &str,
        access_token: impl Into<Secret>,
    ) -> Result<Self, ConfigError> {
        Self::with_access_token_and_config(base_url, access_token, &ClientConfig::default())
    }

    /// [`Client::with_access_token`] with timeouts, retries and user agent of your choosing.
    pub fn with_access_token_and_config(
        base_url: &str,
        access_token: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let access_token: Secret = access_token.into();
        let auth = HeaderAuth::new([("x-auth-token", &access_token)])?;
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }
}
