//! `trackctl` end to end, against the mock providers: every row of a mixed
//! file arrives exactly once, bad rows are reported by line and field, and
//! runs that are interrupted or killed, with faults injected, are completed
//! by the next run without losing or doubling a shipment (checked on the
//! mock's ledger).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use tracking_mock::{Faults, MockConfig, MockServer, tracking_number_counts};

use crate::common;
use common::{arrivals, example, example_rows, push, push_command, text, trackctl};

fn tracking_numbers_of_csv(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_file_for_every_provider_arrives_exactly_once() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = push(
        &mock,
        &example("shipments.csv"),
        &dir.path().join("j.sqlite"),
    );
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains(&format!(
            "{n} pushed, 0 failed, 0 skipped",
            n = example_rows()
        )),
        "{}",
        text(&output)
    );
    let expected: BTreeMap<String, usize> = tracking_numbers_of_csv(&example("shipments.csv"))
        .into_iter()
        .map(|t| (t, 1))
        .collect();
    assert_eq!(arrivals(&mock), expected);
    let providers: std::collections::BTreeSet<String> =
        mock.ledger().iter().map(|e| e.provider.clone()).collect();
    assert_eq!(
        providers.len(),
        order_tracking::Provider::all().count(),
        "{providers:?}"
    );

    // The same command again pushes nothing: the journal knows.
    let again = push(
        &mock,
        &example("shipments.csv"),
        &dir.path().join("j.sqlite"),
    );
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains(&format!(
            "0 pushed, 0 failed, {n} skipped",
            n = example_rows()
        )),
        "{}",
        text(&again)
    );
    assert_eq!(arrivals(&mock), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_lines_with_vtex_events_arrive() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = push(
        &mock,
        &example("shipments.jsonl"),
        &dir.path().join("j.sqlite"),
    );
    assert!(output.status.success(), "{}", text(&output));
    let events = mock
        .ledger()
        .into_iter()
        .find(|e| e.operation == "updateTrackingStatus")
        .expect("events sent");
    let body = events.body.unwrap();
    assert_eq!(body["isDelivered"], true);
    assert_eq!(body["deliveredDate"], "2024-04-11 18:05");
    assert_eq!(
        body["events"][0]["description"],
        "Coletado pela transportadora"
    );
}

const BAD_ROWS: &str = "provider,order_ref,tracking_number,carrier,service,shipped_at,cost
crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,GOOD-1,UPS,Ground,,1.50
crux,not-a-uuid,BAD-2,UPS,Ground,,
sellercloud,5004321,BAD-3,FedEx,,2024-04-09T12:26:18Z,
fedex,1,BAD-4,,,,
crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,BAD-5,UPS,Ground,,1.234
sellercloud,5004322,GOOD-6,FedEx,Ground,2024-04-09T12:26:18Z,
vtex-oms,v1,BAD-7,Correios,,,
crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,,UPS,Ground,,
";

fn bad_rows_file(dir: &Path) -> PathBuf {
    let path = dir.join("bad.csv");
    std::fs::write(&path, BAD_ROWS).unwrap();
    path
}

