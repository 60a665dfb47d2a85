//! Where a row is delivered: a provider, at a base URL, for an account.
//!
//! The journal keys every row by its destination, so that a rehearsal
//! against a mock does not count as delivered to the real provider, and two
//! accounts never share rows. The same destination spelled two ways is one:
//! the base URL is compared in a canonical form (scheme and host in lower
//! case, no default port, no trailing slash).

use crate::error::Error;
pub use order_tracking::Account;
use order_tracking::Provider;

/// A provider at a base URL, for an account.
#[derive(Debug, Clone)]
pub struct Destination {
    /// The provider.
    pub provider: Provider,
    /// The base URL, canonical.
    pub url: String,
    /// Who for.
    pub account: Account,
}

impl Destination {
    /// A destination; `url` is made canonical.
    pub fn new(provider: Provider, url: &str, account: Account) -> Result<Self, Error> {
        Ok(Self {
            provider,
            url: canonical_url(url).map_err(|e| Error::Setting(format!("{provider}: {e}")))?,
            account,
        })
    }

    /// How the journal names it: `crux https://api.cruxconnect.com user:alice`.
    /// A token appears as `fingerprint(token)`, never as itself.
    pub fn id(&self, fingerprint: impl Fn(&str) -> String) -> String {
        let account = match &self.account {
            Account::InUrl => String::new(),
            // Account names in any case or spacing are one account.
            Account::Named(name) => format!(" account:{}", name.trim().to_lowercase()),
            Account::Token(token) => format!(" token:{}", fingerprint(token.expose())),
        };
        format!("{} {}{account}", self.provider, self.url)
    }
}

/// `url` with scheme and host in lower case, the scheme's default port and
/// any trailing slash left out, and no user or password; query and
/// fragment are refused (a base URL has none).
pub fn canonical_url(url: &str) -> Result<String, Error> {
    let url = url.trim();
    // A base URL is no secret, but one with a user and password is not
    // shown.
    let shown = if url.contains('@') {
        "the value is not shown: it may hold a user and password".to_string()
    } else {
        format!("{url:?}")
    };
    let hint = if url.contains("://") {
        ""
    } else {
        ": give its scheme, as in http://127.0.0.1:5394"
    };
    let parsed = url::Url::parse(url)
        .map_err(|e| Error::Setting(format!("the base URL is not a URL ({e}; {shown}){hint}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Setting(format!(
            "the base URL is not an http or https URL ({shown}){hint}"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Setting("a base URL has no query or fragment".into()));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| Error::Setting("the base URL has no host".into()))?;
    // `url` lower-cases scheme and host and drops a default port already.
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = parsed.path().trim_end_matches('/');
    Ok(format!("{}://{host}{port}{path}", parsed.scheme()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_url_are_one() {
        let one = canonical_url("https://mystore.example.com.br").unwrap();
        for spelling in [
            "HTTPS://MyStore.Example.com.br/",
            "https://mystore.example.com.br:443",
            " https://mystore.example.com.br:443// ",
        ] {
            assert_eq!(canonical_url(spelling).unwrap(), one, "{spelling}");
        }
        assert_eq!(
            canonical_url("http://127.0.0.1:4010/crux/").unwrap(),
            "http://127.0.0.1:4010/crux"
        );
        let with_password = "http://user:SECRET-pw@127.0.0.1:4010/crux";
        assert_eq!(
            canonical_url(with_password).unwrap(),
            "http://127.0.0.1:4010/crux"
        );
        // A broken URL with a user and password is not shown.
        let error = canonical_url("http://user:SECRET@not a host")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("SECRET"), "{error}");
    }

    #[test]
    fn different_urls_stay_different() {
        let pairs = [
            ("http://127.0.0.1:4010/crux", "http://127.0.0.1:4011/crux"),
            ("http://127.0.0.1:4010/crux", "https://127.0.0.1:4010/crux"),
            ("https://a.example.com", "https://b.example.com"),
            // Paths are case-sensitive.
            ("https://x.example.com/Rest", "https://x.example.com/rest"),
            ("http://x.example.com:8080", "http://x.example.com"),
        ];
        for (a, b) in pairs {
            assert_ne!(canonical_url(a).unwrap(), canonical_url(b).unwrap());
        }
    }

    #[test]
    fn a_token_is_only_fingerprinted() {
        let provider = Provider::all().next().unwrap();
        let destination = Destination::new(
            provider,
            "https://api.example.com/",
            Account::Token("tok-secret".into()),
        )
        .unwrap();
        let id = destination.id(|s| format!("fp{}", s.len()));
        assert_eq!(id, format!("{provider} https://api.example.com token:fp10"));
        assert!(!format!("{destination:?}").contains("tok-secret"));
    }

    #[test]
    fn a_base_url_without_a_scheme_is_shown_with_the_fix_and_userinfo_is_not() {
        let error = canonical_url("127.0.0.1:5394").unwrap_err().to_string();
        assert!(error.contains("\"127.0.0.1:5394\""), "{error}");
        assert!(error.contains("give its scheme, as in http://"), "{error}");
        let error = canonical_url("ftp://user:pa55@host")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("pa55"), "{error}");
    }
}
