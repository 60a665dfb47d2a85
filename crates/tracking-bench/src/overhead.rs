//! Per-request cost of the generated client against plain reqwest with
//! hand-written serde types: one fast local server (not the validating
//! mock), keep-alive on, the two interleaved in rounds so that both see the
//! same machine.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;

use serde::{Deserialize, Serialize};

const RECEIPT: &str = r#"{"date":"2017-03-29T18:04:31.0521233+00:00","orderId":"v501245lspt-01","receipt":"f67d33a8029c42ce9a8f07fc17f54449"}"#;

#[derive(Serialize)]
struct Patch<'a> {
    // In the generated type's order, so that both sides send the same bytes.
    courier: &'a str,
    #[serde(rename = "dispatchedDate")]
    dispatched_date: Option<&'a str>,
    #[serde(rename = "trackingNumber")]
    tracking_number: &'a str,
    #[serde(rename = "trackingUrl")]
    tracking_url: Option<&'a str>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Receipt {
    date: String,
    #[serde(rename = "orderId")]
    order_id: String,
    receipt: String,
}

/// A path segment, percent-encoded as a correct client must (an invoice
/// number may contain `/` or `?`).
fn segment(value: &str) -> percent_encoding::PercentEncode<'_> {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, SEGMENT)
}

/// The server runs on its own thread and runtime, and the client on another,
/// so that the two never share (or steal) a worker: what differs between the
/// two clients is then only their own work. With `seen`, the server keeps a
/// description of every request it gets.
fn server(seen: Option<Arc<Mutex<Vec<String>>>>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        current_thread().block_on(async move {
            let app = axum::Router::new().fallback(move |request: Request| async move {
                if let Some(seen) = seen {
                    let text = describe(request).await;
                    seen.lock().unwrap().push(text);
                }
                ([("content-type", "application/json")], RECEIPT)
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap()))
                .unwrap();
            axum::serve(listener, app).await.unwrap()
        })
    });
    rx.recv().unwrap()
}

/// Method, URI, headers (sorted) and body: what the server saw.
async fn describe(request: Request) -> String {
    let (parts, body) = request.into_parts();
    let mut headers: Vec<String> = parts
        .headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", v.to_str().unwrap_or("?")))
        .collect();
    headers.sort();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    format!(
        "{} {}\n{}\n\n{}",
        parts.method,
        parts.uri,
        headers.join("\n"),
        String::from_utf8_lossy(&body)
    )
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub fn run() {
    std::thread::spawn(|| current_thread().block_on(measure()))
        .join()
        .unwrap();
}

struct Clients {
    generated: vtex_oms_client::Client,
    plain: reqwest::Client,
    url: String,
}

impl Clients {
    fn new(url: String) -> Self {
        let generated = vtex_oms_client::Client::with_app_key(&url, "key", "token").unwrap();
        // The generated client's settings (ClientConfig::default()), so that
        // both put the same bytes on the wire.
        let plain = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("vtex-oms-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap();
        Self {
            generated,
            plain,
            url,
        }
    }

    async fn generated(&self) {
        let r = self
            .generated
            .update_partial_invoice()
            .order_id("v501245lspt-01")
            .invoice_number("0102030405")
            .body_map(|b| {
                b.tracking_number("BR123456789BR".to_string())
                    .courier(Some("Correios".into()))
                    .tracking_url(None)
                    .dispatched_date(None)
            })
            .send()
            .await
            .unwrap();
        std::hint::black_box(r.into_inner());
    }

    async fn plain(&self) {
        // A correct hand-written client builds its URL per call and
        // percent-encodes the path segments, as the generated one does.
        let (order, invoice) = ("v501245lspt-01", "0102030405");
        let r: Receipt = self
            .plain
            .patch(format!(
                "{}/api/oms/pvt/orders/{}/invoice/{}",
                self.url,
                segment(order),
                segment(invoice)
            ))
            .header("x-vtex-api-appkey", "key")
            .header("x-vtex-api-apptoken", "token")
            .header("accept", "application/json")
            .json(&Patch {
                tracking_number: "BR123456789BR",
                courier: "Correios",
                tracking_url: None,
                dispatched_date: None,
            })
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        std::hint::black_box(r);
    }
}

async fn measure() {
    // First, that the two make the same request: same method, URI, headers and body.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let check = Clients::new(server(Some(seen.clone())));
    check.generated().await;
    check.plain().await;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0], seen[1],
        "the generated and the plain client must send the same request"
    );

    let clients = Clients::new(server(None));
    // OVERHEAD_ONLY=generated|plain runs one side, for profiling it alone.
    let only = std::env::var("OVERHEAD_ONLY").unwrap_or_default();
    let (rounds, per_round) = (20, 500);
    let (mut generated, mut plain) = (Side::default(), Side::default());
    for _ in 0..rounds {
        generated
            .round(per_round * usize::from(only != "plain"), || {
                clients.generated()
            })
            .await;
        plain
            .round(per_round * usize::from(only != "generated"), || {
                clients.plain()
            })
            .await;
    }
    println!(
        "\n## overhead: {} sequential PATCH requests each, keep-alive, interleaved in {rounds} rounds",
        rounds * per_round
    );
    println!(
        "{:<28} {:>10} {:>10} {:>16}",
        "", "median µs", "req/s", "client CPU µs"
    );
    let (g, p) = (generated.summary(), plain.summary());
    for (name, (median, rate, cpu)) in [
        ("generated vtex-oms-client", g),
        ("plain reqwest + serde", p),
    ] {
        println!("{name:<28} {median:>10.1} {rate:>10.0} {cpu:>16.1}");
    }
    println!(
        "ratio generated/plain: median latency {:.3}, throughput {:.3}, client CPU {:.3}",
        g.0 / p.0,
        g.1 / p.1,
        g.2 / p.2
    );
}

/// What one client's requests took: each request's latency, and the wall
/// and CPU time of all of them.
#[derive(Default)]
struct Side {
    latencies: Vec<Duration>,
    wall: Duration,
    cpu: Duration,
}

impl Side {
    async fn round<F: Future<Output = ()>>(
        &mut self,
        requests: usize,
        mut request: impl FnMut() -> F,
    ) {
        let (started, cpu) = (Instant::now(), thread_cpu());
        for _ in 0..requests {
            let t = Instant::now();
            request().await;
            self.latencies.push(t.elapsed());
        }
        self.cpu += thread_cpu().saturating_sub(cpu);
        self.wall += started.elapsed();
    }

    /// Median latency (µs), requests per second, and the client thread's CPU
    /// time per request (µs: its own work and the kernel's on its behalf).
    fn summary(&mut self) -> (f64, f64, f64) {
        let n = self.latencies.len() as f64;
        (
            crate::median_us(&mut self.latencies),
            n / self.wall.as_secs_f64(),
            self.cpu.as_secs_f64() * 1e6 / n,
        )
    }
}

/// CPU time of the calling thread so far (Linux: `/proc/thread-self/schedstat`;
/// zero where that is missing).
fn thread_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    Duration::from_nanos(
        text.split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
    )
}
