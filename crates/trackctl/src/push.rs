//! `trackctl push`: its options and its run.

use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use order_tracking::{Provider, Pusher};
use tracking_runtime::{ClientConfig, RetryPolicy};

use crate::deliver::{Context, Outcome};
use crate::error::Error;
use crate::input;
use crate::journal::Journal;
use crate::providers::{self, targets};
use crate::report::{Report, SummaryRecord};
use crate::say::note;
use crate::settings::{self, Settings};
use crate::stop::Stop;

/// The exit code of a run whose output was closed (`| head`): it stopped as
/// a Ctrl-C stops (128 + SIGPIPE, as a shell reports a process a closed
/// pipe ended).
pub const CLOSED_EXIT: u8 = 141;

/// The default journal's name, in the input file's folder: one journal for
/// the files of a folder, so that a daily export (`shipments-DATE.csv`)
/// that repeats yesterday's late rows does not send them again.
pub const FOLDER_JOURNAL: &str = "trackctl.journal.sqlite";

/// `trackctl push`: every shipment of a file, only those not delivered
/// yet (per the journal).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub file: input::FileArgs,
    /// Push to the built-in mock providers (the default only when no
    /// --config and no provider variable is given).
    #[arg(long, conflicts_with_all = ["base_url", "config"])]
    pub mock: bool,
    /// Serve every provider from this URL (e.g. a running `trackctl mock`), with placeholder credentials.
    #[arg(long)]
    pub base_url: Option<String>,
    /// A file of settings: the environment variables' names, as YAML
    /// (`NAME: value`) or `.env` lines (`NAME=value`); the environment wins.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The journal (default: TRACKCTL_JOURNAL if set, else
    /// trackctl.journal.sqlite in the input's folder, one for the files
    /// of a folder; in memory with the built-in mock).
    #[arg(long)]
    pub journal: Option<PathBuf>,
    /// Shipments in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Also send rows left in doubt (no clear answer, or a killed run)
    /// whose calls may not be repeated: they may be delivered twice. Rows
    /// whose calls may be repeated are sent again without it, and rows
    /// whose provider can be asked after a lookup shows it does not
    /// have them (with it, also when the lookup fails).
    #[arg(long)]
    pub resend_uncertain: bool,
    /// Send the changes of rows that changed since they were pushed,
    /// where the provider has a call that may be repeated for them (an
    /// update, a PUT or PATCH; README lists them per provider).
    /// Without it they are reported and not sent (exit code 1).
    #[arg(long)]
    pub push_changes: bool,
    /// Per-request timeout, in seconds (1 or more).
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = at_least_a_second)]
    pub timeout: Duration,
    /// Seconds to wait before asking a provider whether an add whose
    /// answer was lost was applied: longer than it may take to apply one.
    #[arg(long, default_value = "5", value_name = "SECONDS", value_parser = seconds)]
    pub lookup_delay: Duration,
    /// The longest a row's call waits before trying again, in seconds,
    /// in all (a provider's Retry-After, backoffs): past it, the row is
    /// reported with the answer it had, and the next run sends it.
    #[arg(long, default_value = "120", value_name = "SECONDS", value_parser = at_least_a_second)]
    pub max_wait: Duration,
    /// Write a JSON Lines record per data line, then a summary record,
    /// to FILE (README: "Results for scripts").
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// `json`: the same records on stdout (the progress and the log
    /// stay on stderr); `text` (the default): lines for people only.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Rows in a row that cannot reach a provider (no connection, a
    /// reset or a timeout, after the client's retries) before no more
    /// are sent to it in this run; a row that gets an answer resets
    /// the count.
    #[arg(long, default_value_t = crate::halt::DEFAULT_THRESHOLD, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..100_000))]
    pub breaker: usize,
    /// Start at most RATE calls a second to PROVIDER (repeat for
    /// several), e.g. to rehearse against a throttled mock. A real
    /// provider with a limit of its own is held at it (README).
    #[arg(long = "rate-limit", value_name = "PROVIDER=RATE", value_parser = rate_limit)]
    pub rate_limits: Vec<(Provider, f64)>,
    /// The journal was left open by a stopped run and its -wal file is
    /// gone because another SQLite program folded it in: it is whole.
    /// (Refused without it, as it looks like a copy made without its log.)
    #[arg(long)]
    pub journal_is_whole: bool,
}

