//! Opening a journal: its lock, its identity, its schema (and the migration
//! of trackctl 0.1's), and the check that it is whole.
//!
//! - **Lock.** First an OS lock on the file (`flock`), taken in one step,
//!   so that of two runs opening at once exactly one gets in and the other
//!   is told [`BUSY`]. SQLite's locks alone could refuse both: each took a
//!   shared lock the other needed to be gone. Then SQLite's own:
//!   `locking_mode = EXCLUSIVE` is set before anything is read, and a write
//!   transaction takes the lock at once, so no other SQLite program (nor a
//!   trackctl of before the OS lock) opens the journal until this process
//!   closes it or dies. In that mode SQLite keeps the write-ahead log's
//!   index in process memory instead of a shared `-shm` file.
//! - **Identity.** `application_id` is [`APPLICATION_ID`] and `user_version`
//!   [`VERSION`]. A file that is empty, not SQLite, of another application,
//!   of a newer trackctl, or damaged (`quick_check`) is refused.
//! - **Whole.** A run marks itself open in `runs` and checkpoints, so the
//!   main file shows the open run; at a clean exit it is closed and
//!   checkpointed again (the log is then empty). A file with an open run
//!   and no log beside it is a copy made without its `-wal` (or one whose
//!   log was deleted): the rows the run recorded are missing, and sending
//!   from it could send them twice, so it is refused.

use crate::error::Error;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Record, RowId, State, sql};

/// The journal's `application_id`: "TRKJ".
pub const APPLICATION_ID: i32 = 0x5452_4B4A;
/// The schema's `user_version`. 0 with a `shipments` table was trackctl 0.1.
pub const VERSION: i32 = 1;
/// In the message of a journal another run holds.
pub const BUSY: &str = "in use by another trackctl run";

pub struct Opened {
    pub conn: Connection,
    pub key: Vec<u8>,
    pub legacy: bool,
    /// The OS lock (`None` in memory). Kept open until after `conn` is
    /// closed: closing any handle of a file drops the process's POSIX
    /// locks on it, SQLite's included.
    pub lock: Option<std::fs::File>,
}

const SCHEMA: &str = "
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        pid INTEGER NOT NULL,
        file TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE TABLE rows (
        destination TEXT NOT NULL,
        key TEXT NOT NULL,
        scope TEXT NOT NULL,
        line INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'done', 'failed')),
        detail TEXT NOT NULL DEFAULT '',
        digest TEXT,
        fields TEXT,
        run INTEGER REFERENCES runs (id),
        claimed_run INTEGER REFERENCES runs (id),
        completed TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (destination, key)
    );
    CREATE INDEX rows_by_scope ON rows (destination, scope, line);
";

