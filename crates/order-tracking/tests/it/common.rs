//! What the integration tests share.

use std::time::Duration;

use order_tracking::Pusher;
use tracking_mock::{MockConfig, MockServer};
use tracking_runtime::{ClientConfig, RetryPolicy};

/// The credentials the mock accepts (`tracking_mock::credentials`).
const CRUX_TOKEN: &str = "mock-token-auth";
const SELLERCLOUD_PASSWORD: &str = tracking_mock::credentials::PASSWORD;
const SELLERCLOUD_USERNAME: &str = tracking_mock::credentials::USERNAME;
const VTEX_APP_KEY: &str = "mock-app-key";
const VTEX_APP_TOKEN: &str = "mock-app-token";
const BIGCOMMERCE_ACCESS_TOKEN: &str = "mock-access-token";
/// eBay's, Amazon's and Walmart's: the mock's token endpoints take the same.
const EBAY_CLIENT_ID: &str = tracking_mock::token::CLIENT_ID;
const EBAY_CLIENT_SECRET: &str = tracking_mock::token::CLIENT_SECRET;
const EBAY_REFRESH_TOKEN: &str = tracking_mock::token::REFRESH_TOKEN;

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
        .with_client(
            bigcommerce_client::Client::with_access_token_and_config(
                &mock.base_url("bigcommerce").unwrap(),
                BIGCOMMERCE_ACCESS_TOKEN,
                config,
            )
            .unwrap(),
        )
        .with_client(
            ebay_client::Client::with_user_token_and_config(
                &mock.base_url("ebay").unwrap(),
                ebay_client::auth::user_token(
                    &mock.token_url("ebay").unwrap(),
                    EBAY_CLIENT_ID,
                    EBAY_CLIENT_SECRET,
                    EBAY_REFRESH_TOKEN,
                )
                .unwrap(),
                config,
            )
            .unwrap(),
        )
        .with_client(amazon(mock, config))
        .with_client(walmart(mock, config))
}

/// Walmart's seller at `mock`, with the client id and secret the mock's
/// token endpoint takes.
pub fn walmart(mock: &MockServer, config: &ClientConfig) -> walmart_client::Client {
    let token = walmart_client::auth::client_token(
        &mock.token_url("walmart").unwrap(),
        EBAY_CLIENT_ID,
        EBAY_CLIENT_SECRET,
    )
    .unwrap();
    walmart_client::Client::with_client_token_and_config(
        &mock.base_url("walmart").unwrap(),
        token,
        config,
    )
    .unwrap()
}

/// Amazon's seller at `mock`, in the United States marketplace, with the
/// LWA credentials the mock's token endpoint takes.
pub fn amazon(
    mock: &MockServer,
    config: &ClientConfig,
) -> order_tracking::providers::amazon::Seller {
    let token = amazon_client::auth::lwa_token(
        &mock.token_url("amazon").unwrap(),
        EBAY_CLIENT_ID,
        EBAY_CLIENT_SECRET,
        EBAY_REFRESH_TOKEN,
    )
    .unwrap();
    let client = amazon_client::Client::with_lwa_token_and_config(
        &mock.base_url("amazon").unwrap(),
        token,
        config,
    )
    .unwrap();
    order_tracking::providers::amazon::Seller::new(client, "ATVPDKIKX0DER")
}

/// A stateful mock (it answers lookups and lists by what was created
/// through it) and a pusher with quick retries and lookups. The mock
/// applies what it accepts before it answers (except with `apply_late`):
/// a short wait before a lookup is enough.
pub async fn stateful() -> (MockServer, Pusher) {
    let mock = MockServer::start(MockConfig::builtin().stateful())
        .await
        .unwrap();
    let config = ClientConfig::default().with_retry(RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(5),
        retry_unsafe_methods: false,
    });
    let pusher = pusher(&mock, &config).with_lookup_delay(Duration::from_millis(50));
    (mock, pusher)
}

/// Asserts that `error` is the failure of `operation` after three sends
/// whose answers were lost, each looked up and not applied: in doubt, as
/// the last may still be applied, so that the next run looks it up first.
pub fn assert_lost_three_times(error: &order_tracking::PushError, operation: &str) {
    let order_tracking::PushError::Failed {
        operation: failed,
        in_doubt: true,
        message,
        ..
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*failed, operation, "{error:?}");
    assert!(
        message.contains("looked up after 3 sends whose answers were lost: not applied"),
        "{message}"
    );
}
