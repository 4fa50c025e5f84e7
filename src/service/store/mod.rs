//! The service's database: users, submissions and the job queue, on SQLite (one file in
//! the data dir, WAL; the default) or PostgreSQL (a server that many hosts share), through
//! `db`. A submission is written before the client hears of it, and its job row is the
//! queue: claimed with a lease, renewed by a heartbeat, deleted in the same transaction that
//! writes the result, so a crash at any point leaves either the job (judged again) or the
//! result, never both and never neither. On PostgreSQL jobs are claimed with
//! `FOR UPDATE SKIP LOCKED`, so workers on many hosts never take the same one.
//!
//! Times are milliseconds since the Unix epoch.

mod deliveries;
mod interviews;
mod web;

pub use deliveries::Due;
pub use interviews::{Interview, InterviewEvent, NewInterview};
pub use web::{Draft, ProblemState};

use std::path::Path;
use std::sync::Mutex;

use super::db::{Conn, Db, DbError, Dialect, Param, Row};

/// Each migration, in order, as SQLite and as PostgreSQL write it; the same tables and
/// columns on both. Applied at open, each in its own transaction, counted in SQLite's
/// `user_version` or PostgreSQL's `judge_schema` table.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        r"
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
",
        r"
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);
CREATE TABLE submissions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    problem_version TEXT,
    report TEXT,
    error TEXT,
    created_ms BIGINT NOT NULL,
    finished_ms BIGINT
);
CREATE INDEX submissions_by_user ON submissions(user_id, id);
CREATE INDEX submissions_by_problem ON submissions(problem, id);
CREATE TABLE jobs (
    submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_until_ms BIGINT,
    worker TEXT
);
",
    ),
    (
        r"
ALTER TABLE submissions ADD COLUMN callback_url TEXT;
CREATE TABLE deliveries (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT
);
",
        r"
ALTER TABLE submissions ADD COLUMN callback_url TEXT;
CREATE TABLE deliveries (
    submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_ms BIGINT NOT NULL,
    last_error TEXT
);
",
    ),
    (
        "ALTER TABLE submissions ADD COLUMN input TEXT;",
        "ALTER TABLE submissions ADD COLUMN input TEXT;",
    ),
    (
        r"
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    toolchain TEXT NOT NULL,
    isolation TEXT NOT NULL,
    jobs INTEGER NOT NULL,
    in_flight INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    heartbeat_ms INTEGER NOT NULL
);
",
        r"
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    toolchain TEXT NOT NULL,
    isolation TEXT NOT NULL,
    jobs BIGINT NOT NULL,
    in_flight BIGINT NOT NULL,
    started_ms BIGINT NOT NULL,
    heartbeat_ms BIGINT NOT NULL
);
",
    ),
    (
        r"
ALTER TABLE users ADD COLUMN password_hash TEXT;
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE TABLE drafts (
    user_id INTEGER NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, problem)
);
",
        r"