pub fn open(path: Option<&Path>, confirmed_whole: bool) -> Result<Opened, Error> {
    let Some(path) = path else {
        let mut conn = Connection::open_in_memory().map_err(sql)?;
        let key = create(&mut conn)?;
        return Ok(Opened {
            conn,
            key,
            legacy: false,
            lock: None,
        });
    };
    let shown = path.display();
    let refuse = |why: String| Error::Journal(format!("journal {shown}: {why}; nothing was sent"));
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == 0 => {
            return Err(refuse(
                "the file is empty: not a journal (a journal is never empty; if it was copied, copy it again, with its -wal file)".into(),
            ));
        }
        Ok(_) => check_header(path).map_err(|e| refuse(e.to_string()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_file(path).map_err(|e| refuse(e.to_string()))?;
        }
        Err(e) => return Err(refuse(e.to_string())),
    }
    let in_use = || {
        Error::Busy(format!(
            "journal {shown}: {BUSY} (one run per journal: wait for it to finish, or give this run another --journal); nothing was sent"
        ))
    };
    let lock = std::fs::File::open(path).map_err(|e| refuse(e.to_string()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(in_use()),
        Err(std::fs::TryLockError::Error(e)) => return Err(refuse(e.to_string())),
    }
    let log_present = wal_path(path).metadata().is_ok_and(|meta| meta.len() > 0);

    let mut conn = Connection::open(path).map_err(|e| refuse(e.to_string()))?;
    // No waiting for a lock: a journal in use is refused at once.
    conn.busy_timeout(std::time::Duration::ZERO)
        .map_err(|e| refuse(e.to_string()))?;
    let busy = |e: rusqlite::Error| {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) {
            in_use()
        } else {
            refuse(e.to_string())
        }
    };
    conn.query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(()))
        .map_err(busy)?;
    // Takes the lock now (and recovers a log left by a killed run).
    conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
        .map_err(busy)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(busy)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(refuse(format!(
            "cannot use a write-ahead log here (mode {mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| refuse(e.to_string()))?;

    let application_id: i32 = pragma(&conn, "application_id").map_err(|e| refuse(e.to_string()))?;
    let version: i32 = pragma(&conn, "user_version").map_err(|e| refuse(e.to_string()))?;
    let tables = tables(&conn).map_err(|e| refuse(e.to_string()))?;
    let legacy;
    let key = match (application_id, version) {
        (0, 0) if tables.is_empty() => {
            // An empty SQLite database someone made: not ours to claim.
            return Err(refuse(
                "an empty SQLite database, not a trackctl journal".into(),
            ));
        }
        (0, 0) if tables == ["shipments"] => {
            legacy = true;
            migrate_v0(&mut conn).map_err(|e| refuse(e.to_string()))?
        }
        (APPLICATION_ID, VERSION) => {
            check_whole(&conn, log_present || confirmed_whole)
                .map_err(|e| refuse(e.to_string()))?;
            let key: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE name = 'key'", [], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(|e| refuse(e.to_string()))?;
            legacy = tables.iter().any(|t| t == "legacy_rows");
            hex(&key.ok_or_else(|| refuse("its key is missing: damaged".into()))?)
                .ok_or_else(|| refuse("its key is not hex: damaged".into()))?
        }
        (APPLICATION_ID, newer) if newer > VERSION => {
            return Err(refuse(format!(
                "written by a newer trackctl (schema {newer}; this one knows {VERSION}): use that version"
            )));
        }
        (id, version) => {
            return Err(refuse(format!(
                "not a trackctl journal (application_id {id:#x}, user_version {version}, tables {})",
                tables.join(", ")
            )));
        }
    };
    Ok(Opened {
        conn,
        key,
        legacy,
        lock: Some(lock),
    })
}

/// A new journal at `path`, made whole beside it and then linked into
/// place, so that no other run ever sees it half made (an empty file would
/// be refused). Two runs creating one journal at once: one link wins, and
/// both then open that one (and the lock lets one of them in).
fn create_file(path: &Path) -> Result<(), Error> {
    // Unique to this call, so that two opens in one process (tests do)
    // each make their own.
    static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let made = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".new-{}-{made}", std::process::id()));
    let new = std::path::PathBuf::from(name);
    let _ = std::fs::remove_file(&new);
    let made = (|| {
        let mut conn = Connection::open(&new).map_err(sql)?;
        create(&mut conn)?;
        conn.close().map_err(|(_, e)| sql(e))
    })()
    // Name the journal, not the file it is made in.
    .map_err(|e| {
        e.with_message(|m| m.replace(&new.display().to_string(), &path.display().to_string()))
    });
    let linked = made.and_then(|()| match std::fs::hard_link(&new, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A filesystem without hard links: a rename, which replaces (a
        // journal made in the same instant by another run would be lost
        // before either sent anything).
        Err(_) => std::fs::rename(&new, path).map_err(|e| Error::Journal(e.to_string())),
    });
    let _ = std::fs::remove_file(&new);
    linked
}

fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push("-wal");
    name.into()
}

