//! One row through the journal: skip what is delivered, refuse what is
//! invalid without sending, claim it, send it, record the answer.

use std::collections::BTreeMap;
use std::sync::Mutex;

use order_tracking::{Plan, Provider, PushError, Pusher, Shipment};
use tracing::Instrument;

use crate::input::RowError;
use crate::journal::{Journal, Mark, Record, Replaced, RowId, State};

/// What became of one row.
pub enum Outcome {
    /// Delivered (or its change delivered), with what was called.
    Pushed(String),
    /// Not delivered; why.
    Failed(String),
    /// Delivered before, unchanged.
    Skipped,
    /// The same shipment, with the same fields, as an earlier line.
    Duplicate(u64),
    /// Delivered before; its fields have changed since. Why it was not sent.
    Changed(String),
    /// In doubt; true when the next run settles it by a lookup.
    Uncertain(String, bool),
    /// A new tracking number on the line of one delivered for the same
    /// order: a correction, or a further package? Decided once the whole
    /// file has been seen ([`Context::settle`]).
    Deferred(Box<Deferred>),
}

/// A row held back until the end of the run.
pub struct Deferred {
    pub line: u64,
    pub shipment: Shipment,
    pub replaced: Replaced,
}

/// What every row needs.
pub struct Context<'a> {
    pub pusher: &'a Pusher,
    pub journal: &'a Journal,
    /// Each configured provider's [`crate::destination::Destination::id`].
    pub destinations: BTreeMap<Provider, String>,
    pub resend_uncertain: bool,
    pub push_changes: bool,
    /// Rows claimed and not yet answered, by line: a forced stop marks them.
    pub in_flight: Mutex<BTreeMap<u64, RowId>>,
}

/// What the journal's record of a row says to do.
enum Verdict {
    /// Send it; `resume` when an earlier run may have sent it.
    Send { resume: bool },
    /// Send the change from `old`, the fields delivered before.
    Change { old: Box<Shipment>, since: String },
    /// Nothing to send.
    Done(Outcome),
    /// Hold it back: it may correct `Replaced`'s tracking number.
    Defer(Replaced),
}

