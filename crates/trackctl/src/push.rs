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
use order_tracking::{Provider, PushError, Pusher};
use tracking_runtime::ClientConfig;

use crate::deliver::{Context, Outcome};
use crate::input;
use crate::journal::{self, Journal};
use crate::providers::targets;
use crate::settings::Settings;
use crate::stop::Stop;

/// The exit code of a run refused because another run holds the journal
/// (EX_TEMPFAIL: try again later).
pub const BUSY_EXIT: u8 = 75;

pub struct Options {
    pub file: PathBuf,
    pub provider: Option<Provider>,
    pub base_url: Option<String>,
    pub config: Option<PathBuf>,
    pub journal: Option<PathBuf>,
    pub concurrency: usize,
    pub resend_uncertain: bool,
    pub push_changes: bool,
    pub timeout: Duration,
    pub lookup_delay: Duration,
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
            // Counted when settled.
            Outcome::Deferred(_) => String::new(),
        }
    }

    fn print(&self, data_lines: u64, elapsed: Duration, interrupted: bool) {
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
        if not_started > 0 {
            line.push_str(&format!(", {not_started} not started"));
        }
        line.push_str(&format!(
            " — {data_lines} rows in {:.1} s",
            elapsed.as_secs_f64()
        ));
        if interrupted {
            line.push_str(" — interrupted: run again to push the rest");
        }
        eprintln!("{line}");
        for (line, why) in &self.failed {
            eprintln!("  line {line}: {why}");
        }
        if !self.changed.is_empty() {
            eprintln!(
                "  lines {:?} changed since they were pushed: see each line above (--push-changes sends a change where the provider can take one)",
                self.changed.keys().collect::<Vec<_>>()
            );
        }
        if !self.to_look_up.is_empty() {
            eprintln!(
                "  lines {:?} could not be looked up at the provider: run again to look them up (nothing is sent twice), or, if the lookup keeps failing, check them there and rerun with --resend-uncertain for those that did not arrive",
                self.to_look_up
            );
        }
        if !self.uncertain.is_empty() {
            eprintln!(
                "  lines {:?} may or may not have reached the provider: check them there, then rerun with --resend-uncertain for those that did not arrive",
                self.uncertain
            );
        }
        if !self.abandoned.is_empty() {
            eprintln!(
                "  lines {:?} were stopped while being sent: the next run resumes them where it safely can, and reports the others as uncertain",
                self.abandoned
            );
        }
    }

    fn exit_code(&self, interrupted: bool) -> ExitCode {
        if interrupted {
            ExitCode::from(130)
        } else if self.failed.is_empty()
            && self.changed.is_empty()
            && self.uncertain.is_empty()
            && self.to_look_up.is_empty()
        {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

pub async fn run(options: Options) -> Result<ExitCode, String> {
    let started = Instant::now();
    // The whole file is read before anything is sent.
    let input = input::check(&options.file)?;
    for warning in &input.warnings {
        eprintln!("{}: {warning}", options.file.display());
    }
    let settings = Settings::load(options.config.as_deref())?;
    let builtin = options.base_url.is_none() && !settings.any_credentials();
    let journal_path = match (&options.journal, builtin) {
        // A fresh in-process mock remembers nothing: neither does its
        // journal, so a rehearsal never marks a row delivered.
        (Some(path), true) => {
            eprintln!(
                "The built-in mock remembers nothing, so its journal is kept in memory: {} is not used.",
                path.display()
            );
            None
        }
        (None, true) => None,
        (Some(path), false) => Some(path.clone()),
        (None, false) => Some(default_journal(&options.file)),
    };
    let mut journal = match Journal::open(journal_path.as_deref(), options.journal_is_whole) {
        Ok(journal) => journal,
        Err(e) if e.contains(journal::BUSY) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(BUSY_EXIT));
        }
        Err(e) => return Err(e),
    };
    let client = ClientConfig::default().with_timeouts(Duration::from_secs(10), options.timeout);
    let targets = targets(&settings, options.base_url.as_deref(), &client).await?;
    eprintln!("{}", targets.description);
    if let Some(path) = journal.path() {
        eprintln!("Journal: {}", path.display());
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
        in_flight: Mutex::new(BTreeMap::new()),
        journal_failed: AtomicBool::new(false),
    };
    let progress = progress_bar(input.data_lines);
    let mut summary = Summary::default();
    let mut deferred = Vec::new();
    let show = |summary: &mut Summary, line: u64, outcome: Outcome| {
        let attention = !matches!(
            outcome,
            Outcome::Pushed(_) | Outcome::Skipped | Outcome::Duplicate(_)
        );
        let text = summary.add(line, outcome);
        match &progress {
            Some(bar) => {
                bar.inc(1);
                if attention {
                    bar.println(text);
                }
            }
            None if attention || !options.quiet => eprintln!("{text}"),
            None => {}
        }
    };
    {
        let stream = futures_util::stream::iter(input.rows()?)
            .take_while(|_| {
                let go = !stop.requested() && !context.journal_failed.load(Ordering::SeqCst);
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
    }
    // Rows that may correct a delivered tracking number: a further package
    // if the number they may replace is still in the file.
    let journal_failed = || context.journal_failed.load(Ordering::SeqCst);
    if !deferred.is_empty() && !stop.requested() && !journal_failed() {
        let replaced: HashSet<String> = deferred.iter().map(|d| d.replaced.key.clone()).collect();
        let present = keys_in_file(&input, &pusher, &replaced)?;
        for row in deferred {
            if stop.requested() || journal_failed() {
                break;
            }
            let line = row.line;
            let seen = present.contains(&row.replaced.key);
            let outcome = context.settle(row, seen).await;
            show(&mut summary, line, outcome);
        }
    }
    if stop.forced() {
        summary.abandoned = context.abandon_in_flight();
        for line in &summary.abandoned {
            eprintln!("line {line}: UNCERTAIN: stopped while being sent");
        }
    }
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if let Some(mock) = targets.mock {
        mock.shutdown().await;
    }
    let journal_failed = journal_failed();
    let closed = journal.finish_run();

    let interrupted = stop.requested();
    summary.print(input.data_lines, started.elapsed(), interrupted);
    if journal_failed {
        eprintln!(
            "  the journal could not record a row (see the lines above): no new row was started after it. Free the space (or fix the journal's folder), then run again: rows sent but not recorded are resumed as sent in doubt, none is sent twice where it may not be"
        );
    }
    if let Err(e) = &closed {
        eprintln!("  {e}: the journal could not be closed cleanly");
    }
    Ok(if journal_failed || closed.is_err() {
        ExitCode::FAILURE
    } else {
        summary.exit_code(interrupted)
    })
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

/// `FILE.journal.sqlite` beside the file itself: through a symbolic link,
/// beside the file it names, so that one file has one journal.
fn default_journal(file: &Path) -> PathBuf {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".journal.sqlite");
    file.with_file_name(name)
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

pub fn validate(file: &Path, provider: Option<Provider>) -> Result<ExitCode, String> {
    let input = input::check(file)?;
    for warning in &input.warnings {
        println!("{warning}");
    }
    let pusher = Pusher::new().with_default_provider(provider);
    let (mut good, mut bad) = (0u64, 0u64);
    for (line, row) in input.rows()? {
        let problem = match row {
            Err(e) => Some(e.to_string()),
            Ok(shipment) => match pusher.check(&shipment) {
                Ok(_) => None,
                Err(PushError::Invalid(errors)) => Some(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Err(e) => Some(e.to_string()),
            },
        };
        match problem {
            Some(problem) => {
                bad += 1;
                println!("line {line}: {problem}");
            }
            None => good += 1,
        }
    }
    println!("{good} valid, {bad} invalid");
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
