//! trackctl end to end under faults and kills, and its peak memory: the
//! numbers come from the mock's ledger (delivered, duplicated, lost) and from
//! /proc (peak resident memory of the trackctl process).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tracking_mock::{Faults, MockConfig, MockServer, tracking_number_counts};

pub(crate) fn trackctl() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().join("trackctl");
    assert!(
        path.exists(),
        "{} is missing: cargo build --release -p trackctl first",
        path.display()
    );
    path
}

/// The provider of row `i` of [`rows`].
pub(crate) const PROVIDERS: [&str; 8] = [
    "crux",
    "vtex-oms",
    "sellercloud",
    "sellercloud",
    "bigcommerce",
    "ebay",
    "amazon",
    "walmart",
];

/// A CSV of `rows` shipments across the providers (row `i` goes to
/// `PROVIDERS[i % 8]`: SellerCloud twice, its sales orders and its POs);
/// their tracking numbers.
pub(crate) fn rows(dir: &Path, rows: usize) -> (PathBuf, Vec<String>) {
    let mut csv = String::from(
        "provider,order_ref,tracking_number,carrier,service,shipped_at,invoice_number,target\n",
    );
    let mut numbers = Vec::new();
    for i in 0..rows {
        let number = format!("T-{i:07}");
        let row = match i % PROVIDERS.len() {
            0 => format!("crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,{number},UPS,Ground,,,"),
            1 => format!("vtex-oms,v{i}-01,{number},Correios,,,{i},"),
            2 => format!(
                "sellercloud,{},{number},FedEx,Ground,2024-04-09T12:26:18Z,,",
                1000 + i
            ),
            3 => format!(
                "sellercloud,{},{number},UPS,,2024-04-09T12:26:18Z,,po",
                1000 + i
            ),
            // The whole order, to its only address: its products are read.
            4 => format!("bigcommerce,{},{number},UPS,Ground,,,", 1000 + i),
            // The whole order: its line items and fulfillments are read.
            5 => format!("ebay,01-{i:05}-00001,{number},USPS,,,,"),
            // The whole order: its items are read, and a lost confirmation
            // is settled by the quantities shipped.
            6 => format!("amazon,902-{i:07}-0000001,{number},UPS,,,,"),
            // The whole order: its lines are read before the update, which
            // a lost answer is settled by reading again.
            _ => format!("walmart,1815{i:09},{number},UPS,,,,"),
        };
        csv.push_str(&row);
        csv.push('\n');
        numbers.push(number);
    }
    let path = dir.join(format!("rows-{rows}.csv"));
    std::fs::write(&path, csv).unwrap();
    (path, numbers)
}

/// One line of the table, from the mock's ledger: shipments applied (a
/// repeated PUT or `x-idempotent` PATCH with the same body changes nothing and
/// counts once: `tracking_mock::applied`), applied twice, never applied, rows
/// trackctl reported in doubt, lost rows it did not report (must be 0), and
/// shipments whose requests arrived more than once however they counted
/// (the clients' retries, trackctl's resends).
fn report(label: &str, numbers: &[String], mock: &MockServer, in_doubt: &[usize], runs: usize) {
    let ledger = mock.ledger();
    let applied = tracking_number_counts(tracking_mock::applied(&ledger));
    let arrived = tracking_number_counts(&ledger);
    let delivered = numbers.iter().filter(|n| applied.contains_key(*n)).count();
    let duplicated = applied.values().filter(|&&c| c > 1).count();
    let repeats = arrived.values().filter(|&&c| c > 1).count();
    let lost = numbers.len() - delivered;
    // Line N of the file is row N - 2 (after the header).
    let unreported = numbers
        .iter()
        .enumerate()
        .filter(|(i, n)| !applied.contains_key(*n) && !in_doubt.contains(&(i + 2)))
        .count();
    let in_doubt = in_doubt.len();
    println!(
        "{label:<34} {delivered:>9} {duplicated:>10} {lost:>6} {in_doubt:>8} {unreported:>10} {repeats:>8} {runs:>5}"
    );
    // Delivered / duplicated / lost per provider.
    let mut parts = Vec::new();
    for provider in [
        "crux",
        "vtex-oms",
        "sellercloud",
        "bigcommerce",
        "ebay",
        "amazon",
        "walmart",
    ] {
        let mine: Vec<&String> = numbers
            .iter()
            .enumerate()
            .filter(|(i, _)| PROVIDERS[i % PROVIDERS.len()] == provider)
            .map(|(_, n)| n)
            .collect();
        let delivered = mine.iter().filter(|n| applied.contains_key(**n)).count();
        let duplicated = mine
            .iter()
            .filter(|n| applied.get(**n).is_some_and(|c| *c > 1))
            .count();
        parts.push(format!(
            "{provider} {delivered}/{duplicated}/{}",
            mine.len() - delivered
        ));
    }
    println!("{:<34} {}", "  per provider (d/dup/lost)", parts.join(", "));
}

/// `trackctl push` of `file` to `mock`, 32 in flight, with `journal` and `extra` flags.
pub(crate) fn push_command(
    mock: &MockServer,
    file: &Path,
    journal: &Path,
    extra: &[&str],
) -> tokio::process::Command {
    push_command_of(&trackctl(), mock, file, journal, extra)
}

/// [`push_command`] with another trackctl binary.
pub(crate) fn push_command_of(
    binary: &Path,
    mock: &MockServer,
    file: &Path,
    journal: &Path,
    extra: &[&str],
) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(binary);
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

