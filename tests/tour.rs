//! The main job until `trackctl` lands: runs every operation of every client
//! with its spec's first example against the built-in mock providers, started
//! in this process on 127.0.0.1 (no accounts, no network), and prints what
//! each provider received and what the client decoded.
//!
//!     cargo run -p contract-tests --example tour

use contract_tests::call::{Args, call};
use contract_tests::spec::all_specs;
use serde_json::Value;
use tracking_mock::{MockConfig, MockServer};
use tracking_runtime::ClientConfig;

#[tokio::main]
async fn main() {
    // `call` sends the mock's own credentials; its logins also accept the
    // accounts of their examples, which the tour sends.
    let mock = match MockServer::start(MockConfig::builtin().with_example_logins()).await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("error: cannot start the mock providers: {e}");
            std::process::exit(2);
        }
    };
    eprintln!(
        "Mock providers on {} (built from specs/*.yaml; no network, no accounts)\n",
        mock.url()
    );

    let (mut ok, mut failed) = (0, 0);
    for spec in all_specs() {
        let Some(base_url) = mock.base_url(&spec.name) else {
            continue;
        };
        for op in spec.operations() {
            let seen = mock.ledger().len();
            let args = Args::from_examples(&op);
            let outcome = call(
                &spec.name,
                &base_url,
                &ClientConfig::default(),
                &op.id,
                &args,
            )
            .await;
            for entry in &mock.ledger()[seen..] {
                let body = entry.body.clone().map_or(String::new(), |mut b| {
                    mask(&mut b);
                    b.to_string()
                });
                println!(
                    "{:<12} → {} {} {}  {body}",
                    entry.provider, entry.operation, entry.method, entry.path
                );
            }
            match outcome {
                Ok(body) => {
                    ok += 1;
                    let body = body.map_or("(no body)".into(), |mut b| {
                        mask(&mut b);
                        b.to_string()
                    });
                    println!("{:<12} ← {} ok  {body}\n", spec.name, op.id);
                }
                Err(failure) => {
                    failed += 1;
                    println!(
                        "{:<12} ← {} FAILED: {}\n",
                        spec.name, op.id, failure.message
                    );
                }
            }
        }
    }
    mock.shutdown().await;
    println!("{ok} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}

/// Masks passwords and tokens: even stand-in credentials are not printed.
fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let key = key.to_ascii_lowercase();
                if key.contains("password") || key.contains("token") && !key.contains("type") {
                    *value = Value::String("***".into());
                } else {
                    mask(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}