/// `--format`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lines for people.
    Text,
    /// The report's records on stdout.
    Json,
}

/// `--lookup-delay`: seconds, 0 or more.
fn seconds(text: &str) -> Result<Duration, Error> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| Error::Setting(format!("{text:?} is not a number of seconds, 0 or more")))
}

/// `--timeout`, `--max-wait`: whole seconds, 1 or more.
fn at_least_a_second(text: &str) -> Result<Duration, Error> {
    match text.trim().parse::<u64>() {
        Ok(secs) if secs >= 1 => Ok(Duration::from_secs(secs)),
        _ => Err(Error::Setting(format!(
            "{text:?} is not a whole number of seconds, 1 or more"
        ))),
    }
}

/// `PROVIDER=RATE` ([`tracking_mock::parse_throttle`], which the mock's
/// `--throttle` takes too), for a provider trackctl knows.
fn rate_limit(text: &str) -> Result<(Provider, f64), Error> {
    let (provider, rate) = tracking_mock::parse_throttle(text).map_err(Error::Setting)?;
    Ok((provider.parse().map_err(Error::Setting)?, rate))
}

/// Counts and reasons, for the summary. Every data line lands in one bucket.
#[derive(Default)]
struct Summary {
    pushed: u64,
    skipped: u64,
    duplicates: u64,
    failed: BTreeMap<u64, String>,
    changed: BTreeMap<u64, String>,
    /// Rows in doubt that only the user can settle.
    uncertain: Vec<u64>,
    /// Rows in doubt that the next run looks up.
    to_look_up: Vec<u64>,
    /// Rows stopped in flight by a forced stop.
    abandoned: Vec<u64>,
    /// Rows not sent to a provider the run stopped sending to, by provider.
    not_sent: BTreeMap<Provider, Vec<u64>>,
    /// The zone the file's dates without an offset were read in, if any.
    zone: Option<chrono_tz::Tz>,
    /// Lines of empty cells, skipped.
    blank: u64,
}

impl Summary {
    fn total(&self) -> u64 {
        self.pushed
            + self.skipped
            + self.duplicates
            + self.failed.len() as u64
            + self.changed.len() as u64
            + self.uncertain.len() as u64
            + self.to_look_up.len() as u64
            + self.abandoned.len() as u64
            + self.not_sent.values().map(Vec::len).sum::<usize>() as u64
    }

    /// Counts `outcome`; the line to show for it.
    fn add(&mut self, line: u64, outcome: Outcome) -> String {
        match outcome {
            Outcome::Pushed(what) => {
                self.pushed += 1;
                format!("line {line}: pushed ({what})")
            }
            Outcome::Skipped => {
                self.skipped += 1;
                format!("line {line}: skipped (already pushed)")
            }
            Outcome::Duplicate(first) => {
                self.duplicates += 1;
                format!("line {line}: skipped (the same shipment as line {first})")
            }
            Outcome::Changed(why) => {
                let text = format!("line {line}: CHANGED: {why}");
                self.changed.insert(line, why);
                text
            }
            Outcome::Uncertain(why, look_up) => {
                if look_up {
                    self.to_look_up.push(line);
                } else {
                    self.uncertain.push(line);
                }
                format!("line {line}: UNCERTAIN: {why}")
            }
            Outcome::Failed(why) => {
                let text = format!("line {line}: FAILED: {why}");
                self.failed.insert(line, why);
                text
            }
            // Told once for all, in the summary.
            Outcome::NotSent(provider) => {
                self.not_sent.entry(provider).or_default().push(line);
                String::new()
            }
            // Counted when settled; a dry run's rows are `validate`'s.
            Outcome::Deferred(_) | Outcome::Valid(..) => String::new(),
        }
    }

