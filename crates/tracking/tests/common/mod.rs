//! What the integration tests share.

use order_tracking::Pusher;
use tracking_mock::MockServer;
use tracking_runtime::ClientConfig;

/// A pusher with a client of every provider, each pointed at `mock`.
pub fn pusher(mock: &MockServer, config: &ClientConfig) -> Pusher {
    Pusher::new()
        .with_crux(
            crux_client::Client::with_token_and_config(
                &mock.base_url("crux").unwrap(),
                "t",
                config,
            )
            .unwrap(),
        )
        .with_vtex(
            vtex_oms_client::Client::with_app_key_and_config(
                &mock.base_url("vtex-oms").unwrap(),
                "k",
                "t",
                config,
            )
            .unwrap(),
        )
        .with_sellercloud(
            sellercloud_client::Client::with_credentials_and_config(
                &mock.base_url("sellercloud").unwrap(),
                "u",
                "p",
                config,
            )
            .unwrap(),
        )
}
