//! `trackctl`: push shipment tracking from a file to the providers.
//!
//! - `trackctl push FILE`: CSV or JSON Lines; a journal makes reruns safe.
//!   Exit codes: 0 every row delivered (or already), 1 a row failed, is
//!   uncertain or changed since pushed, 2 the run could not start (a bad
//!   file, setting or journal: nothing was sent), 75 the journal is in use by
//!   another run, 130 stopped by Ctrl-C or SIGTERM, 141 stopped because the
//!   output was closed (`| head`).
//! - `trackctl validate FILE`: every refusal `push` can make from the file
//!   alone, in its words; sends nothing.
//! - `trackctl mock`: the mock providers in the foreground.

#![forbid(unsafe_code)]

mod deliver;
mod destination;
mod halt;
mod input;
mod journal;
mod logs;
mod providers;
mod push;
mod report;
mod say;
mod settings;
mod stop;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use order_tracking::Provider;

use crate::say::{note, say};

#[derive(Parser)]
#[command(name = "trackctl", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    logs: logs::Verbosity,
}

#[derive(clap::Args)]
struct FileArgs {
    /// Shipments: .csv or .jsonl (see README for the columns).
    file: PathBuf,
    /// The provider of rows that name none.
    #[arg(long)]
    provider: Option<Provider>,
    /// A CSV column to leave out (repeat for several). Any column trackctl
    /// does not know is refused otherwise: a misspelled one would be read
    /// as absent, and change what is sent.
    #[arg(long = "ignore-column", value_name = "NAME")]
    ignored_columns: Vec<String>,
    /// What separates a CSV file's fields: `,` `;` `tab` or `|`. Read from
    /// the header when not given (and said at the top of the run).
    #[arg(long, value_name = "CHAR", value_parser = input::parse_delimiter)]
    delimiter: Option<u8>,
    /// The CSV file's encoding when it is not UTF-8, e.g. `windows-1252`
    /// (what spreadsheets on Windows save) or `latin1`.
    #[arg(long, value_name = "NAME", value_parser = input::parse_encoding)]
    encoding: Option<&'static encoding_rs::Encoding>,
    /// How the CSV file writes dates without an offset, as strftime:
    /// `%d/%m/%Y %H:%M` for 09/04/2024 12:26. Without it, such a date is
    /// refused rather than guessed.
    #[arg(long, value_name = "FORMAT", value_parser = input::dates::parse_format)]
    date_format: Option<String>,
    /// The zone of the CSV file's dates without an offset (IANA:
    /// Europe/Berlin); UTC by default. A run says which it used.
    #[arg(long, value_name = "ZONE", value_parser = input::dates::parse_zone)]
    timezone: Option<chrono_tz::Tz>,
}

impl FileArgs {
    fn reading(&self) -> input::Reading {
        input::Reading {
            ignored: self.ignored_columns.clone(),
            delimiter: self.delimiter,
            encoding: self.encoding,
            dates: input::dates::Dates {
                format: self.date_format.clone(),
                zone: self.timezone,
            },
        }
    }
}

