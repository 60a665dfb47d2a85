//! trackctl when a platform refuses or is down, beside a trackctl before
//! the stops (`TRACKCTL_PREVIOUS`, a release build of an earlier commit):
//! 300 Crux rows against a port nothing listens on (wall time, exit code),
//! and 300 Crux rows with a token the platform refuses (requests sent).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::resilience::trackctl;

const ROWS: usize = 300;

fn rows(dir: &Path) -> PathBuf {
    let mut csv = String::from("provider,order_ref,tracking_number,carrier\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "crux,0e63ac67-7c45-454d-b2ef-{i:012},1Z{i:04},UPS\n"
        ));
    }
    let path = dir.join("crux.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// A Crux that refuses every token: 401 to every request, counted.
async fn refusing() -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let app = axum::Router::new().fallback(move || {
        let seen = seen.clone();
        async move {
            seen.fetch_add(1, Ordering::SeqCst);
            (
                axum::http::StatusCode::UNAUTHORIZED,
                [("content-type", "application/json")],
                r#"{"detail": "Invalid token."}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, count)
}

async fn push(binary: &Path, file: &Path, journal: &Path, base_url: &str) -> (f64, Option<i32>) {
    let started = Instant::now();
    let status = tokio::process::Command::new(binary)
        .env("CRUX_TOKEN", "tok-WRONG")
        .env("CRUX_BASE_URL", base_url)
        .args(["push", "--journal"])
        .arg(journal)
        .arg(file)
        .stderr(std::process::Stdio::null())
        .status()
        .await
        .unwrap();
    (started.elapsed().as_secs_f64(), status.code())
}

pub async fn run() {
    let dir = std::env::temp_dir().join(format!("tracking-bench-stops-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = rows(&dir);
    let mut binaries = vec![("after", trackctl())];
    match std::env::var_os("TRACKCTL_PREVIOUS") {
        Some(before) => binaries.insert(0, ("before", PathBuf::from(before))),
        None => println!("(TRACKCTL_PREVIOUS unset: this trackctl alone)"),
    }
    println!("\n## a platform down: {ROWS} Crux rows, nothing listening on the port");
    for (label, binary) in &binaries {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let nowhere = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let journal = dir.join(format!("down-{label}.sqlite"));
        let (wall, code) = push(binary, &file, &journal, &nowhere).await;
        println!("{label:<7} {wall:>8.1} s  exit {code:?}");
    }
    println!("\n## credentials refused: {ROWS} Crux rows, every request answered 401");
    for (label, binary) in &binaries {
        let (url, count) = refusing().await;
        let journal = dir.join(format!("refused-{label}.sqlite"));
        let (wall, code) = push(binary, &file, &journal, &url).await;
        println!(
            "{label:<7} {:>5} requests in {wall:.1} s  exit {code:?}",
            count.load(Ordering::SeqCst)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
