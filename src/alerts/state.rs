//! The delivery state: which alert each sink has taken, in SQLite.
//!
//! One row per (fingerprint, sink) that a sink accepted, with the time of
//! acceptance, the sha256 of the bytes sent, the message id the sink saw
//! (the alert's fingerprint, or a digest's) and the alert's
//! [`subject`](super::Alert::subject), so that `--history` says what went
//! where without the corpus; and one row per (item, sink) for the
//! [`items`](super::Alert::items) of each alert a sink accepted, which is
//! how a later alert about the same filing is narrowed to what is new. The database is refused, and so
//! nothing is sent, when it is not one we wrote: a file SQLite cannot read,
//! a failed `PRAGMA quick_check`, tables of another program, or a schema
//! version (`PRAGMA user_version`) this build does not know. A lost or
//! half-read state would make every alert look new, and re-sending
//! everything is the one failure alerting must not have.
//!
//! ## Exactly once per sink, under crashes and concurrent runs
//!
//! Each delivery of one message to one sink happens inside one
//! `BEGIN IMMEDIATE` transaction ([`StateDb::begin`]): check that no row
//! exists, insert the rows (so that a state that cannot be written fails
//! here, before anything is sent), send, stamp the acceptance time, commit.
//! A failed send rolls back. Consequences:
//!
//! - Two runs at once: the second run's `BEGIN IMMEDIATE` waits for the
//!   first's commit and then finds the row. SQLite's `busy_timeout` bounds
//!   one wait; we set it above the longest one delivery can take (every
//!   attempt of the slowest sink, with back-off), and keep waiting for as
//!   long as the other run commits something between waits (`PRAGMA
//!   data_version` changes), so a long run ahead of us is not mistaken for
//!   a hung one.
//! - SIGKILL at any moment: the transaction is either committed (the sink
//!   had accepted) or it is not, and SQLite's journal rolls it back on the
//!   next open, so the alert is sent again. Nothing is lost; a duplicate is
//!   possible only for the one message in flight, and it carries the same
//!   `webhook-id`, so the receiver can drop it.
//!
//! The write lock is held while sending. Readers (`--history`) are not
//! blocked by it in SQLite's default rollback-journal mode, which we keep
//! because, unlike WAL, it works on network file systems. A reader opens
//! the file read-only ([`StateDb::open_read_only`]) and writes nothing: no
//! file is created, no older schema upgraded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, OptionalExtension as _, ffi::ErrorCode, params};

use super::AlertError;

/// The schema this build writes and reads. Version 2 names webhooks
/// without their URL's path and query (see [`super::webhook_name`]);
/// a version-1 database is upgraded on open, its rows renamed, so nothing
/// is sent again and no secret stays behind. Version 3 adds `subject`
/// (empty in rows written before) and the table `items` (empty until an
/// alert delivered before is seen again; see `backfill_items`).
pub const SCHEMA_VERSION: i64 = 3;

/// How long `open` waits for another run's transaction.
const OPEN_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

const CREATE_SCHEMA: &str = "
CREATE TABLE deliveries (
    fingerprint    TEXT NOT NULL,
    sink           TEXT NOT NULL,
    delivered_at   TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    message_id     TEXT NOT NULL,
    subject        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (fingerprint, sink)
);
CREATE TABLE items (
    item        TEXT NOT NULL,
    sink        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (item, sink)
);
";

/// Version 2 to 3; existing rows get an empty subject.
const TO_V3: &str = "
ALTER TABLE deliveries ADD COLUMN subject TEXT NOT NULL DEFAULT '';
CREATE TABLE items (
    item        TEXT NOT NULL,
    sink        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (item, sink)
);
";

/// The columns of `deliveries`, in order, as `PRAGMA table_info` shows them.
const COLUMNS: [&str; 6] = [
    "fingerprint",
    "sink",
    "delivered_at",
    "payload_sha256",
    "message_id",
    "subject",
];

/// The columns of `items`.
const ITEM_COLUMNS: [&str; 3] = ["item", "sink", "fingerprint"];

/// The columns of schema versions 1 and 2: all but `subject`.
const COLUMNS_V2: &[&str] = COLUMNS.split_last().expect("columns").1;

