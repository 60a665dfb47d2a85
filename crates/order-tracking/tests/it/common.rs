//! What the integration tests share.

use order_tracking::Pusher;
use tracking_mock::MockServer;
use tracking_runtime::ClientConfig;

/// The credentials the mock accepts (`tracking_mock::credentials`).
const CRUX_TOKEN: &str = "mock-token-auth";
const SELLERCLOUD_PASSWORD: &str = tracking_mock::credentials::PASSWORD;
const SELLERCLOUD_USERNAME: &str = tracking_mock::credentials::USERNAME;
const VTEX_APP_KEY: &str = "mock-app-key";
const VTEX_APP_TOKEN: &str = "mock-app-token";

/// A pusher with a client of every provider, each pointed at `mock` with
/// the credentials it accepts by default.
pub fn pusher(mock: &MockServer, config: &ClientConfig) -> Pusher {
    Pusher::new()
        .with_client(
            crux_client::Client::with_token_and_config(
                &mock.base_url("crux").unwrap(),
                CRUX_TOKEN,
                config,
            )
            .unwrap(),
        )
        .with_client(
            vtex_oms_client::Client::with_app_key_and_config(
                &mock.base_url("vtex-oms").unwrap(),
                VTEX_APP_KEY,
                VTEX_APP_TOKEN,
                config,
            )
            .unwrap(),
        )
        .with_client(
            sellercloud_client::Client::with_credentials_and_config(
                &mock.base_url("sellercloud").unwrap(),
                SELLERCLOUD_USERNAME,
                SELLERCLOUD_PASSWORD,
                config,
            )
            .unwrap(),
        )
}
