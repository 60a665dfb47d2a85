//! The documented SellerCloud servers: `https://{server_id}.api.sellercloud.com/rest`
//! (and `.us` for some teams).

/// The base URL of a team's server, e.g. `https://xx.api.sellercloud.com/rest`.
pub fn base_url(server_id: &str) -> String {
    format!("https://{server_id}.api.sellercloud.com/rest")
}

/// The base URL of a team's server on the `.us` domain.
pub fn base_url_us(server_id: &str) -> String {
    format!("https://{server_id}.api.sellercloud.us/rest")
}
