//! The credentials the mock accepts, as the real providers would check
//! theirs: anything else is answered 401.
//!
//! [`MockConfig::builtin`](crate::MockConfig::builtin) accepts, for the
//! built-in providers, the values below, and
//! [`MockConfig::with_credential`](crate::MockConfig::with_credential) and
//! [`MockConfig::with_login`](crate::MockConfig::with_login) add more (a
//! test with two accounts, say). They are public, so that a client pointed
//! at the mock can use them:
//!
//! - Crux: `Authorization: Token mock-token` ([`CRUX_TOKEN`]); `userLogin`
//!   with [`CRUX_USERNAME`] and [`CRUX_PASSWORD`] answers that token as
//!   `auth_token`.
//! - VTEX OMS: `X-VTEX-API-AppKey: mock-key` ([`VTEX_APP_KEY`]) with
//!   `X-VTEX-API-AppToken: mock-token` ([`VTEX_APP_TOKEN`]), or
//!   `VtexIdclientAutCookie: mock-user-token` ([`VTEX_USER_TOKEN`]).
//! - SellerCloud: `createToken` with [`SELLERCLOUD_USERNAME`] and
//!   [`SELLERCLOUD_PASSWORD`]; every other call needs a bearer token that
//!   call issued and that has not expired.
//!
//! A provider with nothing configured (a spec of your own,
//! [`SpecSource::file`](crate::SpecSource::file)) accepts any non-empty
//! value of every header its security schemes name, and any login: the
//! mock cannot know its accounts.

use std::collections::BTreeMap;

/// Crux's token: `Authorization: Token mock-token`.
pub const CRUX_TOKEN: &str = "mock-token";
/// The Crux user `userLogin` accepts.
pub const CRUX_USERNAME: &str = "mock-user";
/// That user's password.
pub const CRUX_PASSWORD: &str = "mock-password";
/// VTEX's app key (`X-VTEX-API-AppKey`), sent with [`VTEX_APP_TOKEN`].
pub const VTEX_APP_KEY: &str = "mock-key";
/// VTEX's app token (`X-VTEX-API-AppToken`).
pub const VTEX_APP_TOKEN: &str = "mock-token";
/// VTEX's user token (`VtexIdclientAutCookie`), the alternative to the app key pair.
pub const VTEX_USER_TOKEN: &str = "mock-user-token";
/// The SellerCloud user `createToken` accepts.
pub const SELLERCLOUD_USERNAME: &str = "mock-user";
/// That user's password.
pub const SELLERCLOUD_PASSWORD: &str = "mock-password";

/// What one provider of the mock accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// Per security scheme, by its name in the spec (`tokenAuth`) or the
    /// header it names (`Authorization`, any case): the whole header values
    /// accepted, e.g. `Token mock-token`. A scheme with none accepts any
    /// non-empty value (a bearer scheme: the tokens the spec's own login
    /// issued, when it has one). Each scheme is checked on its own: with
    /// two VTEX app keys and two app tokens accepted, any key goes with any
    /// token.
    pub accepted: BTreeMap<String, Vec<String>>,
    /// The username and password pairs its login (an operation without
    /// security whose request has a `format: password` field) accepts;
    /// none: any.
    pub logins: Vec<(String, String)>,
    /// The token a login answers with, in its response's `format: password`
    /// field, when the login does not issue expiring tokens of its own
    /// (Crux's `auth_token`; SellerCloud's bearer tokens are issued fresh).
    pub login_token: Option<String>,
}

impl Credentials {
    /// The defaults of the built-in providers, by provider name (see the
    /// [module](self) documentation).
    pub fn builtin() -> BTreeMap<String, Credentials> {
        let accepting = |pairs: &[(&str, String)]| {
            pairs
                .iter()
                .map(|(scheme, value)| (scheme.to_string(), vec![value.clone()]))
                .collect()
        };
        let login = |user: &str, password: &str| vec![(user.to_string(), password.to_string())];
        BTreeMap::from([
            (
                "crux".to_string(),
                Credentials {
                    accepted: accepting(&[("tokenAuth", format!("Token {CRUX_TOKEN}"))]),
                    logins: login(CRUX_USERNAME, CRUX_PASSWORD),
                    login_token: Some(CRUX_TOKEN.to_string()),
                },
            ),
            (
                "vtex-oms".to_string(),
                Credentials {
                    accepted: accepting(&[
                        ("appKey", VTEX_APP_KEY.to_string()),
                        ("appToken", VTEX_APP_TOKEN.to_string()),
                        ("userToken", VTEX_USER_TOKEN.to_string()),
                    ]),
                    ..Credentials::default()
                },
            ),
            (
                "sellercloud".to_string(),
                Credentials {
                    logins: login(SELLERCLOUD_USERNAME, SELLERCLOUD_PASSWORD),
                    ..Credentials::default()
                },
            ),
        ])
    }
}
