//! Arbitrary bytes and arbitrary JSON as the provider's answer to every
//! operation of every client: never a panic, always a typed result or a typed
//! error that names the operation. Bounded (a fixed number of cases) so that
//! it runs in CI; raise PROPTEST_CASES to search longer.

use contract_tests::call::{Args, call};
use contract_tests::server::{RecordingServer, Reply};
use contract_tests::spec::{Operation, SpecFile, all_specs};
use proptest::prelude::*;
use serde_json::Value;
use tracking_runtime::{ClientConfig, RetryPolicy};

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z0-9 .:-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("receipt".to_string()),
                    Just("detail".to_string()),
                    Just("access_token".to_string()),
                    Just("expires_in".to_string()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        json().prop_map(|v| v.to_string().into_bytes()),
    ]
}

fn operations() -> Vec<(SpecFile, Operation)> {
    all_specs()
        .into_iter()
        .flat_map(|s| s.operations().into_iter().map(move |o| (s.clone(), o)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_answer_to_any_operation_is_a_typed_result_or_error(
        pick in any::<prop::sample::Index>(),
        status in prop::sample::select(vec![200u16, 201, 204, 400, 401, 403, 404, 409, 415, 418, 422, 429, 500, 503]),
        body in body(),
    ) {
        let ops = operations();
        let (spec, op) = &ops[pick.index(ops.len())];
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = RecordingServer::always(Reply::bytes(status, body.clone())).await;
            let args = Args::from_examples(op);
            let config = ClientConfig::default().with_retry(RetryPolicy::none());
            let outcome = call(&spec.name, &server.url(&spec.base_path()), &config, &op.id, &args).await;
            if let Err(failure) = outcome {
                // The failing operation may be the token call before it.
                prop_assert!(
                    failure.message.contains(&op.id) || failure.message.contains("createToken"),
                    "{} {}: {}", spec.name, op.id, failure.message
                );
            }
            Ok(())
        })?;
    }
}
