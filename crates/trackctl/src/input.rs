//! Reading shipments from CSV or JSON Lines, one row at a time (the file is
//! never held in memory), each bad row reported with its line and field.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use order_tracking::{LineItem, Shipment};

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The field, when one is to blame.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
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

/// Opens `path` as CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`, `.json`).
pub fn open(path: &Path) -> Result<Box<dyn Iterator<Item = Row> + Send>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => csv_rows(file).map_err(|e| format!("{}: {e}", path.display())),
        Some("jsonl" | "ndjson" | "json") => Ok(Box::new(jsonl_rows(BufReader::new(file)))),
        _ => Err(format!(
            "{}: unknown format; use .csv or .jsonl",
            path.display()
        )),
    }
}

fn jsonl_rows(reader: impl BufRead + Send + 'static) -> impl Iterator<Item = Row> + Send {
    reader.lines().enumerate().filter_map(|(i, line)| {
        let number = i as u64 + 1;
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                return Some((
                    number,
                    Err(RowError {
                        field: None,
                        message: format!("cannot read: {e}"),
                    }),
                ));
            }
        };
        if line.trim().is_empty() {
            return None;
        }
        let mut deserializer = serde_json::Deserializer::from_str(&line);
        let parsed =
            serde_path_to_error::deserialize::<_, Shipment>(&mut deserializer).map_err(|e| {
                let path = e.path().to_string();
                RowError {
                    field: (path != ".").then_some(path),
                    message: e.into_inner().to_string(),
                }
            });
        Some((number, parsed))
    })
}

fn csv_rows(file: File) -> Result<Box<dyn Iterator<Item = Row> + Send>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(file);
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    for header in &headers {
        if !CSV_COLUMNS.contains(&header) {
            return Err(format!(
                "line 1: unknown column {header:?} (known: {})",
                CSV_COLUMNS.join(", ")
            ));
        }
    }
    for needed in ["order_ref", "tracking_number"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(format!("line 1: the column {needed:?} is missing"));
        }
    }
    let rows = reader.into_records().map(move |record| match record {
        Ok(record) => {
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != headers.len() {
                let message = format!(
                    "{} fields, but the header has {}",
                    record.len(),
                    headers.len()
                );
                return (
                    line,
                    Err(RowError {
                        field: None,
                        message,
                    }),
                );
            }
            (line, from_record(&headers, &record))
        }
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            (
                line,
                Err(RowError {
                    field: None,
                    message: e.to_string(),
                }),
            )
        }
    });
    Ok(Box::new(rows))
}

fn from_record(
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
) -> Result<Shipment, RowError> {
    let mut shipment = Shipment::default();
    for (column, value) in headers.iter().zip(record.iter()) {
        if value.is_empty() {
            continue;
        }
        let error = |message: String| RowError {
            field: Some(column.to_string()),
            message,
        };
        let text = || Some(value.to_string());
        match column {
            "provider" => shipment.provider = Some(value.parse().map_err(error)?),
            "order_ref" => shipment.order_ref = value.to_string(),
            "tracking_number" => shipment.tracking_number = value.to_string(),
            "carrier" => shipment.carrier = text(),
            "service" => shipment.service = text(),
            "shipped_at" => shipment.shipped_at = Some(date_time(value).map_err(error)?),
            "delivered_at" => shipment.delivered_at = Some(date_time(value).map_err(error)?),
            "cost" => {
                shipment.cost = Some(
                    value
                        .parse()
                        .map_err(|e: tracking_runtime::InvalidDecimal| error(e.to_string()))?,
                )
            }
            "weight" => {
                shipment.weight = Some(
                    value
                        .parse()
                        .map_err(|e: tracking_runtime::InvalidDecimal| error(e.to_string()))?,
                )
            }
            "tracking_url" => shipment.tracking_url = text(),
            "invoice_number" => shipment.invoice_number = text(),
            "invoice_value" => {
                shipment.invoice_value = Some(
                    value
                        .parse()
                        .map_err(|e: tracking_runtime::InvalidDecimal| error(e.to_string()))?,
                )
            }
            "target" => shipment.target = Some(value.parse().map_err(error)?),
            "line_items" => shipment.line_items = line_items(value).map_err(error)?,
            _ => {}
        }
    }
    Ok(shipment)
}

/// RFC 3339, or a plain date (midnight UTC).
fn date_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .or_else(|_| {
            text.parse::<chrono::NaiveDate>()
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
        .map_err(|_| {
            format!("{text:?} is not a date-time (2024-04-09T12:26:18Z) or a date (2024-04-09)")
        })
}

/// `id:quantity[:price]` items separated by `;`.
fn line_items(text: &str) -> Result<Vec<LineItem>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let parts: Vec<&str> = item.split(':').collect();
            let bad = || format!("{item:?} is not id:quantity or id:quantity:price");
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
                    .map_err(|e: tracking_runtime::InvalidDecimal| e.to_string())?,
            })
        })
        .collect()
}

/// How many data rows `path` has (for the progress bar), without parsing them.
pub fn count_rows(path: &Path) -> Option<u64> {
    let file = File::open(path).ok()?;
    let lines = BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .count() as u64;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    Some(if is_csv {
        lines.saturating_sub(1)
    } else {
        lines
    })
}
