//! Credentials on outgoing requests: fixed headers (a token, an app key
//! pair) or a bearer token that is fetched, cached, shared and renewed (a
//! login that issues expiring tokens).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::Secret;

/// A boxed, sendable future (what [`Authenticate`] methods return).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Puts credentials on requests. `Debug` must not show them.
pub trait Authenticate: fmt::Debug + Send + Sync + 'static {
    /// Adds credentials to `request`. An error aborts the call, which fails
    /// with [`crate::ErrorKind::Credentials`].
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>>;

    /// The renewable credential `request` carries, if any: kept before it is
    /// sent, so that after a 401 [`Authenticate::refresh`] knows which one
    /// was rejected. `None` (the default): nothing to renew, and a 401 is
    /// final.
    fn credential(&self, _request: &reqwest::Request) -> Option<HeaderValue> {
        None
    }

    /// Called once per call, when the provider answered 401 to a request
    /// that carried `rejected` (what [`Authenticate::credential`] gave; never
    /// called where that gave `None`, so an implementation of this method
    /// needs one of that too): renew the credential unless another call has
    /// already, put the current one on `request` (the same request made
    /// again, without credentials), and return `true` if it should be sent.
    fn refresh<'a>(
        &'a self,
        _rejected: HeaderValue,
        _request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async { false })
    }
}

/// Credentials that could not be had: the login or token call failed (its
/// error is the [`source`](std::error::Error::source), and
/// [`CredentialError::status`] the status the provider answered it with),
/// or a credential cannot be sent in a header.
#[derive(Debug)]
pub struct CredentialError {
    status: Option<reqwest::StatusCode>,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl CredentialError {
    /// The failure of the call that gets credentials (a login, a token
    /// call), with the status it was answered with, if it was.
    pub fn new(
        status: Option<reqwest::StatusCode>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            status,
            source: source.into(),
        }
    }

    /// The status the provider answered the login or token call with, if
    /// it answered: a 401 or 400 for credentials it refused.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.status
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the credentials could not be had")
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

impl From<InvalidCredential> for CredentialError {
    fn from(error: InvalidCredential) -> Self {
        Self::new(None, error)
    }
}

/// An invalid credential: one that cannot be an HTTP header value.
#[derive(Debug, thiserror::Error)]
#[error("the {what} contains characters that cannot be sent in an HTTP header")]
pub struct InvalidCredential {
    what: String,
}

fn sensitive_value(what: &str, value: &str) -> Result<HeaderValue, InvalidCredential> {
    let mut value = HeaderValue::from_str(value).map_err(|_| InvalidCredential {
        what: what.to_string(),
    })?;
    // Sensitive values print as "Sensitive" in Debug and are never indexed by HTTP/2 HPACK.
    value.set_sensitive(true);
    Ok(value)
}

/// Fixed credential headers, sent on every request.
pub struct HeaderAuth {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl HeaderAuth {
    /// One header per `(name, value)`; values are marked sensitive.
    pub fn new<'a>(
        headers: impl IntoIterator<Item = (&'static str, &'a Secret)>,
    ) -> Result<Self, InvalidCredential> {
        let headers = headers
            .into_iter()
            .map(|(name, value)| {
                Ok((
                    HeaderName::from_static(name),
                    sensitive_value(name, value.expose())?,
                ))
            })
            .collect::<Result<_, InvalidCredential>>()?;
        Ok(Self { headers })
    }

    /// `Authorization: <scheme> <token>`.
    pub fn authorization(scheme: &str, token: &Secret) -> Result<Self, InvalidCredential> {
        let value = sensitive_value("token", &format!("{scheme} {}", token.expose()))?;
        Ok(Self {
            headers: vec![(AUTHORIZATION, value)],
        })
    }
}

impl fmt::Debug for HeaderAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderAuth")
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Authenticate for HeaderAuth {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        for (name, value) in &self.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        Box::pin(async { Ok(()) })
    }
}

/// A bearer token as a token endpoint returns it.
#[derive(Debug, Clone)]
pub struct Token {
    /// The token itself.
    pub value: Secret,
    /// How long it stays valid from now.
    pub expires_in: Duration,
}

/// Fetches a new token (e.g. by calling the provider's token operation).
pub type FetchToken =
    Box<dyn Fn() -> BoxFuture<'static, Result<Token, CredentialError>> + Send + Sync>;

