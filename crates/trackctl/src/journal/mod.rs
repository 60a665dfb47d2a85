//! What happened to each row, in SQLite, so that a rerun after a crash or a
//! failure sends only what was not delivered, and never a delivered one again.
//!
//! A row is identified by its destination (provider, canonical base URL,
//! account: [`crate::destination`]) and its key ([`order_tracking::Shipment::key`]):
//! a row delivered to one destination is new to another. It is `sending`
//! from just before its request until its answer is written down; a row
//! still `sending` when a run starts was interrupted in flight (the process
//! was killed): it may or may not have been applied, so it is sent again
//! only if every call it makes may be repeated (`Plan::repeatable`), after a
//! lookup shows the provider does not have it (`Plan::has_lookup`), or when
//! asked (`--resend-uncertain`).
//!
//! One run at a time: the connection holds SQLite's exclusive lock from
//! opening to closing (`locking_mode = EXCLUSIVE`), which the operating
//! system drops when the process dies, and a row is claimed (read, decided,
//! marked) in one transaction. The file says what it is (`application_id`,
//! `user_version`), and a run open in it is marked in the main file, so a
//! copy made without its write-ahead log is refused (see [`open`]).

mod adopt;
mod open;

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::Sha256;

/// What the journal knows of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Its request may have been sent; no answer was recorded.
    Sending,
    /// Delivered.
    Done,
    /// Refused or failed; will be tried again.
    Failed,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Sending => "sending",
            State::Done => "done",
            State::Failed => "failed",
        }
    }

    fn parse(text: &str) -> State {
        match text {
            "done" => State::Done,
            "sending" => State::Sending,
            _ => State::Failed,
        }
    }
}

/// One row of the input, as the journal identifies it.
#[derive(Debug, Clone)]
pub struct RowId {
    /// [`crate::destination::Destination::id`].
    pub destination: String,
    /// [`order_tracking::Shipment::key`].
    pub key: String,
    /// The key without the tracking number: the provider's record (order,
    /// invoice, target) that the tracking goes on.
    pub scope: String,
    /// The key trackctl 0.1 gave the row (to adopt a row of its journals).
    pub legacy_key: String,
    /// Its line in the input.
    pub line: u64,
    /// A digest of its normalised fields.
    pub digest: String,
    /// Its normalised fields, as JSON.
    pub fields: String,
}

impl RowId {
    /// The row of `shipment` (at `line`) for `destination`.
    pub fn new(
        destination: String,
        shipment: &order_tracking::Shipment,
        provider: order_tracking::Provider,
        line: u64,
    ) -> Self {
        use sha2::Digest;
        // Normalised once: the fields, their digest, the key and the 0.1
        // key all come from it.
        let normal = shipment.normalized(provider);
        let fields = serde_json::to_string(&normal).unwrap_or_default();
        let digest = sha2::Sha256::digest(fields.as_bytes());
        let mut parts = normal.key_parts(provider);
        let key = serde_json::Value::from(parts.clone()).to_string();
        // Without the tracking number, the last part.
        parts.pop();
        let scope = serde_json::Value::from(parts).to_string();
        Self {
            destination,
            key,
            scope,
            legacy_key: open::legacy_key(&normal, provider),
            line,
            digest: digest[..16].iter().map(|b| format!("{b:02x}")).collect(),
            fields,
        }
    }
}

/// What the journal has for a row.
#[derive(Debug, Clone)]
pub struct Record {
    /// Its state.
    pub state: State,
    /// What the last run said of it.
    pub detail: String,
    /// The line it was on when last written.
    pub line: u64,
    /// Whether this run wrote it (an earlier line of this file).
    pub this_run: bool,
    /// When the run that last wrote it started.
    pub run_started: String,
    /// The digest of its fields when written; `None` for a row of a
    /// trackctl 0.1 journal, whose fields are unknown (taken as unchanged).
    pub digest: Option<String>,
    /// Its normalised fields when written, as JSON.
    pub fields: Option<String>,
    /// The calls of the row the provider applied, while it is not
    /// delivered whole (an invoice notified, its events not).
    pub completed: Vec<String>,
}

/// Where to look for a row that a new row may replace: one for the same
/// provider record (order, and invoice or target) with another tracking
/// number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Nowhere.
    Nowhere,
    /// A delivered row on the same line of the same file (a record that
    /// takes several numbers: a new number on the line of a delivered one
    /// may correct it). One journal serves the files of a folder, so the
    /// line must be the same file's: line 2 of today's export is not line 2
    /// of yesterday's.
    SameLine,
    /// Any row delivered, or claimed by this run (a record that holds one
    /// number: a second one would replace the first).
    SameRecord,
}

