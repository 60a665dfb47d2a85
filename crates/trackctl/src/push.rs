//! `trackctl push` and `trackctl validate`.

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
use crate::input;
use crate::journal::{self, Journal};
use crate::providers::{self, targets};
use crate::report::{Report, SummaryRecord};
use crate::say::{note, say};
use crate::settings::{self, Settings};
use crate::stop::Stop;

/// The exit code of a run refused because another run holds the journal
/// (EX_TEMPFAIL: try again later).
pub const BUSY_EXIT: u8 = 75;

/// The exit code of a run whose output was closed (`| head`): it stopped as
/// a Ctrl-C stops (128 + SIGPIPE, as a shell reports a process a closed
/// pipe ended).
pub const CLOSED_EXIT: u8 = 141;

/// The default journal's name, in the input file's folder: one journal for
/// the files of a folder, so that a daily export (`shipments-DATE.csv`)
/// that repeats yesterday's late rows does not send them again.
pub const FOLDER_JOURNAL: &str = "trackctl.journal.sqlite";

pub struct Options {
    pub file: PathBuf,
    pub provider: Option<Provider>,
    /// How the file is read (`--ignore-column`, `--delimiter`, `--encoding`).
    pub reading: input::Reading,
    /// The built-in mock, asked for.
    pub mock: bool,
    pub base_url: Option<String>,
    pub config: Option<PathBuf>,
    pub journal: Option<PathBuf>,
    pub concurrency: usize,
    pub resend_uncertain: bool,
    pub push_changes: bool,
    pub timeout: Duration,
    pub lookup_delay: Duration,
    /// The longest a row's call waits between attempts, in all (`--max-wait`).
    pub max_wait: Duration,
    /// Rows in a row that cannot reach a provider before it is stopped (`--breaker`).
    pub breaker: usize,
    /// `--report FILE`.
    pub report: Option<PathBuf>,
    /// `--format json`: the report's records on stdout.
    pub json: bool,
    /// Calls a second per provider, over the defaults.
    pub rate_limits: Vec<(Provider, f64)>,
    /// Row lines only for rows that need attention.
    pub quiet: bool,
    /// Take a journal left open, whose log is missing, as whole.
    pub journal_is_whole: bool,
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

pub async fn run(options: Options) -> Result<ExitCode, String> {
    let started = Instant::now();
    // The whole file is read before anything is sent.
    let input = input::check(&options.file, &options.reading)?;
    for warning in &input.warnings {
        note!("{}: {warning}", options.file.display());
    }
    let report = Report::open(options.report.as_deref(), options.json)?;
    let settings = Settings::load(options.config.as_deref())?;
    for name in &settings.unknown {
        note!("warning: {name} in the environment is not a setting trackctl reads (misspelled?)");
    }
    providers::check(&settings, options.mock, options.base_url.as_deref())?;
    let builtin = providers::builtin(&settings, options.mock, options.base_url.as_deref());
    let asked = options
        .journal
        .clone()
        .or_else(|| settings.get(settings::JOURNAL).map(PathBuf::from));
    // A journal named for a run that nothing else configures: a real run
    // was meant, and its settings are missing.
    if builtin && !options.mock && asked.is_some() {
        return Err(
            "a journal is given (--journal or TRACKCTL_JOURNAL), but no provider: give the providers' settings, or --mock to rehearse against the built-in mock (whose journal is kept in memory)"
                .into(),
        );
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
        (None, false) => Some(folder_journal(&options.file)),
    };
    let mut journal = match Journal::open(journal_path.as_deref(), options.journal_is_whole) {
        Ok(journal) => journal,
        Err(e) if e.contains(journal::BUSY) => {
            note!("error: {e}");
            return Ok(ExitCode::from(BUSY_EXIT));
        }
        Err(e) => return Err(e),
    };
    // --max-wait bounds the waits of a row's call (a Retry-After, backoffs):
    // past it, the call ends with the answer it had.
    let client = ClientConfig::default()
        .with_timeouts(Duration::from_secs(10), options.timeout)
        .with_retry(RetryPolicy {
            max_elapsed: options.max_wait,
            ..RetryPolicy::default()
        });
    let targets = targets(
        &settings,
        options.base_url.as_deref(),
        options.mock,
        &client,
    )
    .await?;
    note!("{}", targets.description);
    if let Some(path) = journal.path() {
        note!("Journal: {}", path.display());
    }
    // The journal takes in the per-file journals of earlier versions in the
    // input's folder, so that none of their rows is sent again.
    if journal_path.is_some() {
        let input = std::fs::canonicalize(&options.file).unwrap_or_else(|_| options.file.clone());
        let folder = input.parent().unwrap_or(Path::new("."));
        match journal.adopt_file_journals(folder, &targets.destinations, options.journal_is_whole) {
            Ok(said) => said.iter().for_each(|line| note!("{line}")),
            Err(e) if e.contains(journal::BUSY) => {
                note!("error: {e}");
                return Ok(ExitCode::from(BUSY_EXIT));
            }
            Err(e) => return Err(e),
        }
    }
    let destinations = targets
        .destinations
        .iter()
        .map(|d| (d.provider, d.id(|secret| journal.fingerprint(secret))))
        .collect();
    let pusher = options.rate_limits.iter().fold(
        targets
            .pusher
            .clone()
            .with_default_provider(options.provider)
            .with_lookup_delay(options.lookup_delay),
        |pusher, (provider, rate)| pusher.with_rate_limit(*provider, *rate),
    );
    journal.adopt_legacy_rows(targets.real);
    journal.begin_run(&options.file)?;

    let stop = Stop::listen();
    let context = Context {
        pusher: &pusher,
        journal: &journal,
        destinations,
        resend_uncertain: options.resend_uncertain,
        push_changes: options.push_changes,
        dry_run: false,
        in_flight: Mutex::new(BTreeMap::new()),
        journal_failed: AtomicBool::new(false),
        halts: crate::halt::Halts::new(options.breaker),
        traces: Mutex::new(BTreeMap::new()),
    };
    let progress = progress_bar(input.data_lines);
    let mut summary = Summary {
        blank: input.blank_lines,
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
            None if attention || (!options.quiet && !text.is_empty()) => note!("{text}"),
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
                .buffer_unordered(options.concurrency.max(1));
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
) -> Result<HashSet<String>, String> {
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
        "{bar:40} {pos}/{len} rows  {per_sec}  {elapsed_precise} elapsed, {eta_precise} left",
    )
    .ok()?;
    bar.set_style(style);
    Some(bar)
}

/// `trackctl validate`: every refusal `push` can make from the file alone,
/// in the same words, by the same path with nothing sent: each row is
/// checked and claimed in a journal in memory (so two rows of one shipment,
/// or two tracking numbers for a record that holds one, are refused as
/// `push` refuses them), and a row `push` would send is counted valid.
pub async fn validate(
    file: &Path,
    provider: Option<Provider>,
    reading: &input::Reading,
) -> Result<ExitCode, String> {
    let input = input::check(file, reading)?;
    for warning in &input.warnings {
        say!("{}: {warning}", file.display());
    }
    let mut journal = Journal::open(None, false)?;
    journal.begin_run(file)?;
    let context = Context {
        pusher: &Pusher::new().with_default_provider(provider),
        journal: &journal,
        destinations: Provider::all()
            .map(|p| (p, format!("validate {p}")))
            .collect(),
        resend_uncertain: false,
        push_changes: false,
        dry_run: true,
        in_flight: Mutex::new(BTreeMap::new()),
        journal_failed: AtomicBool::new(false),
        halts: Default::default(),
        traces: Mutex::new(BTreeMap::new()),
    };
    let (mut good, mut bad) = (0u64, 0u64);
    for (line, row) in input.rows()? {
        if crate::say::closed() {
            break;
        }
        match context.deliver(line, row).await {
            Outcome::Valid(choice) => {
                good += 1;
                if let Some(choice) = choice {
                    say!("line {line}: {choice}");
                }
            }
            Outcome::Duplicate(first) => {
                good += 1;
                say!("line {line}: the same shipment as line {first}: sent once");
            }
            Outcome::Failed(why) => {
                bad += 1;
                say!("line {line}: {why}");
            }
            Outcome::Changed(why) | Outcome::Uncertain(why, _) => {
                bad += 1;
                say!("line {line}: {why}");
            }
            // Not in a dry run against a new journal, which holds nothing
            // delivered and sends nothing (so stops no provider).
            Outcome::Pushed(_) | Outcome::Skipped | Outcome::Deferred(_) | Outcome::NotSent(_) => {
                good += 1
            }
        }
    }
    let blank = match input.blank_lines {
        0 => String::new(),
        n => format!(", {n} blank"),
    };
    say!("{good} valid, {bad} invalid{blank}");
    Ok(if crate::say::closed() {
        ExitCode::from(CLOSED_EXIT)
    } else if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
