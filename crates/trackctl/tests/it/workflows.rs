//! `trackctl` in ordinary use, as a new user would try it: rehearse then
//! push for real, two runs at once, a broken file, a journal that is not
//! one, a corrected row, a stop asked twice. Each case counts what the
//! mock providers applied: every row arrives once, at the right place, or
//! is refused with where and why.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use tracking_mock::{Faults, MockConfig, MockServer};

use crate::common;
use common::{arrivals, example, example_rows, push, push_command, text, trackctl};

/// `shipments.csv` copied into a fresh folder, so its default journal is new.
fn shipments(dir: &Path) -> PathBuf {
    let path = dir.join("shipments.csv");
    std::fs::copy(example("shipments.csv"), &path).unwrap();
    path
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The Crux tokens the tests give trackctl, one per account.
const CRUX_TOKENS: [&str; 6] = [
    "token-1",
    "token-2",
    "token-3",
    "token-4",
    "tok-SECRET-1",
    "tok-SECRET-9",
];

/// The built-in mock accepting, besides its defaults, the credentials
/// [`real`] gives trackctl: every Crux token of [`CRUX_TOKENS`] (two
/// accounts are two destinations), and the VTEX and SellerCloud ones.
fn accounts() -> MockConfig {
    let mut config = MockConfig::builtin()
        .with_credential("vtex-oms", "appKey", "vtexappkey-mystore-ABC")
        .with_credential("vtex-oms", "appToken", "app-token-SECRET")
        .with_login("sellercloud", "user", "password-SECRET")
        .with_credential("bigcommerce", "accessToken", "bigcommerce-token-SECRET")
        .with_login("ebay", "ebay-app-id", "ebay-client-SECRET")
        .with_credential("ebay", "api_auth", "v^1.1#refresh-SECRET")
        .with_login(
            "amazon",
            "amzn1.application-oa2-client.app",
            "amzn-client-SECRET",
        )
        .with_credential("amazon", "lwa", "Atzr|refresh-SECRET")
        .with_login("walmart", "walmart-client-id", "walmart-client-SECRET");
    for token in CRUX_TOKENS {
        config = config.with_credential("crux", "tokenAuth", format!("Token {token}"));
    }
    config
}

/// `trackctl push FILE` with real-provider settings pointing at `mock`.
fn push_real(mock: &MockServer, file: &Path, journal: &Path, crux_token: &str) -> Output {
    real(trackctl(), mock, crux_token)
        .args(["push", "--lookup-delay", "0.1", "--journal"])
        .arg(journal)
        .arg(file)
        .output()
        .unwrap()
}

/// Environment variables as for the real providers, with base URLs at `mock`.
fn real(mut command: Command, mock: &MockServer, crux_token: &str) -> Command {
    let base = |p: &str| mock.base_url(p).unwrap();
    command
        .env("CRUX_TOKEN", crux_token)
        .env("CRUX_BASE_URL", base("crux"))
        .env("VTEX_APP_KEY", "vtexappkey-mystore-ABC")
        .env("VTEX_APP_TOKEN", "app-token-SECRET")
        .env("VTEX_BASE_URL", base("vtex-oms"))
        .env("SELLERCLOUD_USERNAME", "user")
        .env("SELLERCLOUD_PASSWORD", "password-SECRET")
        .env("SELLERCLOUD_BASE_URL", base("sellercloud"))
        .env("BIGCOMMERCE_ACCESS_TOKEN", "bigcommerce-token-SECRET")
        .env("BIGCOMMERCE_BASE_URL", base("bigcommerce"))
        .env("EBAY_CLIENT_ID", "ebay-app-id")
        .env("EBAY_CLIENT_SECRET", "ebay-client-SECRET")
        .env("EBAY_REFRESH_TOKEN", "v^1.1#refresh-SECRET")
        .env("EBAY_BASE_URL", base("ebay"))
        .env("EBAY_TOKEN_URL", mock.token_url("ebay").unwrap())
        .env("AMAZON_LWA_CLIENT_ID", "amzn1.application-oa2-client.app")
        .env("AMAZON_LWA_CLIENT_SECRET", "amzn-client-SECRET")
        .env("AMAZON_REFRESH_TOKEN", "Atzr|refresh-SECRET")
        .env("AMAZON_MARKETPLACE_ID", "ATVPDKIKX0DER")
        .env("AMAZON_BASE_URL", base("amazon"))
        .env("AMAZON_TOKEN_URL", mock.token_url("amazon").unwrap())
        .env("WALMART_CLIENT_ID", "walmart-client-id")
        .env("WALMART_CLIENT_SECRET", "walmart-client-SECRET")
        .env("WALMART_BASE_URL", base("walmart"))
        .env("WALMART_TOKEN_URL", mock.token_url("walmart").unwrap());
    command
}

fn summary_of(output: &Output) -> String {
    let text = text(output);
    text.lines()
        .find(|l| l.contains(" pushed, "))
        .unwrap_or_else(|| panic!("no summary in:\n{text}"))
        .to_string()
}

fn all_once(mock: &MockServer, count: usize) {
    let arrived = arrivals(mock);
    assert_eq!(arrived.len(), count, "{arrived:?}");
    assert!(arrived.values().all(|n| *n == 1), "{arrived:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rehearsal_against_a_mock_does_not_count_for_the_real_providers() {
    let rehearsal = MockServer::start(accounts()).await.unwrap();
    let real_providers = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    let journal = dir.path().join("j.sqlite");

    let first = push(&rehearsal, &file, &journal);
    assert!(
        summary_of(&first).starts_with(&format!("{n} pushed", n = example_rows())),
        "{}",
        text(&first)
    );
    let second = push_real(&real_providers, &file, &journal, "token-1");
    assert!(second.status.success(), "{}", text(&second));
    assert!(
        summary_of(&second).starts_with(&format!("{n} pushed", n = example_rows())),
        "{}",
        text(&second)
    );
    all_once(&real_providers, example_rows());

    // The built-in mock never marks a file journal, even when given one.
    let builtin_journal = dir.path().join("builtin.sqlite");
    let builtin = trackctl()
        .args(["push", "--mock", "--journal"])
        .arg(&builtin_journal)
        .arg(&file)
        .output()
        .unwrap();
    assert!(builtin.status.success(), "{}", text(&builtin));
    assert!(text(&builtin).contains("is not used"), "{}", text(&builtin));
    assert!(!builtin_journal.exists());
    let fresh = MockServer::start(accounts()).await.unwrap();
    let after = push_real(&fresh, &file, &builtin_journal, "token-1");
    assert!(
        summary_of(&after).starts_with(&format!("{n} pushed", n = example_rows())),
        "{}",
        text(&after)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_destination_spelled_two_ways_is_one_and_two_accounts_are_two() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    let journal = dir.path().join("j.sqlite");
    let first = push_real(&mock, &file, &journal, "token-1");
    assert!(
        summary_of(&first).starts_with(&format!("{n} pushed", n = example_rows())),
        "{}",
        text(&first)
    );

    // The same URLs with another spelling: nothing is sent again.
    let mut command = real(trackctl(), &mock, "token-1");
    let shout = |p: &str| {
        let url = mock.base_url(p).unwrap().replacen("http://", "HTTP://", 1);
        format!("{url}/")
    };
    command
        .env("CRUX_BASE_URL", shout("crux"))
        .env("VTEX_BASE_URL", shout("vtex-oms"))
        .args(["push", "--journal"])
        .arg(&journal)
        .arg(&file);
    let again = command.output().unwrap();
    assert!(
        summary_of(&again).starts_with(&format!(
            "0 pushed, 0 failed, {n} skipped",
            n = example_rows()
        )),
        "{}",
        text(&again)
    );
    all_once(&mock, example_rows());

    // Another Crux account on the same URL (another token): its rows are
    // new there; the other providers' are not.
    let other = push_real(&mock, &file, &journal, "token-2");
    assert!(
        summary_of(&other).starts_with(&format!(
            "2 pushed, 0 failed, {n2} skipped",
            n2 = example_rows() - 2
        )),
        "{}",
        text(&other)
    );
    // CRUX_ACCOUNT names the account whatever the token.
    let named = |token: &str| {
        let mut command = real(trackctl(), &mock, token);
        command
            .env("CRUX_ACCOUNT", "acme")
            .args(["push", "--provider", "crux", "--journal"])
            .arg(dir.path().join("named.sqlite"))
            .arg(&file);
        command.output().unwrap()
    };
    assert!(summary_of(&named("token-3")).starts_with(&format!("{n} pushed", n = example_rows())));
    assert!(summary_of(&named("token-4")).starts_with(&format!(
        "0 pushed, 0 failed, {n} skipped",
        n = example_rows()
    )));
}

/// Rows whose calls may not be repeated (Crux adds, VTEX invoice
/// notifications, SellerCloud's multiple PO numbers), each number once.
fn unrepeatable_rows(dir: &Path, rows: usize) -> PathBuf {
    let mut csv = String::from(
        "provider,order_ref,tracking_number,carrier,invoice_number,invoice_value,target,line_items\n",
    );
    for i in 0..rows {
        let row = match i % 3 {
            0 => format!("crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,N-{i:04},UPS,,,,"),
            1 => format!("vtex-oms,v{i}-01,N-{i:04},Correios,{i},10.00,,1:1:10.00"),
            _ => format!("sellercloud,{},N-{i:04},UPS,,,po-multiple,", 1000 + i),
        };
        csv.push_str(&row);
        csv.push('\n');
    }
    write(dir, "rows.csv", &csv)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_started_together_never_send_a_row_twice() {
    const TRIALS: usize = 6;
    const ROWS: usize = 60;
    for trial in 0..TRIALS {
        let mock = MockServer::start(accounts()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = unrepeatable_rows(dir.path(), ROWS);
        let journal = dir.path().join("j.sqlite");
        let barrier = Arc::new(Barrier::new(2));
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let mut command = push_command(&mock, &file, &journal, &["--concurrency", "8"]);
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    command.output().unwrap()
                })
            })
            .collect();
        let outputs: Vec<Output> = runs.into_iter().map(|r| r.join().unwrap()).collect();
        for output in &outputs {
            let code = output.status.code();
            assert!(
                code == Some(0) || code == Some(75),
                "trial {trial}: {code:?}\n{}",
                text(output)
            );
            if code == Some(75) {
                assert!(text(output).contains("in use by another trackctl run"));
            }
        }
        mock.settle().await;
        all_once(&mock, ROWS);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_rows_of_one_file_are_sent_once_and_conflicting_ones_refused() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let crux = "0e63ac67-7c45-454d-b2ef-bb6b5ed387c3";
    let mut csv = String::from("provider,order_ref,tracking_number,carrier\n");
    for i in 0..20 {
        // The same row three times, spelled as Crux reads it: any case, braces.
        csv.push_str(&format!("crux,{crux},D-{i},UPS\n"));
        csv.push_str(&format!("crux,{{{}}},D-{i},UPS\n", crux.to_uppercase()));
        csv.push_str(&format!("crux,{crux}, D-{i} ,UPS\n"));
    }
    csv.push_str(&format!("crux,{crux},D-0,FedEx\n"));
    let file = write(dir.path(), "dups.csv", &csv);
    let output = push_command(
        &mock,
        &file,
        &dir.path().join("j.sqlite"),
        &["--concurrency", "16"],
    )
    .output()
    .unwrap();
    let summary = summary_of(&output);
    assert!(
        summary.starts_with("20 pushed, 1 failed"),
        "{}",
        text(&output)
    );
    assert!(summary.contains("40 duplicates"), "{summary}");
    assert!(summary.contains("61 rows"), "{summary}");
    assert!(
        text(&output)
            .contains("line 62: FAILED: the same shipment as line 2 with other fields (carrier)"),
        "{}",
        text(&output)
    );
    all_once(&mock, 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_neither_collide_nor_split() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Under trackctl 0.1's `provider|order|tracking|invoice` these two were
    // one key; and a sales order and a PO with one id and number were one.
    let csv = "provider,order_ref,tracking_number,carrier,service,shipped_at,invoice_number,target\n\
        vtex-oms,a|b,c,Correios,,,inv,\n\
        vtex-oms,a,b|c,Correios,,,inv,\n\
        sellercloud,123,S-1,UPS,Ground,2024-04-09,,order\n\
        sellercloud,123,S-1,UPS,,2024-04-09,,po\n\
        sellercloud,0123,S-1,UPS,,2024-04-09,,po\n";
    let file = write(dir.path(), "keys.csv", csv);
    let output = push(&mock, &file, &dir.path().join("j.sqlite"));
    let summary = summary_of(&output);
    assert!(
        summary.starts_with("4 pushed, 0 failed, 0 skipped") && summary.contains("1 duplicates"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains("line 6: skipped (the same shipment as line 5)"));
    let operations: Vec<String> = mock
        .ledger()
        .into_iter()
        .map(|e| e.operation)
        .filter(|op| op != "createToken")
        .collect();
    assert_eq!(operations.len(), 4, "{operations:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stray_quote_refuses_the_file_and_sends_nothing() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("provider,order_ref,tracking_number,carrier\n");
    for i in 0..1000 {
        let quote = if i == 2 { "\"" } else { "" };
        csv.push_str(&format!(
            "crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,{quote}Q-{i},UPS\n"
        ));
    }
    let file = write(dir.path(), "quote.csv", &csv);
    for command in ["validate", "push"] {
        let output = if command == "push" {
            push(&mock, &file, &dir.path().join("j.sqlite"))
        } else {
            trackctl().arg("validate").arg(&file).output().unwrap()
        };
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        assert!(
            text(&output).contains("line 4: a quoted value runs over more than one line"),
            "{}",
            text(&output)
        );
    }
    assert!(mock.ledger().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crlf_files_report_the_right_lines_and_every_line_is_accounted_for() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = "provider,order_ref,tracking_number,shipped_at\r\n\
        crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,C-1,2024-04-09\r\n\
        crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,C-2,yesterday\r\n\
        \r\n\
        crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,C\n3,2024-04-09\r\n";
    let broken = write(dir.path(), "crlf.csv", csv);
    let output = push(&mock, &broken, &dir.path().join("j.sqlite"));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("line 5:"), "{}", text(&output));
    let file = write(
        dir.path(),
        "crlf.csv",
        &csv.replace("C\n3", "C-3")
            .replace("C-1,2024", "C-1\u{7},2024"),
    );
    let output = push(&mock, &file, &dir.path().join("j.sqlite"));
    let report = text(&output);
    assert!(report.contains("line 3: FAILED: shipped_at:"), "{report}");
    assert!(
        report.contains(
            "line 2: FAILED: tracking_number: contains a line break or another control character"
        ),
        "{report}"
    );
    assert!(
        summary_of(&output).starts_with("1 pushed, 2 failed") && report.contains("3 rows"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_that_is_not_one_is_refused_and_nothing_is_sent() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Make); 3] = [
        ("the file is empty", &|p| std::fs::write(p, "").unwrap()),
        ("not a SQLite file", &|p| {
            std::fs::write(p, "hello").unwrap()
        }),
        ("not a trackctl journal", &|p| {
            let c = rusqlite::Connection::open(p).unwrap();
            c.execute_batch("CREATE TABLE notes (text TEXT);").unwrap();
        }),
    ];
    for (i, (message, make)) in cases.iter().enumerate() {
        let journal = dir.path().join(format!("bad-{i}.sqlite"));
        make(&journal);
        let output = push(&mock, &file, &journal);
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        assert!(text(&output).contains(message), "{}", text(&output));
    }
    assert!(mock.ledger().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_copied_without_its_log_during_a_run_is_refused() {
    // Slow answers keep the first run open while its journal is copied.
    let faults = Faults {
        delay: 1.0,
        delay_ms: 300,
        ..Faults::none()
    };
    let mock = MockServer::start(accounts().with_faults(faults))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unrepeatable_rows(dir.path(), 30);
    let journal = dir.path().join("j.sqlite");
    let mut running = push_command(&mock, &file, &journal, &["--concurrency", "2"])
        .spawn()
        .unwrap();
    let started = Instant::now();
    while mock.ledger().len() < 4 {
        assert!(started.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(20));
    }
    let copy = dir.path().join("copy.sqlite");
    std::fs::copy(&journal, &copy).unwrap();
    running.wait().unwrap();

    mock.set_faults(Faults::none()).unwrap();
    let before = mock.ledger().len();
    let output = push(&mock, &file, &copy);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("its write-ahead log (the -wal file beside it) is missing"),
        "{}",
        text(&output)
    );
    assert_eq!(mock.ledger().len(), before);
    // The journal itself, closed cleanly, is whole on its own.
    let rerun = push(&mock, &file, &journal);
    assert!(
        summary_of(&rerun).starts_with("0 pushed, 0 failed, 30 skipped"),
        "{}",
        text(&rerun)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_of_trackctl_0_1_is_migrated_for_the_real_providers() {
    // Made by trackctl 0.1 (`trackctl push --journal …` of this CSV).
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shipments.csv");
    // The same rows, with a Crux UUID in capitals and a PO id with a
    // leading zero: as the provider reads them, the same shipments.
    let rows = std::fs::read_to_string(fixtures.join("journal-v0.1.csv"))
        .unwrap()
        .replace(
            "5b1f6c0e-8d3a-4b8e-9a43-0c2f3d0b7a11",
            "5B1F6C0E-8D3A-4B8E-9A43-0C2F3D0B7A11",
        )
        .replace("sellercloud,18227,", "sellercloud,018227,");
    std::fs::write(&file, rows).unwrap();
    let journal = dir.path().join("old.sqlite");
    std::fs::copy(fixtures.join("journal-v0.1.sqlite"), &journal).unwrap();

    // A rehearsal against a mock first: the old rows are not its to adopt.
    let rehearsal = MockServer::start(MockConfig::builtin()).await.unwrap();
    let first = push(&rehearsal, &file, &journal);
    assert!(
        summary_of(&first).starts_with("7 pushed"),
        "{}",
        text(&first)
    );

    // The real providers: every row of 0.1 is adopted, unchanged.
    let real_providers = MockServer::start(accounts()).await.unwrap();
    let second = push_real(&real_providers, &file, &journal, "token-1");
    assert!(
        summary_of(&second)
            .starts_with("0 pushed, 0 failed, 7 skipped (already pushed), 0 uncertain, 0 changed"),
        "{}",
        text(&second)
    );
    assert!(
        real_providers
            .ledger()
            .iter()
            .all(|e| e.operation == "createToken")
    );
    // Adopted once: another destination gets every row.
    let other = MockServer::start(accounts()).await.unwrap();
    let third = push_real(&other, &file, &journal, "token-1");
    assert!(
        summary_of(&third).starts_with("7 pushed"),
        "{}",
        text(&third)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_that_holds_one_tracking_number_never_gets_two_in_silence() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let header = "provider,order_ref,tracking_number,carrier,shipped_at,invoice_number,target\n";
    let first = "vtex-oms,v8-01,BR800000001BR,Correios,2024-04-09T15:00:00Z,0802,\n";
    let second = "vtex-oms,v8-01,BR800000002BR,Correios,2024-04-09T15:00:00Z,0802,\n";
    let po_a = "sellercloud,68227,1Z68227A,UPS,2024-04-09T12:26:18Z,,po\n";
    let po_b = "sellercloud,68227,1Z68227B,UPS,2024-04-09T12:26:18Z,,po\n";

    // Two numbers for one invoice (and one PO) in one file: the second of
    // each is refused, naming the first.
    let both = write(
        dir.path(),
        "both.csv",
        &format!("{header}{first}{second}{po_a}{po_b}"),
    );
    let output = push(&mock, &both, &journal);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    assert!(report.contains("line 3: FAILED: line 2 sends tracking number BR800000001BR to the same invoice, and vtex-oms keeps one tracking number per invoice"), "{report}");
    assert!(
        report.contains(
            "line 5: FAILED: line 4 sends tracking number 1Z68227A to the same purchase order"
        ),
        "{report}"
    );
    let sent = |mock: &MockServer| {
        mock.ledger()
            .into_iter()
            .filter(|e| e.operation != "createToken")
            .count()
    };
    assert_eq!(sent(&mock), 2);

    // The next day the invoice's number is corrected (the old one is gone
    // from the file): reported, then sent with --push-changes, by the call
    // that replaces it.
    let corrected = write(
        dir.path(),
        "corrected.csv",
        &format!("{header}{second}{po_a}"),
    );
    let output = push(&mock, &corrected, &journal);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("the tracking number was BR800000001BR (line 2), now BR800000002BR, and BR800000001BR is no longer in the file: vtex-oms keeps one tracking number per invoice"),
        "{}",
        text(&output)
    );
    assert_eq!(sent(&mock), 2);
    let output = push_command(&mock, &corrected, &journal, &["--push-changes"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let ledger = mock.ledger();
    let last = ledger.last().unwrap();
    assert_eq!(last.operation, "updatePartialInvoice");
    assert_eq!(
        last.body.as_ref().unwrap()["trackingNumber"],
        "BR800000002BR"
    );
    // With both in the file again, the old one skipped, the new one too.
    let again = push(&mock, &both, &journal);
    assert!(summary_of(&again).contains("3 skipped"), "{}", text(&again));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_changed_since_it_was_pushed_is_reported_and_sent_only_when_asked() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    let journal = dir.path().join("j.sqlite");
    assert!(push(&mock, &file, &journal).status.success());

    // The same rows as JSON Lines are the same rows: nothing changed.
    let jsonl = dir.path().join("shipments.jsonl");
    let rows = trackctl_rows_as_jsonl(&file);
    std::fs::write(&jsonl, rows).unwrap();
    let same = push(&mock, &jsonl, &journal);
    assert!(
        summary_of(&same).starts_with(&format!(
            "0 pushed, 0 failed, {n} skipped",
            n = example_rows()
        )),
        "{}",
        text(&same)
    );

    // A new carrier for a Crux row (line 2), a new value for a VTEX invoice
    // (line 5).
    let text_of = std::fs::read_to_string(&file).unwrap();
    let changed = text_of
        .replace("1Z999AA10123456784,UPS,", "1Z999AA10123456784,FedEx,")
        .replace(",0102030406,49.90,", ",0102030406,59.90,");
    std::fs::write(&file, changed).unwrap();
    let before = mock.ledger().len();
    let report = push(&mock, &file, &journal);
    assert_eq!(report.status.code(), Some(1), "{}", text(&report));
    let summary = summary_of(&report);
    assert!(
        summary.starts_with(&format!(
            "0 pushed, 0 failed, {n2} skipped",
            n2 = example_rows() - 2
        )) && summary.contains("2 changed since pushed"),
        "{summary}"
    );
    assert!(text(&report).contains("(carrier): not sent; run again with --push-changes"));
    assert!(text(&report).contains("(invoice_value): VTEX has no call that changes invoice_value"));
    assert_eq!(
        mock.ledger().len(),
        before,
        "nothing is sent without the flag"
    );

    let sent = push_command(&mock, &file, &journal, &["--push-changes"])
        .output()
        .unwrap();
    let summary = summary_of(&sent);
    assert!(
        summary.starts_with(&format!(
            "1 pushed, 0 failed, {n2} skipped",
            n2 = example_rows() - 2
        )) && summary.contains("1 changed since pushed"),
        "{}",
        text(&sent)
    );
    let ledger = mock.ledger();
    let new: Vec<_> = ledger[before..].iter().collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].operation, "updateOrderTracking");
    assert_eq!(new[0].body.as_ref().unwrap()["carrier"], "FedEx");
    // The change is delivered: the next run has nothing to send for it.
    let after = push_command(&mock, &file, &journal, &["--push-changes"])
        .output()
        .unwrap();
    assert!(summary_of(&after).starts_with(&format!(
        "0 pushed, 0 failed, {n1} skipped",
        n1 = example_rows() - 1
    )));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_tracking_number_is_reported_and_a_further_package_pushed() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    let journal = dir.path().join("j.sqlite");
    assert!(push(&mock, &file, &journal).status.success());
    let original = std::fs::read_to_string(&file).unwrap();
    let before = mock.ledger().len();

    // Line 2's number corrected: reported, not sent.
    std::fs::write(
        &file,
        original.replace("1Z999AA10123456784", "1Z999AA1012345678X"),
    )
    .unwrap();
    let corrected = push(&mock, &file, &journal);
    assert_eq!(corrected.status.code(), Some(1), "{}", text(&corrected));
    assert!(
        text(&corrected).contains("line 2: CHANGED: changed since pushed by the run of"),
        "{}",
        text(&corrected)
    );
    assert!(text(&corrected).contains("was 1Z999AA10123456784 (line 2), now 1Z999AA1012345678X"));
    assert!(summary_of(&corrected).starts_with(&format!(
        "0 pushed, 0 failed, {n1} skipped",
        n1 = example_rows() - 1
    )));
    assert_eq!(mock.ledger().len(), before);

    // A further package of the same order on that line, the first one
    // still in the file (now on line 3): pushed.
    let mut lines: Vec<&str> = original.lines().collect();
    let further = lines[1].replace("1Z999AA10123456784", "1Z999AA10123456799");
    lines.insert(1, &further);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let pushed = push(&mock, &file, &journal);
    assert!(pushed.status.success(), "{}", text(&pushed));
    assert!(summary_of(&pushed).starts_with(&format!(
        "1 pushed, 0 failed, {n} skipped",
        n = example_rows()
    )));
    assert_eq!(mock.ledger()[before].operation, "addOrderTracking");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_whose_first_call_was_applied_is_finished_by_the_rest_alone() {
    // The events PUT fails (500: it may have been applied) after the
    // invoice POST went through.
    let faults = Faults {
        server_error: 1.0,
        only: vec!["updateTrackingStatus".into()],
        ..Faults::none()
    };
    let mock = MockServer::start(MockConfig::builtin().with_faults(faults))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "invoice.csv",
        "provider,order_ref,tracking_number,carrier,invoice_number,invoice_value,line_items,delivered_at\n\
         vtex-oms,v9-01,BR900000001BR,Correios,0902,49.90,1:1:49.90,2024-04-11T18:05:00Z\n",
    );
    let journal = dir.path().join("j.sqlite");
    let first = push(&mock, &file, &journal);
    assert_eq!(first.status.code(), Some(1), "{}", text(&first));
    assert!(
        text(&first).contains("invoiceNotification had been applied, and is not sent again"),
        "{}",
        text(&first)
    );
    let posts = |mock: &MockServer| {
        mock.ledger()
            .iter()
            .filter(|e| e.operation == "invoiceNotification")
            .count()
    };
    assert_eq!(posts(&mock), 1);

    mock.set_faults(Faults::none()).unwrap();
    // The events call may not be repeated: still uncertain until asked.
    let again = push(&mock, &file, &journal);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    let resent = push_command(&mock, &file, &journal, &["--resend-uncertain"])
        .output()
        .unwrap();
    assert!(resent.status.success(), "{}", text(&resent));
    assert!(
        text(&resent).contains(
            "pushed (vtex-oms updateTrackingStatus, after invoiceNotification in an earlier run)"
        ),
        "{}",
        text(&resent)
    );
    assert_eq!(posts(&mock), 1, "the invoice is never notified twice");
}

/// The example CSV's rows as JSON Lines, field for field.
fn trackctl_rows_as_jsonl(csv: &Path) -> String {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut out = String::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let mut row = BTreeMap::new();
        for (column, value) in header.iter().zip(line.split(',')) {
            if value.is_empty() {
                continue;
            }
            let value = match *column {
                "cost" | "weight" | "invoice_value" => {
                    serde_json::json!(value.parse::<f64>().unwrap())
                }
                "line_items" => serde_json::Value::Array(
                    value
                        .split(';')
                        .map(|item| {
                            let parts: Vec<&str> = item.split(':').collect();
                            let mut item = serde_json::json!({
                                "id": parts[0],
                                "quantity": parts[1].parse::<u32>().unwrap(),
                            });
                            if let Some(price) = parts.get(2) {
                                item["price"] = serde_json::json!(price.parse::<f64>().unwrap());
                            }
                            item
                        })
                        .collect(),
                ),
                _ => serde_json::json!(value),
            };
            row.insert(column.to_string(), value);
        }
        out.push_str(&serde_json::to_string(&row).unwrap());
        out.push('\n');
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_ctrl_c_stops_at_once_and_journals_rows_in_flight() {
    // Every answer takes 20 s: a first Ctrl-C alone would wait for them.
    let faults = Faults {
        delay: 1.0,
        delay_ms: 20_000,
        ..Faults::none()
    };
    let mock = MockServer::start(accounts().with_faults(faults))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unrepeatable_rows(dir.path(), 12);
    let journal = dir.path().join("j.sqlite");
    let mut child = push_command(&mock, &file, &journal, &["--concurrency", "3"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Its messages as they come: the rows start right after "Journal:".
    let (lines, seen) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while !seen
        .recv_timeout(Duration::from_secs(60))
        .unwrap()
        .starts_with("Journal:")
    {
        assert!(Instant::now() < deadline, "trackctl never started its rows");
    }
    // The first three rows are claimed and sent at once; their answers take 20 s.
    std::thread::sleep(Duration::from_millis(700));
    let started = Instant::now();
    for _ in 0..2 {
        let sent = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let report = reader.join().unwrap();
    assert_eq!(status.code(), Some(130), "{report}");
    assert!(report.contains("stopping at once"), "{report}");
    assert!(report.contains("3 uncertain"), "{report}");
    assert!(report.contains("9 not started"), "{report}");

    // The next run knows those three were in flight: none is taken as new.
    mock.set_faults(Faults::none()).unwrap();
    let next = push(&mock, &file, &journal);
    let report = text(&next);
    assert!(
        report
            .matches("stopped (a second Ctrl-C) while it was being sent")
            .count()
            == 2,
        "the VTEX and SellerCloud rows stay uncertain: {report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_files_in_env_form_work_and_their_errors_show_no_secret() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    let env = format!(
        "# settings\nCRUX_TOKEN=tok-SECRET-1\nCRUX_BASE_URL={}\n",
        mock.base_url("crux").unwrap()
    );
    let config = write(dir.path(), "trackctl.env", &env);
    let output = trackctl()
        .args(["push", "--provider", "crux", "--config"])
        .arg(&config)
        .arg(&file)
        .output()
        .unwrap();
    assert!(text(&output).contains(&format!("crux at {}", mock.base_url("crux").unwrap())));
    assert!(!text(&output).contains("tok-SECRET-1"));

    let broken = write(
        dir.path(),
        "broken.conf",
        "CRUX_TOKEN=tok-SECRET-2\nVTEX_APP_TOKEN tok-SECRET-3\n",
    );
    let output = trackctl()
        .args(["push", "--config"])
        .arg(&broken)
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report = text(&output);
    assert!(
        report.contains("line 2: not a NAME=value setting"),
        "{report}"
    );
    assert!(!report.contains("SECRET"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_turn_on_with_rust_log_or_v_and_never_show_a_secret() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    let journal = dir.path().join("j.sqlite");
    let run = |set: &dyn Fn(&mut Command)| {
        let mut command = real(trackctl(), &mock, "tok-SECRET-9");
        command
            .env("CRUX_USERNAME", "someone")
            .env("CRUX_PASSWORD", "pw-SECRET-8");
        set(&mut command);
        command.args(["push", "--journal"]).arg(&journal).arg(&file);
        let output = command.output().unwrap();
        std::fs::remove_file(&journal).unwrap();
        text(&output)
    };
    let quiet = run(&|_| {});
    assert!(!quiet.contains("row{line="), "{quiet}");
    let verbose = run(&|c| {
        c.arg("-v");
    });
    assert!(verbose.contains("row{line="), "{verbose}");
    let trace = run(&|c| {
        c.env("RUST_LOG", "trace");
    });
    assert!(trace.contains("call{"), "{trace}");
    for output in [&quiet, &verbose, &trace] {
        assert!(!output.contains("SECRET"), "a secret in:\n{output}");
    }
}

/// A run with these settings files and variables only: nothing inherited.
fn push_with(dir: &Path, file: &Path, config: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut command = trackctl();
    command.arg("push");
    if let Some(text) = config {
        command.arg("--config").arg(write(dir, "prod.env", text));
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.arg(file).output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blank_or_missing_credentials_are_an_error_never_a_silent_mock() {
    let dir = tempfile::tempdir().unwrap();
    let file = shipments(dir.path());
    // A config file, the environment, and what the refusal says.
    type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)], &'a str);
    let refused: [Case; 11] = [
        // A secret injection that failed.
        (
            Some("CRUX_TOKEN=\nSELLERCLOUD_PASSWORD=\n"),
            &[],
            "line 1: CRUX_TOKEN is blank",
        ),
        (Some(""), &[], "the settings name no provider's credentials"),
        (
            Some("VTEX_ACCOUNT=mystore\n"),
            &[],
            "vtex-oms: VTEX_ACCOUNT set, but not VTEX_APP_KEY and VTEX_APP_TOKEN",
        ),
        (
            None,
            &[("CRUX_TOKEN", "")],
            "CRUX_TOKEN is set but blank in the environment",
        ),
        (
            None,
            &[("SELLERCLOUD_SERVER_ID", "my-server")],
            "sellercloud: SELLERCLOUD_SERVER_ID set, but not SELLERCLOUD_USERNAME",
        ),
        // Half of what a provider needs, found before a journal is made.
        (
            None,
            &[("VTEX_APP_KEY", "k"), ("VTEX_APP_TOKEN", "t")],
            "vtex-oms: VTEX_APP_KEY, VTEX_APP_TOKEN set, but not VTEX_ACCOUNT (or VTEX_BASE_URL)",
        ),
        (
            None,
            &[("CRUX_TOKEN", "t"), ("CRUX_BASE_URL", "ftp://x")],
            "crux: the base URL is not an http or https URL",
        ),
        // A misspelled variable names a provider: no silent mock.
        (
            None,
            &[("SELLERCLOUD_USER", "u")],
            "the environment has SELLERCLOUD_USER, which trackctl does not read",
        ),
        // A server id is a host label: a value cannot send the login elsewhere.
        (
            None,
            &[
                ("SELLERCLOUD_USERNAME", "u"),
                ("SELLERCLOUD_PASSWORD", "p"),
                ("SELLERCLOUD_SERVER_ID", "evil.example/"),
            ],
            "SELLERCLOUD_SERVER_ID is not a name the provider's host is made of",
        ),
        (
            None,
            &[("crux_token", "x")],
            "the environment has crux_token, which trackctl does not read",
        ),
        // A journal is for a real run.
        (
            None,
            &[("TRACKCTL_JOURNAL", "j.sqlite")],
            "a journal is given (--journal or TRACKCTL_JOURNAL), but no provider",
        ),
    ];
    for (config, env, why) in refused {
        let output = push_with(dir.path(), &file, config, env);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{config:?} {env:?}\n{}",
            text(&output)
        );
        assert!(
            text(&output).contains(why),
            "{why:?} not in:\n{}",
            text(&output)
        );
        assert!(!text(&output).contains("pushed"), "{}", text(&output));
    }
    // Refused before anything was opened: no journal was made.
    assert!(!dir.path().join("trackctl.journal.sqlite").exists());

    // Nothing names a provider: the built-in mock, which the summary says
    // even under -q; and --mock asks for it whatever is set.
    let quiet = trackctl().args(["push", "-q"]).arg(&file).output().unwrap();
    let asked = trackctl()
        .args(["push", "--mock"])
        .env("CRUX_TOKEN", "tok-real")
        .arg(&file)
        .output()
        .unwrap();
    for output in [&quiet, &asked] {
        assert!(output.status.success(), "{}", text(output));
        let summary = summary_of(output);
        assert!(
            summary.starts_with(&format!("{n} pushed", n = example_rows()))
                && summary
                    .ends_with("to the built-in mock: nothing was delivered to a real provider"),
            "{summary}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misspelled_column_refuses_the_file_and_a_vtex_row_says_what_it_is() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let header = "provider,order_ref,tracking_number,carrier,invoice_number,invoice_valeu,line_items,trackingurl";
    let row = "vtex-oms,v501246lspt-01,BR123456790BR,Correios,0102030406,49.90,1:1:44.90;2:1:5.00,https://t.example/BR1";
    let file = write(dir.path(), "typo.csv", &format!("{header}\n{row}\n"));
    let journal = dir.path().join("j.sqlite");
    for command in ["validate", "push"] {
        let output = if command == "push" {
            push(&mock, &file, &journal)
        } else {
            trackctl().arg(command).arg(&file).output().unwrap()
        };
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        assert!(
            text(&output)
                .contains("unknown column \"invoice_valeu\" (did you mean \"invoice_value\"?)"),
            "{}",
            text(&output)
        );
    }
    assert!(mock.ledger().is_empty());

    // Corrected, the row is a new invoice, and says so.
    let fixed = write(
        dir.path(),
        "fixed.csv",
        &format!("{}\n{row}\n", header.replace("valeu", "value")),
    );
    let output = trackctl().arg("validate").arg(&fixed).output().unwrap();
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("line 2: vtex-oms: a new invoice 0102030406 (the row has invoice_value): invoiceNotification"),
        "{}",
        text(&output)
    );
    let output = push_command(&mock, &fixed, &journal, &["-v"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("vtex-oms: a new invoice 0102030406"),
        "{}",
        text(&output)
    );
    let sent = &mock.ledger()[0];
    assert_eq!(sent.operation, "invoiceNotification");

    // Left out on purpose, the column is not read: tracking onto the invoice.
    let output = trackctl()
        .args(["validate", "--ignore-column", "invoice_valeu"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains(
            "line 2: vtex-oms: tracking onto invoice 0102030406, which the order must already have"
        ),
        "{}",
        text(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identifiers_a_spreadsheet_wrote_in_scientific_notation_are_refused() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "excel.csv",
        "provider,order_ref,tracking_number,carrier,service,shipped_at,invoice_number\n\
         sellercloud,5004321,7.94699E+11,FedEx,FedEx Ground,2024-04-09T12:26:18Z,\n\
         crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,1.23457E+19,UPS,Ground,2024-04-09T12:26:18Z,\n\
         vtex-oms,v1-01,BR1,Correios,,,1.02E+08\n\
         sellercloud,5004322,794698753190,FedEx,FedEx Ground,2024-04-09T12:26:18Z,\n",
    );
    let validated = trackctl().arg("validate").arg(&file).output().unwrap();
    let pushed = push(&mock, &file, &dir.path().join("j.sqlite"));
    for output in [&validated, &pushed] {
        assert_eq!(output.status.code(), Some(1), "{}", text(output));
        for (line, field, value) in [
            (2, "tracking_number", "7.94699E+11"),
            (3, "tracking_number", "1.23457E+19"),
            (4, "invoice_number", "1.02E+08"),
        ] {
            let expected =
                format!("line {line}: {field}: \"{value}\" is a number as a spreadsheet shows it");
            assert!(
                text(output).contains(&expected),
                "{expected}\n{}",
                text(output)
            );
        }
        assert!(text(output).contains("Format the column as text"));
    }
    assert!(
        text(&validated).contains("1 valid, 3 invalid"),
        "{}",
        text(&validated)
    );
    assert_eq!(
        arrivals(&mock).into_keys().collect::<Vec<_>>(),
        ["794698753190"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_stops_the_run_cleanly_and_the_rerun_needs_no_flag() {
    use std::io::BufRead;
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unrepeatable_rows(dir.path(), 300);
    let journal = dir.path().join("j.sqlite");
    // `trackctl push -v … 2>&1 | head -1`: the logs as well as the rows'
    // lines meet the closed pipe.
    let mut child = push_command(&mock, &file, &journal, &["-v"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("Pushing to"), "{first}");
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(141),
        "a closed pipe stops the run, no panic"
    );

    // The journal was closed cleanly: no --journal-is-whole, nothing twice.
    let rerun = push(&mock, &file, &journal);
    assert!(rerun.status.success(), "{}", text(&rerun));
    mock.settle().await;
    all_once(&mock, 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_files_of_one_folder_never_resend_the_rows_they_repeat() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let header = "provider,order_ref,tracking_number,carrier,invoice_number,invoice_value,target,line_items\n";
    // Crux's add, VTEX's invoice and SellerCloud's multiple-PO call: none
    // may be sent twice.
    let late = "crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,LATE-1,UPS,,,,\n\
                vtex-oms,v9-01,LATE-2,Correios,9,10.00,,1:1:10.00\n\
                sellercloud,1009,LATE-3,UPS,,,po-multiple,\n";
    let day = |name: &str, rows: &str| write(dir.path(), name, &format!("{header}{rows}"));
    // The first day was pushed by an earlier trackctl, whose journal was
    // the file's own (FILE.journal.sqlite).
    let first = day(
        "shipments-2024-04-08.csv",
        "crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,OLD-1,UPS,,,,\n",
    );
    let own = dir.path().join("shipments-2024-04-08.csv.journal.sqlite");
    let output = push_real(&mock, &first, &own, "token-1");
    assert!(output.status.success(), "{}", text(&output));

    let second = day(
        "shipments-2024-04-09.csv",
        &format!("crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,DAY-9,UPS,,,,\n{late}"),
    );
    let third = day(
        "shipments-2024-04-10.csv",
        &format!(
            "{late}crux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,OLD-1,UPS,,,,\ncrux,0e63ac67-7c45-454d-b2ef-bb6b5ed387c3,DAY-10,UPS,,,,\n"
        ),
    );
    let run = |file: &Path| {
        real(trackctl(), &mock, "token-1")
            .args(["push", "--lookup-delay", "0.1"])
            .arg(file)
            .output()
            .unwrap()
    };
    // A journal of its own (--journal) adopts the folder's per-file ones too.
    let elsewhere = tempfile::tempdir().unwrap();
    let output = real(trackctl(), &mock, "token-1")
        .args(["push", "--journal"])
        .arg(elsewhere.path().join("j.sqlite"))
        .arg(&first)
        .output()
        .unwrap();
    assert!(
        summary_of(&output).starts_with("0 pushed, 0 failed, 1 skipped"),
        "{}",
        text(&output)
    );

    let output = run(&second);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("Adopted 1 rows of shipments-2024-04-08.csv.journal.sqlite"),
        "{}",
        text(&output)
    );
    assert!(
        summary_of(&output).starts_with("4 pushed"),
        "{}",
        text(&output)
    );
    let output = run(&third);
    assert!(output.status.success(), "{}", text(&output));
    let summary = summary_of(&output);
    assert!(
        summary.starts_with("1 pushed, 0 failed, 4 skipped"),
        "{}",
        text(&output)
    );
    assert!(dir.path().join("trackctl.journal.sqlite").exists());
    mock.settle().await;
    all_once(&mock, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validate_refuses_what_push_refuses_in_the_same_words() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "two.csv",
        "provider,order_ref,tracking_number,carrier,service,shipped_at,invoice_number\n\
         sellercloud,5004322,T-1,FedEx,FedEx Ground,2024-04-09T12:26:18Z,\n\
         sellercloud,5004322,T-2,FedEx,FedEx Ground,2024-04-09T12:26:18Z,\n\
         vtex-oms,v2-01,BR-2,Correios,,,77\n\
         vtex-oms,v2-01,BR-3,Correios,,,77\n",
    );
    let validated = trackctl().arg("validate").arg(&file).output().unwrap();
    assert_eq!(validated.status.code(), Some(1), "{}", text(&validated));
    assert!(
        text(&validated).contains("2 valid, 2 invalid"),
        "{}",
        text(&validated)
    );
    // One worker, so that push claims the rows in the file's order.
    let pushed = push_command(
        &mock,
        &file,
        &dir.path().join("j.sqlite"),
        &["--concurrency", "1"],
    )
    .output()
    .unwrap();
    assert_eq!(pushed.status.code(), Some(1), "{}", text(&pushed));
    for refusal in [
        "line 3: line 2 sends tracking number T-1 to the same sales order, and sellercloud keeps one tracking number per sales order",
        "line 5: line 4 sends tracking number BR-2 to the same invoice, and vtex-oms keeps one tracking number per invoice",
    ] {
        assert!(
            text(&validated).contains(refusal),
            "{refusal}\n{}",
            text(&validated)
        );
        assert!(
            text(&pushed).contains(refusal),
            "{refusal}\n{}",
            text(&pushed)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_of_empty_cells_are_counted_blank_not_failed() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut csv = std::fs::read_to_string(example("shipments.csv")).unwrap();
    csv.push_str(",,,,,,,,,,,,\n,,,,,,,,,,,,\n");
    let file = write(dir.path(), "export.csv", &csv);
    let output = push(&mock, &file, &dir.path().join("j.sqlite"));
    assert!(output.status.success(), "{}", text(&output));
    let summary = summary_of(&output);
    assert!(
        summary.starts_with(&format!("{n} pushed, 0 failed", n = example_rows())),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(", 2 blank — {} rows", example_rows() + 2)),
        "{summary}"
    );
    let validated = trackctl().arg("validate").arg(&file).output().unwrap();
    assert!(validated.status.success(), "{}", text(&validated));
    assert!(text(&validated).contains(&format!(
        "{n} valid, 0 invalid, 2 blank",
        n = example_rows()
    )));
}

/// Credentials the platform refuses are tried once per provider, not once
/// per row: repeated failed logins lock accounts. The rows not sent stay
/// unclaimed, so the run with the credentials fixed delivers them, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_stop_the_provider_and_the_fixed_rerun_delivers() {
    let mock = MockServer::start(accounts().stateful()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (0..40)
        .map(|i| format!("crux,0e63ac67-7c45-454d-b2ef-{i:012},1Z{i:04},UPS\n"))
        .collect();
    let file = write(
        dir.path(),
        "day.csv",
        &format!("provider,order_ref,tracking_number,carrier\n{rows}"),
    );
    let journal = dir.path().join("journal.sqlite");

    let refused = push_real(&mock, &file, &journal, "tok-WRONG");
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let output = text(&refused);
    assert!(
        output.contains("crux refused the credentials (line "),
        "{output}"
    );
    assert!(!output.contains("tok-WRONG"), "{output}");
    // The first row goes alone: one request was sent with them. The rest
    // are told once, grouped, not line by line.
    assert!(
        output.contains("39 rows for crux not sent: crux refused the credentials (line "),
        "{output}"
    );
    assert!(summary_of(&refused).contains(", 39 not sent"), "{output}");
    assert_eq!(
        output.lines().filter(|l| l.contains("not sent")).count(),
        2,
        "{output}"
    );
    assert!(arrivals(&mock).is_empty());

    let fixed = push_real(&mock, &file, &journal, CRUX_TOKENS[0]);
    assert!(fixed.status.success(), "{}", text(&fixed));
    all_once(&mock, 40);
}

/// A provider that cannot be reached costs `--breaker` rows' retries (one,
/// here), not every row's: the run stops sending to it, says so, and exits
/// 69 (sysexits' "unavailable"), leaving the rows for the next run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_provider_is_stopped_after_its_first_row() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Crux's calls cannot connect; SellerCloud's login cannot either.
    let rows: String = (0..30)
        .map(|i| {
            format!(
                "crux,0e63ac67-7c45-454d-b2ef-{i:012},1Z{i:04},UPS,\nsellercloud,{},SC{i:04},UPS,po\n",
                1000 + i
            )
        })
        .collect();
    let file = write(
        dir.path(),
        "day.csv",
        &format!("provider,order_ref,tracking_number,carrier,target\n{rows}"),
    );
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let output = real(trackctl(), &mock, CRUX_TOKENS[0])
        .env("CRUX_BASE_URL", &nowhere)
        .env("SELLERCLOUD_BASE_URL", &nowhere)
        .args(["push", "--breaker", "1", "--journal"])
        .arg(dir.path().join("journal.sqlite"))
        .arg(&file)
        .output()
        .unwrap();
    let text = text(&output);
    assert_eq!(output.status.code(), Some(69), "{text}");
    for provider in ["crux", "sellercloud"] {
        assert!(
            text.contains(&format!("{provider} could not be reached (line ")),
            "{text}"
        );
    }
    // Each provider's first row goes alone, and stops it; the rest are
    // told once per provider.
    for provider in ["crux", "sellercloud"] {
        assert!(
            text.contains(&format!(
                "29 rows for {provider} not sent: {provider} could not be reached"
            )),
            "{text}"
        );
    }
    assert!(text.contains(", 58 not sent"), "{text}");
}

/// The row that goes alone is the first that sends, not the first of the
/// file: on a rerun whose first rows were delivered before, refused
/// credentials still cost one request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_starts_slow_at_the_first_row_it_sends() {
    let mock = MockServer::start(accounts().stateful()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let header = "provider,order_ref,tracking_number,carrier\n";
    let row = |i: usize| format!("crux,0e63ac67-7c45-454d-b2ef-{i:012},1Z{i:04},UPS\n");
    let earlier = write(
        dir.path(),
        "earlier.csv",
        &format!("{header}{}", (0..10).map(row).collect::<String>()),
    );
    let today = write(
        dir.path(),
        "today.csv",
        &format!("{header}{}", (0..40).map(row).collect::<String>()),
    );
    let journal = dir.path().join("journal.sqlite");
    // One account for both tokens: the rows of the first run count for the second.
    let push = |file: &Path, token: &str| {
        real(trackctl(), &mock, token)
            .env("CRUX_ACCOUNT", "acme")
            .args(["push", "--journal"])
            .arg(&journal)
            .arg(file)
            .output()
            .unwrap()
    };
    let first = push(&earlier, CRUX_TOKENS[0]);
    assert!(first.status.success(), "{}", text(&first));

    let refused = push(&today, "tok-WRONG");
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let output = text(&refused);
    // 10 delivered before, 1 sent and refused, the other 29 not sent.
    assert!(
        output.contains("29 rows for crux not sent: crux refused the credentials"),
        "{output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spreadsheets_semicolon_windows_1252_export_is_read_as_told_and_said_at_the_top() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    // As a spreadsheet in a European locale saves it on Windows: human
    // column names, semicolons, windows-1252 ("é" is one byte, 0xE9).
    let mut bytes = b"Provider;Order Ref;Tracking Number;Carrier;Service\r\n".to_vec();
    bytes.extend(
        b"crux;0e63ac67-7c45-454d-b2ef-bb6b5ed387c3;1Z999AA10123456790;UPS;Exp\xe9di\xe9\r\n",
    );
    let file = dir.path().join("export.csv");
    std::fs::write(&file, &bytes).unwrap();

    let refused = push(&mock, &file, &journal);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("give --encoding windows-1252"),
        "{}",
        text(&refused)
    );
    assert!(mock.ledger().is_empty());

    let read = push_command(&mock, &file, &journal, &["--encoding", "windows-1252"])
        .output()
        .unwrap();
    assert!(read.status.success(), "{}", text(&read));
    let said = text(&read);
    let top: Vec<&str> = said.lines().take(4).collect();
    assert!(
        top.iter().any(|l| l.contains("read as windows-1252 text")),
        "{said}"
    );
    assert!(
        top.iter().any(|l| l.contains("separated by semicolons")),
        "{said}"
    );
    let ledger = mock.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:#?}");
    let body = ledger[0].body.as_ref().unwrap();
    assert_eq!(body["tracking_numbers"][0]["method"], "Expédié", "{body}");
}

/// Dates without an offset follow `--timezone` (UTC without it), and the
/// summary says which zone was used, not only the top of the run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_says_the_zone_of_dates_without_an_offset() {
    let mock = MockServer::start(MockConfig::builtin()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "day.csv",
        "provider,order_ref,tracking_number,carrier,shipped_at,line_items\nebay,01-03955-36441,9405509699937003457459,USPS,2024-04-09 12:00,10000001234101:1\n",
    );
    let output = push_command(
        &mock,
        &file,
        &dir.path().join("j.sqlite"),
        &["--timezone", "Europe/Berlin"],
    )
    .output()
    .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let summary = summary_of(&output);
    assert!(
        summary.contains("dates without an offset read in Europe/Berlin"),
        "{summary}"
    );
    let ledger = mock.ledger();
    let body = ledger[0].body.as_ref().unwrap();
    // Noon in Berlin in April (CEST) is 10:00 UTC.
    assert_eq!(body["shippedDate"], "2024-04-09T10:00:00Z", "{body}");
}

/// A row of each Crux order, for the waits below.
fn crux_rows(dir: &Path, count: usize) -> PathBuf {
    let rows: String = (0..count)
        .map(|i| format!("crux,0e63ac67-7c45-454d-b2ef-{i:012},1Z{i:04},UPS\n"))
        .collect();
    write(
        dir,
        "day.csv",
        &format!("provider,order_ref,tracking_number,carrier\n{rows}"),
    )
}

/// Every answer a 429 asking for 30 s.
fn throttled_30_s() -> Faults {
    Faults {
        too_many_requests: 1.0,
        retry_after_secs: 30,
        ..Faults::none()
    }
}

/// SIGTERM while rows wait out a 30 s Retry-After: no new attempt starts,
/// the run exits within seconds (not after the wait: docker stop gives 10),
/// and the rows, not sent, go with the next run, once.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_during_a_long_retry_after_stops_within_seconds() {
    let mock = MockServer::start(
        MockConfig::builtin()
            .stateful()
            .with_faults(throttled_30_s()),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = crux_rows(dir.path(), 5);
    let journal = dir.path().join("j.sqlite");
    let mut child = push_command(&mock, &file, &journal, &[])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Time for the first answers, and the start of their 30 s wait.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let signalled = Instant::now();
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(5),
            "still running 5 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut said = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut said).unwrap();
    assert_eq!(status.code(), Some(130), "{said}");
    assert!(said.contains("waiting before trying again"), "{said}");
    assert!(arrivals(&mock).is_empty());

    mock.set_faults(Faults::none()).unwrap();
    let rerun = push(&mock, &file, &journal);
    assert!(rerun.status.success(), "{}", text(&rerun));
    all_once(&mock, 5);
}

/// --max-wait: a Retry-After longer than it is not waited out; the row is
/// reported with the 429, the provider is stopped for the run, and its rows
/// are left for the next run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_longer_than_max_wait_is_not_waited_out() {
    let mock = MockServer::start(
        MockConfig::builtin()
            .stateful()
            .with_faults(throttled_30_s()),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = crux_rows(dir.path(), 2);
    let journal = dir.path().join("j.sqlite");
    let started = Instant::now();
    let output = push_command(&mock, &file, &journal, &["--max-wait", "5"])
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{}",
        text(&output)
    );
    // The limit outlasted the wait: the provider is stopped for the run.
    assert_eq!(output.status.code(), Some(69), "{}", text(&output));
    assert!(
        text(&output).contains("still refused calls over its limit (HTTP 429) after the waits"),
        "{}",
        text(&output)
    );
    mock.set_faults(Faults::none()).unwrap();
    assert!(push(&mock, &file, &journal).status.success());
    all_once(&mock, 2);
}

/// The breaker (three rows in a row by default): a platform that goes
/// down mid-run stops the run's sending to it after three rows without an
/// answer; once it is back, the next run delivers every row, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_platform_down_mid_run_opens_the_breaker_and_the_rerun_delivers_the_rest() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = || MockConfig {
        addr: port,
        ..MockConfig::builtin()
    };
    let first = MockServer::start(config()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // VTEX's tracking PATCH, which may be repeated: a row cut off when the
    // platform went down is simply sent again.
    let rows: String = (0..60)
        .map(|i| format!("vtex-oms,v{i}-01,BR{i:09}BR,0102{i:04}\n"))
        .collect();
    let file = write(
        dir.path(),
        "day.csv",
        &format!("provider,order_ref,tracking_number,invoice_number\n{rows}"),
    );
    let journal = dir.path().join("j.sqlite");
    let child = push_command(
        &first,
        &file,
        &journal,
        &["--rate-limit", "vtex-oms=20", "--max-wait", "1"],
    )
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    while first.ledger().len() < 10 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before = first.ledger();
    first.shutdown().await;
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(69), "{said}");
    assert!(
        said.contains("not sent: vtex-oms could not be reached (3 rows in a row up to line"),
        "{said}"
    );
    let delivered: std::collections::BTreeSet<String> = before
        .iter()
        .flat_map(|e| e.tracking_numbers.clone())
        .collect();
    assert!(delivered.len() < 60, "{said}");

    let second = MockServer::start(config()).await.unwrap();
    let rerun = push(&second, &file, &journal);
    assert!(rerun.status.success(), "{}", text(&rerun));
    let again = arrivals(&second);
    assert!(again.values().all(|n| *n == 1), "{again:?}");
    let all: std::collections::BTreeSet<String> = delivered
        .iter()
        .cloned()
        .chain(again.keys().cloned())
        .collect();
    assert_eq!(all.len(), 60, "{}", text(&rerun));
}

/// `--report FILE`: a record per data line, with where it went, its
/// outcome and its calls, then a summary whose exit code is the run's; no
/// token in it. `--format json` writes the same records on stdout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_has_a_record_per_line_and_the_runs_summary_and_no_secret() {
    let mock = MockServer::start(accounts().stateful()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = crux_rows(dir.path(), 6);
    let journal = dir.path().join("j.sqlite");
    let report = dir.path().join("report.jsonl");
    let refused = real(trackctl(), &mock, "tok-WRONG-SECRET")
        .args(["push", "--journal"])
        .arg(&journal)
        .arg("--report")
        .arg(&report)
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(!written.contains("tok-WRONG-SECRET"), "{written}");
    let records: Vec<serde_json::Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 6 + 1, "{written}");
    let rows: Vec<&serde_json::Value> = records.iter().filter(|r| r["type"] == "row").collect();
    let mut lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    lines.sort();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7]);
    // The row sent alone, refused; the others not sent.
    let failed: Vec<&&serde_json::Value> =
        rows.iter().filter(|r| r["outcome"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{written}");
    assert_eq!(failed[0]["provider"], "crux");
    assert_eq!(failed[0]["key"][0], "crux");
    assert_eq!(
        failed[0]["calls"],
        serde_json::json!([{"operation": "addOrderTracking", "ok": false, "status": 401}])
    );
    assert!(failed[0]["error"].as_str().unwrap().contains("401"));
    assert_eq!(
        rows.iter().filter(|r| r["outcome"] == "not_sent").count(),
        5
    );
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["exit_code"], 2);
    assert_eq!(summary["rows"], 6);
    assert_eq!(summary["failed"], 1);
    assert_eq!(summary["not_sent"], 5);
    assert!(
        summary["stopped"]["crux"]
            .as_str()
            .unwrap()
            .starts_with("refused the credentials")
    );

    // Fixed: the same records on stdout, the people's lines on stderr.
    let fixed = real(trackctl(), &mock, CRUX_TOKENS[0])
        .args(["push", "--format", "json", "--journal"])
        .arg(&journal)
        .arg(&file)
        .output()
        .unwrap();
    assert!(fixed.status.success(), "{}", text(&fixed));
    let stdout = String::from_utf8(fixed.stdout).unwrap();
    let outcomes: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["type"] == "row")
        .map(|r| r["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(outcomes, ["pushed"; 6], "{stdout}");
    assert!(String::from_utf8_lossy(&fixed.stderr).contains("6 pushed"));
    all_once(&mock, 6);
}

/// A login the platform refuses (SellerCloud's createToken with a wrong
/// password) stops the provider as a refused token does: one failed login,
/// not one per row, which is how accounts get locked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_stops_the_provider_after_one_try() {
    let mock = MockServer::start(accounts()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (0..20)
        .map(|i| format!("sellercloud,{},SC{i:04},UPS,po\n", 2000 + i))
        .collect();
    let file = write(
        dir.path(),
        "day.csv",
        &format!("provider,order_ref,tracking_number,carrier,target\n{rows}"),
    );
    let output = real(trackctl(), &mock, CRUX_TOKENS[0])
        .env("SELLERCLOUD_PASSWORD", "wrong-password-SECRET")
        .args(["push", "--journal"])
        .arg(dir.path().join("j.sqlite"))
        .arg(&file)
        .output()
        .unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(
        said.contains("19 rows for sellercloud not sent: sellercloud refused the credentials"),
        "{said}"
    );
    assert!(!said.contains("wrong-password-SECRET"), "{said}");
    assert!(mock.ledger().is_empty());
}

/// eBay limits calls per day. A limit still spent after the client waited
/// as long as it may (`--max-wait`) stops the provider at that row: the
/// rest are left for the next run, not refused one by one (each refusal
/// would count against the next day's quota), and the run says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_quota_stops_the_provider_and_leaves_its_rows_for_the_next_run() {
    // One call, then 429s with a Retry-After far beyond --max-wait.
    let mock = MockServer::start(accounts().with_throttle("ebay", 0.001))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (0..6)
        .map(|i| format!("ebay,01-03955-{i:05},94055096999370{i:08},USPS,10000001234101:1\n"))
        .collect();
    let file = write(
        dir.path(),
        "day.csv",
        &format!("provider,order_ref,tracking_number,carrier,line_items\n{rows}"),
    );
    let output = real(trackctl(), &mock, CRUX_TOKENS[0])
        .args(["push", "--max-wait", "1", "--concurrency", "1", "--journal"])
        .arg(dir.path().join("journal.sqlite"))
        .arg(&file)
        .output()
        .unwrap();
    let text = text(&output);
    assert_eq!(output.status.code(), Some(69), "{text}");
    assert!(
        text.contains("4 rows for ebay not sent: ebay still refused calls over its limit (HTTP 429) after the waits"),
        "{text}"
    );
    assert!(text.contains("eBay's quota is per day"), "{text}");
    // One at a time: one delivered, one refused (its row failed, not in
    // doubt), and no request for the other four. (With rows in flight,
    // those already sent when the limit showed are refused too.)
    assert_eq!(arrivals(&mock).len(), 1, "{text}");
    assert_eq!(mock.throttled_at("ebay"), 1, "{text}");
}