/// A row that a new row may replace: for the same provider record, with
/// another tracking number.
#[derive(Debug, Clone)]
pub struct Replaced {
    /// Its key.
    pub key: String,
    /// Its line.
    pub line: u64,
    /// Its fields, as JSON.
    pub fields: Option<String>,
    /// Its tracking number.
    pub tracking_number: String,
    /// Whether this run claimed it (an earlier line of this file).
    pub this_run: bool,
    /// When the run that delivered it started.
    pub run_started: String,
}

/// How a claim leaves the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `sending`, with this row's fields: it is about to be sent.
    Sending,
    /// As it is, but claimed by this run: a later identical line of the file
    /// is then seen as a duplicate.
    Claimed,
    /// Untouched.
    Nothing,
}

/// The journal file (or an in-memory one).
pub struct Journal {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    /// Keys the fingerprints of secrets in destinations.
    key: Vec<u8>,
    /// This run's id, once begun.
    run: Option<i64>,
    /// Whether the journal still has rows of trackctl 0.1 to adopt.
    legacy: bool,
    /// The OS lock on the file; declared after `conn`, so dropped after it
    /// (see [`open::Opened::lock`]).
    _lock: Option<std::fs::File>,
}

/// A secret's fingerprint under a journal's `key`.
fn fingerprint(key: &[u8], secret: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(secret.as_bytes());
    let bytes = mac.finalize().into_bytes();
    bytes[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// `journal: …` for a SQLite error.
fn sql(e: rusqlite::Error) -> Error {
    Error::Journal(format!("journal: {e}"))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Journal {
    /// Opens (or creates) the journal at `path`, taking its lock; `None`
    /// keeps it in memory. Refuses a file that is not a journal of trackctl,
    /// is damaged, is in use by another run ([`Error::Busy`]), or is
    /// a copy made without its write-ahead log.
    /// `confirmed_whole`: the user says a journal left open by a run, whose
    /// log is missing, is whole all the same (`--journal-is-whole`).
    pub fn open(path: Option<&Path>, confirmed_whole: bool) -> Result<Self, Error> {
        let opened = open::open(path, confirmed_whole)?;
        Ok(Self {
            conn: Mutex::new(opened.conn),
            path: path.map(Path::to_path_buf),
            key: opened.key,
            run: None,
            legacy: opened.legacy,
            _lock: opened.lock,
        })
    }

    /// Whether rows of a trackctl 0.1 journal may be adopted by this run's
    /// destinations: not by a rehearsal against a mock (`--base-url`), so
    /// that they stay for the real providers they were most likely pushed to.
    pub fn adopt_legacy_rows(&mut self, adopt: bool) {
        self.legacy &= adopt;
    }

    /// Where it is (`None`: in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A short fingerprint of a secret, keyed by this journal's own random
    /// key: the same secret gives the same fingerprint in this journal, and
    /// nothing outside it can be checked against it.
    pub fn fingerprint(&self, secret: &str) -> String {
        fingerprint(&self.key, secret)
    }

    /// Marks a run open in the main file (not only in the write-ahead log),
    /// so that a copy of the file without its log shows the run it lacks.
    /// The file is recorded as its canonical path: a line of it is the same
    /// line in a later run however the path is spelled ([`Look::SameLine`]).
    pub fn begin_run(&mut self, file: &Path) -> Result<(), Error> {
        let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let conn = self.conn.get_mut().unwrap_or_else(|e| e.into_inner());
        conn.execute(
            "INSERT INTO runs (started_at, pid, file) VALUES (?1, ?2, ?3)",
            params![now(), std::process::id(), file.display().to_string()],
        )
        .map_err(sql)?;
        self.run = Some(conn.last_insert_rowid());
        open::checkpoint(conn)
    }

    /// Closes the run, once: marks it finished and folds the write-ahead
    /// log into the main file, so that the file alone is the whole journal.
    pub fn finish_run(&mut self) -> Result<(), Error> {
        let Some(run) = self.run.take() else {
            return Ok(());
        };
        let conn = self.conn();
        conn.execute(
            "UPDATE runs SET finished_at = ?1 WHERE id = ?2",
            params![now(), run],
        )
        .map_err(sql)?;
        open::checkpoint(&conn)
    }

    /// Claims `row` in one transaction: reads what the journal has for it
    /// (adopting a trackctl 0.1 row of the same shipment the first time),
    /// lets `decide` choose, and marks it as `decide` says. Nothing can come
    /// between the reading and the marking, so a row is never sent twice.
    /// For a row the journal does not have, `decide` also gets the row it
    /// may replace ([`Replaced`]), looked for as `look` says.
    pub fn claim<T>(
        &self,
        row: &RowId,
        look: Look,
        decide: impl FnOnce(Option<&Record>, Option<&Replaced>) -> (Mark, T),
    ) -> Result<T, Error> {
        let run = self
            .run
            .ok_or_else(|| Error::Journal("journal: no run begun".into()))?;
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(sql)?;
        let mut record = tx
            .query_row(
                "SELECT r.state, r.detail, r.line, r.run, r.digest, r.fields, runs.started_at,
                     r.claimed_run, r.completed
                 FROM rows r LEFT JOIN runs ON runs.id = r.run
                 WHERE r.destination = ?1 AND r.key = ?2",
                params![row.destination, row.key],
                |r| {
                    Ok(Record {
                        state: State::parse(&r.get::<_, String>(0)?),
                        detail: r.get(1)?,
                        line: r.get::<_, i64>(2)? as u64,
                        this_run: r.get::<_, Option<i64>>(3)? == Some(run)
                            || r.get::<_, Option<i64>>(7)? == Some(run),
                        digest: r.get(4)?,
                        fields: r.get(5)?,
                        run_started: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                        completed: serde_json::from_str(&r.get::<_, String>(8)?)
                            .unwrap_or_default(),
                    })
                },
            )
            .optional()
            .map_err(sql)?;
        if record.is_none() && self.legacy {
            record = open::adopt_legacy(&tx, row, run)?;
        }
        // Two statements, so that each uses the (destination, scope, line)
        // index: many rows may share a scope (one Crux order, many numbers).
        let replaced_query = match (&record, look) {
            (None, Look::SameLine) => Some(
                "SELECT r.key, r.line, r.fields, runs.started_at, 0 AS this_run
                 FROM rows r LEFT JOIN runs ON runs.id = r.run
                 WHERE r.destination = ?1 AND r.scope = ?2 AND r.line = ?3
                     AND r.state = 'done' AND r.key != ?4
                     AND (runs.file IS NULL OR runs.file = (SELECT file FROM runs WHERE id = ?5))
                 LIMIT 1",
            ),
            (None, Look::SameRecord) => Some(
                "SELECT r.key, r.line, r.fields, runs.started_at,
                     (r.run = ?5 OR r.claimed_run = ?5) AS this_run
                 FROM rows r LEFT JOIN runs ON runs.id = r.run
                 WHERE r.destination = ?1 AND r.scope = ?2 AND r.key != ?4 AND ?3 = ?3
                     AND (r.state IN ('done', 'sending') OR r.run = ?5)
                 ORDER BY this_run DESC, r.line
                 LIMIT 1",
            ),
            _ => None,
        };
        let replaced = match replaced_query {
            Some(query) => tx
                .query_row(
                    query,
                    params![row.destination, row.scope, row.line as i64, row.key, run],
                    |r| {
                        let fields: Option<String> = r.get(2)?;
                        let tracking_number = fields
                            .as_deref()
                            .and_then(|f| serde_json::from_str::<order_tracking::Shipment>(f).ok())
                            .map(|s| s.tracking_number)
                            .unwrap_or_default();
                        Ok(Replaced {
                            key: r.get(0)?,
                            line: r.get::<_, i64>(1)? as u64,
                            fields,
                            tracking_number,
                            run_started: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                            this_run: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                        })
                    },
                )
                .optional()
                .map_err(sql)?,
            None => None,
        };
        let (mark, verdict) = decide(record.as_ref(), replaced.as_ref());
        match mark {
            Mark::Sending => {
                tx.execute(
                    "INSERT INTO rows (destination, key, scope, line, state, detail, digest, fields, run, updated_at)
                     VALUES (?1, ?2, ?3, ?4, 'sending', '', ?5, ?6, ?7, ?8)
                     ON CONFLICT (destination, key) DO UPDATE SET line = ?4, state = 'sending',
                         detail = '', digest = ?5, fields = ?6, run = ?7, updated_at = ?8",
                    params![
                        row.destination,
                        row.key,
                        row.scope,
                        row.line as i64,
                        row.digest,
                        row.fields,
                        run,
                        now()
                    ],
                )
                .map_err(sql)?;
            }
            Mark::Claimed => {
                tx.execute(
                    "UPDATE rows SET claimed_run = ?3 WHERE destination = ?1 AND key = ?2",
                    params![row.destination, row.key, run],
                )
                .map_err(sql)?;
            }
            Mark::Nothing => {}
        }
        tx.commit().map_err(sql)?;
        Ok(verdict)
    }

    /// Records what became of a claimed row (committed before this returns):
    /// its state, and the calls of it the provider applied (`completed`,
    /// none once delivered). A delivered row also records the fields it
    /// was delivered with.
    pub fn record(
        &self,
        row: &RowId,
        state: State,
        detail: &str,
        completed: &[&str],
    ) -> Result<(), Error> {
        let run = self
            .run
            .ok_or_else(|| Error::Journal("journal: no run begun".into()))?;
        let delivered = state == State::Done;
        let completed = if delivered {
            "[]".to_string()
        } else {
            serde_json::to_string(completed).unwrap_or_default()
        };
        self.conn()
            .execute(
                "INSERT INTO rows (destination, key, scope, line, state, detail, digest, fields, run, updated_at, completed)
                 VALUES (?1, ?2, ?11, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?12)
                 ON CONFLICT (destination, key) DO UPDATE SET line = ?3, state = ?4, detail = ?5,
                     digest = CASE WHEN ?10 THEN ?6 ELSE digest END,
                     fields = CASE WHEN ?10 THEN ?7 ELSE fields END,
                     run = ?8, updated_at = ?9, completed = ?12",
                params![
                    row.destination,
                    row.key,
                    row.line as i64,
                    state.name(),
                    detail,
                    row.digest,
                    row.fields,
                    run,
                    now(),
                    delivered,
                    row.scope,
                    completed
                ],
            )
            .map(|_| ())
            .map_err(sql)
    }
}

impl Journal {
    /// Notes why a row in flight was left `sending` (a forced stop),
    /// keeping what it had applied before.
    pub fn mark_stopped(&self, row: &RowId, detail: &str) -> Result<(), Error> {
        self.conn()
            .execute(
                "UPDATE rows SET detail = ?3, updated_at = ?4
                 WHERE destination = ?1 AND key = ?2 AND state = 'sending'",
                params![row.destination, row.key, detail, now()],
            )
            .map(|_| ())
            .map_err(sql)
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        // Closed however the run ends, a panic included: dropping the
        // connection folds the write-ahead log into the file and deletes
        // it, so a run left open would then look like a copy made without
        // its log, and the next run would be refused. Closing the run
        // changes no row: rows in flight stay `sending`, in doubt. (A
        // process killed outright closes nothing: its log stays beside the
        // file, and the next run recovers it.)
        let _ = self.finish_run();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run that panics (a closed pipe did, before `crate::say`) leaves a
    /// journal the next run opens as it is, without `--journal-is-whole`.
    #[test]
    fn a_journal_left_by_a_panic_opens_without_being_confirmed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let mut journal = Journal::open(Some(&path), false).unwrap();
        journal.begin_run(Path::new("day.csv")).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let _held = journal;
            panic!("a crash in the middle of a run");
        }));
        assert!(panicked.is_err());
        Journal::open(Some(&path), false).unwrap();
    }

    /// Two runs opening one new journal in the same instant: one is let in,
    /// the other is told the journal is busy. Before the OS lock, each
    /// could hold SQLite's shared lock while the other needed it exclusive,
    /// and both were refused: a day's file was then sent by neither.
    #[test]
    fn of_two_runs_opening_a_journal_at_once_exactly_one_gets_in() {
        let dir = tempfile::tempdir().unwrap();
        for trial in 0..2000 {
            let path = dir.path().join(format!("j{trial}.sqlite"));
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    let (path, barrier) = (path.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        Journal::open(Some(&path), false)
                    })
                })
                .collect();
            let opened: Vec<_> = runs.into_iter().map(|r| r.join().unwrap()).collect();
            let busy = opened
                .iter()
                .filter(|o| matches!(o, Err(Error::Busy(_))))
                .count();
            let good = opened.iter().filter(|o| o.is_ok()).count();
            let errors: Vec<String> = opened
                .iter()
                .filter_map(|o| o.as_ref().err())
                .map(|e| e.to_string())
                .collect();
            assert_eq!((good, busy), (1, 1), "trial {trial}: {errors:?}");
        }
    }
}
