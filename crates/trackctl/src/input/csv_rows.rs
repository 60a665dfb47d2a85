//! CSV with a header row.

use crate::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;

use order_tracking::{LineItem, Shipment};

use super::dates::Dates;
use super::{CSV_COLUMNS, Checked, Problems, Row, RowError, columns};

const BOM: char = '\u{feff}';

/// Where a CSV file's text comes from: the file, decoded from `encoding`
/// when it is not UTF-8 (`--encoding`), its fields separated by
/// `delimiter`. Every reading of the file goes through it, so that byte
/// offsets agree between them.
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub path: PathBuf,
    pub delimiter: u8,
    pub encoding: Option<&'static Encoding>,
    /// How its dates are read.
    pub dates: Dates,
}

impl Source {
    /// The file's text, as UTF-8.
    fn open(&self) -> Result<Box<dyn Read + Send>, Error> {
        let file = File::open(&self.path)
            .map_err(|e| Error::File(format!("{}: {e}", self.path.display())))?;
        Ok(match self.encoding {
            Some(encoding) => Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .build(file),
            ),
            None => Box::new(file),
        })
    }

    fn csv(&self) -> Result<csv::Reader<Box<dyn Read + Send>>, Error> {
        Ok(csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(self.open()?))
    }
}

/// The delimiter of a header line: the one of comma, semicolon and tab
/// that it has most of outside quotes (a comma when it has none).
pub(super) fn delimiter_of(header: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|i| (counts[*i], std::cmp::Reverse(*i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// The first line of the source's text.
pub(super) fn first_line(source: &Source) -> Result<String, Error> {
    let mut line = String::new();
    BufReader::new(source.open()?)
        .read_line(&mut line)
        .map_err(|e| {
            Error::File(match e.kind() {
                std::io::ErrorKind::InvalidData => not_utf8().to_string(),
                _ => format!("{}: {e}", source.path.display()),
            })
        })?;
    Ok(line)
}

/// Line numbers from byte offsets, counting line ends in a second reading of
/// the file: right whatever the line ending (`\n`, `\r\n`, a lone `\r`; the
/// csv crate's own count is one short per line for CRLF files).
struct Lines {
    reader: BufReader<Box<dyn Read + Send>>,
    at: u64,
    line: u64,
    /// The last byte passed was a `\r` (so a `\n` next ends no new line).
    after_cr: bool,
}

impl Lines {
    fn new(source: &Source) -> Result<Self, Error> {
        Ok(Self {
            reader: BufReader::new(source.open()?),
            at: 0,
            line: 1,
            after_cr: false,
        })
    }

    /// The line of the record that starts at byte `offset` (offsets only
    /// grow). The csv crate gives the offset where it began to read, which
    /// may be on the rest of the previous line's terminator (the `\n` of a
    /// `\r\n`) or on blank lines it skipped: those are passed over.
    fn line_at(&mut self, offset: u64) -> u64 {
        self.advance(offset);
        while let Ok([b'\r' | b'\n', ..]) = self.reader.fill_buf() {
            self.advance(self.at + 1);
        }
        self.line
    }

    fn advance(&mut self, offset: u64) {
        while self.at < offset {
            let Ok(buffer) = self.reader.fill_buf() else {
                break;
            };
            if buffer.is_empty() {
                break;
            }
            let take = buffer.len().min((offset - self.at) as usize);
            // A line ends at `\n`, `\r\n` or a lone `\r`, as for the csv crate.
            for byte in &buffer[..take] {
                match byte {
                    b'\n' if self.after_cr => {}
                    b'\n' | b'\r' => self.line += 1,
                    _ => {}
                }
                self.after_cr = *byte == b'\r';
            }
            self.reader.consume(take);
            self.at += take as u64;
        }
    }
}

/// What each of the header's columns is read as (a BOM dropped): a known
/// column, or `None` for one `ignored` names; checked: each column once,
/// no name left unknown, the two that are needed there.
fn header(
    reader: &mut csv::Reader<Box<dyn Read + Send>>,
    ignored: &[String],
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Result<Vec<Option<&'static str>>, Error> {
    let headers = reader
        .headers()
        .map_err(|e| Error::File(format!("line 1: cannot read the header: {e}")))?;
    let names: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                h.trim_start_matches(BOM).trim().to_string()
            } else {
                h.to_string()
            }
        })
        .collect();
    let mut read = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        if columns::is_ignored(name, ignored) {
            warnings.push(format!(
                "line 1: column {} ({name:?}) is ignored (--ignore-column)",
                i + 1
            ));
            read.push(None);
            continue;
        }
        let Some(column) = columns::column(name) else {
            let hint = match columns::suggestion(name) {
                Some(near) => format!("did you mean {near:?}?"),
                None => format!("known: {}", CSV_COLUMNS.join(", ")),
            };
            problems.add(
                1,
                format!(
                    "unknown column {name:?} ({hint}): a column nobody reads would be lost in silence. Rename it, or leave it out with --ignore-column {name:?}"
                ),
            );
            read.push(None);
            continue;
        };
        if let Some(first) = read.iter().position(|c| *c == Some(column)) {
            let also = if names[first] == *name {
                String::new()
            } else {
                format!(" ({:?} and {name:?} both mean {column})", names[first])
            };
            problems.add(
                1,
                format!(
                    "the column {column:?} appears twice (columns {} and {}){also}: which one is meant?",
                    first + 1,
                    i + 1
                ),
            );
        }
        read.push(Some(column));
    }
    for needed in ["order_ref", "tracking_number"] {
        if read.contains(&Some(needed)) {
            continue;
        }
        let ignored = names
            .iter()
            .any(|n| columns::column(n) == Some(needed) && columns::is_ignored(n, ignored));
        let why = if ignored {
            " (--ignore-column leaves it out)".to_string()
        } else if let [only] = names.as_slice()
            && only.contains([',', ';', '\t'])
        {
            " (the header reads as one column: give --delimiter for the character that separates them)".to_string()
        } else {
            String::new()
        };
        problems.add(1, format!("the column {needed:?} is missing{why}"));
    }
    Ok(read)
}

