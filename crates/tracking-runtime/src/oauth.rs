//! OAuth 2 access tokens from a platform's token endpoint: a refresh token
//! exchanged for an access token (eBay's user tokens, Login with Amazon),
//! or the client's own credentials (Walmart). The exchange is the `oauth2`
//! crate's, sent through this crate's reqwest (no second HTTP stack, and no
//! redirect followed, as `oauth2` advises); the token is cached, shared by
//! every call, renewed before it expires and once after a 401 by
//! [`TokenAuth`].
//!
//! ```no_run
//! use std::sync::Arc;
//! use tracking_runtime::oauth::OAuthToken;
//!
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let auth = OAuthToken::refresh_token(
//!     "https://api.ebay.com/identity/v1/oauth2/token",
//!     "my-app-client-id",
//!     "my-client-secret",
//!     "v^1.1#i^1#…",
//! )?
//! .with_scopes(["https://api.ebay.com/oauth/api_scope/sell.fulfillment"])
//! .into_auth();
//! // Then any client of this workspace: `Client::with_auth(base_url, Arc::new(auth))`.
//! # let _ = Arc::new(auth);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, HttpRequest, HttpResponse,
    RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};

use crate::Secret;
use crate::auth::{BoxFuture, CredentialError, Token, TokenAuth};

/// Where an access token comes from: a token endpoint, a client id and
/// secret, and what is exchanged. `Debug` shows no secret.
#[derive(Clone)]
pub struct OAuthToken {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    grant: Grant,
    scopes: Vec<String>,
    in_body: bool,
    headers: Option<RequestHeaders>,
    http: reqwest::Client,
}

/// Headers a platform wants on every token request, made anew for each
/// (Walmart's `WM_SVC.NAME` and a fresh `WM_QOS.CORRELATION_ID`).
pub type RequestHeaders = Arc<dyn Fn() -> reqwest::header::HeaderMap + Send + Sync>;

#[derive(Clone)]
enum Grant {
    RefreshToken(Secret),
    ClientCredentials,
}

/// The token endpoint URL is not one.
#[derive(Debug, thiserror::Error)]
#[error("the token URL {url:?} is not a URL: {reason}")]
pub struct InvalidTokenUrl {
    url: String,
    reason: String,
}

impl OAuthToken {
    /// Access tokens for `refresh_token` (the `refresh_token` grant), the
    /// client authenticated with HTTP Basic, as eBay does.
    pub fn refresh_token(
        token_url: &str,
        client_id: &str,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Result<Self, InvalidTokenUrl> {
        Self::new(
            token_url,
            client_id,
            client_secret.into(),
            Grant::RefreshToken(refresh_token.into()),
        )
    }

    /// Access tokens for the client itself (the `client_credentials`
    /// grant), authenticated with HTTP Basic.
    pub fn client_credentials(
        token_url: &str,
        client_id: &str,
        client_secret: impl Into<Secret>,
    ) -> Result<Self, InvalidTokenUrl> {
        Self::new(
            token_url,
            client_id,
            client_secret.into(),
            Grant::ClientCredentials,
        )
    }

    fn new(
        token_url: &str,
        client_id: &str,
        client_secret: Secret,
        grant: Grant,
    ) -> Result<Self, InvalidTokenUrl> {
        TokenUrl::new(token_url.to_string()).map_err(|e| InvalidTokenUrl {
            url: token_url.to_string(),
            reason: e.to_string(),
        })?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| InvalidTokenUrl {
                url: token_url.to_string(),
                reason: format!("no HTTP client for it: {e}"),
            })?;
        Ok(Self {
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret,
            grant,
            scopes: Vec::new(),
            in_body: false,
            headers: None,
            http,
        })
    }

    /// The scopes to ask for (none by default: the grant's own).
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Sends the client id and secret in the form body rather than as HTTP
    /// Basic (Login with Amazon's way).
    pub fn with_client_secret_in_body(mut self) -> Self {
        self.in_body = true;
        self
    }

    /// Adds the headers `headers` makes to every token request (made anew
    /// for each one), as a platform asks (Walmart's service name and
    /// correlation id).
    pub fn with_request_headers(mut self, headers: RequestHeaders) -> Self {
        self.headers = Some(headers);
        self
    }