/// A SQLite file starts with this; anything else is refused before SQLite
/// is asked (it would take some foreign files as empty databases).
fn check_header(path: &Path) -> Result<(), Error> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| Error::Journal(e.to_string()))?;
    if read < 16 || &head != b"SQLite format 3\0" {
        return Err(Error::Journal("not a SQLite file, so not a journal".into()));
    }
    Ok(())
}

fn pragma(conn: &Connection, name: &str) -> Result<i32, Error> {
    conn.pragma_query_value(None, name, |r| r.get(0))
        .map_err(|e| Error::Journal(format!("damaged or not a journal: {e}")))
}

fn tables(conn: &Connection) -> Result<Vec<String>, Error> {
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .map_err(|e| Error::Journal(format!("damaged or not a journal: {e}")))?;
    statement
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect::<Result<Vec<String>, _>>())
        .map_err(|e| Error::Journal(format!("damaged or not a journal: {e}")))
}

/// The file passes SQLite's quick check, and has no run open whose log is
/// missing.
fn check_whole(conn: &Connection, log_present: bool) -> Result<(), Error> {
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| Error::Journal(format!("damaged: {e}")))?;
    if check != "ok" {
        return Err(Error::Journal(format!("damaged ({check})")));
    }
    let open: Option<(String, i64)> = conn
        .query_row(
            "SELECT started_at, pid FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| Error::Journal(format!("damaged: {e}")))?;
    match open {
        Some((started, pid)) if !log_present => Err(Error::Journal(format!(
            "the run started at {started} (process {pid}) did not close it, and its write-ahead log (the -wal file beside it) is missing: this looks like a copy made without the -wal file, and the rows that run recorded are not in it. Copy the journal again with its -wal file (or after a run has finished, when the file alone is whole). If instead another SQLite program opened the journal after that run stopped (that folds the log into the file, and deletes it), the file is whole: run again with --journal-is-whole"
        ))),
        Some(_) => {
            // A killed run: its log was recovered; close the run for it.
            conn.execute(
                "UPDATE runs SET finished_at = 'stopped' WHERE finished_at IS NULL",
                [],
            )
            .map_err(|e| Error::Journal(e.to_string()))?;
            Ok(())
        }
        None => Ok(()),
    }
}

/// Folds the write-ahead log into the main file and empties it.
pub fn checkpoint(conn: &Connection) -> Result<(), Error> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(sql)
}

fn random_key() -> Vec<u8> {
    uuid::Uuid::new_v4().as_bytes().to_vec()
}

fn hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new journal's schema and key, in one transaction.
fn create(conn: &mut Connection) -> Result<Vec<u8>, Error> {
    let key = random_key();
    let tx = conn.transaction().map_err(sql)?;
    tx.execute_batch(SCHEMA).map_err(sql)?;
    init(&tx, &key)?;
    tx.commit().map_err(sql)?;
    Ok(key)
}

fn init(tx: &Transaction<'_>, key: &[u8]) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO meta (name, value) VALUES ('key', ?1), ('created_by', ?2)",
        params![
            to_hex(key),
            format!("trackctl {}", env!("CARGO_PKG_VERSION"))
        ],
    )
    .map_err(sql)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sql)?;
    tx.pragma_update(None, "user_version", VERSION)
        .map_err(sql)?;
    Ok(())
}

