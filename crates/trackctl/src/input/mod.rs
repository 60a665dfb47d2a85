//! Reading shipments from CSV or JSON Lines.
//!
//! A file is read twice, one row at a time (it is never held in memory):
//! [`check`] reads it whole before anything is sent and refuses it, naming
//! each line, if its structure is broken (an unterminated quote, a wrong
//! number of fields, a duplicate column, a line that is not JSON), since a
//! broken structure can hide rows; then [`Input::rows`] gives every data
//! line, a shipment or the row's own error (a bad date, a bad number). Every
//! data line yields one row, so a summary can account for each.

mod args;
mod columns;
mod csv_rows;
pub mod dates;

pub use args::FileArgs;
mod jsonl;

use crate::error::Error;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use order_tracking::Shipment;

use csv_rows::Source;

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The field, when one is to blame.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl RowError {
    fn new(field: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// One row: its line number (1-based) and the shipment, or why not.
pub type Row = (u64, Result<Shipment, RowError>);

/// The columns a CSV file may have (`order_ref` and `tracking_number` are needed).
pub const CSV_COLUMNS: &[&str] = &[
    "provider",
    "order_ref",
    "tracking_number",
    "carrier",
    "service",
    "shipped_at",
    "cost",
    "weight",
    "tracking_url",
    "invoice_number",
    "invoice_value",
    "target",
    "line_items",
    "delivered_at",
];

/// The most structural problems listed before the rest are counted.
const SHOWN: usize = 20;

#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    JsonLines,
}

/// How to read a file: the options of `push` and `validate`.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Columns to leave out (`--ignore-column`).
    pub ignored: Vec<String>,
    /// What separates a CSV file's fields (`--delimiter`); read from its
    /// header when not given.
    pub delimiter: Option<u8>,
    /// The text's encoding when it is not UTF-8 (`--encoding`).
    pub encoding: Option<&'static Encoding>,
    /// How dates without an offset are read (`--date-format`, `--timezone`).
    pub dates: dates::Dates,
}

/// `--delimiter`: `,` `;` `tab` (or a tab), `|`, or their names.
pub fn parse_delimiter(text: &str) -> Result<u8, Error> {
    match text {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\t" | "tab" | "\\t" => Ok(b'\t'),
        "|" | "pipe" => Ok(b'|'),
        other => Err(Error::File(format!(
            "{other:?} is no delimiter trackctl reads: comma (,), semicolon (;), tab or pipe (|)"
        ))),
    }
}

/// `--encoding`: any WHATWG label of an encoding (`windows-1252`,
/// `latin1`, `iso-8859-15`, `utf-8`).
pub fn parse_encoding(text: &str) -> Result<&'static Encoding, Error> {
    Encoding::for_label(text.trim().as_bytes()).ok_or_else(|| {
        Error::Setting(format!(
            "{text:?} is no encoding (windows-1252, latin1, iso-8859-15, utf-8, …)"
        ))
    })
}

/// The name of a delimiter, for messages.
fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b',' => "commas",
        b';' => "semicolons",
        b'\t' => "tabs",
        b'|' => "pipes",
        _ => "another character",
    }
}

/// A file whose structure is sound.
#[derive(Debug)]
pub struct Input {
    path: PathBuf,
    format: Format,
    /// How a CSV file is read.
    source: Source,
    /// Columns left out (`--ignore-column`).
    ignored: Vec<String>,
    /// How many data lines it has (each gives one row).
    pub data_lines: u64,
    /// Lines whose cells are all empty (a spreadsheet's trailing `,,,,`):
    /// skipped, and counted in the summary.
    pub blank_lines: u64,
    /// What to tell once, at the top (a column left out).
    pub warnings: Vec<String>,
    /// The zone its dates without an offset were read in, if it has any
    /// (the summary says it again).
    pub zone: Option<chrono_tz::Tz>,
}

/// What the first reading found.
struct Checked {
    /// Data lines (each gives one row).
    data_lines: u64,
    /// Lines whose cells are all empty (skipped).
    blank_lines: u64,
    warnings: Vec<String>,
    /// The zone of its dates without an offset, if it has any.
    zone: Option<chrono_tz::Tz>,
}