ALTER TABLE users ADD COLUMN password_hash TEXT;
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE TABLE drafts (
    user_id BIGINT NOT NULL REFERENCES users(id),
    problem TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (user_id, problem)
);
",
    ),
    (
        r"
CREATE TABLE problem_versions (
    version TEXT PRIMARY KEY,
    problem TEXT NOT NULL,
    package TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
ALTER TABLE jobs ADD COLUMN problem_version TEXT;
",
        r"
CREATE TABLE problem_versions (
    version TEXT PRIMARY KEY,
    problem TEXT NOT NULL,
    package TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
ALTER TABLE jobs ADD COLUMN problem_version TEXT;
",
    ),
    (
        r"
CREATE INDEX sessions_by_user ON sessions(user_id, created_ms);
CREATE INDEX sessions_by_expiry ON sessions(expires_ms);
",
        r"
CREATE INDEX sessions_by_user ON sessions(user_id, created_ms);
CREATE INDEX sessions_by_expiry ON sessions(expires_ms);
",
    ),
    (
        r"
CREATE TABLE interviews (
    id INTEGER PRIMARY KEY,
    interviewer_id INTEGER NOT NULL REFERENCES users(id),
    candidate_id INTEGER NOT NULL UNIQUE REFERENCES users(id),
    watch_hash TEXT NOT NULL UNIQUE,
    problems TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    hide_hidden INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    started_ms INTEGER,
    deadline_ms INTEGER
);
CREATE TABLE interview_events (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL REFERENCES interviews(id),
    at_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    problem TEXT,
    body TEXT,
    submission_id INTEGER REFERENCES submissions(id)
);
CREATE INDEX interview_events_in_order ON interview_events(interview_id, id);
",
        r"
CREATE TABLE interviews (
    id BIGSERIAL PRIMARY KEY,
    interviewer_id BIGINT NOT NULL REFERENCES users(id),
    candidate_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
    watch_hash TEXT NOT NULL UNIQUE,
    problems TEXT NOT NULL,
    seconds BIGINT NOT NULL,
    hide_hidden BIGINT NOT NULL,
    seed BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    started_ms BIGINT,
    deadline_ms BIGINT
);
CREATE TABLE interview_events (
    id BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL REFERENCES interviews(id),
    at_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    problem TEXT,
    body TEXT,
    submission_id BIGINT REFERENCES submissions(id)
);
CREATE INDEX interview_events_in_order ON interview_events(interview_id, id);
",
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path}: {source}")]
    Open { path: String, source: DbError },
    #[error("the database: {0}")]
    Db(#[from] DbError),
}

impl StoreError {
    /// A UNIQUE constraint refused the write (a user name taken).
    pub fn is_constraint(&self) -> bool {
        matches!(self, StoreError::Db(e) | StoreError::Open { source: e, .. } if e.is_constraint())
    }
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
    /// Creates mock interviews and watches its own.
    Interviewer,
    /// The candidate of one mock interview: its problems only, until its deadline.
    Interviewee,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Author => "author",
            Role::Admin => "admin",
            Role::Interviewer => "interviewer",
            Role::Interviewee => "interviewee",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "candidate" => Some(Role::Candidate),
            "author" => Some(Role::Author),
            "admin" => Some(Role::Admin),
            "interviewer" => Some(Role::Interviewer),
            "interviewee" => Some(Role::Interviewee),
            _ => None,
        }
    }

    /// What a role may do, in words, for `judge user add`.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Candidate => "submits and reads its own submissions",
            Role::Author => "also reads every submission",
            Role::Admin => "may do everything",
            Role::Interviewer => "creates mock interviews and watches its own",
            Role::Interviewee => "the candidate of one mock interview",
        }
    }

    /// Whether this role reads other users' submissions.
    pub fn reads_all(self) -> bool {
        matches!(self, Role::Author | Role::Admin)
    }

    /// Whether this role creates mock interviews.
    pub fn interviews(self) -> bool {
        matches!(self, Role::Author | Role::Admin | Role::Interviewer)
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
    /// The problem version to judge it on (published with `publish_problem`), or `None` for
    /// whatever the worker's own bank holds.
    pub problem_version: Option<String>,
}

/// A worker as it registered itself.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkerInfo {
    pub name: String,
    pub host: String,
    /// The first line of its `rustc -vV`.
    pub toolchain: String,
    /// "complete", or the isolation layers missing on its machine.
    pub isolation: String,
    /// Judgings at once.
    pub jobs: i64,
    pub in_flight: i64,
    pub started_ms: i64,
    pub heartbeat_ms: i64,
}

/// A job a worker holds: the submission to judge, and how many times it was claimed.
#[derive(Debug, Clone)]
pub struct Claim {
    pub submission: i64,
    pub attempts: i64,
    /// The problem version to judge on, when the service named one.
    pub problem_version: Option<String>,
}

pub struct Store {
    db: Db,
}

