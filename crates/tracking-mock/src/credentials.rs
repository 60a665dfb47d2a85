//! The credentials the mock accepts, as the real providers would check
//! theirs: anything else is answered 401.
//!
//! Each built-in provider ([`MockConfig::builtin`](crate::MockConfig::builtin))
//! accepts values made by one rule from its spec, so that a new spec needs
//! no entry here and no fixture goes into a spec:
//!
//! - an `apiKey` security scheme named `S` accepts [`api_key`]`(S)`:
//!   `mock-` and the name in kebab case (`appKey`: `mock-app-key`). In an
//!   `Authorization` header the value may follow the word of its scheme,
//!   as such a header's value does (`Authorization: Token mock-token-auth`).
//! - a login (an operation without security whose request has a
//!   `format: password` field) accepts [`USERNAME`] with [`PASSWORD`]. A
//!   login that answers a token in a `format: password` field answers the
//!   value of the spec's one API-key scheme, so the client that logged in
//!   is then accepted.
//! - a `bearer` scheme accepts the tokens its login issued that have not
//!   expired.
//! - an `oauth2` scheme's token endpoint ([`token`](crate::token)) takes
//!   [`token::CLIENT_ID`](crate::token::CLIENT_ID) with its secret and
//!   [`token::REFRESH_TOKEN`](crate::token::REFRESH_TOKEN); its calls
//!   accept the access tokens it issued that have not expired, as
//!   `Authorization: Bearer …`, or alone in the header of an `apiKey`
//!   scheme that names it in `x-token-of` (Amazon's `x-amz-access-token`).
//!
//! [`MockConfig::with_credential`](crate::MockConfig::with_credential) and
//! [`MockConfig::with_login`](crate::MockConfig::with_login) add more (a
//! test with two accounts, say).
//!
//! A provider with nothing configured (a spec of your own,
//! [`SpecSource::file`](crate::SpecSource::file)) accepts any non-empty
//! value of every header its security schemes name, and any login: the
//! mock cannot know its accounts.

use std::collections::BTreeMap;

use crate::config::SpecSource;

/// The user a built-in provider's login accepts.
pub const USERNAME: &str = "mock-user";
/// That user's password.
pub const PASSWORD: &str = "mock-password";

/// The value a built-in provider accepts for its API-key security scheme
/// `scheme` (the scheme's name in the spec): `mock-` and the name in kebab
/// case, so `tokenAuth` gives `mock-token-auth`.
pub fn api_key(scheme: &str) -> String {
    tracking_spec::mock_api_key(scheme)
}

/// What one provider of the mock accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// Whether the values of the [module](self)'s rule are accepted (the
    /// built-in providers'), besides those below.
    pub defaults: bool,
    /// Per security scheme, by its name in the spec (`tokenAuth`) or the
    /// header it names (`Authorization`, any case): the whole header values
    /// accepted, e.g. `Token token-2`. A scheme with none accepts any
    /// non-empty value (a bearer scheme: the tokens the spec's own login
    /// issued, when it has one). Each scheme is checked on its own: with
    /// two app keys and two app tokens accepted, any key goes with any
    /// token.
    pub accepted: BTreeMap<String, Vec<String>>,
    /// The username and password pairs its login accepts; none (and no
    /// defaults): any.
    pub logins: Vec<(String, String)>,
    /// Whether its login accepts the accounts of its own request examples
    /// too ([`MockConfig::with_example_logins`](crate::MockConfig::with_example_logins)).
    pub example_logins: bool,
    /// The token a login answers with, in its response's `format: password`
    /// field, when the login does not issue expiring tokens of its own.
    pub login_token: Option<String>,
}

impl Credentials {
    /// The defaults of the built-in providers, by provider name: the
    /// [module](self)'s rule for each.
    pub fn builtin() -> BTreeMap<String, Credentials> {
        SpecSource::builtin()
            .into_iter()
            .map(|source| {
                let defaults = Credentials {
                    defaults: true,
                    ..Credentials::default()
                };
                (source.name, defaults)
            })
            .collect()
    }
}
