//! eBay's credentials: a user access token, from the seller's refresh
//! token and the application's client id and secret (HTTP Basic), at
//! eBay's token endpoint ([`TOKEN_URL`], the spec's `oauth2` scheme),
//! with the fulfillment scope ([`SCOPE`]). The token is fetched before the
//! first call, renewed before it expires (about two hours) by one call
//! while the others wait, and once more after a 401; an application token
//! does not work for these calls. Each way has a short form and one
//! ending in `_and_config` that takes a [`ClientConfig`].

use std::sync::Arc;

use tracking_runtime::oauth::{InvalidTokenUrl, OAuthToken};

use crate::{Client, ClientConfig, ConfigError, Secret};

/// eBay's production token endpoint (the spec's `tokenUrl`). The
/// sandbox's is [`SANDBOX_TOKEN_URL`].
pub const TOKEN_URL: &str = "https://api.ebay.com/identity/v1/oauth2/token";

/// eBay's sandbox token endpoint.
pub const SANDBOX_TOKEN_URL: &str = "https://api.sandbox.ebay.com/identity/v1/oauth2/token";

/// The scope these calls need.
pub const SCOPE: &str = "https://api.ebay.com/oauth/api_scope/sell.fulfillment";

/// The token source of a seller's refresh token: user access tokens from
/// `token_url` ([`TOKEN_URL`] for eBay itself) for the client id and
/// secret, with [`SCOPE`]. `Debug` shows neither secret.
pub fn user_token(
    token_url: &str,
    client_id: &str,
    client_secret: impl Into<Secret>,
    refresh_token: impl Into<Secret>,
) -> Result<OAuthToken, InvalidTokenUrl> {
    Ok(
        OAuthToken::refresh_token(token_url, client_id, client_secret, refresh_token)?
            .with_scopes([SCOPE]),
    )
}

impl Client {
    /// A client whose calls carry the access tokens of `token` (see
    /// [`user_token`]).
    pub fn with_user_token(base_url: &str, token: OAuthToken) -> Result<Self, ConfigError> {
        Self::with_user_token_and_config(base_url, token, &ClientConfig::default())
    }

    /// [`Client::with_user_token`] with timeouts, retries and user agent of your choosing.
    pub fn with_user_token_and_config(
        base_url: &str,
        token: OAuthToken,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        Self::with_auth_and_config(base_url, Arc::new(token.into_auth()), config)
    }
}