/// What is wrong with a record's structure, if anything.
fn structure(record: &csv::StringRecord, columns: usize) -> Option<String> {
    if record.iter().any(|f| f.contains(['\n', '\r'])) {
        return Some(
            "a quoted value runs over more than one line: an unterminated quote (\")? No column takes a line break".into(),
        );
    }
    (record.len() != columns).then(|| {
        format!(
            "{} fields, but the header has {columns} (a stray comma or quote?)",
            record.len()
        )
    })
}

/// The first reading: data lines, warnings; structural problems to `problems`.
pub(super) fn check(
    source: &Source,
    ignored: &[String],
    problems: &mut Problems,
) -> Result<Checked, Error> {
    let mut reader = source.csv()?;
    let mut lines = Lines::new(source)?;
    let mut warnings = Vec::new();
    let names = header(&mut reader, ignored, problems, &mut warnings)?;
    let columns = names.len();
    let date_columns: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Some("shipped_at" | "delivered_at")))
        .map(|(i, _)| i)
        .collect();
    let mut zoneless = None;
    let mut count = 0;
    let mut blank_lines = 0;
    let mut record = csv::StringRecord::new();
    loop {
        let at = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) if blank(&record) => {
                // An empty line is no line of data; a line of empty cells
                // (`,,,,` as spreadsheets end a sheet) is counted as blank.
                if record.len() > 1 {
                    blank_lines += 1;
                }
            }
            Ok(true) => {
                count += 1;
                let start = record.position().map_or(at, |p| p.byte());
                if let Some(problem) = structure(&record, columns) {
                    problems.add(lines.line_at(start), problem);
                } else if zoneless.is_none()
                    && date_columns.iter().any(|i| {
                        record
                            .get(*i)
                            .is_some_and(|v| !v.is_empty() && !Dates::has_offset(v))
                    })
                {
                    zoneless = Some(lines.line_at(start));
                }
            }
            Err(e) => {
                count += 1;
                let start = e.position().map_or(at, |p| p.byte());
                problems.add(lines.line_at(start), csv_error(&e));
            }
        }
    }
    stray_quotes(source, problems)?;
    // The zone is said once, where it decides what is sent.
    if let Some(line) = zoneless {
        let how = if source.dates.zone.is_some() {
            "--timezone"
        } else {
            "the default: --timezone to say otherwise"
        };
        warnings.push(format!(
            "line {line}: dates without an offset (this one first) are read in {} ({how})",
            source.dates.zone()
        ));
    }
    Ok(Checked {
        data_lines: count,
        blank_lines,
        warnings,
        zone: zoneless.map(|_| source.dates.zone()),
    })
}