/// One alert accepted by one sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub fingerprint: String,
    /// The sink's [`name`](super::Sink::name).
    pub sink: String,
    /// When the sink accepted it, RFC 3339 in UTC.
    pub delivered_at: String,
    /// Hex sha256 of the bytes sent: the alert's payload, or the digest that
    /// carried it.
    pub payload_sha256: String,
    /// The id the sink received (`webhook-id`, `CLAIMDIFF_FINGERPRINT`): the
    /// fingerprint itself, or the digest's fingerprint.
    pub message_id: String,
    /// What the alert was about, in a line (see [`super::Alert::subject`]);
    /// empty for rows written before schema version 3.
    pub subject: String,
}

/// An open, checked state database.
#[derive(Debug)]
pub struct StateDb {
    conn: Connection,
    path: PathBuf,
    /// The schema version read, for a read-only database, which is never
    /// upgraded; [`SCHEMA_VERSION`] once opened for writing.
    version: i64,
}

impl StateDb {
    /// Opens the state database at `path`, creating it and its parent
    /// directory when absent, and checks that it is ours and intact.
    pub fn open(path: &Path) -> Result<StateDb, AlertError> {
        let path_buf = path.to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| AlertError::StateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let open_err = |source| AlertError::StateOpen {
            path: path_buf.clone(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(OPEN_BUSY_TIMEOUT).map_err(open_err)?;
        let db = StateDb {
            conn,
            path: path_buf,
            version: SCHEMA_VERSION,
        };
        db.check_integrity()?;
        // SQLite opens a write-protected file read-only without an error; we
        // would then fail only after sending, so refuse it now.
        if db.conn.is_readonly("main").map_err(|e| db.sql_err(e))? {
            return Err(AlertError::StateReadOnly {
                path: db.path.clone(),
            });
        }
        db.migrate()?;
        Ok(db)
    }

    /// Opens the state database at `path` to read it, writing nothing:
    /// `None` when there is no file, as when nothing was ever delivered. A
    /// database of an older schema is read as it is, not upgraded (its
    /// webhooks are shown by their current names all the same).
    pub fn open_read_only(path: &Path) -> Result<Option<StateDb>, AlertError> {
        if !path.exists() {
            return Ok(None);
        }
        let path_buf = path.to_path_buf();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| AlertError::StateOpen {
            path: path_buf.clone(),
            source,
        })?;
        let mut db = StateDb {
            conn,
            path: path_buf,
            version: 0,
        };
        db.check_integrity()?;
        db.version = db.user_version()?;
        match db.version {
            0 if db.schema_objects()? == 0 => return Ok(None),
            0 => return Err(db.foreign_unversioned()?),
            1 | 2 => db.check_columns("deliveries", COLUMNS_V2)?,
            SCHEMA_VERSION => db.check_columns("deliveries", &COLUMNS)?,
            found => {
                return Err(AlertError::StateVersion {
                    path: db.path.clone(),
                    found,
                    expected: SCHEMA_VERSION,
                });
            }
        }
        Ok(Some(db))
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every delivery, oldest first.
    pub fn history(&self) -> Result<Vec<Delivery>, AlertError> {
        let subject = if self.version >= 3 { "subject" } else { "''" };
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT fingerprint, sink, delivered_at, payload_sha256, message_id, {subject}
                 FROM deliveries ORDER BY delivered_at, rowid"
            ))
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([], |row| {
                let sink: String = row.get(1)?;
                Ok(Delivery {
                    fingerprint: row.get(0)?,
                    // Version 1 kept a webhook's whole URL; never show it.
                    sink: match sink.strip_prefix("webhook:") {
                        Some(url) if self.version == 1 => super::webhook_name(url),
                        _ => sink,
                    },
                    delivered_at: row.get(2)?,
                    payload_sha256: row.get(3)?,
                    message_id: row.get(4)?,
                    subject: row.get(5)?,
                })
            })
            .map_err(|e| self.sql_err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql_err(e))
    }

    /// Whether `sink` has accepted the alert `fingerprint`.
    pub fn delivered(&self, fingerprint: &str, sink: &str) -> Result<bool, AlertError> {
        delivered(&self.conn, fingerprint, sink).map_err(|e| self.sql_err(e))
    }

    /// Whether `sink` has accepted an alert that reported `item`.
    pub fn item_delivered(&self, item: &str, sink: &str) -> Result<bool, AlertError> {
        self.conn
            .prepare_cached("SELECT 1 FROM items WHERE item = ?1 AND sink = ?2")
            .and_then(|mut s| s.query_row(params![item, sink], |_| Ok(())).optional())
            .map(|row| row.is_some())
            .map_err(|e| self.sql_err(e))
    }

