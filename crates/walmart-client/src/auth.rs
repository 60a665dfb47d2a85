//! Walmart's credentials: an access token from the seller's client id and
//! secret (HTTP Basic, the `client_credentials` grant) at Walmart's token
//! endpoint ([`TOKEN_URL`], the spec's `clientCredentials` scheme), sent
//! alone in `WM_SEC.ACCESS_TOKEN`. Every request, the token's included,
//! also carries `WM_SVC.NAME` ([`SERVICE_NAME`]) and a fresh
//! `WM_QOS.CORRELATION_ID` (a random UUID), as Walmart asks. The token is
//! fetched before the first call, renewed before it expires (15 minutes)
//! by one call while the others wait, and once more after a 401. Each way
//! has a short form and one ending in `_and_config` that takes a
//! [`ClientConfig`].

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracking_runtime::auth::WithHeaders;
use tracking_runtime::oauth::{InvalidTokenUrl, OAuthToken};

use crate::{Client, ClientConfig, ConfigError, Secret};

/// Walmart's production token endpoint (the spec's `tokenUrl`). The
/// sandbox's is [`SANDBOX_TOKEN_URL`].
pub const TOKEN_URL: &str = "https://marketplace.walmartapis.com/v3/token";

/// Walmart's sandbox token endpoint.
pub const SANDBOX_TOKEN_URL: &str = "https://sandbox.walmartapis.com/v3/token";

/// The header the access token goes in.
pub const TOKEN_HEADER: &str = "wm_sec.access_token";

/// The service name every request carries in `WM_SVC.NAME`.
pub const SERVICE_NAME: &str = "Walmart Marketplace";

const SERVICE_HEADER: &str = "wm_svc.name";
const CORRELATION_HEADER: &str = "wm_qos.correlation_id";

/// `WM_SVC.NAME` and a fresh `WM_QOS.CORRELATION_ID`.
fn walmart_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_static(SERVICE_HEADER),
        HeaderValue::from_static(SERVICE_NAME),
    );
    let id = uuid::Uuid::new_v4().to_string();
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(HeaderName::from_static(CORRELATION_HEADER), value);
    }
    headers
}

/// The token source of a seller's client id and secret: access tokens
/// from `token_url` ([`TOKEN_URL`] for Walmart itself), each token request
/// with Walmart's headers. `Debug` shows no secret.
pub fn client_token(
    token_url: &str,
    client_id: &str,
    client_secret: impl Into<Secret>,
) -> Result<OAuthToken, InvalidTokenUrl> {
    Ok(
        OAuthToken::client_credentials(token_url, client_id, client_secret)?
            .with_request_headers(Arc::new(walmart_headers)),
    )
}

impl Client {
    /// A client whose calls carry the access tokens of `token` (see
    /// [`client_token`]) and Walmart's headers.
    pub fn with_client_token(base_url: &str, token: OAuthToken) -> Result<Self, ConfigError> {
        Self::with_client_token_and_config(base_url, token, &ClientConfig::default())
    }

    /// [`Client::with_client_token`] with timeouts, retries and user agent of your choosing.
    pub fn with_client_token_and_config(
        base_url: &str,
        token: OAuthToken,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        // The token alone in `WM_SEC.ACCESS_TOKEN`, Walmart's headers beside.
        let auth = WithHeaders::new(
            token
                .into_auth()
                .in_header(HeaderName::from_static(TOKEN_HEADER)),
            Arc::new(walmart_headers),
        );
        Self::with_auth_and_config(base_url, Arc::new(auth), config)
    }
}
