//! What happened to each row, in SQLite, so that a rerun after a crash or a
//! failure sends only what was not delivered, and never a delivered one again.
//!
//! A row is `sending` from just before its request until its answer is
//! written down; a row still `sending` when a run starts was interrupted in
//! flight (the process was killed): it may or may not have been applied, so
//! it is sent again only if every call it makes may be repeated
//! (`Plan::repeatable`), after a lookup shows the provider does not have it
//! (`Plan::has_lookup`), or when asked (`--resend-uncertain`).

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

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

/// The journal file.
pub struct Journal {
    conn: Mutex<Connection>,
}

impl Journal {
    /// Opens (or creates) the journal at `path`; `None` keeps it in memory.
    pub fn open(path: Option<&Path>) -> Result<Self, String> {
        let conn = match path {
            Some(path) => {
                Connection::open(path).map_err(|e| format!("journal {}: {e}", path.display()))?
            }
            None => Connection::open_in_memory().map_err(|e| e.to_string())?,
        };
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS shipments (
                 key TEXT PRIMARY KEY,
                 line INTEGER NOT NULL,
                 state TEXT NOT NULL,
                 detail TEXT NOT NULL DEFAULT '',
                 updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
             );",
        )
        .map_err(|e| format!("journal: {e}"))?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The state of `key`, if the journal has it.
    pub fn state(&self, key: &str) -> Result<Option<(State, String)>, String> {
        let row: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT state, detail FROM shipments WHERE key = ?1",
                params![key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| format!("journal: {e}"))?;
        Ok(row.map(|(state, detail)| {
            let state = match state.as_str() {
                "done" => State::Done,
                "sending" => State::Sending,
                _ => State::Failed,
            };
            (state, detail)
        }))
    }

    /// Records `key` in `state` (committed before this returns).
    pub fn set(&self, key: &str, line: u64, state: State, detail: &str) -> Result<(), String> {
        let state = match state {
            State::Sending => "sending",
            State::Done => "done",
            State::Failed => "failed",
        };
        self.conn()
            .execute(
                "INSERT INTO shipments (key, line, state, detail) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(key) DO UPDATE SET line = ?2, state = ?3, detail = ?4,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![key, line as i64, state, detail],
            )
            .map(|_| ())
            .map_err(|e| format!("journal: {e}"))
    }
}