    /// Starts the write transaction that guards one delivery (see the module
    /// documentation). `wait` bounds how long we wait for another run that
    /// makes no progress.
    pub(crate) fn begin(&self, wait: Duration) -> Result<Tx<'_>, AlertError> {
        self.conn.busy_timeout(wait).map_err(|e| self.sql_err(e))?;
        let started = Instant::now();
        let mut seen = self.data_version()?;
        loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => {
                    return Ok(Tx {
                        db: self,
                        open: true,
                    });
                }
                Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
                    let now = self.data_version()?;
                    if now == seen {
                        return Err(AlertError::StateLocked {
                            path: self.path.clone(),
                            waited: started.elapsed(),
                        });
                    }
                    seen = now;
                }
                Err(e) => return Err(self.sql_err(e)),
            }
        }
    }

    fn user_version(&self) -> Result<i64, AlertError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.sql_err(e))
    }

    fn schema_objects(&self) -> Result<i64, AlertError> {
        self.conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| self.sql_err(e))
    }

    /// The error for a database with tables but no schema version of ours.
    fn foreign_unversioned(&self) -> Result<AlertError, AlertError> {
        Ok(AlertError::StateForeign {
            path: self.path.clone(),
            detail: format!(
                "it holds {} schema objects but no claimdiff schema version",
                self.schema_objects()?
            ),
        })
    }

    fn data_version(&self) -> Result<i64, AlertError> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(|e| self.sql_err(e))
    }

    fn check_integrity(&self) -> Result<(), AlertError> {
        // `quick_check` reads every page: the state holds one small row per
        // delivered alert, so this is cheap, and a damaged page or index
        // would otherwise read as "not delivered".
        let result: Result<Vec<String>, rusqlite::Error> = (|| {
            let mut stmt = self.conn.prepare("PRAGMA quick_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })();
        match result {
            Ok(lines) if lines == ["ok"] => Ok(()),
            Ok(lines) => Err(AlertError::StateCorrupt {
                path: self.path.clone(),
                detail: lines.join("; "),
            }),
            Err(e) => match e.sqlite_error_code() {
                Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                    Err(AlertError::StateCorrupt {
                        path: self.path.clone(),
                        detail: e.to_string(),
                    })
                }
                _ => Err(AlertError::StateOpen {
                    path: self.path.clone(),
                    source: e,
                }),
            },
        }
    }

    /// Creates the schema in a new (empty) database, or checks the existing one.
    fn migrate(&self) -> Result<(), AlertError> {
        // Under a write lock, so that two first runs do not both create it.
        let tx = self.begin(OPEN_BUSY_TIMEOUT)?;
        match self.user_version()? {
            0 => {
                if self.schema_objects()? != 0 {
                    return Err(self.foreign_unversioned()?);
                }
                self.conn
                    .execute_batch(CREATE_SCHEMA)
                    .map_err(|e| self.sql_err(e))?;
            }
            SCHEMA_VERSION => {
                self.check_columns("deliveries", &COLUMNS)?;
                self.check_columns("items", &ITEM_COLUMNS)?;
            }
            1 => {
                self.check_columns("deliveries", COLUMNS_V2)?;
                self.rename_webhooks_v1()?;
                self.to_v3()?;
            }
            2 => {
                self.check_columns("deliveries", COLUMNS_V2)?;
                self.to_v3()?;
            }
            found => {
                return Err(AlertError::StateVersion {
                    path: self.path.clone(),
                    found,
                    expected: SCHEMA_VERSION,
                });
            }
        }
        self.conn
            .pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|e| self.sql_err(e))?;
        tx.commit()
    }

    fn to_v3(&self) -> Result<(), AlertError> {
        self.conn.execute_batch(TO_V3).map_err(|e| self.sql_err(e))
    }

    /// Version 1 keyed webhooks by their whole URL (`webhook:<url>`).
    fn rename_webhooks_v1(&self) -> Result<(), AlertError> {
        // Overwrite the old names' bytes instead of leaving them in free
        // space of the page, where a copy of the file would still hold them.
        self.conn
            .pragma_update(None, "secure_delete", true)
            .map_err(|e| self.sql_err(e))?;
        let old: Vec<String> = self
            .conn
            .prepare("SELECT DISTINCT sink FROM deliveries WHERE sink LIKE 'webhook:%'")
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(|e| self.sql_err(e))?;
        for name in old {
            let url = &name["webhook:".len()..];
            self.conn
                .execute(
                    "UPDATE deliveries SET sink = ?1 WHERE sink = ?2",
                    params![super::webhook_name(url), name],
                )
                .map_err(|e| self.sql_err(e))?;
        }
        Ok(())
    }

    /// Checks that `table` has exactly the columns `expected`.
    fn check_columns(&self, table: &str, expected: &[&str]) -> Result<(), AlertError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
            .map_err(|e| self.sql_err(e))?;
        let names = stmt
            .query_map([table], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        if names != expected {
            return Err(AlertError::StateForeign {
                path: self.path.clone(),
                detail: format!(
                    "schema version {} but table `{table}` has columns [{}], expected [{}]",
                    self.user_version()?,
                    names.join(", "),
                    expected.join(", ")
                ),
            });
        }
        Ok(())
    }

    fn sql_err(&self, source: rusqlite::Error) -> AlertError {
        AlertError::State {
            path: self.path.clone(),
            source,
        }
    }
}