/// Whether a run's summary says nothing failed, only uncertain rows are left.
fn only_uncertain_left(output: &std::process::Output) -> bool {
    String::from_utf8_lossy(&output.stderr).contains(" 0 failed,")
}

/// Pushes until trackctl reports nothing left (at most 8 runs), or, without
/// `--resend-uncertain`, nothing but rows in doubt; the runs, and the lines
/// the last one reported in doubt.
async fn until_settled(
    mock: &MockServer,
    file: &Path,
    journal: &Path,
    extra: &[&str],
) -> (usize, Vec<usize>) {
    let resending = extra.contains(&"--resend-uncertain");
    let mut in_doubt: Vec<usize> = Vec::new();
    for run in 1..=8 {
        let before = std::mem::take(&mut in_doubt);
        let output = push_command(mock, file, journal, extra)
            .stderr(std::process::Stdio::piped())
            .output()
            .await
            .unwrap();
        // "line N: UNCERTAIN: why"
        in_doubt = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|l| l.contains(": UNCERTAIN:"))
            .filter_map(|l| l.strip_prefix("line ")?.split(':').next()?.parse().ok())
            .collect();
        // Without --resend-uncertain, rows in doubt that a rerun cannot
        // look up stay so: stop when only they are left, unchanged. With
        // it, go on until everything is through.
        if output.status.success()
            || (!resending && only_uncertain_left(&output) && in_doubt == before)
        {
            return (run, in_doubt);
        }
    }
    (8, in_doubt)
}

/// 20% faults: 8% 429, 6% 503, 6% dropped connections, of which the share
/// `after_apply` is dropped after the provider applied the request, and the
/// share `late` is applied a second after the drop (a provider still working
/// on a request the client gave up on).
fn faults(after_apply: f64, late: f64) -> Faults {
    Faults {
        too_many_requests: 0.08,
        retry_after_secs: 0,
        unavailable: 0.06,
        drop_connection: 0.06 * (1.0 - after_apply - late),
        drop_after_apply: 0.06 * after_apply,
        apply_late: 0.06 * late,
        delay_ms: 1000,
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
        "{:<34} {:>9} {:>10} {:>6} {:>8} {:>10} {:>8} {:>5}",
        "", "delivered", "duplicated", "lost", "in doubt", "unreported", "repeats", "runs"
    );
    let resend = ["--resend-uncertain"];
    let scenarios = [
        ("drops before applying", (0.0, 0.0), None, 1),
        ("half the drops after applying", (0.5, 0.0), None, 2),
        // Applied 1 s after the drop: trackctl's lookup waits 5 s.
        ("half the drops applied 1 s late", (0.0, 0.5), None, 5),
        // SIGTERM (what `kill`, systemd and Kubernetes send): trackctl
        // starts no new row and lets those in flight finish.
        (
            "half after applying, SIGTERM twice",
            (0.5, 0.0),
            Some("-TERM"),
            4,
        ),
        // SIGKILL: rows in flight are left `sending` in the journal.
        (
            "half after applying, SIGKILL twice",
            (0.5, 0.0),
            Some("-KILL"),
            3,
        ),
    ];
    for (label, (after_apply, late), kill, seed) in scenarios {
        // Stateful, as Crux is: it answers 404 to a lookup of a tracking
        // number it does not have, which is how trackctl settles a POST
        // whose answer was lost.
        let mock = MockServer::start(
            MockConfig::builtin()
                .stateful()
                .with_faults(faults(after_apply, late))
                .with_seed(seed),
        )
        .await
        .unwrap();
        let journal = dir.join(format!("journal-{seed}.sqlite"));
        let mut runs = 0;
        if let Some(signal) = kill {
            for arrived in [2_000, 5_000] {
                let mut child = push_command(&mock, &file, &journal, &[]).spawn().unwrap();
                let started = Instant::now();
                while mock.ledger().len() < arrived {
                    assert!(
                        child.try_wait().unwrap().is_none()
                            && started.elapsed() < Duration::from_secs(300),
                        "trackctl ended or stalled before {arrived} requests arrived"
                    );
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                let pid = child.id().unwrap().to_string();
                let sent = std::process::Command::new("kill")
                    .args([signal, &pid])
                    .status()
                    .unwrap();
                assert!(sent.success(), "kill {signal} {pid} failed");
                let status = tokio::time::timeout(Duration::from_secs(120), child.wait())
                    .await
                    .expect("trackctl did not exit within 2 minutes of the signal")
                    .unwrap();
                // SIGTERM: a clean stop, exit code 130 (trackctl caught it and
                // let the rows in flight finish). SIGKILL: no exit code.
                let expected = if signal == "-TERM" { Some(130) } else { None };
                assert_eq!(
                    status.code(),
                    expected,
                    "trackctl after kill {signal}: {status}"
                );
                runs += 1;
            }
        }
        let (more, in_doubt) = until_settled(&mock, &file, &journal, &[]).await;
        runs += more;
        mock.settle().await;
        report(label, &numbers, &mock, &in_doubt, runs);
        let (more, in_doubt) = until_settled(&mock, &file, &journal, &resend).await;
        mock.settle().await;
        report(
            "  then --resend-uncertain",
            &numbers,
            &mock,
            &in_doubt,
            runs + more,
        );
        mock.shutdown().await;
    }
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
