//! The token endpoint of an `oauth2` security scheme, served as RFC 6749
//! says: where the scheme's `tokenUrl` points, the client authenticated
//! with HTTP Basic (or `client_id` and `client_secret` in the form), the
//! grant in an `application/x-www-form-urlencoded` body, and errors as
//! `{"error": …, "error_description": …}`.
//!
//! The spec says where tokens come from in its security scheme, not in an
//! operation (eBay's document names only `tokenUrl`), so the mock serves it
//! from there: an `authorizationCode` flow takes the `refresh_token` grant
//! (its one-time consent is a browser's, not the mock's), a
//! `clientCredentials` flow the `client_credentials` grant. The access
//! tokens it answers are the ones the scheme's operations then accept.
//!
//! A built-in provider accepts [`CLIENT_ID`] with [`CLIENT_SECRET`], and
//! [`REFRESH_TOKEN`]; a spec of your own, any. Neither a refusal nor the
//! ledger ever holds the values received.

use serde_json::{Value, json};

/// The client id a built-in provider's token endpoint accepts.
pub const CLIENT_ID: &str = "mock-client-id";
/// That client's secret.
pub const CLIENT_SECRET: &str = "mock-client-secret";
/// The refresh token a built-in provider's token endpoint accepts.
pub const REFRESH_TOKEN: &str = "mock-refresh-token";

/// How long the access tokens last: two hours, as eBay's user tokens.
pub const LIFETIME_SECS: u64 = 7200;

/// One token endpoint of a provider's spec.
#[derive(Debug, Clone)]
pub(crate) struct TokenEndpoint {
    /// The path of the scheme's `tokenUrl` (`/identity/v1/oauth2/token`).
    pub path: String,
    /// The grants it takes.
    grants: Vec<&'static str>,
}

/// The token endpoints of `spec`'s `oauth2` schemes, one per token path.
pub(crate) fn endpoints(spec: &Value) -> Vec<TokenEndpoint> {
    let mut found: Vec<TokenEndpoint> = Vec::new();
    for (flow, path) in tracking_spec::token_paths(spec) {
        let grant = match flow.as_str() {
            "authorizationCode" => "refresh_token",
            "clientCredentials" => "client_credentials",
            _ => continue,
        };
        match found.iter_mut().find(|e| e.path == path) {
            Some(endpoint) if !endpoint.grants.contains(&grant) => endpoint.grants.push(grant),
            Some(_) => {}
            None => found.push(TokenEndpoint {
                path,
                grants: vec![grant],
            }),
        }
    }
    found
}

/// What a token endpoint accepts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Accepted {
    /// Client id and secret pairs (none: any).
    pub clients: Vec<(String, String)>,
    /// Refresh tokens (none: any).
    pub refresh_tokens: Vec<String>,
}

impl Accepted {
    /// The built-in providers' values.
    pub fn defaults() -> Self {
        Accepted {
            clients: vec![(CLIENT_ID.into(), CLIENT_SECRET.into())],
            refresh_tokens: vec![REFRESH_TOKEN.into()],
        }
    }
}