impl Store {
    /// Opens (or creates) the SQLite database in `dir` and applies the migrations it lacks.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join("judge.db");
        let open_err = |source: rusqlite::Error| StoreError::Open {
            path: path.display().to_string(),
            source: source.into(),
        };
        let db = rusqlite::Connection::open(&path).map_err(open_err)?;
        db.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        // WAL with synchronous=FULL: a commit is on disk before the client is answered.
        db.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        db.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        db.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        let store = Store {
            db: Db::Sqlite(Mutex::new(db)),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user@host:port/db`) and
    /// applies the migrations it lacks.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_as(url, "judge")
    }

    /// `connect`, naming the connection `application_name` on the server (PostgreSQL's
    /// `pg_stat_activity` then tells the service's connection from each worker's).
    pub fn connect_as(url: &str, application_name: &str) -> Result<Store, StoreError> {
        let open_err = |source: postgres::Error| StoreError::Open {
            path: redact(url),
            source: source.into(),
        };
        let mut config: postgres::Config = url.parse().map_err(open_err)?;
        if config.get_application_name().is_none() {
            config.application_name(application_name);
        }
        let client = config.connect(postgres::NoTls).map_err(open_err)?;
        let store = Store {
            db: Db::postgres(client, config),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens the database `target` names: a `postgres://` URL, else a data dir (SQLite).
    pub fn at(target: &str) -> Result<Store, StoreError> {
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            Store::connect(target)
        } else {
            Store::open(Path::new(target))
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let applied = self.db.with(|c| applied_migrations(c))?;
        for (i, (sqlite, postgres)) in (0i64..).zip(MIGRATIONS).skip(applied.max(0) as usize) {
            self.db.tx(|c| {
                let dialect = c.dialect();
                let script = if dialect == Dialect::Sqlite {
                    sqlite
                } else {
                    postgres
                };
                for statement in script.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    c.exec(statement, &[])?;
                }
                match dialect {
                    Dialect::Sqlite => c.exec(&format!("PRAGMA user_version = {}", i + 1), &[])?,
                    Dialect::Postgres => {
                        c.exec("UPDATE judge_schema SET version = $1", &[Param::Int(i + 1)])?
                    }
                };
                Ok(())
            })?;
        }
        Ok(())
    }

