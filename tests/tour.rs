//! The main job until `trackctl` lands: runs every operation of every client
//! with its spec's first example against a local stand-in provider started
//! in this process (127.0.0.1 only: no accounts, no network), and prints what
//! went on the wire and what came back.
//!
//!     cargo run -p contract-tests --example tour

use contract_tests::call::{Args, call};
use contract_tests::server::{Recorded, RecordingServer, Reply};
use contract_tests::spec::{SpecFile, all_specs};
use serde_json::Value;
use tracking_runtime::ClientConfig;

/// Answers a request with the lowest 2xx example of the operation it is for.
fn answer(specs: &[SpecFile], request: &Recorded) -> Reply {
    for spec in specs {
        let Some(path) = request
            .path
            .strip_prefix(&format!("/{}{}", spec.name, spec.base_path()))
        else {
            continue;
        };
        for op in spec.operations() {
            if op.method == request.method.as_str() && matches(&op.path, path) {
                let success = op.success();
                return match success.examples.first() {
                    Some(example) => Reply::json(success.status, example.value.clone()),
                    None => Reply::status(success.status),
                };
            }
        }
    }
    Reply::status(404)
}

fn matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

#[tokio::main]
async fn main() {
    let specs = all_specs();
    let server = RecordingServer::start({
        let specs = specs.clone();
        move |request, _| answer(&specs, request)
    })
    .await;
    eprintln!(
        "Stand-in provider on {} (built from specs/*.yaml; no network, no accounts)\n",
        server.url("")
    );

    let (mut ok, mut failed) = (0, 0);
    for spec in &specs {
        let base_url = server.url(&format!("/{}{}", spec.name, spec.base_path()));
        for op in spec.operations() {
            let seen = server.requests().len();
            let args = Args {
                params: op
                    .params
                    .iter()
                    .filter_map(|p| Some((p.name.clone(), p.example.clone()?)))
                    .collect(),
                body: op.request_examples.first().map(|e| e.value.clone()),
            };
            let outcome = call(
                &spec.name,
                &base_url,
                &ClientConfig::default(),
                &op.id,
                &args,
            )
            .await;
            for request in &server.requests()[seen..] {
                println!(
                    "{:<12} → {} {}  {}",
                    spec.name,
                    request.method,
                    request.path,
                    compact(&request.body)
                );
            }
            match outcome {
                Ok(body) => {
                    ok += 1;
                    let body =
                        body.map_or("(no body)".into(), |b| compact(b.to_string().as_bytes()));
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
    println!("{ok} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}

/// The body as one line of JSON, with passwords and tokens masked: even
/// stand-in credentials are not printed.
fn compact(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut json) => {
            mask(&mut json);
            json.to_string()
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    }
}

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
