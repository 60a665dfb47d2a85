//! Crux credentials: `Authorization: Token <auth_token>`, from a token you
//! have or from a login.

// The runtime's credentials, for `Client::with_auth` with your own.
pub use tracking_runtime::auth::*;

use std::sync::Arc;

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
        Self::with_auth(base_url, config, Some(Arc::new(auth)))
    }

    /// Logs in with `userLogin` and returns a client that uses the token.
    /// Crux documents no expiry for it.
    pub async fn login(
        base_url: &str,
        username: impl Into<String>,
        password: impl Into<Secret>,
        config: &ClientConfig,
    ) -> Result<Self, ApiError<types::CruxError>> {
        const OPERATION: &str = "userLogin";
        let anonymous = Self::with_auth(base_url, config, None)
            .map_err(|e| ApiError::request(OPERATION, e.to_string()))?;
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
            .map_err(|e| ApiError::request(OPERATION, e.to_string()))
    }
}
