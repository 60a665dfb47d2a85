//! The per-file journals of earlier versions (`FILE.journal.sqlite`, one
//! beside each input file), adopted into the folder's journal.
//!
//! The folder's journal is the default now, so that a daily export that
//! repeats yesterday's late rows does not send them again. Without this,
//! the first run after an upgrade would not know the rows that the files'
//! own journals recorded. Each such journal of the folder is read once per
//! destination of a run: its rows for that destination are copied in (the
//! folder's own record of a row wins), with the runs that wrote them. A
//! destination's id holds a token's fingerprint, keyed by each journal's own
//! key, so a row is found by the destination's id under the old key and
//! stored under this one's. A journal that cannot be read stops the run
//! (its rows would be sent again); a 0.1 journal is left to a run given it
//! with `--journal`.

use crate::error::Error;
use std::collections::HashMap;
use std::path::Path;

use rusqlite::{OptionalExtension, params};

use super::{Journal, fingerprint, open, sql};
use crate::destination::Destination;

/// How the per-file journals were named: `FILE` + this.
pub const PER_FILE: &str = ".journal.sqlite";

/// One row of an old journal, as stored.
struct OldRow {
    key: String,
    scope: String,
    line: i64,
    state: String,
    detail: String,
    digest: Option<String>,
    fields: Option<String>,
    completed: String,
    updated_at: String,
    run: Option<i64>,
}

impl Journal {
    /// Adopts the rows of the per-file journals in `dir` for
    /// `destinations`; says what it adopted, one line a journal.
    /// `confirmed_whole`: as for the run's own journal (`--journal-is-whole`).
    pub fn adopt_file_journals(
        &mut self,
        dir: &Path,
        destinations: &[Destination],
        confirmed_whole: bool,
    ) -> Result<Vec<String>, Error> {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let own = self.path.as_deref().map(canonical);
        let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::Journal(format!("{}: {e}", dir.display())))?
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_name().to_string_lossy().ends_with(PER_FILE))
            .map(|entry| canonical(&entry.path()))
            .filter(|path| Some(path) != own.as_ref())
            .collect();
        paths.sort();
        let mut said = Vec::new();
        for path in paths {
            let name = path.display().to_string();
            let ids: Vec<(&Destination, String)> = destinations
                .iter()
                .map(|d| (d, d.id(|secret| self.fingerprint(secret))))
                .filter(|(_, id)| !self.adopted(&name, id).unwrap_or(false))
                .collect();
            if ids.is_empty() {
                continue;
            }
            let refuse = |e: Error| {
                e.with_message(|why| format!(
                    "{why}\n  (it is a per-file journal of an earlier trackctl in the input's folder, whose rows this run's journal adopts so that none is sent twice; if it is no journal of yours, move it out of the folder)"
                ))
            };
            let old = open::open(Some(&path), confirmed_whole).map_err(refuse)?;
            if old.legacy {
                return Err(refuse(Error::Journal(format!(
                    "journal {}: written by trackctl 0.1; push its file once with --journal {} to bring its rows up to date",
                    path.display(),
                    path.display()
                ))));
            }
            let mut adopted = 0;
            for (destination, id) in &ids {
                let old_id = destination.id(|secret| fingerprint(&old.key, secret));
                adopted += self.copy_rows(&old.conn, &old_id, id, &name)?;
            }
            if adopted > 0 {
                let file = path.file_name().unwrap_or_default().to_string_lossy();
                said.push(format!(
                    "Adopted {adopted} rows of {file} (a per-file journal of an earlier trackctl) into this run's journal."
                ));
            }
        }
        Ok(said)
    }

    fn adopted(&self, name: &str, id: &str) -> Result<bool, Error> {
        self.conn()
            .query_row(
                "SELECT 1 FROM meta WHERE name = ?1",
                params![format!("adopted {name} {id}")],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(sql)
    }

    /// Copies `old`'s rows of destination `old_id` as rows of `id`, in one
    /// transaction that also marks the journal adopted for it.
    fn copy_rows(
        &self,
        old: &rusqlite::Connection,
        old_id: &str,
        id: &str,
        name: &str,
    ) -> Result<usize, Error> {
        let read = |e: rusqlite::Error| Error::Journal(format!("journal {name}: {e}"));
        let rows: Vec<OldRow> = {
            let mut statement = old
                .prepare(
                    "SELECT key, scope, line, state, detail, digest, fields, completed, updated_at, run
                     FROM rows WHERE destination = ?1",
                )
                .map_err(read)?;
            statement
                .query_map(params![old_id], |r| {
                    Ok(OldRow {
                        key: r.get(0)?,
                        scope: r.get(1)?,
                        line: r.get(2)?,
                        state: r.get(3)?,
                        detail: r.get(4)?,
                        digest: r.get(5)?,
                        fields: r.get(6)?,
                        completed: r.get(7)?,
                        updated_at: r.get(8)?,
                        run: r.get(9)?,
                    })
                })
                .and_then(|rows| rows.collect::<Result<_, _>>())
                .map_err(read)?
        };
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(sql)?;
        let mut runs: HashMap<i64, i64> = HashMap::new();
        let mut copied = 0;
        for row in rows {
            let run = match row.run {
                Some(old_run) if !runs.contains_key(&old_run) => {
                    let (started, pid, file, finished): (String, i64, String, Option<String>) = old
                        .query_row(
                            "SELECT started_at, pid, file, finished_at FROM runs WHERE id = ?1",
                            params![old_run],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                        )
                        .map_err(read)?;
                    tx.execute(
                        "INSERT INTO runs (started_at, pid, file, finished_at) VALUES (?1, ?2, ?3, ?4)",
                        params![started, pid, file, finished.unwrap_or_else(|| "stopped".into())],
                    )
                    .map_err(sql)?;
                    runs.insert(old_run, tx.last_insert_rowid());
                    runs.get(&old_run).copied()
                }
                Some(old_run) => runs.get(&old_run).copied(),
                None => None,
            };
            copied += tx
                .execute(
                    "INSERT INTO rows (destination, key, scope, line, state, detail, digest, fields, run, completed, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                     ON CONFLICT (destination, key) DO NOTHING",
                    params![
                        id,
                        row.key,
                        row.scope,
                        row.line,
                        row.state,
                        row.detail,
                        row.digest,
                        row.fields,
                        run,
                        row.completed,
                        row.updated_at
                    ],
                )
                .map_err(sql)?;
        }
        tx.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES (?1, ?2)",
            params![format!("adopted {name} {id}"), super::now()],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(copied)
    }
}