const BAD_ROW_REPORTS: &[&str] = &[
    "line 3: order_ref: a Crux order is a UUID",
    "line 4: service: required for a SellerCloud sales order",
    "line 5: provider: unknown provider \"fedex\"",
    "line 6: cost: \"1.234\" is not a decimal with at most two places",
    "line 8: invoice_number: required for VTEX",
    "line 9: tracking_number: required",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_are_reported_by_line_and_field_and_the_rest_is_pushed() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = push(
        &mock,
        &bad_rows_file(dir.path()),
        &dir.path().join("j.sqlite"),
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    for expected in BAD_ROW_REPORTS {
        assert!(
            report.contains(expected),
            "{expected:?} missing from:\n{report}"
        );
    }
    assert!(report.contains("2 pushed, 6 failed"), "{report}");
    let arrived: Vec<String> = arrivals(&mock).into_keys().collect();
    assert_eq!(arrived, ["GOOD-1", "GOOD-6"]);
}

#[test]
fn validate_reports_bad_rows_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = trackctl()
        .arg("validate")
        .arg(bad_rows_file(dir.path()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = text(&output);
    for expected in BAD_ROW_REPORTS {
        assert!(
            report.contains(expected),
            "{expected:?} missing from:\n{report}"
        );
    }
    assert!(report.contains("2 valid, 6 invalid"), "{report}");
    let output = trackctl()
        .arg("validate")
        .arg(example("shipments.csv"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn a_bad_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    // A duplicate column refuses the file, and so does an unknown one.
    std::fs::write(&path, "order_ref,tracking_number,order_ref\n1,2,3\n").unwrap();
    let output = trackctl().arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("line 1: the column \"order_ref\" appears twice"),
        "{}",
        text(&output)
    );
    std::fs::write(
        &path,
        "provider,order_ref,tracking_number,colour\nsellercloud,1,2,red\n",
    )
    .unwrap();
    let output = trackctl().arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("line 1: unknown column \"colour\" (known: provider, "),
        "{}",
        text(&output)
    );
    let output = trackctl()
        .arg("validate")
        .arg(dir.path().join("missing.csv"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!text(&output).contains("panicked"));
}

/// `rows` shipments across providers and operations, one tracking number each.
fn many_rows(dir: &Path, rows: usize) -> (PathBuf, Vec<String>) {
    let mut csv = String::from(
        "provider,order_ref,tracking_number,carrier,service,shipped_at,invoice_number,target\n",
    );
    let mut numbers = Vec::new();
    for i in 0..rows {
        let number = format!("T-{i:05}");
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
    let path = dir.join("many.csv");
    std::fs::write(&path, csv).unwrap();
    (path, numbers)
}

fn faults() -> Faults {
    Faults {
        too_many_requests: 0.08,
        retry_after_secs: 0,
        unavailable: 0.05,
        drop_connection: 0.03,
        drop_after_apply: 0.03,
        delay: 0.5,
        delay_ms: 20,
        ..Faults::none()
    }
}

/// Starts a push in the background, waits until the mock has accepted
/// `arrived` requests, then sends `signal`.
fn interrupted_push(
    mock: &MockServer,
    file: &Path,
    journal: &Path,
    arrived: usize,
    signal: &str,
) -> Output {
    let child = push_command(mock, file, journal, &["--concurrency", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while mock.ledger().len() < arrived {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the push never got going"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait_with_output().unwrap()
}

fn push_to_completion(mock: &MockServer, file: &Path, journal: &Path, extra: &[&str]) -> Output {
    push_command(
        mock,
        file,
        journal,
        &[&["--concurrency", "4"], extra].concat(),
    )
    .output()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_run_with_faults_is_completed_by_the_next_without_loss_or_duplicates() {
    let mock = MockServer::start(
        MockConfig::builtin()
            .stateful()
            .with_faults(faults())
            .with_seed(11),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (file, numbers) = many_rows(dir.path(), 240);
    let journal = dir.path().join("j.sqlite");

    let first = interrupted_push(&mock, &file, &journal, 40, "-TERM");
    assert_eq!(first.status.code(), Some(130), "{}", text(&first));
    assert!(
        text(&first).contains("interrupted: run again"),
        "{}",
        text(&first)
    );
    let after_first = arrivals(&mock);
    assert!(
        !after_first.is_empty() && after_first.len() < numbers.len(),
        "interrupted mid-run: {} arrived",
        after_first.len()
    );

    // A Crux POST whose connection dropped (before or after the mock
    // applied it) was looked up, and sent again only if the mock did not
    // have it; the rows in flight at the stop are looked up by the next run.
    mock.set_faults(Faults::none()).unwrap();
    let second = push_to_completion(&mock, &file, &journal, &[]);
    assert!(second.status.success(), "{}", text(&second));
    assert!(!text(&second).contains("UNCERTAIN"), "{}", text(&second));

    let expected: BTreeMap<String, usize> = numbers.into_iter().map(|n| (n, 1)).collect();
    assert_eq!(arrivals(&mock), expected, "every shipment exactly once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_run_is_completed_by_the_next_without_loss_or_duplicates() {
    let mock = MockServer::start(MockConfig::builtin().stateful().with_faults(Faults {
        delay: 1.0,
        delay_ms: 20,
        ..Faults::none()
    }))
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (file, numbers) = many_rows(dir.path(), 200);
    let journal = dir.path().join("j.sqlite");

    let first = interrupted_push(&mock, &file, &journal, 40, "-KILL");
    assert_eq!(first.status.code(), None, "killed by a signal");

    // The rows in flight at the kill are left `sending`. The next run
    // resends those whose calls may be repeated and looks up the Crux ones
    // (a POST), sending them only if the mock does not have them, even when
    // told to resend what is uncertain: nothing is left in doubt, and
    // nothing is applied twice.
    let second = push_to_completion(&mock, &file, &journal, &["--resend-uncertain"]);
    let report = text(&second);
    assert!(second.status.success(), "{report}");
    assert!(!report.contains("UNCERTAIN"), "{report}");
    let expected: BTreeMap<String, usize> = numbers.into_iter().map(|n| (n, 1)).collect();
    assert_eq!(arrivals(&mock), expected, "every shipment exactly once");
    // What arrived twice is only what was in flight at the kill and resent
    // on its own (a repeatable call): never a row the journal had as done.
    let raw = tracking_number_counts(&mock.ledger());
    let twice: Vec<_> = raw.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.len() <= 4 && twice.iter().all(|(_, n)| **n == 2),
        "only rows in flight at the kill arrived twice: {twice:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_answered_500_is_looked_up_before_it_is_sent_again() {
    let mock = MockServer::start(MockConfig::builtin().stateful().with_faults(Faults {
        server_error: 1.0,
        ..Faults::none()
    }))
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Line 2: Crux (a POST); 3: VTEX (the x-idempotent PATCH); 4, 5: SellerCloud PUTs.
    let (file, numbers) = many_rows(dir.path(), 4);
    let journal = dir.path().join("j.sqlite");

    let first = push_to_completion(&mock, &file, &journal, &[]);
    let report = text(&first);
    assert_eq!(first.status.code(), Some(1), "{report}");
    // A 500 may come after the provider committed: a POST is not sent again
    // on its own but looked up, and the lookup got a 500 too, so the row is
    // in doubt; the calls that may be repeated just failed.
    assert!(report.contains("line 2: UNCERTAIN"), "{report}");
    assert!(report.contains("looking it up failed"), "{report}");
    assert!(report.contains("would repeat addOrderTracking"), "{report}");
    for line in [3, 4, 5] {
        assert!(report.contains(&format!("line {line}: FAILED")), "{report}");
    }
    assert!(mock.ledger().is_empty(), "{:?}", mock.ledger());

    // The next run looks the POST up again, finds it missing, and sends it once.
    mock.set_faults(Faults::none()).unwrap();
    let second = push_to_completion(&mock, &file, &journal, &[]);
    let report = text(&second);
    assert!(second.status.success(), "{report}");
    assert!(report.contains("4 pushed"), "{report}");
    let expected: BTreeMap<String, usize> = numbers.into_iter().map(|n| (n, 1)).collect();
    assert_eq!(arrivals(&mock), expected);
    let operations: Vec<_> = mock.ledger().iter().map(|e| e.operation.clone()).collect();
    assert_eq!(
        operations
            .iter()
            .filter(|o| *o == "addOrderTracking")
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_without_a_lookup_stays_uncertain_until_told_to_resend_it() {
    // A new VTEX invoice: a POST with no lookup.
    let mock = MockServer::start(MockConfig::builtin().stateful().with_faults(Faults {
        drop_after_apply: 1.0,
        only: vec!["invoiceNotification".into()],
        ..Faults::none()
    }))
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("invoice.csv");
    std::fs::write(
        &file,
        "provider,order_ref,tracking_number,invoice_number,invoice_value,line_items\n\
         vtex-oms,v1-01,BR1,77,49.90,1:1:49.90\n",
    )
    .unwrap();
    let journal = dir.path().join("j.sqlite");

    let first = push_to_completion(&mock, &file, &journal, &[]);
    assert!(
        text(&first).contains("line 2: UNCERTAIN"),
        "{}",
        text(&first)
    );
    mock.set_faults(Faults::none()).unwrap();
    let second = push_to_completion(&mock, &file, &journal, &[]);
    assert!(
        text(&second).contains("line 2: UNCERTAIN"),
        "{}",
        text(&second)
    );
    assert_eq!(
        arrivals(&mock).get("BR1"),
        Some(&1),
        "not resent on its own"
    );

    // Told to, trackctl resends it: here the mock had applied it, so twice.
    let third = push_to_completion(&mock, &file, &journal, &["--resend-uncertain"]);
    assert!(third.status.success(), "{}", text(&third));
    assert_eq!(arrivals(&mock).get("BR1"), Some(&2));
}

#[test]
fn a_bad_lookup_delay_is_refused() {
    for bad in ["nan", "inf", "-1", "soon"] {
        let output = trackctl()
            .args(["push", &format!("--lookup-delay={bad}"), "none.csv"])
            .output()
            .unwrap();
        // A bad setting: 2, as README documents, before anything is read.
        assert_eq!(output.status.code(), Some(2), "{bad}: {}", text(&output));
        assert!(
            text(&output).contains("lookup-delay"),
            "{bad}: {}",
            text(&output)
        );
    }
}

#[test]
fn the_mocks_fault_share_is_refused_in_its_own_terms() {
    let output = trackctl()
        .args(["mock", "--faults", "0.4", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let said = text(&output);
    assert!(said.contains("120% in all: give at most 0.33"), "{said}");
    assert!(!said.contains("late-apply"), "{said}");
}