/// Quotes the csv crate reads leniently (`"UPS"x` as `UPSx`, `U"PS` as it
/// is, a quote opened and never closed at the end of the file) are problems
/// of the line they are on: the file is read again as strict CSV, a quoted
/// value running on over line breaks as CSV allows (the csv crate's own
/// reading judges those).
fn stray_quotes(source: &Source, problems: &mut Problems) -> Result<(), Error> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Start,
        Plain,
        Quoted,
        QuoteInQuoted,
        Closed,
        /// The rest of a record already found wrong.
        Skip,
    }
    let path = &source.path;
    let delimiter = source.delimiter;
    let mut reader = BufReader::new(source.open()?);
    // A BOM is no part of the first field.
    if reader
        .fill_buf()
        .map_err(|e| Error::File(format!("{}: {e}", path.display())))?
        .starts_with(BOM.to_string().as_bytes())
    {
        reader.consume(BOM.len_utf8());
    }
    let (mut state, mut field, mut line, mut opened) = (State::Start, 1, 1u64, 1u64);
    let mut after_cr = false;
    let stray = |line: u64, field: usize, problems: &mut Problems| {
        if !problems.0.iter().any(|(l, _)| *l == line) {
            problems.add(
                line,
                format!("a stray or unterminated quote (\") in field {field}: quote a whole value, and double a quote inside it (\"\")"),
            );
        }
    };
    loop {
        let buffer = reader
            .fill_buf()
            .map_err(|e| Error::File(format!("{}: {e}", path.display())))?;
        if buffer.is_empty() {
            break;
        }
        for &byte in buffer {
            let cr_lf = byte == b'\n' && after_cr;
            after_cr = byte == b'\r';
            if matches!(byte, b'\n' | b'\r') {
                if !cr_lf {
                    line += 1;
                }
                if !matches!(state, State::Quoted) {
                    (state, field) = (State::Start, 1);
                }
                continue;
            }
            state = match (state, byte) {
                (State::Skip, _) => State::Skip,
                (State::Start, b' ' | b'\t') if byte != delimiter => State::Start,
                (State::Start, b'"') => {
                    opened = line;
                    State::Quoted
                }
                (State::Start | State::Plain | State::QuoteInQuoted | State::Closed, b)
                    if b == delimiter =>
                {
                    field += 1;
                    State::Start
                }
                (State::Plain, b'"') => {
                    stray(line, field, problems);
                    State::Skip
                }
                (State::Start | State::Plain, _) => State::Plain,
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::QuoteInQuoted | State::Closed, b' ' | b'\t') if byte != delimiter => {
                    State::Closed
                }
                (State::QuoteInQuoted | State::Closed, _) => {
                    stray(line, field, problems);
                    State::Skip
                }
            };
        }
        let read = buffer.len();
        reader.consume(read);
    }
    if state == State::Quoted {
        stray(opened, field, problems);
    }
    Ok(())
}

