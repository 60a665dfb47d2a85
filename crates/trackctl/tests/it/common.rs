//! What the end-to-end tests share: running `trackctl`, reading its output,
//! counting what the mock applied.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tracking_mock::{MockServer, applied, tracking_number_counts};

pub fn trackctl() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trackctl"));
    // No real credentials (or RUST_LOG) may leak in from the environment:
    // trackctl needs none of it.
    command.env_clear();
    command.stdin(Stdio::null());
    command
}

/// `trackctl push --base-url <mock> --journal <journal> <extra…> <file>`.
pub fn push_command(mock: &MockServer, file: &Path, journal: &Path, extra: &[&str]) -> Command {
    let mut command = trackctl();
    command
        // The mock applies what it accepts before it answers: a short wait
        // before a lookup is enough (the default is 5 s).
        .args(["push", "--lookup-delay", "0.1", "--base-url", &mock.url()])
        .arg("--journal")
        .arg(journal)
        .args(extra)
        .arg(file);
    command
}

/// `trackctl push` of `file` to `mock`, run to the end.
pub fn push(mock: &MockServer, file: &Path, journal: &Path) -> Output {
    push_command(mock, file, journal, &[]).output().unwrap()
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// How many rows `examples/shipments.csv` has (its data lines): the
/// counts a run of it reports.
pub fn example_rows() -> usize {
    let text = std::fs::read_to_string(example("shipments.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count()
}

/// How many times each tracking number was applied by the provider: a
/// repeated PUT (or `x-idempotent` PATCH) with the same body changes nothing
/// and is not counted twice (`tracking_mock::applied`).
pub fn arrivals(mock: &MockServer) -> BTreeMap<String, usize> {
    tracking_number_counts(applied(&mock.ledger()))
}