    pub fn add_user(&self, name: &str, role: Role, token_hash: &str) -> Result<i64, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "INSERT INTO users (name, role, token_hash, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
                &[name.into(), role.name().into(), token_hash.into(), now_ms().into()],
            )
        })?;
        Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
    }

    pub fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT id, name, role FROM users WHERE token_hash = $1",
                &[token_hash.into()],
            )
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Role::parse(&row.text(2)?).map(|role| User {
            id: row.int(0).unwrap_or(0),
            name: row.text(1).unwrap_or_default(),
            role,
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
        Ok(self.db.tx(|c| {
            let mut ids = Vec::with_capacity(submissions.len());
            for new in submissions {
                let row = c.query_one(
                    "INSERT INTO submissions (user_id, problem, mode, source, status, created_ms, callback_url, input) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7) RETURNING id",
                    &[
                        user.id.into(),
                        new.problem.as_str().into(),
                        new.mode.into(),
                        new.source.as_str().into(),
                        now_ms().into(),
                        new.callback_url.as_deref().into(),
                        new.input.as_deref().into(),
                    ],
                )?;
                let id = row.map(|r| r.int(0)).transpose()?.unwrap_or(0);
                c.exec(
                    "INSERT INTO jobs (submission_id, problem_version) VALUES ($1, $2)",
                    &[id.into(), new.problem_version.as_deref().into()],
                )?;
                ids.push(id);
            }
            wake_workers(c)?;
            Ok(ids)
        })?)
    }

    /// How many of the user's submissions wait or are being judged.
    pub fn queued_for(&self, user: &User) -> Result<i64, StoreError> {
        count(&self.db, "SELECT COUNT(*) FROM jobs j JOIN submissions s ON s.id = j.submission_id WHERE s.user_id = $1", &[user.id.into()])
    }

    /// Queues every judged submission of `problem` again, on problem version `version`
    /// (its report stays until the new one replaces it); returns how many.
    pub fn requeue_problem(
        &self,
        problem: &str,
        version: Option<&str>,
    ) -> Result<usize, StoreError> {
        Ok(self.db.tx(|c| {
            let n = c.exec(
                "INSERT INTO jobs (submission_id, problem_version) SELECT id, $2 FROM submissions WHERE problem = $1 AND status = 'done' AND id NOT IN (SELECT submission_id FROM jobs)",
                &[problem.into(), version.into()],
            )?;
            c.exec(
                "UPDATE submissions SET status = 'queued' WHERE problem = $1 AND id IN (SELECT submission_id FROM jobs)",
                &[problem.into()],
            )?;
            wake_workers(c)?;
            Ok(n as usize)
        })?)
    }

    /// Judged submissions by final verdict ("JE" for those the judge could not finish).
    pub fn verdict_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let field = |name: &str| match self.dialect() {
            Dialect::Sqlite => format!("json_extract(report, '$.{name}')"),
            Dialect::Postgres => format!("(report::json ->> '{name}')"),
        };
        let sql = format!(
            "SELECT COALESCE({}, CASE WHEN error IS NOT NULL THEN 'JE' END, {}, 'none') AS v, COUNT(*) FROM submissions WHERE status = 'done' GROUP BY v ORDER BY v",
            field("verdict"),
            field("result")
        );
        let rows = self.db.with(|c| c.query(&sql, &[]))?;
        rows.iter().map(|r| Ok((r.text(0)?, r.int(1)?))).collect()
    }

    /// The oldest job that no live worker holds, leased to `worker` until `lease_ms` from
    /// now; its attempts count this claim.
    pub fn claim(&self, worker: &str, lease_ms: i64) -> Result<Option<Claim>, StoreError> {
        let now = now_ms();
        // SQLite has one writer at a time (an IMMEDIATE transaction); PostgreSQL's workers
        // skip the rows another has locked instead of waiting for them.
        let lock = match self.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let row = self.db.tx(|c| {
            c.query_one(
                &format!("UPDATE jobs SET attempts = attempts + 1, lease_until_ms = $1, worker = $2 WHERE submission_id = (SELECT submission_id FROM jobs WHERE lease_until_ms IS NULL OR lease_until_ms < $3 ORDER BY submission_id LIMIT 1{lock}) RETURNING submission_id, attempts, problem_version"),
                &[(now + lease_ms).into(), worker.into(), now.into()],
            )
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(Claim {
            submission: row.int(0)?,
            attempts: row.int(1)?,
            problem_version: row.opt_text(2)?,
        }))
    }

    /// Extends a held lease; `false` when the job is no longer this worker's.
    pub fn heartbeat(
        &self,
        submission: i64,
        worker: &str,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let n = self.db.with(|c| {
            c.exec(
                "UPDATE jobs SET lease_until_ms = $1 WHERE submission_id = $2 AND worker = $3",
                &[
                    (now_ms() + lease_ms).into(),
                    submission.into(),
                    worker.into(),
                ],
            )
        })?;
        Ok(n == 1)
    }

    /// Every leased job back to the queue: at start, when this process owns the data dir and
    /// so no worker holding a lease is alive (never on a shared PostgreSQL: leases expire).
    pub fn release_all(&self) -> Result<usize, StoreError> {
        Ok(self.db.with(|c| {
            c.exec(
                "UPDATE jobs SET lease_until_ms = NULL, worker = NULL WHERE lease_until_ms IS NOT NULL",
                &[],
            )
        })? as usize)
    }

    /// Gives a held job back to the queue without counting the attempt (a worker stopping).
    pub fn release(&self, submission: i64, worker: &str) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.exec(
                "UPDATE jobs SET lease_until_ms = NULL, worker = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE submission_id = $1 AND worker = $2",
                &[submission.into(), worker.into()],
            )
        })?;
        Ok(())
    }

    pub fn set_status(&self, submission: i64, status: &str) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.exec(
                "UPDATE submissions SET status = $1 WHERE id = $2 AND status != 'done'",
                &[status.into(), submission.into()],
            )
        })?;
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
        let (report, error) = match result {
            Ok(report) => (Some(report), None),
            Err(error) => (None, Some(error)),
        };
        Ok(self.db.tx(|c| {
            let held = c.exec(
                "DELETE FROM jobs WHERE submission_id = $1 AND worker = $2",
                &[submission.into(), worker.into()],
            )?;
            if held != 1 {
                return Ok(false);
            }
            let now = now_ms();
            c.exec(
                "UPDATE submissions SET status = 'done', problem_version = $1, report = $2, error = $3, finished_ms = $4 WHERE id = $5",
                &[version.into(), report.into(), error.into(), now.into(), submission.into()],
            )?;
            // Its webhook is owed from the moment the result exists: in the same transaction.
            c.exec(
                "INSERT INTO deliveries (submission_id, attempts, next_ms) SELECT id, 0, $1 FROM submissions WHERE id = $2 AND callback_url IS NOT NULL ON CONFLICT (submission_id) DO UPDATE SET attempts = 0, next_ms = excluded.next_ms, last_error = NULL",
                &[now.into(), submission.into()],
            )?;
            Ok(true)
        })?)
    }

    pub fn submission(&self, id: i64) -> Result<Option<Submission>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                &format!("{SELECT_SUBMISSION} WHERE s.id = $1"),
                &[id.into()],
            )
        })?;
        Ok(row.map(|r| row_to_submission(&r)).transpose()?)
    }

    /// Submissions, newest first, filtered by problem and by user name when given.
    pub fn submissions(
        &self,
        problem: Option<&str>,
        user: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Submission>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                &format!("{SELECT_SUBMISSION} WHERE (CAST($1 AS TEXT) IS NULL OR s.problem = $1) AND (CAST($2 AS TEXT) IS NULL OR u.name = $2) ORDER BY s.id DESC LIMIT $3"),
                &[problem.into(), user.into(), limit.into()],
            )
        })?;
        Ok(rows
            .iter()
            .map(row_to_submission)
            .collect::<Result<_, _>>()?)
    }

    /// The value of setting `key`, storing `value` first when there is none: the first
    /// process to ask decides (the toolchain every worker must share).
    pub fn setting_or(&self, key: &str, value: &str) -> Result<String, StoreError> {
        let row = self.db.tx(|c| {
            c.exec(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                &[key.into(), value.into()],
            )?;
            c.query_one("SELECT value FROM settings WHERE key = $1", &[key.into()])
        })?;
        Ok(row.map(|r| r.text(0)).transpose()?.unwrap_or_default())
    }

    /// Registers (or registers again) a worker, heartbeat now.
    pub fn register_worker(&self, w: &WorkerInfo) -> Result<(), StoreError> {
        let now = now_ms();
        self.db.with(|c| {
            c.exec(
                "INSERT INTO workers (name, host, toolchain, isolation, jobs, in_flight, started_ms, heartbeat_ms) VALUES ($1, $2, $3, $4, $5, 0, $6, $6) ON CONFLICT (name) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms",
                &[w.name.as_str().into(), w.host.as_str().into(), w.toolchain.as_str().into(), w.isolation.as_str().into(), w.jobs.into(), now.into()],
            )
        })?;
        Ok(())
    }

    /// A worker is alive and judging `in_flight` jobs.
    pub fn worker_heartbeat(&self, name: &str, in_flight: i64) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.exec(
                "UPDATE workers SET heartbeat_ms = $1, in_flight = $2 WHERE name = $3",
                &[now_ms().into(), in_flight.into(), name.into()],
            )
        })?;
        Ok(())
    }

    /// A worker that stopped.
    pub fn remove_worker(&self, name: &str) -> Result<(), StoreError> {
        self.db
            .with(|c| c.exec("DELETE FROM workers WHERE name = $1", &[name.into()]))?;
        Ok(())
    }

    /// Every registered worker, by name.
    pub fn workers(&self) -> Result<Vec<WorkerInfo>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                "SELECT name, host, toolchain, isolation, jobs, in_flight, started_ms, heartbeat_ms FROM workers ORDER BY name",
                &[],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(WorkerInfo {
                    name: r.text(0)?,
                    host: r.text(1)?,
                    toolchain: r.text(2)?,
                    isolation: r.text(3)?,
                    jobs: r.int(4)?,
                    in_flight: r.int(5)?,
                    started_ms: r.int(6)?,
                    heartbeat_ms: r.int(7)?,
                })
            })
            .collect()
    }

    /// Keeps the package of a problem version (`service::packages`), once.
    pub fn publish_problem(
        &self,
        version: &str,
        problem: &str,
        package: &str,
    ) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.exec(
                "INSERT INTO problem_versions (version, problem, package, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING",
                &[version.into(), problem.into(), package.into(), now_ms().into()],
            )
        })?;
        Ok(())
    }

    /// The package of a problem version, if it was published.
    pub fn problem_package(&self, version: &str) -> Result<Option<String>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT package FROM problem_versions WHERE version = $1",
                &[version.into()],
            )
        })?;
        Ok(row.map(|r| r.text(0)).transpose()?)
    }

    /// Jobs waiting or held, for health and tests.
    pub fn queue_depth(&self) -> Result<i64, StoreError> {
        count(&self.db, "SELECT COUNT(*) FROM jobs", &[])
    }
}