/// A line whose cells are all empty: skipped, as the csv crate skips empty
/// lines (values are trimmed already).
fn blank(record: &csv::StringRecord) -> bool {
    record.iter().all(str::is_empty)
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => not_utf8().into(),
        _ => e.to_string(),
    }
}

fn not_utf8() -> &'static str {
    "not UTF-8 text: a file saved by a spreadsheet on Windows is often windows-1252; give --encoding windows-1252 (or latin1) to read it"
}

/// The second reading: every data line as a row.
pub(super) fn rows(
    source: &Source,
    ignored: &[String],
) -> Result<Box<dyn Iterator<Item = Row> + Send>, Error> {
    let mut reader = source.csv()?;
    let mut lines = Lines::new(source)?;
    let names = header(
        &mut reader,
        ignored,
        &mut Problems::default(),
        &mut Vec::new(),
    )?;
    let columns = names.len();
    let dates = source.dates.clone();
    let rows = reader.into_records().filter_map(move |record| {
        Some(match record {
            Ok(record) if blank(&record) => return None,
            Ok(record) => {
                let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
                let row = match structure(&record, columns) {
                    // The file changed since it was checked.
                    Some(problem) => Err(RowError::new(None, problem)),
                    None => from_record(&names, &record, &dates),
                };
                (line, row)
            }
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                (line, Err(RowError::new(None, csv_error(&e))))
            }
        })
    });
    Ok(Box::new(rows))
}

fn from_record(
    headers: &[Option<&'static str>],
    record: &csv::StringRecord,
    dates: &Dates,
) -> Result<Shipment, RowError> {
    let mut shipment = Shipment::default();
    for (column, value) in headers.iter().zip(record.iter()) {
        let Some(column) = *column else { continue };
        if value.is_empty() {
            continue;
        }
        let error = |e: &dyn std::fmt::Display| RowError::new(Some(column), e.to_string());
        let decimal = || {
            value
                .parse()
                .map_err(|e: tracking_runtime::InvalidDecimal| error(&e))
        };
        let text = || Some(value.to_string());
        match column {
            "provider" => shipment.provider = Some(value.parse().map_err(|e: String| error(&e))?),
            "order_ref" => shipment.order_ref = value.to_string(),
            "tracking_number" => shipment.tracking_number = value.to_string(),
            "carrier" => shipment.carrier = text(),
            "service" => shipment.service = text(),
            "shipped_at" => shipment.shipped_at = Some(dates.parse(value).map_err(|e| error(&e))?),
            "delivered_at" => {
                shipment.delivered_at = Some(dates.parse(value).map_err(|e| error(&e))?)
            }
            "cost" => shipment.cost = Some(decimal()?),
            "weight" => shipment.weight = Some(decimal()?),
            "tracking_url" => shipment.tracking_url = text(),
            "invoice_number" => shipment.invoice_number = text(),
            "invoice_value" => shipment.invoice_value = Some(decimal()?),
            "target" => shipment.target = text(),
            "line_items" => shipment.line_items = line_items(value).map_err(|e| error(&e))?,
            // Every column of CSV_COLUMNS is read above.
            _ => {}
        }
    }
    Ok(shipment)
}

/// `id:quantity[:price]` items separated by `;`.
fn line_items(text: &str) -> Result<Vec<LineItem>, Error> {
    text.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let parts: Vec<&str> = item.split(':').collect();
            let bad = || Error::File(format!("{item:?} is not id:quantity or id:quantity:price"));
            let (id, quantity, price) = match parts.as_slice() {
                [id, quantity] => (id, quantity, None),
                [id, quantity, price] => (id, quantity, Some(price)),
                _ => return Err(bad()),
            };
            Ok(LineItem {
                id: id.trim().to_string(),
                quantity: quantity.trim().parse().map_err(|_| bad())?,
                price: price
                    .map(|p| p.trim().parse())
                    .transpose()
                    .map_err(|e: tracking_runtime::InvalidDecimal| Error::File(e.to_string()))?,
            })
        })
        .collect()
}
