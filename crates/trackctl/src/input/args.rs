//! The options of a command that reads a file of shipments (`push`,
//! `validate`): which file, and how to read it.

use std::path::PathBuf;

use order_tracking::Provider;

#[derive(clap::Args)]
pub struct FileArgs {
    /// Shipments: .csv or .jsonl (see README for the columns).
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The provider of rows that name none.
    #[arg(long)]
    pub provider: Option<Provider>,
    /// A CSV column to leave out (repeat for several). Any column trackctl
    /// does not know is refused otherwise: a misspelled one would be read
    /// as absent, and change what is sent.
    #[arg(long = "ignore-column", value_name = "NAME")]
    pub ignored_columns: Vec<String>,
    /// What separates a CSV file's fields: `,` `;` `tab` or `|`. Read from
    /// the header when not given (and said at the top of the run).
    #[arg(long, value_name = "CHAR", value_parser = super::parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The CSV file's encoding when it is not UTF-8, e.g. `windows-1252`
    /// (what spreadsheets on Windows save) or `latin1`.
    #[arg(long, value_name = "NAME", value_parser = super::parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// How the CSV file writes dates without an offset, as strftime:
    /// `%d/%m/%Y %H:%M` for 09/04/2024 12:26. Without it, such a date is
    /// refused rather than guessed.
    #[arg(long, value_name = "FORMAT", value_parser = super::dates::parse_format)]
    pub date_format: Option<String>,
    /// The zone of the CSV file's dates without an offset (IANA:
    /// Europe/Berlin); UTC by default. A run says which it used.
    #[arg(long, value_name = "ZONE", value_parser = super::dates::parse_zone)]
    pub timezone: Option<chrono_tz::Tz>,
}

impl FileArgs {
    pub fn reading(&self) -> super::Reading {
        super::Reading {
            ignored: self.ignored_columns.clone(),
            delimiter: self.delimiter,
            encoding: self.encoding,
            dates: super::dates::Dates {
                format: self.date_format.clone(),
                zone: self.timezone,
            },
        }
    }
}