/// The channel PostgreSQL tells idle worker processes on that jobs were queued.
pub const JOBS_CHANNEL: &str = "judge_jobs";

/// On PostgreSQL, tells every worker process listening (`LISTEN judge_jobs`) that jobs
/// were queued, when the transaction commits; they would otherwise find them only at their
/// next look (every second). On SQLite the workers share the process and are woken there.
fn wake_workers(c: &mut dyn Conn) -> Result<(), DbError> {
    if c.dialect() == Dialect::Postgres {
        c.exec(&format!("NOTIFY {JOBS_CHANNEL}"), &[])?;
    }
    Ok(())
}

/// Migrations applied so far.
fn applied_migrations(c: &mut dyn Conn) -> Result<i64, DbError> {
    match c.dialect() {
        Dialect::Sqlite => c
            .query_one("PRAGMA user_version", &[])?
            .map_or(Ok(0), |r| r.int(0)),
        Dialect::Postgres => {
            c.exec(
                "CREATE TABLE IF NOT EXISTS judge_schema (version BIGINT NOT NULL)",
                &[],
            )?;
            c.exec(
                "INSERT INTO judge_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM judge_schema)",
                &[],
            )?;
            c.query_one("SELECT version FROM judge_schema", &[])?
                .map_or(Ok(0), |r| r.int(0))
        }
    }
}

