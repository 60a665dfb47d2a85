//! SellerCloud credentials: a bearer token from `createToken`, fetched on
//! first use, shared, and renewed (tracking-runtime's `TokenAuth`), or one
//! you manage. Each way has a short form and one ending in `_and_config`
//! that takes a [`ClientConfig`].

use std::sync::Arc;
use std::time::Duration;

use tracking_runtime::CredentialError;
use tracking_runtime::auth::{FetchToken, HeaderAuth, Token, TokenAuth};

use crate::{Client, ClientConfig, ConfigError, Secret, types};

impl Client {
    /// A client that logs in with `createToken` when it first needs a token,
    /// and again before the token expires or after a 401.
    pub fn with_credentials(
        base_url: &str,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Result<Self, ConfigError> {
        Self::with_credentials_and_config(base_url, username, password, &ClientConfig::default())
    }

    /// [`Client::with_credentials`] with timeouts, retries and user agent of your choosing.
    pub fn with_credentials_and_config(
        base_url: &str,
        username: impl Into<String>,
        password: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let token_client = Self::connect(base_url, config, None)?;
        let credentials = types::TokenRequest {
            username: username.into(),
            password: password.into(),
        };
        let fetch: FetchToken = Box::new(move || {
            let client = token_client.clone();
            let credentials = credentials.clone();
            Box::pin(async move {
                let token = client
                    .create_token()
                    .body(credentials)
                    .send()
                    .await
                    .map_err(credential_error)?
                    .into_inner();
                Ok(Token {
                    value: token.access_token,
                    expires_in: Duration::from_secs(token.expires_in.try_into().unwrap_or(0)),
                })
            })
        });
        Self::with_auth_and_config(base_url, Arc::new(TokenAuth::new(fetch)), config)
    }

    /// A client that sends a bearer token you manage yourself.
    pub fn with_token(base_url: &str, token: impl Into<Secret>) -> Result<Self, ConfigError> {
        Self::with_token_and_config(base_url, token, &ClientConfig::default())
    }

    /// [`Client::with_token`] with timeouts, retries and user agent of your choosing.
    pub fn with_token_and_config(
        base_url: &str,
        token: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let auth = HeaderAuth::authorization("Bearer", &token.into())?;
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }
}

/// `createToken`'s failure as a credential error. An answer whose body did
/// not decode is not kept: that body may hold the token.
fn credential_error(error: crate::ApiError<types::SellerCloudError>) -> CredentialError {
    match error.kind() {
        crate::ErrorKind::InvalidBody { status, .. } => CredentialError::new(
            *status,
            "createToken answered with a body that does not match the spec (not shown: it may hold the token)",
        ),
        _ => CredentialError::new(error.status(), error),
    }
}
