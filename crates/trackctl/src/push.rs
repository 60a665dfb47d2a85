//! `trackctl push` and `trackctl validate`.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use order_tracking::{Provider, PushError, Pusher, Shipment};
use tracking_runtime::ClientConfig;

use crate::input::{self, RowError};
use crate::journal::{Journal, State};
use crate::providers::{Settings, targets};

pub struct Options {
    pub file: PathBuf,
    pub provider: Option<Provider>,
    pub base_url: Option<String>,
    pub config: Option<PathBuf>,
    pub journal: Option<PathBuf>,
    pub concurrency: usize,
    pub resend_uncertain: bool,
    pub timeout: Duration,
    pub lookup_delay: Duration,
}

/// What became of one row.
enum Outcome {
    Pushed(String),
    Failed(String),
    Skipped,
    /// In doubt; true when the next run settles it by a lookup.
    Uncertain(String, bool),
}

/// Counts and reasons, for the summary.
#[derive(Default)]
struct Summary {
    pushed: u64,
    skipped: u64,
    failed: BTreeMap<u64, String>,
    /// Rows in doubt that only the user can settle.
    uncertain: Vec<u64>,
    /// Rows in doubt that the next run looks up.
    to_look_up: Vec<u64>,
}

pub async fn run(options: Options) -> Result<ExitCode, String> {
    let rows = input::open(&options.file)?;
    let settings = Settings::load(options.config.as_deref())?;
    let client = ClientConfig::default().with_timeouts(Duration::from_secs(10), options.timeout);
    let targets = targets(&settings, options.base_url.as_deref(), &client).await?;
    eprintln!("{}", targets.description);

    let journal_path = match (&options.journal, &targets.mock) {
        (Some(path), _) => Some(path.clone()),
        // A fresh in-process mock remembers nothing: neither should its journal.
        (None, Some(_)) => None,
        (None, None) => Some(default_journal(&options.file)),
    };
    if let Some(path) = &journal_path {
        eprintln!("Journal: {}", path.display());
    }
    let journal = Arc::new(Journal::open(journal_path.as_deref())?);
    let pusher = targets
        .pusher
        .with_default_provider(options.provider)
        .with_lookup_delay(options.lookup_delay);

    let stop = Arc::new(AtomicBool::new(false));
    tokio::spawn(stop_on_signal(stop.clone()));

    let progress = progress_bar(input::count_rows(&options.file));
    let mut summary = Summary::default();
    let stream = futures_util::stream::iter(rows)
        .take_while(|_| {
            let go = !stop.load(Ordering::SeqCst);
            async move { go }
        })
        .map(|(line, row)| {
            let (pusher, journal) = (&pusher, journal.clone());
            let resend = options.resend_uncertain;
            async move { (line, deliver(pusher, &journal, line, row, resend).await) }
        })
        .buffer_unordered(options.concurrency.max(1));
    futures_util::pin_mut!(stream);
    while let Some((line, outcome)) = stream.next().await {
        let text = match outcome {
            Outcome::Pushed(what) => {
                summary.pushed += 1;
                format!("line {line}: pushed ({what})")
            }
            Outcome::Skipped => {
                summary.skipped += 1;
                format!("line {line}: skipped (already pushed)")
            }
            Outcome::Uncertain(why, look_up) => {
                if look_up {
                    summary.to_look_up.push(line);
                } else {
                    summary.uncertain.push(line);
                }
                format!("line {line}: UNCERTAIN: {why}")
            }
            Outcome::Failed(why) => {
                let text = format!("line {line}: FAILED: {why}");
                summary.failed.insert(line, why);
                text
            }
        };
        match &progress {
            Some(bar) => {
                bar.inc(1);
                if text.contains("FAILED") || text.contains("UNCERTAIN") {
                    bar.println(text);
                }
            }
            None => eprintln!("{text}"),
        }
    }
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if let Some(mock) = targets.mock {
        mock.shutdown().await;
    }

    let interrupted = stop.load(Ordering::SeqCst);
    eprintln!(
        "\n{} pushed, {} failed, {} skipped (already pushed), {} uncertain{}",
        summary.pushed,
        summary.failed.len(),
        summary.skipped,
        summary.uncertain.len() + summary.to_look_up.len(),
        if interrupted {
            " — interrupted: run again to push the rest"
        } else {
            ""
        }
    );
    for (line, why) in &summary.failed {
        eprintln!("  line {line}: {why}");
    }
    if !summary.to_look_up.is_empty() {
        eprintln!(
            "  lines {:?} could not be looked up at the provider: run again to look them up (nothing is sent twice), or, if the lookup keeps failing, check them there and rerun with --resend-uncertain for those that did not arrive",
            summary.to_look_up
        );
    }
    if !summary.uncertain.is_empty() {
        eprintln!(
            "  lines {:?} may or may not have reached the provider: check them there, then rerun with --resend-uncertain for those that did not arrive",
            summary.uncertain
        );
    }
    Ok(if interrupted {
        ExitCode::from(130)
    } else if summary.failed.is_empty()
        && summary.uncertain.is_empty()
        && summary.to_look_up.is_empty()
    {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One row through the journal: skip what is delivered, refuse what is
/// invalid without sending, mark in flight, send, record the answer.
async fn deliver(
    pusher: &Pusher,
    journal: &Journal,
    line: u64,
    row: Result<Shipment, RowError>,
    resend_uncertain: bool,
) -> Outcome {
    let shipment = match row {
        Ok(shipment) => shipment,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let (provider, plan) = match pusher.check(&shipment) {
        Ok(checked) => checked,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let key = shipment.key(provider);
    let record = |state, detail: &str| journal.set(&key, line, state, detail);
    // A row a previous run may have sent is resumed, so that it is not
    // applied twice: a plan whose every call may be repeated is resent, one
    // the provider can be asked about is looked up first (with or without
    // --resend-uncertain, which then sends it only if the lookup fails).
    // Any other stays in doubt until the user says to resend it.
    let resume = match journal.state(&key) {
        Err(e) => return Outcome::Failed(e),
        Ok(Some((State::Done, _))) => return Outcome::Skipped,
        Ok(Some((State::Sending, _))) if plan.resumable() => true,
        Ok(Some((State::Sending, detail))) if !resend_uncertain => {
            let why = if detail.is_empty() {
                "a previous run was stopped while sending it".to_string()
            } else {
                detail
            };
            return Outcome::Uncertain(why, false);
        }
        Ok(_) => false,
    };
    if let Err(e) = record(State::Sending, "") {
        return Outcome::Failed(e);
    }
    let idempotent = plan.idempotent_operations();
    let look_up = plan.has_lookup();
    let sent = if resume {
        match pusher.resume(provider, plan.clone()).await {
            // The lookup could not settle it, and the user said to send
            // what stays uncertain.
            Err(PushError::Failed { in_doubt: true, .. }) if resend_uncertain => {
                pusher.send(provider, plan).await
            }
            resumed => resumed,
        }
    } else {
        pusher.send(provider, plan).await
    };
    match sent {
        Ok(receipt) => {
            let mut what = format!("{} {}", receipt.provider, receipt.operations.join(" + "));
            if receipt.already_applied {
                what.push_str(", already applied: found by a lookup, not sent again");
            }
            match record(State::Done, &what) {
                Ok(()) => Outcome::Pushed(what),
                Err(e) => Outcome::Failed(format!("delivered, but {e}")),
            }
        }
        Err(PushError::Failed {
            operation,
            message,
            completed,
            in_doubt,
            ..
        }) => {
            // What the provider applied, or may have: the calls that
            // succeeded, and the failed one if its answer left it in doubt.
            // Sending the row again repeats them, which is harmless only for
            // calls that may be repeated. Otherwise the row is left
            // `sending`, so that a rerun does not send it twice without
            // being asked to.
            let unsafe_to_repeat: Vec<&str> = completed
                .iter()
                .copied()
                .chain(in_doubt.then_some(operation))
                .filter(|op| !idempotent.contains(op))
                .collect();
            if unsafe_to_repeat.is_empty() {
                let why = if completed.is_empty() {
                    message
                } else {
                    format!("{message} (after {} succeeded)", completed.join(", "))
                };
                let _ = record(State::Failed, &why);
                return Outcome::Failed(why);
            }
            let why = if in_doubt {
                format!("no clear answer, may have been applied: {message}")
            } else {
                format!("{message}; {} had been applied", completed.join(", "))
            };
            let why = format!(
                "{why} (sending the row again would repeat {})",
                unsafe_to_repeat.join(", ")
            );
            let _ = record(State::Sending, &why);
            Outcome::Uncertain(why, look_up)
        }
        Err(error) => {
            let why = error.to_string();
            let _ = record(State::Failed, &why);
            Outcome::Failed(why)
        }
    }
}

fn default_journal(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".journal.sqlite");
    file.with_file_name(name)
}

fn progress_bar(total: Option<u64>) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total.unwrap_or(0));
    let style =
        ProgressStyle::with_template("{bar:40} {pos}/{len} shipments  {elapsed} {msg}").ok()?;
    bar.set_style(style);
    Some(bar)
}

/// Ctrl-C or SIGTERM: start no new row, let those in flight finish.
async fn stop_on_signal(stop: Arc<AtomicBool>) {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    eprintln!("stopping: no new shipments; waiting for those in flight");
    stop.store(true, Ordering::SeqCst);
}

pub fn validate(file: &Path, provider: Option<Provider>) -> Result<ExitCode, String> {
    let pusher = Pusher::new().with_default_provider(provider);
    let (mut good, mut bad) = (0u64, 0u64);
    for (line, row) in input::open(file)? {
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
