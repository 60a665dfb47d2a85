//! `trackctl validate`: its options and its run.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use order_tracking::{Provider, Pusher};

use crate::deliver::{Context, Outcome};
use crate::error::Error;
use crate::input;
use crate::journal::Journal;
use crate::push::CLOSED_EXIT;
use crate::say::say;

/// `trackctl validate`: check every row without sending anything.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub file: input::FileArgs,
}

/// `trackctl validate`: every refusal `push` can make from the file alone,
/// in the same words, by the same path with nothing sent: each row is
/// checked and claimed in a journal in memory (so two rows of one shipment,
/// or two tracking numbers for a record that holds one, are refused as
/// `push` refuses them), and a row `push` would send is counted valid.
pub async fn run(args: Args) -> Result<ExitCode, Error> {
    let (file, provider) = (&args.file.path, args.file.provider);
    let input = input::check(file, &args.file.reading())?;
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
