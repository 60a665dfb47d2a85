//! JSON Lines: one shipment object a line; blank lines are skipped.

use crate::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use order_tracking::Shipment;

use super::{Problems, Row, RowError};

/// Each line with its number, a BOM dropped from the first; `Err` for a
/// line that is not UTF-8 text.
fn lines(path: &Path) -> Result<impl Iterator<Item = (u64, Result<String, Error>)> + use<>, Error> {
    let file = File::open(path).map_err(|e| Error::File(format!("{}: {e}", path.display())))?;
    Ok(BufReader::new(file)
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let line = line
                .map(|l| {
                    if i == 0 {
                        l.trim_start_matches('\u{feff}').to_string()
                    } else {
                        l
                    }
                })
                .map_err(|e| {
                    Error::File(match e.kind() {
                        std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
                        _ => format!("cannot read: {e}"),
                    })
                });
            (i as u64 + 1, line)
        })
        .filter(|(_, line)| line.as_ref().map_or(true, |l| !l.trim().is_empty())))
}

/// The first reading: data lines; a line that is not a JSON object is a
/// structural problem (a broken line may hide rows).
pub(super) fn check(path: &Path, problems: &mut Problems) -> Result<u64, Error> {
    let mut count = 0;
    for (number, line) in lines(path)? {
        count += 1;
        let problem = match line {
            Err(e) => Some(e.to_string()),
            Ok(line) => match serde_json::from_str::<serde_json::Value>(&line) {
                Ok(serde_json::Value::Object(_)) => None,
                Ok(_) => Some("not a JSON object (one shipment object a line)".to_string()),
                Err(e) => Some(format!("not JSON: {}", in_line(&e))),
            },
        };
        if let Some(problem) = problem {
            problems.add(number, problem);
        }
    }
    Ok(count)
}

/// The second reading: every data line as a row.
pub(super) fn rows(path: &Path) -> Result<Box<dyn Iterator<Item = Row> + Send>, Error> {
    let rows = lines(path)?.map(|(number, line)| {
        let parsed = line
            .map_err(|e| RowError::new(None, e.to_string()))
            .and_then(|line| {
                let mut deserializer = serde_json::Deserializer::from_str(&line);
                serde_path_to_error::deserialize::<_, Shipment>(&mut deserializer).map_err(|e| {
                    let path = e.path().to_string();
                    RowError {
                        field: (path != ".").then_some(path),
                        message: in_line(e.inner()),
                    }
                })
            });
        (number, parsed)
    });
    Ok(Box::new(rows))
}

/// serde_json's message for one line: its "at line 1 column N" is the
/// column of this line, and the line is the file's (given with the row).
fn in_line(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line 1 column ") {
        Some(at) => format!("{} (column {})", &text[..at], error.column()),
        None => text,
    }
}