/// Structural problems found by the first reading, each with its line.
#[derive(Default)]
struct Problems(Vec<(u64, String)>);

impl Problems {
    fn add(&mut self, line: u64, problem: impl Into<String>) {
        self.0.push((line, problem.into()));
    }

    fn finish(self, path: &Path) -> Result<(), Error> {
        if self.0.is_empty() {
            return Ok(());
        }
        let mut text = format!(
            "{}: the file is refused, nothing was sent: its structure is broken, so rows may be hidden or misread",
            path.display()
        );
        for (line, problem) in self.0.iter().take(SHOWN) {
            text.push_str(&format!("\n  line {line}: {problem}"));
        }
        if self.0.len() > SHOWN {
            text.push_str(&format!("\n  … and {} more", self.0.len() - SHOWN));
        }
        Err(Error::File(text))
    }
}

/// Reads `path` (`.csv`; `.jsonl`, `.ndjson` or `.json` for JSON Lines)
/// through once, and refuses it if its structure is broken or a column is
/// not known (unless `--ignore-column` names it). What was read from the
/// file rather than given (a delimiter other than a comma, an encoding) is
/// one of its warnings, to be told once at the top.
pub fn check(path: &Path, reading: &Reading) -> Result<Input, Error> {
    let ignored = &reading.ignored;
    let format = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Format::Csv,
        Some("jsonl" | "ndjson" | "json") => Format::JsonLines,
        _ => {
            return Err(Error::File(format!(
                "{}: unknown format; use .csv or .jsonl",
                path.display()
            )));
        }
    };
    let mut source = Source {
        path: path.to_path_buf(),
        delimiter: reading.delimiter.unwrap_or(b','),
        encoding: reading.encoding,
        dates: reading.dates.clone(),
    };
    if let Format::JsonLines = format {
        let given = [
            ("--delimiter", reading.delimiter.is_some()),
            ("--encoding", reading.encoding.is_some()),
            ("--date-format", reading.dates.format.is_some()),
            ("--timezone", reading.dates.zone.is_some()),
        ];
        if let Some((flag, _)) = given.iter().find(|(_, given)| *given) {
            return Err(Error::File(format!(
                "{}: {flag} is for CSV files; JSON Lines are UTF-8 JSON, one object a line, with RFC 3339 dates",
                path.display()
            )));
        }
    }
    let mut told = Vec::new();
    if let Some(encoding) = reading.encoding {
        told.push(format!("read as {} text (--encoding)", encoding.name()));
    }
    if let (Format::Csv, None) = (format, reading.delimiter) {
        source.delimiter = csv_rows::delimiter_of(&csv_rows::first_line(&source)?);
        if source.delimiter != b',' {
            told.push(format!(
                "line 1: the header's columns are separated by {}, so every line is read so (--delimiter to say otherwise)",
                delimiter_name(source.delimiter)
            ));
        }
    }
    let mut problems = Problems::default();
    let checked = match format {
        Format::Csv => csv_rows::check(&source, ignored, &mut problems)?,
        Format::JsonLines => Checked {
            data_lines: jsonl::check(path, &mut problems)?,
            blank_lines: 0,
            // JSON Lines dates carry their offset (RFC 3339).
            zone: None,
            warnings: ignored
                .iter()
                .map(|name| {
                    format!("--ignore-column {name:?}: JSON Lines have no columns (an unknown field fails its row)")
                })
                .collect(),
        },
    };
    problems.finish(path)?;
    told.extend(checked.warnings);
    Ok(Input {
        path: path.to_path_buf(),
        format,
        source,
        ignored: ignored.to_vec(),
        data_lines: checked.data_lines,
        blank_lines: checked.blank_lines,
        warnings: told,
        zone: checked.zone,
    })
}

impl Input {
    /// Every data line, in order.
    pub fn rows(&self) -> Result<Box<dyn Iterator<Item = Row> + Send>, Error> {
        let opened = match self.format {
            Format::Csv => csv_rows::rows(&self.source, &self.ignored),
            Format::JsonLines => jsonl::rows(&self.path),
        };
        opened.map_err(|e| Error::File(format!("{}: {e}", self.path.display())))
    }
}

#[cfg(test)]
mod tests;