impl Context<'_> {
    /// Delivers the row at `line`, in a span naming it.
    pub async fn deliver(&self, line: u64, row: Result<Shipment, RowError>) -> Outcome {
        let span = tracing::info_span!("row", line, provider = tracing::field::Empty);
        self.deliver_row(line, row, true).instrument(span).await
    }

    /// `row` may replace a delivered tracking number (it was deferred):
    /// `seen_in_file` says whether the replaced one is still in the file.
    /// If it is, this is a further package, delivered as a new row; if
    /// not, a corrected tracking number, which no provider has a call for.
    pub async fn settle(&self, deferred: Deferred, seen_in_file: bool) -> Outcome {
        let Deferred {
            line,
            shipment,
            replaced,
        } = deferred;
        if seen_in_file {
            let span = tracing::info_span!("row", line, provider = tracing::field::Empty);
            return self
                .deliver_row(line, Ok(shipment), false)
                .instrument(span)
                .await;
        }
        let provider = shipment
            .provider
            .or(self.pusher.provider_of(&shipment).ok());
        let provider = provider.map_or("the provider".to_string(), |p| p.to_string());
        Outcome::Changed(format!(
            "changed since pushed by the run of {}: the tracking number on this line was {}, now {}, and {} is no longer in the file. A corrected tracking number is a new one to {provider}, which has no call to correct one, so it was not sent: if {} was wrong, remove it at {provider}; then, or if {} is a further package of the order, put its row on a line of its own (e.g. at the end of the file) and run again",
            replaced.run_started,
            replaced.tracking_number,
            shipment.tracking_number.trim(),
            replaced.tracking_number,
            replaced.tracking_number,
            shipment.tracking_number.trim(),
        ))
    }

    async fn deliver_row(
        &self,
        line: u64,
        row: Result<Shipment, RowError>,
        find_replaced: bool,
    ) -> Outcome {
        let shipment = match row {
            Ok(shipment) => shipment,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let (provider, plan) = match self.pusher.check(&shipment) {
            Ok(checked) => checked,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        tracing::Span::current().record("provider", provider.name());
        let Some(destination) = self.destinations.get(&provider) else {
            return Outcome::Failed(PushError::NotConfigured(provider).to_string());
        };
        let row = RowId::new(destination.clone(), &shipment, provider, line);
        let verdict = self.journal.claim(&row, find_replaced, |record, replaced| {
            match (record, replaced) {
                (None, Some(replaced)) => (Mark::Nothing, Verdict::Defer(replaced.clone())),
                (record, _) => self.decide(record, &plan, &row, provider),
            }
        });
        let verdict = match verdict {
            Ok(verdict) => verdict,
            Err(e) => return Outcome::Failed(e),
        };
        tracing::debug!(key = %row.key, "claimed");
        match verdict {
            Verdict::Done(outcome) => outcome,
            Verdict::Defer(replaced) => Outcome::Deferred(Box::new(Deferred {
                line,
                shipment,
                replaced,
            })),
            Verdict::Change { old, since } => {
                self.change(&row, &old, &shipment, provider, since).await
            }
            Verdict::Send { resume } => {
                self.in_flight().insert(line, row.clone());
                let outcome = self.send(&row, provider, plan, resume).await;
                self.in_flight().remove(&line);
                outcome
            }
        }
    }

    fn in_flight(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, RowId>> {
        self.in_flight.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What to do with a row, given the journal's record of it. A row a
    /// previous run may have sent is resumed, so that it is not applied
    /// twice: a plan whose every call may be repeated is resent, one the
    /// provider can be asked about is looked up first (with or without
    /// --resend-uncertain, which then sends it only if the lookup fails).
    /// Any other stays in doubt until the user says to resend it.
    fn decide(
        &self,
        record: Option<&Record>,
        plan: &Plan,
        row: &RowId,
        provider: Provider,
    ) -> (Mark, Verdict) {
        let Some(record) = record else {
            return (Mark::Sending, Verdict::Send { resume: false });
        };
        let same = record.digest.as_deref().is_none_or(|d| d == row.digest);
        if record.this_run {
            let outcome = if same {
                Outcome::Duplicate(record.line)
            } else {
                Outcome::Failed(format!(
                    "the same shipment as line {} with other fields ({}): which is right? Correct the file and run again",
                    record.line,
                    changed(record, row, provider).join(", ")
                ))
            };
            return (Mark::Nothing, Verdict::Done(outcome));
        }
        match record.state {
            State::Done if same => (Mark::Nothing, Verdict::Done(Outcome::Skipped)),
            State::Done => {
                let old = record
                    .fields
                    .as_deref()
                    .and_then(|f| serde_json::from_str::<Shipment>(f).ok());
                let Some(old) = old else {
                    let why = "changed since pushed, but the journal's copy of what was pushed cannot be read".to_string();
                    return (Mark::Claimed, Verdict::Done(Outcome::Changed(why)));
                };
                let since = format!(
                    "changed since pushed by the run of {} ({})",
                    record.run_started,
                    changed(record, row, provider).join(", ")
                );
                if self.push_changes {
                    return (
                        Mark::Claimed,
                        Verdict::Change {
                            old: Box::new(old),
                            since,
                        },
                    );
                }
                let new: Shipment = serde_json::from_str(&row.fields).unwrap_or_default();
                let why = match order_tracking::plan_change(&old, &new, provider) {
                    Ok(_) => format!(
                        "{since}: not sent; run again with --push-changes to send the change"
                    ),
                    Err(e) => format!("{since}: {e}"),
                };
                (Mark::Claimed, Verdict::Done(Outcome::Changed(why)))
            }
            State::Sending if plan.resumable() => (Mark::Sending, Verdict::Send { resume: true }),
            State::Sending if !self.resend_uncertain => {
                let why = if record.detail.is_empty() {
                    format!(
                        "the run of {} was stopped while sending it",
                        record.run_started
                    )
                } else {
                    record.detail.clone()
                };
                (Mark::Nothing, Verdict::Done(Outcome::Uncertain(why, false)))
            }
            State::Sending | State::Failed => (Mark::Sending, Verdict::Send { resume: false }),
        }
    }

    /// Sends the change of a delivered row by calls that may be repeated;
    /// the journal keeps the old fields until the change is delivered.
    async fn change(
        &self,
        row: &RowId,
        old: &Shipment,
        new: &Shipment,
        provider: Provider,
        since: String,
    ) -> Outcome {
        let plan = match order_tracking::plan_change(old, new, provider) {
            Ok(plan) => plan,
            Err(e) => return Outcome::Changed(format!("{since}: {e}")),
        };
        match self.pusher.send(provider, plan).await {
            Ok(receipt) => {
                let what = format!(
                    "{} {}, {since}: the change was sent",
                    receipt.provider,
                    receipt.operations.join(" + ")
                );
                match self.journal.record(row, State::Done, &what) {
                    Ok(()) => Outcome::Pushed(what),
                    Err(e) => Outcome::Failed(format!("change delivered, but {e}")),
                }
            }
            Err(e) => Outcome::Failed(format!("{since}; sending the change failed: {e}")),
        }
    }

    async fn send(&self, row: &RowId, provider: Provider, plan: Plan, resume: bool) -> Outcome {
        let record = |state, detail: &str| self.journal.record(row, state, detail);
        let idempotent = plan.idempotent_operations();
        let look_up = plan.has_lookup();
        let sent = if resume {
            match self.pusher.resume(provider, plan.clone()).await {
                // The lookup could not settle it, and the user said to send
                // what stays uncertain.
                Err(PushError::Failed { in_doubt: true, .. }) if self.resend_uncertain => {
                    self.pusher.send(provider, plan).await
                }
                resumed => resumed,
            }
        } else {
            self.pusher.send(provider, plan).await
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
                // succeeded, and the failed one if its answer left it in
                // doubt. Sending the row again repeats them, which is
                // harmless only for calls that may be repeated. Otherwise the
                // row is left `sending`, so that a rerun does not send it
                // twice without being asked to.
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
                    return match record(State::Failed, &why) {
                        Ok(()) => Outcome::Failed(why),
                        Err(e) => Outcome::Failed(format!("{why}; and {e}")),
                    };
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
                match record(State::Sending, &why) {
                    Ok(()) => Outcome::Uncertain(why, look_up),
                    Err(e) => Outcome::Uncertain(format!("{why}; and {e}"), false),
                }
            }
            Err(error) => {
                let why = error.to_string();
                match record(State::Failed, &why) {
                    Ok(()) => Outcome::Failed(why),
                    Err(e) => Outcome::Failed(format!("{why}; and {e}")),
                }
            }
        }
    }

    /// Marks the rows still in flight as stopped while sending (a forced
    /// stop): the next run resumes or reports them, never takes them as new.
    pub fn abandon_in_flight(&self) -> Vec<u64> {
        let rows: Vec<(u64, RowId)> = std::mem::take(&mut *self.in_flight()).into_iter().collect();
        for (_, row) in &rows {
            let _ = self.journal.record(
                row,
                State::Sending,
                "stopped (a second Ctrl-C) while it was being sent: it may or may not have been applied",
            );
        }
        rows.into_iter().map(|(line, _)| line).collect()
    }
}

/// The fields in which a row differs from the journal's record of it.
fn changed(record: &Record, row: &RowId, provider: Provider) -> Vec<String> {
    let parse = |fields: Option<&str>| {
        fields
            .and_then(|f| serde_json::from_str::<Shipment>(f).ok())
            .unwrap_or_default()
    };
    order_tracking::changed_fields(
        &parse(record.fields.as_deref()),
        &parse(Some(&row.fields)),
        provider,
    )
}
