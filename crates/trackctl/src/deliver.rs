//! One row through the journal: skip what is delivered, refuse what is
//! invalid without sending, claim it, send it, record the answer.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use order_tracking::{Plan, Provider, PushError, Pusher, Shipment};
use tracing::Instrument;

use crate::input::RowError;
use crate::journal::{Journal, Look, Mark, Record, Replaced, RowId, State};

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
    /// Not sent, nor claimed: the run stopped sending to its provider
    /// ([`crate::halt`]); the next run sends it.
    NotSent(Provider),
    /// A new tracking number on the line of one delivered for the same
    /// order: a correction, or a further package? Decided once the whole
    /// file has been seen ([`Context::settle`]).
    Deferred(Box<Deferred>),
    /// A dry run (`validate`): it would be sent; which call the row's
    /// columns chose and why, where they choose ([`Plan::choice`]).
    Valid(Option<String>),
}

impl Outcome {
    /// Its name in `--report` records.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Pushed(_) => "pushed",
            Outcome::Failed(_) => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Duplicate(_) => "duplicate",
            Outcome::Changed(_) => "changed",
            Outcome::Uncertain(..) => "uncertain",
            Outcome::NotSent(_) => "not_sent",
            Outcome::Deferred(_) => "deferred",
            Outcome::Valid(_) => "valid",
        }
    }

    /// What it says, without the line: what was called, or why not.
    pub fn text(&self) -> String {
        match self {
            Outcome::Pushed(text)
            | Outcome::Failed(text)
            | Outcome::Changed(text)
            | Outcome::Uncertain(text, _) => text.clone(),
            Outcome::Skipped => "already pushed".into(),
            Outcome::Duplicate(first) => format!("the same shipment as line {first}"),
            Outcome::NotSent(provider) => {
                format!("not sent: the run stopped sending to {provider} (see the summary record)")
            }
            Outcome::Deferred(_) => String::new(),
            Outcome::Valid(choice) => choice.clone().unwrap_or_default(),
        }
    }

    /// A pushed row's description with `note` added.
    fn with_note(self, note: &str) -> Self {
        match self {
            Outcome::Pushed(what) => Outcome::Pushed(format!("{what}; {note}")),
            other => other,
        }
    }
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
    /// Check and claim rows, send nothing (`validate`).
    pub dry_run: bool,
    /// Rows claimed and not yet answered, by line: a forced stop marks them.
    pub in_flight: Mutex<BTreeMap<u64, RowId>>,
    /// Set when the journal failed to record something (a full disk): the
    /// run starts no new row.
    pub journal_failed: AtomicBool,
    /// The providers no further row is sent to ([`crate::halt`]).
    pub halts: crate::halt::Halts,
    /// Per line, where its row went and the calls made, for `--report`.
    pub traces: Mutex<BTreeMap<u64, crate::report::Trace>>,
}

/// What the journal's record of a row says to do.
enum Verdict {
    /// Send it (`rest`, what is left of its plan, if the provider applied
    /// its first calls already: `prior`); `resume` when an earlier run may
    /// have sent it.
    Send {
        resume: bool,
        rest: Option<Box<Plan>>,
        prior: Vec<String>,
    },
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

