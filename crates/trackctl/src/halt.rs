//! The providers a run stops sending to, once answers say every further
//! row would fail the same way: credentials the platform refuses (at the
//! first such answer: each more try is one more failed login, which is how
//! accounts get locked), a limit still spent after the client waited as
//! long as it may (`--max-wait`; eBay's daily call quota, say: each more
//! row would be refused too, and count against the next day's), or a
//! platform that cannot be reached, after the
//! client's retries, by `--breaker` rows in a row ([`Halts::new`]) (a breaker:
//! each more row would wait through the retries again; a row that gets an
//! answer closes it). The rows not sent are left unclaimed, for the run
//! after the fix.
//!
//! So that this costs one request, not one per row in flight, each
//! provider starts slow: the first row that sends to it goes alone, and
//! the others wait until it is answered ([`Halts::turn`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use order_tracking::{Provider, PushError};

use crate::deliver::Outcome;

/// Why a provider was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// It refused the credentials ([`Provider::refuses_credentials`]).
    Refused,
    /// It still answered 429 after the client's retries and waits: its
    /// limit (a daily quota) is spent.
    Throttled,
    /// Calls could not reach it (no connection or no answer, after the
    /// retries), for `--breaker` rows in a row.
    Unreachable,
}

/// A stopped provider: why, and the row that showed it.
#[derive(Debug, Clone)]
pub struct Halt {
    pub why: Why,
    pub first: String,
}

/// The providers stopped in a run, the first reason of each, and each
/// provider's slow start.
#[derive(Debug)]
pub struct Halts {
    /// How many rows in a row that cannot reach a provider stop it.
    threshold: usize,
    /// Per provider: rows in a row that could not reach it.
    unreachable: Mutex<BTreeMap<Provider, usize>>,
    stopped: Mutex<BTreeMap<Provider, Halt>>,
    /// Per provider: the gate every row passes, held by a row going alone.
    gates: Mutex<BTreeMap<Provider, Arc<tokio::sync::Mutex<()>>>>,
    /// The providers that answered a row of this run.
    answered: Mutex<BTreeSet<Provider>>,
}

