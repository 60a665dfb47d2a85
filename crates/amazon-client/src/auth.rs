//! Amazon's credentials: a Login with Amazon (LWA) access token, from the
//! seller's refresh token and the application's client id and secret (sent
//! in the form body, as LWA takes them), at LWA's token endpoint
//! ([`TOKEN_URL`], the spec's `lwa` scheme). The token goes alone in the
//! `x-amz-access-token` header (the spec's `accessToken` scheme); AWS
//! signatures are not needed. It is fetched before the first call, renewed
//! before it expires (one hour) by one call while the others wait, and
//! once more after a 401. Each way has a short form and one ending in
//! `_and_config` that takes a [`ClientConfig`].

use std::sync::Arc;

use reqwest::header::HeaderName;
use tracking_runtime::oauth::{InvalidTokenUrl, OAuthToken};

use crate::{Client, ClientConfig, ConfigError, Secret};

/// Login with Amazon's token endpoint (the spec's `tokenUrl`), for every
/// region.
pub const TOKEN_URL: &str = "https://api.amazon.com/auth/o2/token";

/// The header the access token goes in.
pub const TOKEN_HEADER: &str = "x-amz-access-token";

/// The token source of a seller's refresh token: access tokens from
/// `token_url` ([`TOKEN_URL`] for Amazon itself) for the application's
/// LWA client id and secret. `Debug` shows neither secret.
pub fn lwa_token(
    token_url: &str,
    client_id: &str,
    client_secret: impl Into<Secret>,
    refresh_token: impl Into<Secret>,
) -> Result<OAuthToken, InvalidTokenUrl> {
    Ok(
        OAuthToken::refresh_token(token_url, client_id, client_secret, refresh_token)?
            .with_client_secret_in_body(),
    )
}

impl Client {
    /// A client whose calls carry the access tokens of `token` (see
    /// [`lwa_token`]) in `x-amz-access-token`.
    pub fn with_lwa_token(base_url: &str, token: OAuthToken) -> Result<Self, ConfigError> {
        Self::with_lwa_token_and_config(base_url, token, &ClientConfig::default())
    }

    /// [`Client::with_lwa_token`] with timeouts, retries and user agent of your choosing.
    pub fn with_lwa_token_and_config(
        base_url: &str,
        token: OAuthToken,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let auth = token
            .into_auth()
            .in_header(HeaderName::from_static(TOKEN_HEADER));
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }
}