/// The answer to a token request: a status and its JSON body. A success
/// carries `access_token` (from `fresh`) and `expires_in`.
pub(crate) fn exchange(
    endpoint: &TokenEndpoint,
    accepted: &Accepted,
    authorization: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
    fresh: impl FnOnce() -> String,
) -> Result<Value, (u16, Value)> {
    let refuse = |status: u16, error: &str, description: String| {
        Err((
            status,
            json!({"error": error, "error_description": description}),
        ))
    };
    let form_type = "application/x-www-form-urlencoded";
    if !content_type.is_some_and(|t| t.trim().starts_with(form_type)) {
        return refuse(
            400,
            "invalid_request",
            format!("a token request's body is {form_type} (RFC 6749, section 4)"),
        );
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let client = match authorization.and_then(basic) {
        Some(pair) => Some(pair),
        None => field("client_id").map(|id| {
            (
                id.to_string(),
                field("client_secret").unwrap_or_default().to_string(),
            )
        }),
    };
    let Some((id, secret)) = client else {
        return refuse(
            401,
            "invalid_client",
            "the client authenticates with HTTP Basic (its id and secret)".into(),
        );
    };
    if !accepted.clients.is_empty()
        && !accepted
            .clients
            .iter()
            .any(|(i, s)| *i == id && *s == secret)
    {
        return refuse(
            401,
            "invalid_client",
            "client authentication failed: not a client id and secret this mock accepts (tracking_mock::token::{CLIENT_ID, CLIENT_SECRET})".into(),
        );
    }
    let grant = field("grant_type").unwrap_or_default();
    if !endpoint.grants.contains(&grant) {
        return refuse(
            400,
            "unsupported_grant_type",
            format!(
                "this token endpoint takes the grant_type {}",
                endpoint.grants.join(" or ")
            ),
        );
    }
    if grant == "refresh_token" {
        let token = field("refresh_token").unwrap_or_default();
        if token.is_empty()
            || (!accepted.refresh_tokens.is_empty()
                && !accepted.refresh_tokens.iter().any(|t| t == token))
        {
            return refuse(
                400,
                "invalid_grant",
                "the refresh token is invalid or was issued to another client (this mock accepts tracking_mock::token::REFRESH_TOKEN)".into(),
            );
        }
    }
    Ok(json!({
        "access_token": fresh(),
        "expires_in": LIFETIME_SECS,
        "token_type": "User Access Token",
    }))
}

/// The id and secret of an `Authorization: Basic …` value.
fn basic(value: &str) -> Option<(String, String)> {
    use base64::Engine;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    // RFC 6749 2.3.1: both are form-urlencoded before they are joined.
    let decode = |s: &str| {
        form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((decode(id)?, decode(secret)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ebay() -> TokenEndpoint {
        let spec = json!({"components": {"securitySchemes": {"api_auth": {
            "type": "oauth2",
            "flows": {"authorizationCode": {
                "authorizationUrl": "https://auth.ebay.com/oauth2/authorize",
                "tokenUrl": "https://api.ebay.com/identity/v1/oauth2/token",
                "scopes": {}
            }}
        }}}});
        let found = endpoints(&spec);
        assert_eq!(found.len(), 1);
        found.into_iter().next().unwrap()
    }

    fn basic_of(id: &str, secret: &str) -> String {
        use base64::Engine;
        let pair = format!("{id}:{secret}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

    #[test]
    fn a_schemes_token_url_is_served_with_the_grant_of_its_flow() {
        let endpoint = ebay();
        assert_eq!(endpoint.path, "/identity/v1/oauth2/token");
        let auth = basic_of(CLIENT_ID, CLIENT_SECRET);
        let body = b"grant_type=refresh_token&refresh_token=mock-refresh-token&scope=x";
        let answer = exchange(
            &endpoint,
            &Accepted::defaults(),
            Some(&auth),
            FORM,
            body,
            || "fresh".into(),
        )
        .unwrap();
        assert_eq!(answer["access_token"], "fresh");
        assert_eq!(answer["expires_in"], LIFETIME_SECS);
    }

    #[test]
    fn a_wrong_client_is_401_and_a_wrong_refresh_token_400_naming_neither_value() {
        let endpoint = ebay();
        let accepted = Accepted::defaults();
        let wrong = basic_of(CLIENT_ID, "s3cret-guess");
        let body = b"grant_type=refresh_token&refresh_token=mock-refresh-token";
        let (status, error) =
            exchange(&endpoint, &accepted, Some(&wrong), FORM, body, String::new).unwrap_err();
        assert_eq!(
            (status, error["error"].as_str()),
            (401, Some("invalid_client"))
        );
        assert!(!error.to_string().contains("s3cret-guess"));

        let right = basic_of(CLIENT_ID, CLIENT_SECRET);
        let body = b"grant_type=refresh_token&refresh_token=v%5E1.1-old";
        let (status, error) =
            exchange(&endpoint, &accepted, Some(&right), FORM, body, String::new).unwrap_err();
        assert_eq!(
            (status, error["error"].as_str()),
            (400, Some("invalid_grant"))
        );
        assert!(!error.to_string().contains("v^1.1-old"));

        let body = b"grant_type=client_credentials";
        let (status, error) =
            exchange(&endpoint, &accepted, Some(&right), FORM, body, String::new).unwrap_err();
        assert_eq!(
            (status, error["error"].as_str()),
            (400, Some("unsupported_grant_type"))
        );
        let (status, _) = exchange(
            &endpoint,
            &accepted,
            Some(&right),
            Some("application/json"),
            b"{}",
            String::new,
        )
        .unwrap_err();
        assert_eq!(status, 400);
    }
}
