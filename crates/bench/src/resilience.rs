//! trackctl end to end under faults and kills, and its peak memory: the
//! numbers come from the mock's ledger (delivered, duplicated, lost) and from
//! /proc (peak resident memory of the trackctl process).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tracking_mock::{Faults, MockConfig, MockServer};

fn trackctl() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().join("trackctl");
    assert!(
        path.exists(),
        "{} is missing: cargo build --release -p trackctl first",
        path.display()
    );
    path
}

/// A CSV of `rows` shipments across the three providers; their tracking numbers.
fn rows(dir: &Path, rows: usize) -> (PathBuf, Vec<String>) {
    let mut csv = String::from(
        "provider,order_ref,tracking_number,carrier,service,shipped_at,invoice_number,target\n",
    );
    let mut numbers = Vec::new();
    for i in 0..rows {
        let number = format!("T-{i:07}");
        let row = match i % 4 {
            0 => format!("crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,{number},UPS,Ground,,,"),
            1 => format!("vtex-oms,v{i}-01,{number},Correios,,,{i},"),
            2 => format!(
                "sellercloud,{},{number},FedEx,Ground,2024-04-09T12:26:18Z,,",
                1000 + i
            ),
            _ => format!(
                "sellercloud,{},{number},UPS,,2024-04-09T12:26:18Z,,po",
                1000 + i
            ),
        };
        csv.push_str(&row);
        csv.push('\n');
        numbers.push(number);
    }
    let path = dir.join(format!("rows-{rows}.csv"));
    std::fs::write(&path, csv).unwrap();
    (path, numbers)
}

/// How many times each tracking number was applied: a repeated PUT (or
/// `x-idempotent` PATCH) with the same body changes nothing and counts once
/// (`tracking_mock::applied`).
fn delivered(mock: &MockServer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let ledger = mock.ledger();
    for entry in tracking_mock::applied(&ledger) {
        let body = entry.body.clone().unwrap_or_default();
        let number = match entry.operation.as_str() {
            "addOrderTracking" => body.pointer("/tracking_numbers/0/tracking").cloned(),
            "updatePartialInvoice" => body.get("trackingNumber").cloned(),
            "updateOrderShippingStatus" | "updatePurchaseOrderTracking" => {
                body.get("TrackingNumber").cloned()
            }
            _ => None,
        };
        if let Some(serde_json::Value::String(n)) = number {
            *counts.entry(n).or_insert(0) += 1;
        }
    }
    counts
}

fn report(label: &str, numbers: &[String], counts: &BTreeMap<String, usize>, runs: usize) {
    let unique = numbers.iter().filter(|n| counts.contains_key(*n)).count();
    let duplicated = counts.values().filter(|&&c| c > 1).count();
    let lost = numbers.len() - unique;
    println!("{label:<44} {unique:>9} {duplicated:>10} {lost:>6} {runs:>5}");
}

/// `trackctl push` of `file` to `mock`, 32 in flight, with `journal` and `extra` flags.
fn push_command(
    mock: &MockServer,
    file: &Path,
    journal: &Path,
    extra: &[&str],
) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(trackctl());
    command
        .args([
            "push",
            "--concurrency",
            "32",
            "--base-url",
            &mock.url(),
            "--journal",
        ])
        .arg(journal)
        .args(extra)
        .arg(file)
        .stderr(std::process::Stdio::null());
    command
}

async fn push(
    mock: &MockServer,
    file: &Path,
    journal: &Path,
    extra: &[&str],
) -> std::process::ExitStatus {
    push_command(mock, file, journal, extra)
        .status()
        .await
        .unwrap()
}

/// Whether a run's summary says nothing failed, only uncertain rows are left.
fn only_uncertain_left(output: &std::process::Output) -> bool {
    String::from_utf8_lossy(&output.stderr).contains(" 0 failed,")
}

/// Runs until trackctl reports nothing left (at most 8 runs); how many it took.
async fn until_done(mock: &MockServer, file: &Path, journal: &Path) -> usize {
    for run in 1..=8 {
        if push(mock, file, journal, &["--resend-uncertain"])
            .await
            .success()
        {
            return run;
        }
    }
    8
}

fn faults() -> Faults {
    Faults {
        too_many_requests: 0.08,
        retry_after_secs: 0,
        unavailable: 0.06,
        drop_connection: 0.06,
        ..Faults::none()
    }
}

pub async fn run() {
    let dir = std::env::temp_dir().join(format!("tracking-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (file, numbers) = rows(&dir, 10_000);
    println!(
        "\n## resilience: 10,000 shipments through trackctl, 20% faults (8% 429, 6% 503, 6% dropped connections)"
    );
    println!(
        "{:<44} {:>9} {:>10} {:>6} {:>5}",
        "", "delivered", "duplicated", "lost", "runs"
    );

    let mock = MockServer::start(MockConfig::builtin().with_faults(faults()).with_seed(1))
        .await
        .unwrap();
    let journal = dir.join("faults.sqlite");
    let runs = until_done(&mock, &file, &journal).await;
    report(
        "faults, rerun until done",
        &numbers,
        &delivered(&mock),
        runs,
    );
    mock.shutdown().await;

    let mock = MockServer::start(MockConfig::builtin().with_faults(faults()).with_seed(2))
        .await
        .unwrap();
    let journal = dir.join("kills.sqlite");
    for arrived in [2_000, 5_000] {
        let mut child = push_command(&mock, &file, &journal, &[]).spawn().unwrap();
        while mock.ledger().len() < arrived {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        child.kill().await.unwrap();
    }
    // Resumed without --resend-uncertain: rows whose calls may be repeated
    // are resent on their own; the rest that a kill or a dropped connection
    // left in doubt are reported, not resent.
    let mut runs = 2;
    let mut uncertain = 0;
    for _ in 0..8 {
        runs += 1;
        let output = push_command(&mock, &file, &journal, &[])
            .stderr(std::process::Stdio::piped())
            .output()
            .await
            .unwrap();
        uncertain = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|l| l.contains("UNCERTAIN"))
            .count();
        if output.status.success() || only_uncertain_left(&output) {
            break;
        }
    }
    report(
        &format!("faults, SIGKILL twice, resumed ({uncertain} uncertain)"),
        &numbers,
        &delivered(&mock),
        runs,
    );
    let more = until_done(&mock, &file, &journal).await;
    report(
        "  then --resend-uncertain",
        &numbers,
        &delivered(&mock),
        runs + more,
    );
    mock.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Peak resident memory of trackctl pushing 10,000 and 100,000 rows.
pub async fn memory() {
    let dir = std::env::temp_dir().join(format!("tracking-bench-mem-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    println!(
        "\n## memory: trackctl's peak resident memory (VmHWM), pushing to the mock in another process"
    );
    // MEMORY_ROWS=10000,1000000 to choose (1,000,000 takes about 20 minutes).
    let counts: Vec<usize> = std::env::var("MEMORY_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    for count in counts {
        let (file, _) = rows(&dir, count);
        let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
        let started = Instant::now();
        let journal = dir.join(format!("mem-{count}.sqlite"));
        let mut child = push_command(&mock, &file, &journal, &[]).spawn().unwrap();
        let pid = child.id().unwrap();
        let mut peak_kb = 0u64;
        loop {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            if let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        println!(
            "{count:>8} rows: peak {:.1} MiB, {:.0} rows/s",
            peak_kb as f64 / 1024.0,
            count as f64 / started.elapsed().as_secs_f64()
        );
        mock.shutdown().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
