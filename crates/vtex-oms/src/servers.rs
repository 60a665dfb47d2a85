//! The documented VTEX server: `https://{accountName}.{environment}.com.br`.

/// The environment every store's API is on.
pub const STABLE_ENVIRONMENT: &str = "vtexcommercestable";

/// The base URL of a store's API, e.g. `https://mystore.vtexcommercestable.com.br`.
pub fn base_url(account_name: &str) -> String {
    base_url_in(account_name, STABLE_ENVIRONMENT)
}

/// The base URL of a store's API in a given environment.
pub fn base_url_in(account_name: &str, environment: &str) -> String {
    format!("https://{account_name}.{environment}.com.br")
}
