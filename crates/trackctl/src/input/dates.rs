//! Dates as a CSV file writes them. RFC 3339 with an offset
//! (`2024-04-09T12:26:18Z`) is read as it is. Anything else has no zone
//! and is read in the `--timezone` zone (UTC by default): an ISO date
//! (`2024-04-09`, midnight) or date and time (`2024-04-09 12:00`), or what
//! `--date-format` describes (`%d/%m/%Y %H:%M` for `04/09/2024 12:00`). A
//! date like `04/09/2024` without `--date-format` is refused, never
//! guessed: the day and the month could be either way round.

use crate::error::Error;
use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How a CSV file's dates are read.
#[derive(Debug, Clone, Default)]
pub struct Dates {
    /// `--date-format`: a chrono (strftime) format.
    pub format: Option<String>,
    /// `--timezone`: the zone of dates without an offset (UTC if none).
    pub zone: Option<Tz>,
}

/// `--date-format`: a strftime format with a day, a month and a year.
pub fn parse_format(text: &str) -> Result<String, Error> {
    let items: Vec<Item> = StrftimeItems::new(text).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(Error::Setting(format!(
            "{text:?} is not a date format (strftime: %d/%m/%Y %H:%M)"
        )));
    }
    for (spec, what) in [("%d", "day"), ("%m", "month"), ("%Y", "year")] {
        let alternatives: &[&str] = match spec {
            "%d" => &["%d", "%e", "%-d"],
            "%m" => &["%m", "%b", "%B", "%-m"],
            _ => &["%Y", "%y"],
        };
        if !alternatives.iter().any(|a| text.contains(a)) {
            return Err(Error::Setting(format!("{text:?} has no {what} ({spec})")));
        }
    }
    Ok(text.to_string())
}

/// `--timezone`: an IANA zone (`Europe/Berlin`, `America/Sao_Paulo`, `UTC`).
pub fn parse_zone(text: &str) -> Result<Tz, Error> {
    text.trim().parse::<Tz>().map_err(|_| {
        Error::Setting(format!(
            "{text:?} is no IANA time zone (Europe/Berlin, America/New_York, UTC)"
        ))
    })
}

impl Dates {
    /// The zone dates without an offset are read in.
    pub fn zone(&self) -> Tz {
        self.zone.unwrap_or(Tz::UTC)
    }

    /// Whether `text` carries its own offset (RFC 3339).
    pub fn has_offset(text: &str) -> bool {
        DateTime::parse_from_rfc3339(text.trim()).is_ok()
    }

    /// `text` as a point in time.
    pub fn parse(&self, text: &str) -> Result<DateTime<Utc>, Error> {
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(at.with_timezone(&Utc));
        }
        let naive = match &self.format {
            Some(format) => NaiveDateTime::parse_from_str(text, format)
                .or_else(|_| {
                    NaiveDate::parse_from_str(text, format).map(|d| d.and_time(chrono::NaiveTime::MIN))
                })
                .map_err(|e| Error::File(format!("{text:?} is not a date as --date-format {format:?} says ({e})")))?,
            None => ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
                .or_else(|| text.parse::<NaiveDate>().ok().map(|d| d.and_time(chrono::NaiveTime::MIN)))
                .ok_or_else(|| {
                    Error::File(format!(
                        "{text:?} is not a date-time (2024-04-09T12:26:18Z, 2024-04-09 12:26) or a date (2024-04-09); for another form give --date-format (%d/%m/%Y %H:%M for 09/04/2024 12:26)"
                    ))
                })?,
        };
        let zone = self.zone();
        match zone.from_local_datetime(&naive) {
            LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
            LocalResult::Ambiguous(_, _) => Err(Error::File(format!(
                "{text:?} happens twice in {zone} (the clocks went back): give it with its offset"
            ))),
            LocalResult::None => Err(Error::File(format!(
                "{text:?} does not exist in {zone} (the clocks went forward): give it with its offset"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_date_with_an_offset_is_read_as_it_is_and_one_without_in_the_zone() {
        let utc = Dates::default();
        assert_eq!(
            utc.parse("2024-04-09T12:26:18+02:00").unwrap(),
            at("2024-04-09T10:26:18Z")
        );
        assert_eq!(utc.parse("2024-04-09").unwrap(), at("2024-04-09T00:00:00Z"));
        assert_eq!(
            utc.parse("2024-04-09 12:26").unwrap(),
            at("2024-04-09T12:26:00Z")
        );
        let berlin = Dates {
            zone: Some(parse_zone("Europe/Berlin").unwrap()),
            ..Dates::default()
        };
        // Summer time: UTC+2.
        assert_eq!(
            berlin.parse("2024-04-09 12:26").unwrap(),
            at("2024-04-09T10:26:00Z")
        );
        assert_eq!(
            berlin.parse("2024-04-09T12:26:18Z").unwrap(),
            at("2024-04-09T12:26:18Z")
        );
        // The hour the clocks skip, and the one they repeat.
        assert!(
            berlin
                .parse("2024-03-31 02:30")
                .unwrap_err()
                .to_string()
                .contains("does not exist")
        );
        assert!(
            berlin
                .parse("2024-10-27 02:30")
                .unwrap_err()
                .to_string()
                .contains("happens twice")
        );
    }

    #[test]
    fn a_spreadsheet_date_is_refused_unless_its_format_is_given() {
        let error = Dates::default()
            .parse("04/09/2024 12:00")
            .unwrap_err()
            .to_string();
        assert!(error.contains("--date-format"), "{error}");
        let day_first = Dates {
            format: Some(parse_format("%d/%m/%Y %H:%M").unwrap()),
            ..Dates::default()
        };
        assert_eq!(
            day_first.parse("04/09/2024 12:00").unwrap(),
            at("2024-09-04T12:00:00Z")
        );
        let month_first = Dates {
            format: Some(parse_format("%m/%d/%Y").unwrap()),
            ..Dates::default()
        };
        assert_eq!(
            month_first.parse("04/09/2024").unwrap(),
            at("2024-04-09T00:00:00Z")
        );
        assert!(
            parse_format("%d/%m")
                .unwrap_err()
                .to_string()
                .contains("no year")
        );
        assert!(parse_zone("Mars/Olympus").is_err());
    }
}
