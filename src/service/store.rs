//! The service's database: users, submissions and the job queue, in one SQLite file (WAL)
//! in the data dir. A submission is written before the client hears of it, and its job row
//! is the queue: claimed with a lease, renewed by a heartbeat, deleted in the same
//! transaction that writes the result, so a crash at any point leaves either the job (judged
//! again) or the result, never both and never neither.
//!
//! One connection behind a mutex: every statement is short, and SQLite serialises writers
//! anyway. Times are milliseconds since the Unix epoch.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{params, Connection, OptionalExtension};

/// Each migration, in order; `user_version` counts those applied.
const MIGRATIONS: &[&str] = &[r"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    problem_version TEXT,
    report TEXT,
    error TEXT,
    created_ms INTEGER NOT NULL,
    finished_ms INTEGER
);
CREATE INDEX submissions_by_user ON submissions(user_id, id);
CREATE INDEX submissions_by_problem ON submissions(problem, id);
CREATE TABLE jobs (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until_ms INTEGER,
    worker TEXT
);
", r"
ALTER TABLE submissions ADD COLUMN callback_url TEXT;
CREATE TABLE deliveries (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT
);
", r"
ALTER TABLE submissions ADD COLUMN input TEXT;
"];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("the database: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Submits, and reads its own submissions.
    Candidate,
    /// Also reads every submission (and, later, rejudges).
    Author,
    /// Everything, users too.
    Admin,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Author => "author",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "candidate" => Some(Role::Candidate),
            "author" => Some(Role::Author),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Whether this role reads other users' submissions.
    pub fn reads_all(self) -> bool {
        self != Role::Candidate
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// A submission as stored.
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: i64,
    pub user_id: i64,
    pub user: String,
    pub problem: String,
    pub mode: String,
    pub source: String,
    pub status: String,
    pub problem_version: Option<String>,
    /// The `--json` report, as text.
    pub report: Option<String>,
    /// Why the judging could not finish (a judge error), when it could not.
    pub error: Option<String>,
    /// The user's own input (JSON), for a run on it alone.
    pub input: Option<String>,
    pub created_ms: i64,
    pub finished_ms: Option<i64>,
}

/// A submission to store.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub problem: String,
    pub mode: &'static str,
    pub source: String,
    pub callback_url: Option<String>,
    /// One input of the user's own (JSON: each argument by name), for a run on it alone.
    pub input: Option<String>,
}

/// A job a worker holds: the submission to judge, and how many times it was claimed.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub submission: i64,
    pub attempts: i64,
}

