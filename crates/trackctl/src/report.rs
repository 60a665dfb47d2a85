//! Results a script can read: `--report FILE` and `--format json` write the
//! same JSON Lines, one record per data line of the input, then one summary
//! record (README, "Results for scripts", documents the schema; a field is
//! only ever added). No record holds a secret: its texts are the run's own
//! lines, which show none.

use crate::error::Error;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

use order_tracking::Provider;
use serde::Serialize;

use crate::say::{note, say};

/// The schema's version, in every record.
pub const VERSION: u32 = 1;

/// One call of a row, as it went.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Call {
    /// Its operationId.
    pub operation: String,
    /// Whether it was applied.
    pub ok: bool,
    /// The status it was answered with, where it failed with an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

/// What a row's delivery came to, besides its outcome: where it went and
/// the calls made.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub provider: Option<Provider>,
    pub key: Option<Vec<String>>,
    pub calls: Vec<Call>,
}

/// One data line's record.
#[derive(Serialize)]
struct RowRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    version: u32,
    line: u64,
    outcome: &'static str,
    provider: Option<&'static str>,
    key: Option<&'a [String]>,
    calls: &'a [Call],
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// The run's record, last.
#[derive(Serialize)]
pub struct SummaryRecord {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub version: u32,
    /// Data lines of the input, and lines of empty cells.
    pub rows: u64,
    pub blank: u64,
    pub pushed: u64,
    pub failed: u64,
    pub skipped: u64,
    pub duplicates: u64,
    pub uncertain: u64,
    pub changed: u64,
    pub not_sent: u64,
    pub not_started: u64,
    pub seconds: f64,
    pub interrupted: bool,
    /// Where the rows went (`mock` when nothing left this machine).
    pub real: bool,
    /// The providers the run stopped sending to, with why.
    pub stopped: BTreeMap<String, String>,
    pub exit_code: u8,
}

/// Where the records go: a file, standard output, or both.
pub struct Report {
    file: Option<Mutex<BufWriter<File>>>,
    stdout: bool,
}

impl Report {
    /// `--report FILE` (created, or emptied) and `--format json`.
    pub fn open(path: Option<&Path>, stdout: bool) -> Result<Self, Error> {
        let file = match path {
            Some(path) => Some(Mutex::new(BufWriter::new(File::create(path).map_err(
                |e| Error::Setting(format!("--report {}: {e}", path.display())),
            )?))),
            None => None,
        };
        Ok(Self { file, stdout })
    }

    /// Whether any record is written.
    pub fn wanted(&self) -> bool {
        self.file.is_some() || self.stdout
    }

    /// The record of data line `line`: `outcome` (`pushed`, `failed`, …),
    /// what it was sent as (`trace`), and its text: a `message` for a row
    /// delivered or skipped, an `error` for one that was not.
    pub fn row(&self, line: u64, outcome: &'static str, trace: &Trace, text: &str) {
        if !self.wanted() {
            return;
        }
        let ok = matches!(outcome, "pushed" | "skipped" | "duplicate");
        let record = RowRecord {
            kind: "row",
            version: VERSION,
            line,
            outcome,
            provider: trace.provider.map(Provider::name),
            key: trace.key.as_deref(),
            calls: &trace.calls,
            message: ok.then_some(text).filter(|t| !t.is_empty()),
            error: (!ok).then_some(text).filter(|t| !t.is_empty()),
        };
        self.write(&record);
    }

    /// The summary record, last.
    pub fn summary(&self, record: &SummaryRecord) {
        if self.wanted() {
            self.write(record);
        }
    }

    fn write(&self, record: &impl Serialize) {
        let Ok(json) = serde_json::to_string(record) else {
            return;
        };
        if self.stdout {
            say!("{json}");
        }
        if let Some(file) = &self.file {
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(e) = writeln!(file, "{json}") {
                note!("error: --report: {e}");
            }
        }
    }

    /// Writes what is buffered.
    pub fn finish(&self) {
        if let Some(file) = &self.file {
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(e) = file.flush() {
                note!("error: --report: {e}");
            }
        }
    }
}
