//! Crux credentials: `Authorization: Token <auth_token>`, from a token you
//! have or from a login. Each way has a short form and one ending in
//! `_and_config` that takes a [`ClientConfig`].

use std::sync::Arc;

use tracking_runtime::auth::HeaderAuth;

use crate::{ApiError, Client, ClientConfig, ConfigError, Secret, types};

impl Client {
    /// A client that sends `Authorization: Token <token>` on every call.
    pub fn with_token(base_url: &str, token: impl Into<Secret>) -> Result<Self, ConfigError> {
        Self::with_token_and_config(base_url, token, &ClientConfig::default())
    }

    /// [`Client::with_token`] with timeouts, retries and user agent of your choosing.
    pub fn with_token_and_config(
        base_url: &str,
        token: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let auth = HeaderAuth::authorization("Token", &token.into())?;
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }

    /// Logs in with `userLogin` and returns a client that uses the token.
    /// Crux documents no expiry for it.
    pub async fn login(
        base_url: &str,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Result<Self, ApiError<types::CruxError>> {
        Self::login_and_config(base_url, username, password, &ClientConfig::default()).await
    }

    /// [`Client::login`] with timeouts, retries and user agent of your choosing.
    pub async fn login_and_config(
        base_url: &str,
        username: impl Into<String>,
        password: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ApiError<types::CruxError>> {
        const OPERATION: &str = "userLogin";
        let anonymous = Self::connect(base_url, config, None)
            .map_err(|e| ApiError::request(OPERATION, tracking_runtime::report(&e)))?;
        let session = anonymous
            .user_login()
            .body(types::LoginRequest {
                username: username.into(),
                password: password.into(),
            })
            .send()
            .await?
            .into_inner();
        Self::with_token_and_config(base_url, session.auth_token, config)
            .map_err(|e| ApiError::request(OPERATION, tracking_runtime::report(&e)))
    }
}