    /// `row` has a new tracking number for a provider record that has a
    /// delivered one (it was deferred until the whole file was seen);
    /// `seen_in_file` says whether the delivered one is still in the file.
    ///
    /// - A record that takes several numbers (a Crux order): with the old
    ///   number still in the file this is a further package, delivered as a
    ///   new row; without, a corrected number, for which there is no call.
    /// - A record that holds one (an invoice, a purchase order or a sales
    ///   order): with the old number still in the file the two rows conflict
    ///   (the second would replace the first); without, it is a correction,
    ///   which the same call makes: sent with `--push-changes`.
    pub async fn settle(&self, deferred: Deferred, seen_in_file: bool) -> Outcome {
        let Deferred {
            line,
            shipment,
            replaced,
        } = deferred;
        let span = tracing::info_span!("row", line, provider = tracing::field::Empty);
        let (provider, plan) = match self.pusher.check(&shipment) {
            Ok(checked) => checked,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let old = &replaced.tracking_number;
        let new = shipment.tracking_number.trim();
        let since = format!(
            "changed since pushed by the run of {}: the tracking number was {old} (line {}), now {new}",
            replaced.run_started, replaced.line
        );
        match (plan.tracking_slot(), seen_in_file) {
            (None, true) => {
                self.deliver_row(line, Ok(shipment), false)
                    .instrument(span)
                    .await
            }
            (None, false) => Outcome::Changed(format!(
                "{since}, and {old} is no longer in the file. A corrected tracking number is a new one to {provider}, which has no call to correct one, so it was not sent: if {old} was wrong, remove it at {provider}; then, or if {new} is a further package of the order, put its row on a line of its own (e.g. at the end of the file) and run again"
            )),
            (Some(record), true) => Outcome::Failed(format!(
                "tracking number {old} (line {}, pushed by the run of {}) is for the same {record}, and {provider} keeps one tracking number per {record}: sending {new} would replace it. Keep one of the two rows (a further package needs its own {record})",
                replaced.line, replaced.run_started
            )),
            (Some(record), false) if self.push_changes => {
                let old_row: Shipment = replaced
                    .fields
                    .as_deref()
                    .and_then(|f| serde_json::from_str(f).ok())
                    .unwrap_or_default();
                match order_tracking::plan_change(&old_row, &shipment, provider) {
                    Ok(plan) => {
                        self.claim_and_send(line, &shipment, provider, plan)
                            .instrument(span)
                            .await
                    }
                    Err(e) => Outcome::Changed(format!("{since}: {e}")),
                }
                .with_note(&format!(
                    "{provider} now has {new} on the {record} instead of {old}"
                ))
            }
            (Some(record), false) => Outcome::Changed(format!(
                "{since}, and {old} is no longer in the file: {provider} keeps one tracking number per {record}, and the call that sets it replaces {old} with {new}: run again with --push-changes to send the correction"
            )),
        }
    }

    /// Claims a row of the journal's own knowing (not checked against what
    /// it holds: a settled correction) and sends `plan` for it.
    async fn claim_and_send(
        &self,
        line: u64,
        shipment: &Shipment,
        provider: Provider,
        plan: Plan,
    ) -> Outcome {
        let Some(destination) = self.destinations.get(&provider) else {
            return Outcome::Failed(PushError::NotConfigured(provider).to_string());
        };
        // Not claimed: the run after the fix sends it.
        if let Some(halted) = self.halts.outcome(provider) {
            return halted;
        }
        let row = RowId::new(destination.clone(), shipment, provider, line);
        let claimed = self
            .journal
            .claim(&row, Look::Nowhere, |record, _| match record {
                None => (Mark::Sending, true),
                Some(_) => (Mark::Nothing, false),
            });
        match claimed {
            Ok(true) => self.send_tracked(&row, provider, plan, false, &[]).await,
            Ok(false) => Outcome::Skipped,
            Err(e) => Outcome::Failed(self.journal_error(e)),
        }
    }

    async fn deliver_row(
        &self,
        line: u64,
        row: Result<Shipment, RowError>,
        first_pass: bool,
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
        self.trace(line, |trace| {
            trace.provider = Some(provider);
            trace.key = Some(shipment.key_parts(provider));
        });
        // Made only where it is shown: a dry run's row, or an info log.
        let choice = || plan.choice().map(|choice| format!("{provider}: {choice}"));
        if tracing::enabled!(tracing::Level::INFO)
            && let Some(choice) = choice()
        {
            tracing::info!("{choice}");
        }
        let Some(destination) = self.destinations.get(&provider) else {
            return Outcome::Failed(PushError::NotConfigured(provider).to_string());
        };
        // The first row that sends to a provider goes alone (see `halt`); a row of a
        // stopped provider is not claimed: the run after the fix sends it.
        let _first_row = match self.dry_run {
            true => None,
            false => self.halts.turn(provider).await,
        };
        if let Some(halted) = self.halts.outcome(provider) {
            return halted;
        }
        let row = RowId::new(destination.clone(), &shipment, provider, line);
        let look = match (first_pass, plan.tracking_slot()) {
            (false, _) => Look::Nowhere,
            (true, Some(_)) => Look::SameRecord,
            (true, None) if provider.same_line_is_a_correction() => Look::SameLine,
            (true, None) => Look::Nowhere,
        };
        let verdict = self.journal.claim(&row, look, |record, replaced| {
            match (record, replaced) {
                (None, Some(replaced)) if replaced.this_run => {
                    let record = plan.tracking_slot().unwrap_or("record");
                    let why = format!(
                        "line {} sends tracking number {} to the same {record}, and {provider} keeps one tracking number per {record}: this row would replace it. Keep one of the two rows (a further package needs its own {record})",
                        replaced.line, replaced.tracking_number
                    );
                    (Mark::Nothing, Verdict::Done(Outcome::Failed(why)))
                }
                (None, Some(replaced)) => (Mark::Nothing, Verdict::Defer(replaced.clone())),
                (record, _) => self.decide(record, &plan, &row, provider),
            }
        });
        let verdict = match verdict {
            Ok(verdict) => verdict,
            // Not claimed: nothing was sent.
            Err(e) => return Outcome::Failed(self.journal_error(e)),
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
            Verdict::Send { .. } if self.dry_run => Outcome::Valid(choice()),
            Verdict::Send {
                resume,
                rest,
                prior,
            } => {
                let plan = rest.map_or(plan, |rest| *rest);
                self.send_tracked(&row, provider, plan, resume, &prior)
                    .await
            }
        }
    }

    /// Records `row` delivered (`what` was called); if the journal cannot,
    /// the row is uncertain, and `next_run` says what the next run does.
    fn delivered(&self, row: &RowId, what: String, next_run: &str) -> Outcome {
        match self.journal.record(row, State::Done, &what, &[]) {
            Ok(()) => Outcome::Pushed(what),
            Err(e) => Outcome::Uncertain(
                format!(
                    "delivered ({what}), but {}: {next_run}",
                    self.journal_error(e)
                ),
                false,
            ),
        }
    }

    /// `e`, a journal error, after noting that the journal failed.
    fn journal_error(&self, e: crate::error::Error) -> String {
        self.journal_failed.store(true, Ordering::SeqCst);
        e.to_string()
    }

    /// Notes in the trace of `line` (for `--report`) what `note` sets.
    fn trace(&self, line: u64, note: impl FnOnce(&mut crate::report::Trace)) {
        // A dry run reports no records: nothing would take them.
        if self.dry_run {
            return;
        }
        let mut traces = self.traces.lock().unwrap_or_else(|e| e.into_inner());
        note(traces.entry(line).or_default());
    }

    /// The trace of `line`, taken for its record.
    pub fn take_trace(&self, line: u64) -> crate::report::Trace {
        self.traces
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&line)
            .unwrap_or_default()
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
        let send = |resume, rest, prior| Verdict::Send {
            resume,
            rest,
            prior,
        };
        let Some(record) = record else {
            return (Mark::Sending, send(false, None, Vec::new()));
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
            State::Sending | State::Failed => {
                // Only what the provider has not applied yet is sent again:
                // a row whose invoice went through and whose events did not
                // is finished by the events.
                let prior = record.completed.clone();
                let done: Vec<&str> = prior.iter().map(String::as_str).collect();
                let Some(rest) = plan.clone().after(&done) else {
                    return (Mark::Nothing, Verdict::Done(Outcome::Skipped));
                };
                match record.state {
                    State::Sending if rest.resumable() => {
                        (Mark::Sending, send(true, Some(Box::new(rest)), prior))
                    }
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
                    _ => (Mark::Sending, send(false, Some(Box::new(rest)), prior)),
                }
            }
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
        let sent = self.pusher.send(provider, plan).await;
        // A change counts for the stops as any send does.
        self.halts.after(provider, row.line, &sent);
        match sent {
            Ok(receipt) => {
                let what = format!(
                    "{} {}, {since}: the change was sent",
                    receipt.provider,
                    receipt.operations.join(" + ")
                );
                self.delivered(
                    row,
                    what,
                    "the next run sees the row as changed and sends the change again (a call that may be repeated)",
                )
            }
            Err(e) => Outcome::Failed(format!("{since}; sending the change failed: {e}")),
        }
    }

    /// [`Context::send`], with the row known to be in flight meanwhile.
    async fn send_tracked(
        &self,
        row: &RowId,
        provider: Provider,
        plan: Plan,
        resume: bool,
        prior: &[String],
    ) -> Outcome {
        self.in_flight().insert(row.line, row.clone());
        let outcome = self.send(row, provider, plan, resume, prior).await;
        self.in_flight().remove(&row.line);
        outcome
    }

    /// Sends `plan` (the rest of the row's, after `prior`, the calls the
    /// provider applied in an earlier run) and records the outcome.
    async fn send(
        &self,
        row: &RowId,
        provider: Provider,
        plan: Plan,
        resume: bool,
        prior: &[String],
    ) -> Outcome {
        let applied = |now: &[&'static str]| -> Vec<String> {
            prior
                .iter()
                .cloned()
                .chain(now.iter().map(|op| op.to_string()))
                .collect()
        };
        let record = |state, detail: &str, completed: &[String]| {
            let completed: Vec<&str> = completed.iter().map(String::as_str).collect();
            self.journal.record(row, state, detail, &completed)
        };
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
        self.halts.after(provider, row.line, &sent);
        let calls = |done: &[&'static str], failed: Option<(&'static str, Option<u16>)>| {
            let ok = done.iter().map(|op| crate::report::Call {
                operation: op.to_string(),
                ok: true,
                status: None,
            });
            let failed = failed.map(|(op, status)| crate::report::Call {
                operation: op.to_string(),
                ok: false,
                status,
            });
            ok.chain(failed).collect::<Vec<_>>()
        };
        let made = match &sent {
            Ok(receipt) => calls(&receipt.operations, None),
            Err(PushError::Failed {
                operation,
                status,
                completed,
                ..
            }) => calls(completed, Some((operation, *status))),
            Err(_) => Vec::new(),
        };
        self.trace(row.line, |trace| trace.calls = made);
        match sent {
            Ok(receipt) => {
                let mut what = format!("{} {}", receipt.provider, receipt.operations.join(" + "));
                if receipt.already_applied {
                    what.push_str(", already applied: found by a lookup, not sent again");
                }
                if !prior.is_empty() {
                    what = format!("{what}, after {} in an earlier run", prior.join(", "));
                }
                // Unrecorded, it stays `sending` in the journal: the next
                // run resumes it as a row that may have been applied.
                self.delivered(row, what, "the next run takes it as sent in doubt")
            }
            Err(PushError::Failed {
                operation,
                message,
                completed,
                in_doubt,
                ..
            }) => {
                // The calls that succeeded are recorded, and a rerun sends
                // only the rest. The failed one may have been applied if its
                // answer left it in doubt: sending it again is harmless only
                // if it may be repeated. Otherwise the row is left
                // `sending`, so that a rerun does not send it twice without
                // being asked to.
                let completed = applied(&completed);
                let unsafe_to_repeat: Vec<&str> = in_doubt
                    .then_some(operation)
                    .filter(|op| !idempotent.contains(op))
                    .into_iter()
                    .collect();
                if unsafe_to_repeat.is_empty() {
                    let why = if completed.is_empty() {
                        message
                    } else {
                        format!(
                            "{message} (after {} succeeded: the next run sends only the rest)",
                            completed.join(", ")
                        )
                    };
                    return match record(State::Failed, &why, &completed) {
                        Ok(()) => Outcome::Failed(why),
                        Err(e) => Outcome::Failed(format!("{why}; and {}", self.journal_error(e))),
                    };
                }
                let mut why = format!(
                    "no clear answer, may have been applied: {message} (sending it again would repeat {})",
                    unsafe_to_repeat.join(", ")
                );
                if !completed.is_empty() {
                    why.push_str(&format!(
                        "; {} had been applied, and is not sent again",
                        completed.join(", ")
                    ));
                }
                match record(State::Sending, &why, &completed) {
                    Ok(()) => Outcome::Uncertain(why, look_up),
                    Err(e) => {
                        Outcome::Uncertain(format!("{why}; and {}", self.journal_error(e)), false)
                    }
                }
            }
            Err(error) => {
                let why = error.to_string();
                match record(State::Failed, &why, &applied(&[])) {
                    Ok(()) => Outcome::Failed(why),
                    Err(e) => Outcome::Failed(format!("{why}; and {}", self.journal_error(e))),
                }
            }
        }
    }

    /// Marks the rows still in flight as stopped while sending (a forced
    /// stop): the next run resumes or reports them, never takes them as new.
    pub fn abandon_in_flight(&self) -> Vec<u64> {
        let rows: Vec<(u64, RowId)> = std::mem::take(&mut *self.in_flight()).into_iter().collect();
        for (_, row) in &rows {
            // What it had applied before is kept: the record is updated,
            // not replaced, only where it is still `sending`.
            let _ = self.journal.mark_stopped(
                row,
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