    /// The summary; `rehearsal` says where the pushes went when that was a
    /// mock, so that even `-q` shows that nothing reached a real provider.
    fn print(
        &self,
        data_lines: u64,
        elapsed: Duration,
        interrupted: bool,
        rehearsal: Option<&str>,
    ) {
        let not_started = data_lines.saturating_sub(self.total());
        let mut line = format!(
            "\n{} pushed, {} failed, {} skipped (already pushed), {} uncertain, {} changed since pushed, {} duplicates",
            self.pushed,
            self.failed.len(),
            self.skipped,
            self.uncertain.len() + self.to_look_up.len() + self.abandoned.len(),
            self.changed.len(),
            self.duplicates,
        );
        let not_sent: usize = self.not_sent.values().map(Vec::len).sum();
        if not_sent > 0 {
            line.push_str(&format!(", {not_sent} not sent"));
        }
        if not_started > 0 {
            line.push_str(&format!(", {not_started} not started"));
        }
        if self.blank > 0 {
            line.push_str(&format!(", {} blank", self.blank));
        }
        line.push_str(&format!(
            " — {} rows in {:.1} s",
            data_lines + self.blank,
            elapsed.as_secs_f64()
        ));
        if let Some(zone) = self.zone {
            line.push_str(&format!(" — dates without an offset read in {zone}"));
        }
        if let Some(rehearsal) = rehearsal {
            line.push_str(&format!(" — {rehearsal}"));
        }
        if interrupted {
            line.push_str(" — interrupted: run again to push the rest");
        }
        note!("{line}");
        for (line, why) in &self.failed {
            note!("  line {line}: {why}");
        }
        if !self.changed.is_empty() {
            note!(
                "  lines {:?} changed since they were pushed: see each line above (--push-changes sends a change where the provider can take one)",
                self.changed.keys().collect::<Vec<_>>()
            );
        }
        if !self.to_look_up.is_empty() {
            note!(
                "  lines {:?} could not be looked up at the provider: run again to look them up (nothing is sent twice), or, if the lookup keeps failing, check them there and rerun with --resend-uncertain for those that did not arrive",
                self.to_look_up
            );
        }
        if !self.uncertain.is_empty() {
            note!(
                "  lines {:?} may or may not have reached the provider: check them there, then rerun with --resend-uncertain for those that did not arrive",
                self.uncertain
            );
        }
        if !self.abandoned.is_empty() {
            note!(
                "  lines {:?} were stopped while being sent: the next run resumes them where it safely can, and reports the others as uncertain",
                self.abandoned
            );
        }
    }

    fn exit_code(&self, interrupted: bool) -> u8 {
        if interrupted {
            130
        } else if self.failed.is_empty()
            && self.changed.is_empty()
            && self.uncertain.is_empty()
            && self.to_look_up.is_empty()
        {
            0
        } else {
            1
        }
    }