/// `--format`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Push every shipment of a file (only those not delivered yet, per the journal).
    Push {
        #[command(flatten)]
        file: FileArgs,
        /// Push to the built-in mock providers (the default only when no
        /// --config and no provider variable is given).
        #[arg(long, conflicts_with_all = ["base_url", "config"])]
        mock: bool,
        /// Serve every provider from this URL (e.g. a running `trackctl mock`), with placeholder credentials.
        #[arg(long)]
        base_url: Option<String>,
        /// A file of settings: the environment variables' names, as YAML
        /// (`NAME: value`) or `.env` lines (`NAME=value`); the environment wins.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The journal (default: TRACKCTL_JOURNAL if set, else
        /// trackctl.journal.sqlite in the input's folder, one for the files
        /// of a folder; in memory with the built-in mock).
        #[arg(long)]
        journal: Option<PathBuf>,
        /// Shipments in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Also send rows left in doubt (no clear answer, or a killed run)
        /// whose calls may not be repeated: they may be delivered twice. Rows
        /// whose calls may be repeated are sent again without it, and rows
        /// whose provider can be asked after a lookup shows it does not
        /// have them (with it, also when the lookup fails).
        #[arg(long)]
        resend_uncertain: bool,
        /// Send the changes of rows that changed since they were pushed,
        /// where the provider has a call that may be repeated for them (an
        /// update, a PUT or PATCH; README lists them per provider).
        /// Without it they are reported and not sent (exit code 1).
        #[arg(long)]
        push_changes: bool,
        /// Per-request timeout, in seconds (1 or more).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Seconds to wait before asking a provider whether an add whose
        /// answer was lost was applied: longer than it may take to apply one.
        #[arg(long, default_value_t = order_tracking::DEFAULT_LOOKUP_DELAY.as_secs_f64())]
        lookup_delay: f64,
        /// The longest a row's call waits before trying again, in seconds,
        /// in all (a provider's Retry-After, backoffs): past it, the row is
        /// reported with the answer it had, and the next run sends it.
        #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
        max_wait: u64,
        /// Rows in a row that cannot reach a provider (no connection, a
        /// reset or a timeout, after the client's retries) before no more
        /// are sent to it in this run; a row that gets an answer resets
        /// the count.
        /// Write a JSON Lines record per data line, then a summary record,
        /// to FILE (README: "Results for scripts").
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// `json`: the same records on stdout (the progress and the log
        /// stay on stderr); `text` (the default): lines for people only.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[arg(long, default_value_t = halt::DEFAULT_THRESHOLD, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..100_000))]
        breaker: usize,
        /// Start at most RATE calls a second to PROVIDER (repeat for
        /// several), e.g. to rehearse against a throttled mock. A real
        /// provider with a limit of its own is held at it (README).
        #[arg(long = "rate-limit", value_name = "PROVIDER=RATE", value_parser = rate_limit)]
        rate_limits: Vec<(Provider, f64)>,
        /// The journal was left open by a stopped run and its -wal file is
        /// gone because another SQLite program folded it in: it is whole.
        /// (Refused without it, as it looks like a copy made without its log.)
        #[arg(long)]
        journal_is_whole: bool,
    },
    /// Check every row without sending anything.
    Validate {
        #[command(flatten)]
        file: FileArgs,
    },
    /// Run the mock providers in the foreground. They are stateful: a
    /// lookup or a list answers with what was created through them.
    Mock {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:4010")]
        addr: std::net::SocketAddr,
        /// Share of requests answered 429, of those answered 503, and of
        /// those dropped (each; so at most 0.33), for trying retries.
        #[arg(long, default_value_t = 0.0, value_parser = fault_share)]
        faults: f64,
        /// Throttle a provider to RATE requests per second: those above get
        /// 429 with Retry-After (repeat for several).
        #[arg(long = "throttle", value_name = "PROVIDER=RATE", value_parser = tracking_mock::parse_throttle)]
        throttles: Vec<(String, f64)>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli();
    logs::init(&cli.logs);
    let result = match cli.command {
        Command::Push {
            file,
            mock,
            base_url,
            config,
            journal,
            concurrency,
            resend_uncertain,
            push_changes,
            timeout,
            lookup_delay,
            max_wait,
            breaker,
            report,
            format,
            rate_limits,
            journal_is_whole,
        } => {
            let Ok(lookup_delay) = Duration::try_from_secs_f64(lookup_delay) else {
                note!("error: --lookup-delay must be a number of seconds, 0 or more");
                return ExitCode::from(2);
            };
            let options = push::Options {
                reading: file.reading(),
                file: file.file,
                provider: file.provider,
                mock,
                base_url,
                config,
                journal,
                concurrency,
                resend_uncertain,
                push_changes,
                timeout: Duration::from_secs(timeout),
                lookup_delay,
                max_wait: Duration::from_secs(max_wait),
                breaker,
                report,
                json: format == Format::Json,
                rate_limits,
                quiet: cli.logs.quiet(),
                journal_is_whole,
            };
            push::run(options).await
        }
        Command::Validate { file } => {
            push::validate(&file.file, file.provider, &file.reading()).await
        }
        Command::Mock {
            addr,
            faults,
            throttles,
        } => mock(addr, faults, throttles).await,
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            note!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The command line, with what the registry of providers says: which
/// providers there are.
fn cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let names: Vec<String> = Provider::all()
        .map(|p| format!("{} ({})", p.title(), p.name()))
        .collect();
    let command = Cli::command().about(format!("Push shipment tracking to {}", names.join(", ")));
    Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit())
}

/// `PROVIDER=RATE` ([`tracking_mock::parse_throttle`], which the mock's
/// `--throttle` takes too), for a provider trackctl knows.
fn rate_limit(text: &str) -> Result<(Provider, f64), String> {
    let (provider, rate) = tracking_mock::parse_throttle(text)?;
    Ok((provider.parse()?, rate))
}

/// `--faults`: one share, given to each of three faults.
fn fault_share(text: &str) -> Result<f64, String> {
    let share: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a share (0.1 for 10%)"))?;
    if (0.0..=1.0 / 3.0).contains(&share) {
        Ok(share)
    } else {
        Err(format!(
            "{share} of the requests each for 429, 503 and drops is {:.0}% in all: give at most 0.33",
            share * 300.0
        ))
    }
}

async fn mock(
    addr: std::net::SocketAddr,
    share: f64,
    throttles: Vec<(String, f64)>,
) -> Result<ExitCode, String> {
    let faults = tracking_mock::Faults {
        too_many_requests: share,
        retry_after_secs: 1,
        unavailable: share,
        drop_connection: share,
        ..tracking_mock::Faults::none()
    };
    // Stateful, as Crux is, so that a lookup after a dropped POST is answered truly.
    let config = tracking_mock::MockConfig {
        addr,
        faults,
        throttle: throttles.into_iter().collect(),
        ..tracking_mock::MockConfig::builtin().stateful()
    };
    let mock = tracking_mock::MockServer::start(config)
        .await
        .map_err(|e| e.to_string())?;
    say!(
        "Mock providers on {} (Ctrl-C stops). Push to them with:",
        mock.url()
    );
    say!("  trackctl push --base-url {} FILE", mock.url());
    for provider in mock.providers() {
        say!(
            "  {provider:<12} {}",
            mock.base_url(&provider).unwrap_or_default()
        );
    }
    say!("  ledger       {}/_mock/ledger", mock.url());
    let _ = tokio::signal::ctrl_c().await;
    mock.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
