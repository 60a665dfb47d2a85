//! Timeouts, retries and the user agent of a client, and building one.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Authenticate, InvalidCredential};
use crate::{RetryPolicy, Runtime};

/// How a client talks to its provider. `Default` suits most uses.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for one attempt, from sending to the end of the body.
    pub timeout: Duration,
    /// Retries; [`RetryPolicy::none`] turns them off.
    pub retry: RetryPolicy,
    /// Replaces the default `User-Agent` (`<crate>/<version>`).
    pub user_agent: Option<String>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: None,
        }
    }
}

impl ClientConfig {
    /// Sets [`ClientConfig::retry`].
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets both timeouts.
    pub fn with_timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.connect_timeout = connect;
        self.timeout = total;
        self
    }

    /// Sets [`ClientConfig::user_agent`].
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }
}

/// A client could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl {
        /// The URL given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A credential cannot be sent.
    #[error(transparent)]
    Credential(#[from] InvalidCredential),
    /// The HTTP client could not be built (TLS backend, user agent).
    #[error("cannot build the HTTP client")]
    Http(#[from] reqwest::Error),
}

/// Everything a generated `Client::new_with_client` needs.
#[derive(Debug)]
pub struct Connection {
    /// The base URL, checked, without a trailing slash.
    pub base_url: String,
    /// The HTTP client with timeouts and user agent.
    pub http: reqwest::Client,
    /// Auth and retries.
    pub runtime: Runtime,
}

/// Whether this build can speak TLS (one of the TLS features is on).
const TLS: bool = cfg!(any(
    feature = "rustls",
    feature = "rustls-ring",
    feature = "native-tls"
));

/// Checks `base_url` and builds the HTTP client and runtime for a client crate.
/// `default_user_agent` is the crate's `<name>/<version>`.
pub fn connect(
    base_url: &str,
    config: &ClientConfig,
    default_user_agent: &str,
    auth: Option<Arc<dyn Authenticate>>,
) -> Result<Connection, ConfigError> {
    let bad = |reason: &str| ConfigError::BaseUrl {
        url: base_url.to_string(),
        reason: reason.to_string(),
    };
    let url = reqwest::Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("a base URL has no query or fragment"));
    }
    if url.scheme() == "https" && !TLS {
        return Err(bad(
            "this build has no TLS: enable the client crate's `rustls` (its default), `rustls-ring` or `native-tls` feature",
        ));
    }
    // With ring, reqwest finds no crypto provider unless one is installed;
    // another may have been already, which is as good.
    #[cfg(feature = "rustls-ring")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .user_agent(config.user_agent.as_deref().unwrap_or(default_user_agent))
        .build()?;
    Ok(Connection {
        // progenitor appends paths that start with '/'.
        base_url: base_url.trim_end_matches('/').to_string(),
        http,
        runtime: Runtime::new(config.retry.clone(), auth),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;
    use crate::auth::HeaderAuth;

    #[test]
    fn an_https_url_needs_a_tls_feature() {
        let result = connect("https://example.com", &ClientConfig::default(), "t/1", None);
        if TLS {
            assert!(result.is_ok());
        } else {
            let message = result.err().unwrap().to_string();
            assert!(message.contains("this build has no TLS"), "{message}");
        }
        // Plain http works either way.
        assert!(connect("http://127.0.0.1:9", &ClientConfig::default(), "t/1", None).is_ok());
    }

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        let config = ClientConfig::default();
        let ok = connect("http://xx.api.example.com/rest/", &config, "ua/1", None).unwrap();
        assert_eq!(ok.base_url, "http://xx.api.example.com/rest");
        for bad in [
            "",
            "api.cruxconnect.com",
            "ftp://host",
            "https://host/?q=1",
            "https://host/#f",
            "http://",
        ] {
            let error = connect(bad, &config, "ua/1", None).unwrap_err();
            assert!(
                matches!(error, ConfigError::BaseUrl { .. }),
                "{bad}: {error}"
            );
            assert!(error.to_string().starts_with("invalid base URL"), "{error}");
        }
    }

    #[test]
    fn a_credential_that_cannot_be_a_header_is_refused_without_showing_it() {
        let error =
            HeaderAuth::authorization("Token", &Secret::from("abc\r\nX-Injected: 1")).unwrap_err();
        let text = ConfigError::from(error).to_string();
        assert_eq!(
            text,
            "the token contains characters that cannot be sent in an HTTP header"
        );
    }
}