fn count(db: &Db, sql: &str, params: &[Param<'_>]) -> Result<i64, StoreError> {
    let row = db.with(|c| c.query_one(sql, params))?;
    Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

const SELECT_SUBMISSION: &str = "SELECT s.id, s.user_id, u.name, s.problem, s.mode, s.source, s.status, s.problem_version, s.report, s.error, s.created_ms, s.finished_ms, s.input FROM submissions s JOIN users u ON u.id = s.user_id";

fn row_to_submission(r: &Row) -> Result<Submission, DbError> {
    Ok(Submission {
        id: r.int(0)?,
        user_id: r.int(1)?,
        user: r.text(2)?,
        problem: r.text(3)?,
        mode: r.text(4)?,
        source: r.text(5)?,
        status: r.text(6)?,
        problem_version: r.opt_text(7)?,
        report: r.opt_text(8)?,
        error: r.opt_text(9)?,
        created_ms: r.int(10)?,
        finished_ms: r.opt_int(11)?,
        input: r.opt_text(12)?,
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
            problem_version: None,
        }
    }

    #[test]
    fn a_rejudge_queues_each_judged_submission_once() {
        let (_d, store) = store();
        let ada = user(&store);
        let ids = store.submit_many(&ada, &[new("a"), new("b")]).unwrap();
        assert_eq!(store.queued_for(&ada).unwrap(), 2);
        for _ in &ids {
            let claim = store.claim("w", 60_000).unwrap().unwrap();
            store
                .finish(claim.submission, "w", "v1", Ok("{\"verdict\":\"AC\"}"))
                .unwrap();
        }
        assert_eq!(store.verdict_counts().unwrap(), [("AC".to_string(), 2)]);
        assert_eq!(store.requeue_problem("knn", None).unwrap(), 2);
        assert_eq!(
            store.requeue_problem("knn", None).unwrap(),
            0,
            "already queued"
        );
        assert_eq!(store.submission(ids[0]).unwrap().unwrap().status, "queued");
        assert_eq!(store.queued_for(&ada).unwrap(), 2);
    }

    #[test]
    fn history_filters_by_problem_and_user() {
        let (_d, store) = store();
        let ada = user(&store);
        store.submit(&ada, &new("a")).unwrap();
        store
            .submit(
                &ada,
                &NewSubmission {
                    problem: "t-value".into(),
                    ..new("b")
                },
            )
            .unwrap();
        assert_eq!(store.submissions(Some("knn"), None, 10).unwrap().len(), 1);
        assert_eq!(store.submissions(None, Some("ada"), 10).unwrap().len(), 2);
        assert_eq!(store.submissions(None, Some("bob"), 10).unwrap().len(), 0);
    }
}