/// trackctl 0.1's journal (`shipments`: key, line, state, detail) to this
/// schema. Its keys name no destination and are spelled differently
/// (`provider|order|tracking|invoice`), so its rows are kept aside in
/// `legacy_rows`, and each is adopted by the first run that meets the same
/// shipment: it then belongs to that run's destination for its provider,
/// with that row's fields (so it is not reported as changed). The rule
/// assumes that the old journal was written for the destinations of the
/// first run after the upgrade, as it almost always was (trackctl 0.1 kept
/// no file journal for its built-in mock unless told to). A rehearsal (a run
/// with `--base-url`) adopts nothing ([`super::Journal::adopt_legacy_rows`]).
fn migrate_v0(conn: &mut Connection) -> Result<Vec<u8>, Error> {
    let key = random_key();
    let tx = conn.transaction().map_err(sql)?;
    tx.execute_batch(SCHEMA).map_err(sql)?;
    tx.execute_batch("ALTER TABLE shipments RENAME TO legacy_rows;")
        .map_err(sql)?;
    let keys: Vec<String> = {
        let mut statement = tx.prepare("SELECT key FROM legacy_rows").map_err(sql)?;
        statement
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<Result<_, _>>())
            .map_err(sql)?
    };
    for old in keys {
        let new = normalized_legacy_key(&old);
        if new != old {
            // Two 0.1 rows of one shipment spelled two ways: keep the first.
            tx.execute(
                "UPDATE OR IGNORE legacy_rows SET key = ?2 WHERE key = ?1",
                params![old, new],
            )
            .map_err(sql)?;
        }
    }
    init(&tx, &key)?;
    tx.commit().map_err(sql)?;
    Ok(key)
}

/// The key trackctl 0.1 gave a shipment (`provider|order|tracking|invoice`)
/// of a shipment already read as the provider reads it (`normal`, from
/// [`Shipment::normalized`]), so that a 0.1 row is found however the order
/// is spelled now.
///
/// [`Shipment::normalized`]: order_tracking::Shipment::normalized
pub fn legacy_key(normal: &order_tracking::Shipment, provider: order_tracking::Provider) -> String {
    format!(
        "{provider}|{}|{}|{}",
        normal.order_ref,
        normal.tracking_number,
        normal.invoice_number.as_deref().unwrap_or_default()
    )
}

/// A 0.1 key written as [`legacy_key`] writes it now; as it was when it
/// does not split into its four parts (a `|` in a value).
fn normalized_legacy_key(key: &str) -> String {
    let parts: Vec<&str> = key.split('|').collect();
    let [provider, order, tracking, invoice] = parts[..] else {
        return key.to_string();
    };
    let Ok(provider) = provider.parse::<order_tracking::Provider>() else {
        return key.to_string();
    };
    let shipment = order_tracking::Shipment {
        order_ref: order.into(),
        tracking_number: tracking.into(),
        invoice_number: (!invoice.is_empty()).then(|| invoice.to_string()),
        ..Default::default()
    };
    legacy_key(&shipment.normalized(provider), provider)
}

/// The row of a trackctl 0.1 journal for this shipment, if there is one:
/// moved to `rows` under this row's destination and fields.
pub fn adopt_legacy(tx: &Transaction<'_>, row: &RowId, _run: i64) -> Result<Option<Record>, Error> {
    let old: Option<(String, String, i64)> = tx
        .query_row(
            "SELECT state, detail, line FROM legacy_rows WHERE key = ?1",
            params![row.legacy_key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(sql)?;
    let Some((state, detail, line)) = old else {
        return Ok(None);
    };
    tx.execute(
        "DELETE FROM legacy_rows WHERE key = ?1",
        params![row.legacy_key],
    )
    .map_err(sql)?;
    tx.execute(
        "INSERT INTO rows (destination, key, scope, line, state, detail, digest, fields, run, updated_at)
         VALUES (?1, ?2, ?9, ?3, ?4, ?5, ?6, ?7, NULL, ?8)",
        params![
            row.destination,
            row.key,
            line,
            State::parse(&state).name(),
            detail,
            row.digest,
            row.fields,
            super::now(),
            row.scope
        ],
    )
    .map_err(sql)?;
    Ok(Some(Record {
        state: State::parse(&state),
        detail,
        line: line as u64,
        this_run: false,
        run_started: "a run of trackctl 0.1".into(),
        digest: Some(row.digest.to_string()),
        fields: Some(row.fields.to_string()),
        completed: Vec::new(),
    }))
}