    /// An access token, exchanged now.
    pub async fn fetch(&self) -> Result<Token, CredentialError> {
        let status = Arc::new(Mutex::new(None));
        let http = self.http.clone();
        let seen = status.clone();
        let extra = self.headers.clone();
        // oauth2's HTTP client: one request through reqwest, its status kept
        // for the error (oauth2 keeps only the body).
        let send = move |request: HttpRequest| {
            let http = http.clone();
            let seen = seen.clone();
            let extra = extra.as_ref().map(|make| make());
            async move {
                let mut request = reqwest::Request::try_from(request)?;
                if let Some(extra) = extra {
                    request.headers_mut().extend(extra);
                }
                let response = http.execute(request).await?;
                *seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(response.status());
                let mut built = http::Response::builder().status(response.status());
                for (name, value) in response.headers() {
                    built = built.header(name, value);
                }
                let body = response.bytes().await?.to_vec();
                Ok::<HttpResponse, reqwest::Error>(
                    built
                        .body(body)
                        .unwrap_or_else(|_| http::Response::new(Vec::new())),
                )
            }
        };
        let client = self.client();
        let answer = match &self.grant {
            Grant::RefreshToken(token) => {
                let token = RefreshToken::new(token.expose().to_string());
                client
                    .exchange_refresh_token(&token)
                    .add_scopes(self.scopes.iter().cloned().map(Scope::new))
                    .request_async(&send)
                    .await
            }
            Grant::ClientCredentials => {
                client
                    .exchange_client_credentials()
                    .add_scopes(self.scopes.iter().cloned().map(Scope::new))
                    .request_async(&send)
                    .await
            }
        };
        let status = *status.lock().unwrap_or_else(|e| e.into_inner());
        match answer {
            Ok(token) => Ok(Token {
                value: Secret::from(token.access_token().secret().to_string()),
                // Without `expires_in`, an hour: renewed then, or on a 401.
                expires_in: token.expires_in().unwrap_or(Duration::from_secs(3600)),
            }),
            Err(error) => Err(CredentialError::new(
                status,
                TokenError::of(&self.token_url, error),
            )),
        }
    }

    /// A [`TokenAuth`] that fetches its tokens here.
    pub fn into_auth(self) -> TokenAuth {
        let source = Arc::new(self);
        TokenAuth::new(Box::new(move || {
            let source = source.clone();
            Box::pin(async move { source.fetch().await }) as BoxFuture<'static, _>
        }))
    }

    fn client(
        &self,
    ) -> BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>
    {
        // Checked in `new`.
        let url = TokenUrl::new(self.token_url.clone()).expect("a checked token URL");
        BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_client_secret(ClientSecret::new(self.client_secret.expose().to_string()))
            .set_auth_type(if self.in_body {
                AuthType::RequestBody
            } else {
                AuthType::BasicAuth
            })
            .set_token_uri(url)
    }
}

/// What went wrong with a token request, without any secret: the
/// platform's error code and description, or the transport's failure (its
/// source, so that a connection never made is seen as such).
#[derive(Debug)]
struct TokenError {
    message: String,
    source: Option<reqwest::Error>,
}

impl TokenError {
    fn of(
        url: &str,
        error: RequestTokenError<reqwest::Error, oauth2::basic::BasicErrorResponse>,
    ) -> Self {
        let (message, source) = match error {
            RequestTokenError::ServerResponse(answer) => {
                let mut text = format!("{url} refused the grant: {}", answer.error());
                if let Some(description) = answer.error_description() {
                    text.push_str(&format!(" ({description})"));
                }
                (text, None)
            }
            RequestTokenError::Request(e) => (format!("{url} could not be reached"), Some(e)),
            // Not the body: it may hold a token.
            RequestTokenError::Parse(e, _) => (
                format!("{url} answered with a body that is no token response ({e})"),
                None,
            ),
            RequestTokenError::Other(e) => (format!("{url}: {e}"), None),
        };
        Self { message, source }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

impl fmt::Debug for OAuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthToken")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field(
                "grant",
                &match self.grant {
                    Grant::RefreshToken(_) => "refresh_token",
                    Grant::ClientCredentials => "client_credentials",
                },
            )
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}