/// A bearer token fetched on first use, shared by all concurrent calls (one
/// fetch at a time), renewed shortly before it expires and once after a 401.
/// Sent as `Authorization: Bearer …`, or alone in a header of the
/// platform's ([`TokenAuth::in_header`]: Amazon's `x-amz-access-token`,
/// Walmart's `WM_SEC.ACCESS_TOKEN`).
pub struct TokenAuth {
    fetch: FetchToken,
    cached: Mutex<Option<Cached>>,
    header: HeaderName,
}

struct Cached {
    header: HeaderValue,
    renew_at: Instant,
}

impl TokenAuth {
    /// `fetch` is called whenever a new token is needed.
    pub fn new(fetch: FetchToken) -> Self {
        Self {
            fetch,
            cached: Mutex::new(None),
            header: AUTHORIZATION,
        }
    }

    /// Sends the token alone, as the value of `header`, instead of
    /// `Authorization: Bearer <token>`.
    pub fn in_header(mut self, header: HeaderName) -> Self {
        self.header = header;
        self
    }

    /// The current `Authorization` value, fetching a token if there is none
    /// or it is about to expire. `stale` is a value known to be rejected.
    async fn current(&self, stale: Option<&HeaderValue>) -> Result<HeaderValue, CredentialError> {
        // Holding the lock across the fetch makes concurrent callers wait for
        // one fetch instead of each starting their own.
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && Instant::now() < c.renew_at
            && stale != Some(&c.header)
        {
            return Ok(c.header.clone());
        }
        let token = (self.fetch)().await?;
        let value = if self.header == AUTHORIZATION {
            format!("Bearer {}", token.value.expose())
        } else {
            token.value.expose().to_string()
        };
        let header = sensitive_value("access token", &value)?;
        // Renew a little early so a token never expires in flight.
        let margin = (token.expires_in / 5).min(Duration::from_secs(60));
        *cached = Some(Cached {
            header: header.clone(),
            renew_at: Instant::now() + token.expires_in.saturating_sub(margin),
        });
        Ok(header)
    }
}

impl fmt::Debug for TokenAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenAuth { .. }")
    }
}

impl Authenticate for TokenAuth {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            let header = self.current(None).await?;
            request.headers_mut().insert(self.header.clone(), header);
            Ok(())
        })
    }

    fn credential(&self, request: &reqwest::Request) -> Option<HeaderValue> {
        request.headers().get(&self.header).cloned()
    }

    fn refresh<'a>(
        &'a self,
        rejected: HeaderValue,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            match self.current(Some(&rejected)).await {
                Ok(header) => {
                    request.headers_mut().insert(self.header.clone(), header);
                    true
                }
                // The call then ends with the 401 it had.
                Err(error) => {
                    let why = crate::report(&error);
                    tracing::warn!(%why, "could not renew the token after a 401");
                    false
                }
            }
        })
    }
}

/// `inner`'s credential, and beside it the headers a platform asks on
/// every request with that credential (a spec's `x-request-headers`:
/// Walmart's `WM_SVC.NAME` and `WM_QOS.CORRELATION_ID`), made anew for
/// each request, a retry and the request made again after a renewal too.
pub struct WithHeaders<A> {
    inner: A,
    headers: crate::oauth::RequestHeaders,
}

impl<A> WithHeaders<A> {
    /// `inner`, with `headers` on every request.
    pub fn new(inner: A, headers: crate::oauth::RequestHeaders) -> Self {
        Self { inner, headers }
    }
}

impl<A: fmt::Debug> fmt::Debug for WithHeaders<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithHeaders")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<A: Authenticate> Authenticate for WithHeaders<A> {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), CredentialError>> {
        Box::pin(async move {
            self.inner.authorize(request).await?;
            request.headers_mut().extend((self.headers)());
            Ok(())
        })
    }

    fn credential(&self, request: &reqwest::Request) -> Option<HeaderValue> {
        self.inner.credential(request)
    }

    fn refresh<'a>(
        &'a self,
        rejected: HeaderValue,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            let renewed = self.inner.refresh(rejected, request).await;
            request.headers_mut().extend((self.headers)());
            renewed
        })
    }
}