fn delivered(conn: &Connection, fingerprint: &str, sink: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM deliveries WHERE fingerprint = ?1 AND sink = ?2")?
        .query_row(params![fingerprint, sink], |_| Ok(()))
        .optional()
        .map(|row| row.is_some())
}

/// The write transaction around one delivery. Dropping it without
/// [`commit`](Tx::commit) rolls back, so every early return and every failed
/// send leaves the state as it was.
pub(crate) struct Tx<'a> {
    db: &'a StateDb,
    open: bool,
}

impl Tx<'_> {
    pub(crate) fn delivered(&self, fingerprint: &str, sink: &str) -> Result<bool, AlertError> {
        self.db.delivered(fingerprint, sink)
    }

    pub(crate) fn item_delivered(&self, item: &str, sink: &str) -> Result<bool, AlertError> {
        self.db.item_delivered(item, sink)
    }

    /// Records that `sink` took `items` in the alert `fingerprint`; an
    /// item recorded already keeps its first alert.
    pub(crate) fn record_items(
        &self,
        items: &[String],
        sink: &str,
        fingerprint: &str,
    ) -> Result<(), AlertError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO items (item, sink, fingerprint) VALUES (?1, ?2, ?3)",
            )
            .map_err(|e| self.db.sql_err(e))?;
        for item in items {
            stmt.execute(params![item, sink, fingerprint])
                .map_err(|e| self.db.sql_err(e))?;
        }
        Ok(())
    }

    /// Writes the row before the message is sent; see the module documentation.
    pub(crate) fn record(
        &self,
        fingerprint: &str,
        sink: &str,
        payload_sha256: &str,
        message_id: &str,
        subject: &str,
        at: &str,
    ) -> Result<(), AlertError> {
        self.db
            .conn
            .prepare_cached(
                "INSERT INTO deliveries
                 (fingerprint, sink, delivered_at, payload_sha256, message_id, subject)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    fingerprint,
                    sink,
                    at,
                    payload_sha256,
                    message_id,
                    subject
                ])
            })
            .map(drop)
            .map_err(|e| self.db.sql_err(e))
    }

    /// Sets the acceptance time of a row written by [`record`](Tx::record).
    pub(crate) fn stamp(&self, fingerprint: &str, sink: &str, at: &str) -> Result<(), AlertError> {
        self.db
            .conn
            .prepare_cached(
                "UPDATE deliveries SET delivered_at = ?1 WHERE fingerprint = ?2 AND sink = ?3",
            )
            .and_then(|mut s| s.execute(params![at, fingerprint, sink]))
            .map(drop)
            .map_err(|e| self.db.sql_err(e))
    }

    pub(crate) fn commit(mut self) -> Result<(), AlertError> {
        self.open = false;
        self.db
            .conn
            .execute_batch("COMMIT")
            .map_err(|e| self.db.sql_err(e))
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // If the rollback itself fails, the connection's next BEGIN
            // fails too and reports it; nothing was committed either way.
            let _ = self.db.conn.execute_batch("ROLLBACK");
        }
    }
}