/// A row going alone, until its provider answers one: dropped when the
/// row is done, whatever its outcome, it lets the next go, in the order
/// they came (tokio's mutex is fair), so that rows are still claimed in
/// file order.
pub struct FirstRow(#[allow(dead_code)] tokio::sync::OwnedMutexGuard<()>);

/// sysexits' EX_UNAVAILABLE: a service the run needs is not there.
pub const UNAVAILABLE_EXIT: u8 = 69;

/// The default of `--breaker` ([`Halts::new`]): a platform that three
/// rows in a row cannot reach, each after the client's retries, is down.
pub const DEFAULT_THRESHOLD: usize = 3;

impl Default for Halts {
    fn default() -> Self {
        Self::new(DEFAULT_THRESHOLD)
    }
}

impl Halts {
    /// Stops a provider after `threshold` rows in a row cannot reach it
    /// (at least 1).
    pub fn new(threshold: usize) -> Self {
        Self {
            threshold: threshold.max(1),
            unreachable: Mutex::default(),
            stopped: Mutex::default(),
            gates: Mutex::default(),
            answered: Mutex::default(),
        }
    }

    /// Notes what the send of row `line` to `provider` came to: the
    /// provider answered a row (the slow start is over, and the breaker's
    /// count starts again), or it did not, or, if the answer says every
    /// further row would fail alike, it is stopped.
    pub fn after<T>(&self, provider: Provider, line: u64, sent: &Result<T, PushError>) {
        // Rows go one at a time until the provider answers one: while it
        // cannot be reached, the breaker counts rows, not rows in flight.
        let answered = !matches!(
            sent,
            Err(PushError::Failed {
                status: None,
                unreachable: true,
                ..
            }) | Err(PushError::Failed {
                status: None,
                in_doubt: true,
                looked_up: false,
                ..
            })
        );
        if answered {
            self.answered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(provider);
        }
        // Once the run is stopping, a failure may be the stop's (a wait cut
        // short, a retry not made): it says nothing of the platform.
        if sent.is_err() && tracking_runtime::StopRetries::requested() {
            return;
        }
        let mut unreachable = self.unreachable.lock().unwrap_or_else(|e| e.into_inner());
        let (operation, status, no_answer) = match sent {
            // A lookup the provider answered (a row left uncertain by it)
            // shows it is there, as an answer does.
            Err(PushError::Failed {
                looked_up: true,
                status: None,
                ..
            }) => {
                unreachable.remove(&provider);
                return;
            }
            Err(PushError::Failed {
                operation,
                status,
                unreachable,
                in_doubt,
                ..
            }) => (*operation, *status, *unreachable || *in_doubt),
            // An answer, or a row that sent nothing: it got through.
            _ => {
                unreachable.remove(&provider);
                return;
            }
        };
        let why = match status {
            Some(status) if provider.refuses_credentials(status) => Why::Refused,
            Some(429) => Why::Throttled,
            // Answered: the platform is there.
            Some(_) => {
                unreachable.remove(&provider);
                return;
            }
            // No answer, after the client's retries: no connection, a reset,
            // a timeout.
            None if no_answer => {
                let count = unreachable.entry(provider).or_default();
                *count += 1;
                if *count < self.threshold {
                    return;
                }
                Why::Unreachable
            }
            // Not sent for a reason of its own (a bad argument).
            None => return,
        };
        drop(unreachable);
        let first = match (status, why) {
            (Some(status), _) => format!("line {line}, HTTP {status} to {operation}"),
            (None, Why::Unreachable) if self.threshold > 1 => {
                format!(
                    "{} rows in a row up to line {line}, {operation}",
                    self.threshold
                )
            }
            (None, _) => format!("line {line}, {operation}"),
        };
        self.stopped
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(provider)
            .or_insert(Halt { why, first });
    }

    /// Waits for this row's turn at `provider`. Until the provider has
    /// answered a row of this run, a row goes alone and gets a
    /// [`FirstRow`] to hold until it is done: a row that sends nothing
    /// (delivered before, a duplicate) passes the turn on to the next.
    /// Check [`Halts::outcome`] after.
    pub async fn turn(&self, provider: Provider) -> Option<FirstRow> {
        let gate = self
            .gates
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(provider)
            .or_default()
            .clone();
        let turn = gate.lock_owned().await;
        let answered = self
            .answered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&provider);
        (!answered).then_some(FirstRow(turn))
    }

    /// The outcome of a row for `provider` if it was stopped: not sent
    /// (reported once for all such rows, in the summary).
    pub fn outcome(&self, provider: Provider) -> Option<Outcome> {
        let halts = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
        halts
            .contains_key(&provider)
            .then_some(Outcome::NotSent(provider))
    }

    /// Every provider stopped, with why.
    pub fn take(&self) -> BTreeMap<Provider, Halt> {
        std::mem::take(&mut *self.stopped.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Halt {
    fn what(&self) -> &'static str {
        match self.why {
            Why::Refused => "refused the credentials",
            Why::Throttled => "still refused calls over its limit (HTTP 429) after the waits",
            Why::Unreachable => "could not be reached",
        }
    }

    /// Why, for a record: `refused the credentials (line 2, HTTP 401 to …)`.
    pub fn reason(&self) -> String {
        format!("{} ({})", self.what(), self.first)
    }

    /// The summary's line for `provider`, whose `not_sent` rows were not
    /// sent because of it.
    pub fn summary(&self, provider: Provider, not_sent: usize) -> String {
        let fix = match self.why {
            Why::Refused => "Fix them (see README, the settings)",
            Why::Throttled => {
                "Wait until its limit resets (eBay's quota is per day), or raise --max-wait"
            }
            Why::Unreachable => "Check its base URL and the network, or wait until it is back",
        };
        let rows = if not_sent == 1 { "row" } else { "rows" };
        format!(
            "  {not_sent} {rows} for {provider} not sent: {provider} {} ({}), and no row was sent to it after that. {fix}, and run again: the journal sends only the rows not delivered",
            self.what(),
            self.first
        )
    }
}

/// The exit code of a run that stopped providers: 2 when credentials
/// were refused (a setting is wrong, as for the errors before a run),
/// else [`UNAVAILABLE_EXIT`].
pub fn exit_code(halts: &BTreeMap<Provider, Halt>) -> Option<u8> {
    if halts.values().any(|h| h.why == Why::Refused) {
        Some(2)
    } else if halts.is_empty() {
        None
    } else {
        Some(UNAVAILABLE_EXIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uncertain(looked_up: bool) -> Result<(), PushError> {
        Err(PushError::Failed {
            operation: "confirmShipment",
            status: None,
            message: "no clear answer".into(),
            completed: Vec::new(),
            in_doubt: true,
            unreachable: false,
            looked_up,
        })
    }

    /// Rows a lookup left uncertain (Amazon's quantities that an earlier
    /// package could explain, after a killed run) were answered: they never
    /// stop the provider as unreachable, and reset the count.
    #[test]
    fn rows_a_lookup_answered_do_not_trip_the_breaker() {
        let halts = Halts::new(3);
        for line in 2..20 {
            halts.after(Provider::AMAZON, line, &uncertain(true));
        }
        assert!(halts.take().is_empty());
        // Calls with no answer at all, three in a row, do.
        for line in 20..22 {
            halts.after(Provider::AMAZON, line, &uncertain(false));
        }
        halts.after(Provider::AMAZON, 22, &uncertain(true));
        halts.after(Provider::AMAZON, 23, &uncertain(false));
        assert!(
            halts.take().is_empty(),
            "an answered lookup resets the count"
        );
        for line in 24..27 {
            halts.after(Provider::AMAZON, line, &uncertain(false));
        }
        let stopped = halts.take();
        assert_eq!(stopped[&Provider::AMAZON].why, Why::Unreachable);
    }
}