    /// The report's summary record.
    fn record(
        &self,
        input: &input::Input,
        elapsed: Duration,
        interrupted: bool,
        real: bool,
        halts: &BTreeMap<Provider, crate::halt::Halt>,
        exit_code: u8,
    ) -> SummaryRecord {
        let not_sent = self.not_sent.values().map(Vec::len).sum::<usize>() as u64;
        SummaryRecord {
            kind: "summary",
            version: crate::report::VERSION,
            rows: input.data_lines,
            blank: self.blank,
            pushed: self.pushed,
            failed: self.failed.len() as u64,
            skipped: self.skipped,
            duplicates: self.duplicates,
            uncertain: (self.uncertain.len() + self.to_look_up.len() + self.abandoned.len()) as u64,
            changed: self.changed.len() as u64,
            not_sent,
            not_started: input.data_lines.saturating_sub(self.total()),
            seconds: (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
            interrupted,
            real,
            stopped: halts
                .iter()
                .map(|(provider, halt)| (provider.to_string(), halt.reason()))
                .collect(),
            exit_code,
        }
    }
}

pub async fn run(args: Args, quiet: bool) -> Result<ExitCode, Error> {
    let started = Instant::now();
    // The whole file is read before anything is sent.
    let input = input::check(&args.file.path, &args.file.reading())?;
    for warning in &input.warnings {
        note!("{}: {warning}", args.file.path.display());
    }
    let report = Report::open(args.report.as_deref(), args.format == Format::Json)?;
    let settings = Settings::load(args.config.as_deref())?;
    for name in &settings.unknown {
        note!("warning: {name} in the environment is not a setting trackctl reads (misspelled?)");
    }
    providers::check(&settings, args.mock, args.base_url.as_deref())?;
    let builtin = providers::builtin(&settings, args.mock, args.base_url.as_deref());
    let asked = args
        .journal
        .clone()
        .or_else(|| settings.get(settings::JOURNAL).map(PathBuf::from));
    // A journal named for a run that nothing else configures: a real run
    // was meant, and its settings are missing.
    if builtin && !args.mock && asked.is_some() {
        return Err(Error::Setting(
            "a journal is given (--journal or TRACKCTL_JOURNAL), but no provider: give the providers' settings, or --mock to rehearse against the built-in mock (whose journal is kept in memory)"
                .into(),
        ));
    }
    let journal_path = match (asked, builtin) {
        // A fresh in-process mock remembers nothing: neither does its
        // journal, so a rehearsal never marks a row delivered.
        (Some(path), true) => {
            note!(
                "The built-in mock remembers nothing, so its journal is kept in memory: {} is not used.",
                path.display()
            );
            None
        }
        (None, true) => None,
        (Some(path), false) => Some(path),
        (None, false) => Some(folder_journal(&args.file.path)),
    };
    let mut journal = Journal::open(journal_path.as_deref(), args.journal_is_whole)?;
    // --max-wait bounds the waits of a row's call (a Retry-After, backoffs):
    // past it, the call ends with the answer it had.
    let client = ClientConfig::default()
        .with_timeouts(Duration::from_secs(10), args.timeout)
        .with_retry(RetryPolicy {
            max_elapsed: args.max_wait,
            ..RetryPolicy::default()
        });
    let targets = targets(&settings, args.base_url.as_deref(), args.mock, &client).await?;
    note!("{}", targets.description);
    if let Some(path) = journal.path() {
        note!("Journal: {}", path.display());
    }
    // The journal takes in the per-file journals of earlier versions in the
    // input's folder, so that none of their rows is sent again.
    if journal_path.is_some() {
        let input =
            std::fs::canonicalize(&args.file.path).unwrap_or_else(|_| args.file.path.clone());
        let folder = input.parent().unwrap_or(Path::new("."));
        let said =
            journal.adopt_file_journals(folder, &targets.destinations, args.journal_is_whole)?;
        said.iter().for_each(|line| note!("{line}"));
    }
    let destinations = targets
        .destinations
        .iter()
        .map(|d| (d.provider, d.id(|secret| journal.fingerprint(secret))))
        .collect();
    let pusher = args.rate_limits.iter().fold(
        targets
            .pusher
            .clone()
            .with_default_provider(args.file.provider)
            .with_lookup_delay(args.lookup_delay),
        |pusher, (provider, rate)| pusher.with_rate_limit(*provider, *rate),
    );
    journal.adopt_legacy_rows(targets.real);
    journal.begin_run(&args.file.path)?;

    let stop = Stop::listen();
    let context = Context {
        pusher: &pusher,
        journal: &journal,
        destinations,
        resend_uncertain: args.resend_uncertain,
        push_changes: args.push_changes,
        dry_run: false,
        in_flight: Mutex::new(BTreeMap::new()),
        journal_failed: AtomicBool::new(false),
        halts: crate::halt::Halts::new(args.breaker),
        traces: Mutex::new(BTreeMap::new()),
    };
    let progress = progress_bar(input.data_lines);
    // The progress line says the waits going on (crate::waits).
    let waits_shown = progress.clone().map(|bar| {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            loop {
                tick.tick().await;
                bar.set_message(crate::waits::now().unwrap_or_default());
            }
        })
    });
    let mut summary = Summary {
        blank: input.blank_lines,
        zone: input.zone,
        ..Summary::default()
    };
    let mut deferred = Vec::new();
    let show = |summary: &mut Summary, line: u64, outcome: Outcome| {
        report.row(
            line,
            outcome.kind(),
            &context.take_trace(line),
            &outcome.text(),
        );
        let attention = !matches!(
            outcome,
            Outcome::Pushed(_) | Outcome::Skipped | Outcome::Duplicate(_)
        );
        let text = summary.add(line, outcome);
        // A row told in the summary only (not sent) has no line of its own.
        let attention = attention && !text.is_empty();
        match &progress {
            Some(bar) => {
                bar.inc(1);
                if attention {
                    bar.println(text);
                }
            }
            None if attention || (!quiet && !text.is_empty()) => note!("{text}"),
            None => {}
        }
    };
    let rows = input.rows()?;
    // Every send of the run in the stop's scope: a stop cuts their waits.
    let retries = stop.retries();
    retries
        .clone()
        .scope(async {
            let stream = futures_util::stream::iter(rows)
                .take_while(|_| {
                    let go = !stop.requested()
                        && !context.journal_failed.load(Ordering::SeqCst)
                        && !crate::say::closed();
                    async move { go }
                })
                .map(|(line, row)| {
                    let context = &context;
                    async move { (line, context.deliver(line, row).await) }
                })
                .buffer_unordered(args.concurrency.max(1));
            futures_util::pin_mut!(stream);
            loop {
                let next = tokio::select! {
                    biased;
                    _ = stop.force_requested() => break,
                    next = stream.next() => next,
                };
                let Some((line, outcome)) = next else { break };
                match outcome {
                    Outcome::Deferred(row) => deferred.push(*row),
                    outcome => show(&mut summary, line, outcome),
                }
            }
        })
        .await;
    // Rows that may correct a delivered tracking number: a further package
    // if the number they may replace is still in the file.
    let journal_failed = || context.journal_failed.load(Ordering::SeqCst);
    let stopping = || stop.requested() || journal_failed() || crate::say::closed();
    if !deferred.is_empty() && !stopping() {
        let replaced: HashSet<String> = deferred.iter().map(|d| d.replaced.key.clone()).collect();
        let present = keys_in_file(&input, &pusher, &replaced)?;
        for row in deferred {
            if stopping() {
                break;
            }
            let line = row.line;
            let seen = present.contains(&row.replaced.key);
            let outcome = retries.clone().scope(context.settle(row, seen)).await;
            show(&mut summary, line, outcome);
        }
    }
    if stop.forced() {
        summary.abandoned = context.abandon_in_flight();
        for line in &summary.abandoned {
            let why = "stopped while being sent";
            report.row(*line, "uncertain", &context.take_trace(*line), why);
            note!("line {line}: UNCERTAIN: {why}");
        }
    }
    let halts = context.halts.take();
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if let Some(task) = waits_shown {
        task.abort();
    }
    if let Some(mock) = targets.mock {
        mock.shutdown().await;
    }
    let journal_failed = journal_failed();
    let closed = journal.finish_run();

    let interrupted = stop.requested();
    summary.print(
        input.data_lines,
        started.elapsed(),
        interrupted,
        targets.rehearsal.as_deref(),
    );
    if journal_failed {
        note!(
            "  the journal could not record a row (see the lines above): no new row was started after it. Free the space (or fix the journal's folder), then run again: rows sent but not recorded are resumed as sent in doubt, none is sent twice where it may not be"
        );
    }
    if let Err(e) = &closed {
        note!("  {e}: the journal could not be closed cleanly");
    }
    for (provider, halt) in &halts {
        let not_sent = summary.not_sent.get(provider).map_or(0, Vec::len);
        note!("{}", halt.summary(*provider, not_sent));
    }
    let code = if crate::say::closed() {
        CLOSED_EXIT
    } else if let Some(code) = crate::halt::exit_code(&halts) {
        code
    } else if journal_failed || closed.is_err() {
        1
    } else {
        summary.exit_code(interrupted)
    };
    report.summary(&summary.record(
        &input,
        started.elapsed(),
        interrupted,
        targets.real,
        &halts,
        code,
    ));
    report.finish();
    Ok(ExitCode::from(code))
}

/// Which of `wanted` are the keys of rows of the file: a third reading, made
/// only when some row may correct another.
fn keys_in_file(
    input: &input::Input,
    pusher: &Pusher,
    wanted: &HashSet<String>,
) -> Result<HashSet<String>, Error> {
    let mut found = HashSet::new();
    for (_, row) in input.rows()? {
        let Ok(shipment) = row else { continue };
        let Ok(provider) = pusher.provider_of(&shipment) else {
            continue;
        };
        let key = shipment.key(provider);
        if wanted.contains(&key) {
            found.insert(key);
        }
    }
    Ok(found)
}

/// [`FOLDER_JOURNAL`] in the file's folder: through a symbolic link, in the
/// folder of the file it names.
fn folder_journal(file: &Path) -> PathBuf {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    file.with_file_name(FOLDER_JOURNAL)
}

/// A bar with the rate and the time left, on a terminal only: elsewhere
/// each row is a plain line.
fn progress_bar(total: u64) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template(
        "{bar:40} {pos}/{len} rows  {per_sec}  {elapsed_precise} elapsed, {eta_precise} left  {msg}",
    )
    .ok()?;
    bar.set_style(style);
    Some(bar)
}