pub struct Store {
    db: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database in `dir` and applies the migrations it lacks.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join("judge.db");
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let db = Connection::open(&path).map_err(open_err)?;
        db.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        // WAL with synchronous=FULL: a commit is on disk before the client is answered.
        db.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        db.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        db.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        let store = Store { db: Mutex::new(db) };
        store.migrate()?;
        Ok(store)
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut db = self.db();
        let applied: i64 = db.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, migration) in (0i64..).zip(MIGRATIONS).skip(applied.max(0) as usize) {
            let tx = db.transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn add_user(&self, name: &str, role: Role, token_hash: &str) -> Result<i64, StoreError> {
        let db = self.db();
        db.execute(
            "INSERT INTO users (name, role, token_hash, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.name(), token_hash, now_ms()],
        )?;
        Ok(db.last_insert_rowid())
    }

    pub fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let db = self.db();
        let user = db
            .query_row(
                "SELECT id, name, role FROM users WHERE token_hash = ?1",
                params![token_hash],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        Ok(user.and_then(|(id, name, role)| {
            Some(User {
                id,
                name,
                role: Role::parse(&role)?,
            })
        }))
    }

    /// Stores a new submission and its job, in one transaction; returns its id.
    pub fn submit(&self, user: &User, new: &NewSubmission) -> Result<i64, StoreError> {
        let ids = self.submit_many(user, std::slice::from_ref(new))?;
        Ok(ids[0])
    }

    /// Stores several submissions and their jobs in one transaction: all or none.
    pub fn submit_many(
        &self,
        user: &User,
        submissions: &[NewSubmission],
    ) -> Result<Vec<i64>, StoreError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let mut ids = Vec::with_capacity(submissions.len());
        for new in submissions {
            tx.execute(
                "INSERT INTO submissions (user_id, problem, mode, source, status, created_ms, callback_url, input) VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6, ?7)",
                params![user.id, new.problem, new.mode, new.source, now_ms(), new.callback_url, new.input],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute("INSERT INTO jobs (submission_id) VALUES (?1)", params![id])?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// How many of the user's submissions wait or are being judged.
    pub fn queued_for(&self, user: &User) -> Result<i64, StoreError> {
        Ok(self.db().query_row(
            "SELECT COUNT(*) FROM jobs j JOIN submissions s ON s.id = j.submission_id WHERE s.user_id = ?1",
            params![user.id],
            |r| r.get(0),
        )?)
    }

    /// Queues every judged submission of `problem` again (its report stays until the new
    /// one replaces it); returns how many.
    pub fn requeue_problem(&self, problem: &str) -> Result<usize, StoreError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let n = tx.execute(
            "INSERT INTO jobs (submission_id) SELECT id FROM submissions WHERE problem = ?1 AND status = 'done' AND id NOT IN (SELECT submission_id FROM jobs)",
            params![problem],
        )?;
        tx.execute(
            "UPDATE submissions SET status = 'queued' WHERE problem = ?1 AND id IN (SELECT submission_id FROM jobs)",
            params![problem],
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// Judged submissions by final verdict ("JE" for those the judge could not finish).
    pub fn verdict_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let db = self.db();
        let mut query = db.prepare(
            "SELECT COALESCE(json_extract(report, '$.verdict'), CASE WHEN error IS NOT NULL THEN 'JE' END, json_extract(report, '$.result'), 'none'), COUNT(*) FROM submissions WHERE status = 'done' GROUP BY 1 ORDER BY 1",
        )?;
        let rows = query.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The oldest job that no live worker holds, leased to `worker` until `lease_ms` from
    /// now; its attempts count this claim.
    pub fn claim(&self, worker: &str, lease_ms: i64) -> Result<Option<Claim>, StoreError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let now = now_ms();
        let job = tx
            .query_row(
                "SELECT submission_id, attempts FROM jobs WHERE lease_until_ms IS NULL OR lease_until_ms < ?1 ORDER BY submission_id LIMIT 1",
                params![now],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?;
        let Some((submission, attempts)) = job else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE jobs SET attempts = attempts + 1, lease_until_ms = ?1, worker = ?2 WHERE submission_id = ?3",
            params![now + lease_ms, worker, submission],
        )?;
        tx.commit()?;
        Ok(Some(Claim {
            submission,
            attempts: attempts + 1,
        }))
    }

    /// Extends a held lease; `false` when the job is no longer this worker's.
    pub fn heartbeat(
        &self,
        submission: i64,
        worker: &str,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let n = self.db().execute(
            "UPDATE jobs SET lease_until_ms = ?1 WHERE submission_id = ?2 AND worker = ?3",
            params![now_ms() + lease_ms, submission, worker],
        )?;
        Ok(n == 1)
    }

    /// Every leased job back to the queue: at start, when this process owns the data dir and
    /// so no worker holding a lease is alive.
    pub fn release_all(&self) -> Result<usize, StoreError> {
        Ok(self.db().execute(
            "UPDATE jobs SET lease_until_ms = NULL, worker = NULL WHERE lease_until_ms IS NOT NULL",
            [],
        )?)
    }

    /// Gives a held job back to the queue without counting the attempt (a worker stopping).
    pub fn release(&self, submission: i64, worker: &str) -> Result<(), StoreError> {
        self.db().execute(
            "UPDATE jobs SET lease_until_ms = NULL, worker = NULL, attempts = MAX(attempts - 1, 0) WHERE submission_id = ?1 AND worker = ?2",
            params![submission, worker],
        )?;
        Ok(())
    }

    pub fn set_status(&self, submission: i64, status: &str) -> Result<(), StoreError> {
        self.db().execute(
            "UPDATE submissions SET status = ?1 WHERE id = ?2 AND status != 'done'",
            params![status, submission],
        )?;
        Ok(())
    }

    /// Writes the final result and deletes the job in one transaction; `false` (nothing
    /// written) when the job is gone or another worker holds it: exactly one result each.
    pub fn finish(
        &self,
        submission: i64,
        worker: &str,
        version: &str,
        result: Result<&str, &str>,
    ) -> Result<bool, StoreError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let held = tx.execute(
            "DELETE FROM jobs WHERE submission_id = ?1 AND worker = ?2",
            params![submission, worker],
        )?;
        if held != 1 {
            return Ok(false);
        }
        let (report, error) = match result {
            Ok(report) => (Some(report), None),
            Err(error) => (None, Some(error)),
        };
        tx.execute(
            "UPDATE submissions SET status = 'done', problem_version = ?1, report = ?2, error = ?3, finished_ms = ?4 WHERE id = ?5",
            params![version, report, error, now_ms(), submission],
        )?;
        // Its webhook is owed from the moment the result exists: in the same transaction.
        tx.execute(
            "INSERT OR REPLACE INTO deliveries (submission_id, attempts, next_ms) SELECT id, 0, ?1 FROM submissions WHERE id = ?2 AND callback_url IS NOT NULL",
            params![now_ms(), submission],
        )?;
        tx.commit()?;
        Ok(true)
    }

    pub fn submission(&self, id: i64) -> Result<Option<Submission>, StoreError> {
        let db = self.db();
        let found = db
            .query_row(
                &format!("{SELECT_SUBMISSION} WHERE s.id = ?1"),
                params![id],
                row_to_submission,
            )
            .optional()?;
        Ok(found)
    }

    /// Submissions, newest first, filtered by problem and by user name when given.
    pub fn submissions(
        &self,
        problem: Option<&str>,
        user: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Submission>, StoreError> {
        let db = self.db();
        let mut query = db.prepare(&format!(
            "{SELECT_SUBMISSION} WHERE (?1 IS NULL OR s.problem = ?1) AND (?2 IS NULL OR u.name = ?2) ORDER BY s.id DESC LIMIT ?3"
        ))?;
        let rows = query.query_map(params![problem, user, limit], row_to_submission)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A webhook due now: its submission and URL, and how many times it was tried.
    pub fn due_delivery(&self) -> Result<Option<(Submission, String, i64)>, StoreError> {
        let due = self
            .db()
            .query_row(
                "SELECT d.submission_id, d.attempts, s.callback_url FROM deliveries d JOIN submissions s ON s.id = d.submission_id WHERE d.next_ms <= ?1 ORDER BY d.next_ms LIMIT 1",
                params![now_ms()],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)),
            )
            .optional()?;
        let Some((id, attempts, url)) = due else {
            return Ok(None);
        };
        Ok(self.submission(id)?.map(|s| (s, url, attempts)))
    }

    /// A webhook delivered: owed no more.
    pub fn delivered(&self, submission: i64) -> Result<(), StoreError> {
        self.db().execute(
            "DELETE FROM deliveries WHERE submission_id = ?1",
            params![submission],
        )?;
        Ok(())
    }

    /// A failed delivery, tried again at `next_ms` (`None`: given up, kept with its error).
    pub fn delivery_failed(
        &self,
        submission: i64,
        error: &str,
        next_ms: Option<i64>,
    ) -> Result<(), StoreError> {
        self.db().execute(
            "UPDATE deliveries SET attempts = attempts + 1, last_error = ?1, next_ms = ?2 WHERE submission_id = ?3",
            params![error, next_ms.unwrap_or(i64::MAX), submission],
        )?;
        Ok(())
    }

    /// Jobs waiting or held, for health and tests.
    pub fn queue_depth(&self) -> Result<i64, StoreError> {
        Ok(self
            .db()
            .query_row("SELECT COUNT(*) FROM jobs", [], |r| r.get(0))?)
    }
}

const SELECT_SUBMISSION: &str = "SELECT s.id, s.user_id, u.name, s.problem, s.mode, s.source, s.status, s.problem_version, s.report, s.error, s.created_ms, s.finished_ms, s.input FROM submissions s JOIN users u ON u.id = s.user_id";

fn row_to_submission(r: &rusqlite::Row<'_>) -> rusqlite::Result<Submission> {
    Ok(Submission {
        id: r.get(0)?,
        user_id: r.get(1)?,
        user: r.get(2)?,
        problem: r.get(3)?,
        mode: r.get(4)?,
        source: r.get(5)?,
        status: r.get(6)?,
        problem_version: r.get(7)?,
        report: r.get(8)?,
        error: r.get(9)?,
        created_ms: r.get(10)?,
        finished_ms: r.get(11)?,
        input: r.get(12)?,
    })
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    fn user(store: &Store) -> User {
        let id = store.add_user("ada", Role::Candidate, "hash").unwrap();
        User {
            id,
            name: "ada".into(),
            role: Role::Candidate,
        }
    }

    #[test]
    fn a_job_is_claimed_once_until_its_lease_expires() {
        let (_d, store) = store();
        let ada = user(&store);
        let id = store.submit(&ada, &new("fn x() {}")).unwrap();
        let claim = store.claim("w1", 60_000).unwrap().unwrap();
        assert_eq!((claim.submission, claim.attempts), (id, 1));
        assert!(store.claim("w2", 60_000).unwrap().is_none(), "held by w1");
        // An expired lease returns the job to the queue, counting the attempt.
        store.heartbeat(id, "w1", -1).unwrap();
        let again = store.claim("w2", 60_000).unwrap().unwrap();
        assert_eq!(again.attempts, 2);
        // The first worker, back from the dead, cannot write a result any more.
        assert!(!store.finish(id, "w1", "v", Ok("{}")).unwrap());
        assert!(store.finish(id, "w2", "v", Ok("{}")).unwrap());
        assert!(
            !store.finish(id, "w2", "v", Ok("{}")).unwrap(),
            "one result only"
        );
        let s = store.submission(id).unwrap().unwrap();
        assert_eq!(
            (s.status.as_str(), s.report.as_deref()),
            ("done", Some("{}"))
        );
        assert_eq!(store.queue_depth().unwrap(), 0);
    }

    #[test]
    fn reopening_keeps_everything_and_release_all_requeues() {
        let (dir, store) = store();
        let ada = user(&store);
        let id = store.submit(&ada, &new("src")).unwrap();
        store.claim("w1", 60_000).unwrap().unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert!(store.claim("w2", 60_000).unwrap().is_none(), "still leased");
        assert_eq!(store.release_all().unwrap(), 1);
        assert_eq!(store.claim("w2", 60_000).unwrap().unwrap().submission, id);
        assert_eq!(store.user_by_token("hash").unwrap().unwrap().name, "ada");
        assert!(store.user_by_token("other").unwrap().is_none());
    }

    fn new(source: &str) -> NewSubmission {
        NewSubmission {
            problem: "knn".into(),
            mode: "submit",
            source: source.into(),
            callback_url: None,
            input: None,
        }
    }

    #[test]
    fn a_rejudge_queues_each_judged_submission_once() {
        let (_d, store) = store();
        let ada = user(&store);
        let ids = store
            .submit_many(&ada, &[new("a"), new("b")])
            .unwrap();
        assert_eq!(store.queued_for(&ada).unwrap(), 2);
        for _ in &ids {
            let claim = store.claim("w", 60_000).unwrap().unwrap();
            store
                .finish(claim.submission, "w", "v1", Ok("{\"verdict\":\"AC\"}"))
                .unwrap();
        }
        assert_eq!(store.verdict_counts().unwrap(), [("AC".to_string(), 2)]);
        assert_eq!(store.requeue_problem("knn").unwrap(), 2);
        assert_eq!(store.requeue_problem("knn").unwrap(), 0, "already queued");
        assert_eq!(store.submission(ids[0]).unwrap().unwrap().status, "queued");
        assert_eq!(store.queued_for(&ada).unwrap(), 2);
    }

    #[test]
    fn history_filters_by_problem_and_user() {
        let (_d, store) = store();
        let ada = user(&store);
        store.submit(&ada, &new("a")).unwrap();
        store.submit(&ada, &NewSubmission { problem: "t-value".into(), ..new("b") }).unwrap();
        assert_eq!(store.submissions(Some("knn"), None, 10).unwrap().len(), 1);
        assert_eq!(store.submissions(None, Some("ada"), 10).unwrap().len(), 2);
        assert_eq!(store.submissions(None, Some("bob"), 10).unwrap().len(), 0);
    }
}
