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
mod events;
mod interviews;
mod latest;
pub mod migrate;
mod url;
use url::postgres_config;
pub use url::{is_postgres_url, redact};
mod queue;
mod status;
mod web;
mod workers;

pub use deliveries::Due;
pub use events::{StoredEvent, EVENTS_CHANNEL};
pub use interviews::{Interview, InterviewEvent, NewInterview, RecordKind};
pub use queue::{
    counted_as, process_of, read_report, verdict_of, Claim, QueueStats, JOBS_CHANNEL,
    LATENCY_BUCKETS_MS,
};
pub use status::{Mode, Status};
pub use web::{Draft, ProblemState};
pub use workers::{WorkerInfo, WorkerState, GONE_AFTER_MS};

use std::path::Path;
use std::sync::Arc;

use judge_core::report::document::Document;

use super::db::{Db, DbError, Dialect, Param, Row};
use super::hub::Hub;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path}: {source}")]
    Open { path: String, source: DbError },
    #[error("the database: {0}")]
    Db(#[from] DbError),
    #[error("the database: migration {version} ({name}.sql): {source}")]
    Migrate {
        version: i64,
        name: &'static str,
        source: DbError,
    },
    #[error("the database at {place} has schema version {found}, but this judge knows up to {known}: a newer judge migrated it; run that version here too (docs/operations.md, upgrades)")]
    Newer {
        place: String,
        found: i64,
        known: i64,
    },
    #[error("the database: column {column} holds {value:?}, which this judge does not know")]
    Unknown { column: &'static str, value: String },
}

impl StoreError {
    /// A UNIQUE constraint refused the write (a user name taken).
    pub fn is_constraint(&self) -> bool {
        matches!(self, StoreError::Db(e) | StoreError::Open { source: e, .. } if e.is_constraint())
    }

    /// The database could not be reached: trying again later may succeed.
    pub fn is_connection(&self) -> bool {
        matches!(self, StoreError::Db(e) | StoreError::Open { source: e, .. } if e.is_connection())
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
    pub mode: Mode,
    pub source: String,
    pub status: Status,
    pub problem_version: Option<String>,
    /// The `--json` report (or a run on one input's), read from its stored text once here;
    /// `None` until done, and for a stored text that does not read (logged when read).
    pub report: Option<Document<'static>>,
    /// Why the judging could not finish (a judge error), when it could not.
    pub error: Option<String>,
    /// The user's own input (JSON), for a run on it alone.
    pub input: Option<String>,
    pub created_ms: i64,
    pub finished_ms: Option<i64>,
    /// Measure its complexity against the reference once judged (`judge submit --complexity`).
    pub complexity: bool,
    /// Its language's id in the languages table.
    pub language: String,
}

/// A submission to store.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub problem: String,
    pub mode: Mode,
    pub source: String,
    pub callback_url: Option<String>,
    /// One input of the user's own (JSON: each argument by name), for a run on it alone.
    pub input: Option<String>,
    /// The problem version to judge it on (published with `publish_problem`), or `None` for
    /// whatever the worker's own bank holds.
    pub problem_version: Option<String>,
    /// Measure its complexity against the reference once judged.
    pub complexity: bool,
    /// Its language's id in the languages table.
    pub language: String,
}

pub struct Store {
    db: Db,
    /// Wakes this process's readers of a submission's events (`hub`).
    hub: Arc<Hub>,
}

/// Connections a store keeps open at most, unless told otherwise.
pub const DEFAULT_CONNECTIONS: u32 = 16;

impl Store {
    /// Opens (or creates) the SQLite database in `dir` and applies the migrations it lacks.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, DEFAULT_CONNECTIONS)
    }

    /// `open`, with at most `connections` connections.
    pub fn open_with(dir: &Path, connections: u32) -> Result<Store, StoreError> {
        let path = dir.join("judge.db");
        migrate::sqlite(&path)?;
        Ok(Store {
            db: Db::sqlite(path, connections),
            hub: Arc::default(),
        })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user@host:port/db`) and
    /// applies the migrations it lacks.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_as(url, "judge", DEFAULT_CONNECTIONS)
    }

    /// `connect`, naming the connections `application_name` on the server (PostgreSQL's
    /// `pg_stat_activity` then tells the service's connections from each worker's), with
    /// at most `connections` of them. The first connection is made here, so a server that
    /// cannot be reached fails now, with its reason.
    pub fn connect_as(
        url: &str,
        application_name: &str,
        connections: u32,
    ) -> Result<Store, StoreError> {
        let config = postgres_config(url, application_name)?;
        let place = redact(url);
        super::db::run_blocking(|| {
            let mut client =
                config
                    .connect(postgres::NoTls)
                    .map_err(|source| StoreError::Open {
                        path: place.clone(),
                        source: DbError::Postgres {
                            op: "connect".into(),
                            source,
                        },
                    })?;
            migrate::postgres(&mut client, &place)
        })?;
        Ok(Store {
            db: Db::postgres(config, connections),
            hub: Arc::default(),
        })
    }

    /// Opens the database `target` names: a `postgres://` URL, else a data dir (SQLite).
    pub fn at(target: &str) -> Result<Store, StoreError> {
        if is_postgres_url(target) {
            Store::connect(target)
        } else {
            Store::open(Path::new(target))
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// The readers of submissions' events in this process, woken when events are stored.
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// Connections open now, and how many of them are idle.
    pub fn connections(&self) -> (u32, u32) {
        self.db.connections()
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

    /// Stores several submissions, their jobs and their `queued` events in one transaction:
    /// all or none.
    pub fn submit_many(
        &self,
        user: &User,
        submissions: &[NewSubmission],
    ) -> Result<Vec<i64>, StoreError> {
        let ids = self.db.tx(|c| {
            let mut ids = Vec::with_capacity(submissions.len());
            let now = now_ms();
            for new in submissions {
                let row = c.query_one(
                    "INSERT INTO submissions (user_id, problem, mode, source, status, created_ms, callback_url, input, complexity, language) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9) RETURNING id",
                    &[
                        user.id.into(),
                        new.problem.as_str().into(),
                        new.mode.name().into(),
                        new.source.as_str().into(),
                        now.into(),
                        new.callback_url.as_deref().into(),
                        new.input.as_deref().into(),
                        i64::from(new.complexity).into(),
                        new.language.as_str().into(),
                    ],
                )?;
                let id = row.map(|r| r.int(0)).transpose()?.unwrap_or(0);
                c.exec(
                    "INSERT INTO jobs (submission_id, problem_version, queued_ms) VALUES ($1, $2, $3)",
                    &[id.into(), new.problem_version.as_deref().into(), now.into()],
                )?;
                events::insert_queued(c, id)?;
                ids.push(id);
            }
            queue::wake_workers(c)?;
            Ok(ids)
        })?;
        for id in &ids {
            self.hub.wake(*id);
        }
        Ok(ids)
    }

    /// How many of the user's submissions wait or are being judged.
    pub fn queued_for(&self, user: &User) -> Result<i64, StoreError> {
        count(&self.db, "SELECT COUNT(*) FROM jobs j JOIN submissions s ON s.id = j.submission_id WHERE s.user_id = $1", &[user.id.into()])
    }

    /// Queues every judged submission of `problem` again, on problem version `version`
    /// (its report stays until the new one replaces it); returns how many. Their past
    /// events go: a live view of one starts again from `queued`.
    pub fn requeue_problem(
        &self,
        problem: &str,
        version: Option<&str>,
    ) -> Result<usize, StoreError> {
        Ok(self.db.tx(|c| {
            const JUDGED: &str = "SELECT id FROM submissions WHERE problem = $1 AND status = 'done' AND id NOT IN (SELECT submission_id FROM jobs)";
            c.exec(
                &format!("DELETE FROM events WHERE submission_id IN ({JUDGED})"),
                &[problem.into()],
            )?;
            c.exec(
                &format!("INSERT INTO events (submission_id, name, data, at_ms) SELECT id, 'queued', $2, $3 FROM ({JUDGED}) judged"),
                &[problem.into(), events::QUEUED_DATA.into(), now_ms().into()],
            )?;
            let n = c.exec(
                &format!("INSERT INTO jobs (submission_id, problem_version, queued_ms) SELECT id, $2, $3 FROM ({JUDGED}) judged"),
                &[problem.into(), version.into(), now_ms().into()],
            )?;
            c.exec(
                "UPDATE submissions SET status = 'queued' WHERE problem = $1 AND status = 'done' AND id IN (SELECT submission_id FROM jobs)",
                &[problem.into()],
            )?;
            queue::wake_workers(c)?;
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

    pub fn submission(&self, id: i64) -> Result<Option<Submission>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                &format!("{SELECT_SUBMISSION} WHERE s.id = $1"),
                &[id.into()],
            )
        })?;
        row.map(|r| row_to_submission(&r)).transpose()
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
        rows.iter().map(row_to_submission).collect()
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
}

fn count(db: &Db, sql: &str, params: &[Param<'_>]) -> Result<i64, StoreError> {
    let row = db.with(|c| c.query_one(sql, params))?;
    Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
}

const SELECT_SUBMISSION: &str = "SELECT s.id, s.user_id, u.name, s.problem, s.mode, s.source, s.status, s.problem_version, s.report, s.error, s.created_ms, s.finished_ms, s.input, s.complexity, s.language FROM submissions s JOIN users u ON u.id = s.user_id";

fn row_to_submission(r: &Row) -> Result<Submission, StoreError> {
    let id = r.int(0)?;
    Ok(Submission {
        id,
        user_id: r.int(1)?,
        user: r.text(2)?,
        problem: r.text(3)?,
        mode: Mode::from_column(&r.text(4)?)?,
        source: r.text(5)?,
        status: Status::from_column(&r.text(6)?)?,
        problem_version: r.opt_text(7)?,
        report: r.opt_text(8)?.and_then(|text| read_report(id, &text)),
        error: r.opt_text(9)?,
        created_ms: r.int(10)?,
        finished_ms: r.opt_int(11)?,
        input: r.opt_text(12)?,
        complexity: r.int(13)? != 0,
        language: r.text(14)?,
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

    /// A report as a worker stores it: a run whose samples passed.
    const RUN: &str = r#"{"schema":2,"problem":"knn","mode":"run","result":"samples-passed","compile":{"ok":true,"time_ms":1,"cached":false,"stderr":""},"samples":[],"warnings":[],"cached":false}"#;

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
        assert!(!store.finish(id, "w1", "v", Ok(RUN)).unwrap());
        assert!(store.finish(id, "w2", "v", Ok(RUN)).unwrap());
        assert!(
            !store.finish(id, "w2", "v", Ok(RUN)).unwrap(),
            "one result only"
        );
        let s = store.submission(id).unwrap().unwrap();
        assert_eq!(
            (s.status, s.report.as_ref().and_then(Document::outcome)),
            (Status::Done, Some("samples-passed"))
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
            mode: Mode::Submit,
            source: source.into(),
            callback_url: None,
            input: None,
            problem_version: None,
            complexity: false,
            language: "rust".into(),
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
        assert_eq!(
            store.submission(ids[0]).unwrap().unwrap().status,
            Status::Queued
        );
        assert_eq!(store.queued_for(&ada).unwrap(), 2);
    }

    #[test]
    fn events_are_kept_while_the_job_is_held_then_replaced_by_done() {
        let (_d, store) = store();
        let ada = user(&store);
        let id = store.submit(&ada, &new("src")).unwrap();
        let queued = store.events_after(id, 0, 100).unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].name, "queued");
        let event = |name: &str| (name.to_string(), format!("{{\"event\":\"{name}\"}}"));
        // Nobody holds the job: nothing is written.
        assert!(!store
            .add_events(id, "w/0", &[event("compiling")], Some(Status::Compiling))
            .unwrap());
        store.claim("w/0", 60_000).unwrap().unwrap();
        assert!(store
            .add_events(
                id,
                "w/0",
                &[event("compiling"), event("compiled")],
                Some(Status::Compiling)
            )
            .unwrap());
        assert!(
            !store
                .add_events(id, "w2/0", &[event("running")], None)
                .unwrap(),
            "not its job"
        );
        assert_eq!(
            store.submission(id).unwrap().unwrap().status,
            Status::Compiling
        );
        let all = store.events_after(id, 0, 100).unwrap();
        let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["queued", "compiling", "compiled"]);
        assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
        // After an id, only what came later.
        let later = store.events_after(id, all[0].seq, 100).unwrap();
        assert_eq!(later, all[1..]);
        assert!(store
            .finish(id, "w/0", "v", Ok("{\"verdict\":\"AC\"}"))
            .unwrap());
        let done = store.events_after(id, all[2].seq, 100).unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].name, "done");
        assert_eq!(
            store.events_after(id, 0, 100).unwrap(),
            done,
            "the rest went"
        );
    }

    #[test]
    fn claims_expiries_results_and_times_are_counted_in_the_store() {
        let (_d, store) = store();
        let ada = user(&store);
        let id = store.submit(&ada, &new("a")).unwrap();
        store.claim("p1/0", -1).unwrap().unwrap();
        // The lease ran out: p2 takes it, and that is an expiry and a second attempt.
        let again = store.claim("p2/0", 60_000).unwrap().unwrap();
        assert_eq!((again.submission, again.attempts), (id, 2));
        assert!(store
            .finish(id, "p2/0", "v", Err("judge error: x"))
            .unwrap());
        let counters: std::collections::BTreeMap<String, i64> =
            store.counters().unwrap().into_iter().collect();
        assert_eq!(counters["claims"], 2);
        assert_eq!(counters["lease_expiries"], 1);
        assert_eq!(counters["judge_errors"], 1);
        assert_eq!(counters["judged:JE"], 1);
        assert_eq!(counters["latency_count"], 1);
        assert_eq!(counters["latency_le_300000"], 1);
        let s = store.submission(id).unwrap().unwrap();
        assert_eq!(s.status, Status::Done);
        assert_eq!(store.queue_stats().unwrap(), QueueStats::default());
    }

    #[test]
    fn a_claim_finds_its_own_job_again_without_counting_it_twice() {
        let (_d, store) = store();
        let ada = user(&store);
        let first = store.submit(&ada, &new("a")).unwrap();
        store.submit(&ada, &new("b")).unwrap();
        assert_eq!(
            store.claim("p/0", 60_000).unwrap().unwrap().submission,
            first
        );
        // Its answer was lost with the connection: claiming again finds the same job.
        let again = store.claim("p/0", 60_000).unwrap().unwrap();
        assert_eq!((again.submission, again.attempts), (first, 1));
        let stats = store.queue_stats().unwrap();
        assert_eq!((stats.waiting, stats.running), (1, 1));
    }

    #[test]
    fn a_lease_lost_to_a_lost_connection_is_not_a_failed_attempt() {
        let (_d, store) = store();
        let ada = user(&store);
        let id = store.submit(&ada, &new("a")).unwrap();
        store.claim("p1/0", -1).unwrap().unwrap();
        assert_eq!(store.claim("p2/0", 60_000).unwrap().unwrap().attempts, 2);
        // p1 was alive, cut off from the database: its heartbeat finds the job taken.
        assert!(!store.heartbeat(id, "p1/0", 60_000).unwrap());
        store.lease_lost(id, "p1/0").unwrap();
        assert!(!store.finish(id, "p1/0", "v", Ok("{}")).unwrap());
        assert!(store.finish(id, "p2/0", "v", Ok("{}")).unwrap());
        assert!(store.finished_by(id, "p2/0").unwrap());
        assert!(!store.finished_by(id, "p1/0").unwrap());
        let attempts = store
            .db
            .with(|c| {
                c.query_one(
                    "SELECT attempts FROM submissions WHERE id = $1",
                    &[id.into()],
                )
            })
            .unwrap();
        assert_eq!(
            attempts.unwrap().int(0).unwrap(),
            1,
            "one attempt that counts"
        );
    }

    #[test]
    fn workers_show_what_they_hold_and_go_gone_then_pruned() {
        let (_d, store) = store();
        let ada = user(&store);
        let info = |name: &str| WorkerInfo {
            name: name.into(),
            host: "h".into(),
            pid: 7,
            version: "0".into(),
            toolchain: "rustc".into(),
            isolation: "complete".into(),
            jobs: 2,
            in_flight: 0,
            judged: 0,
            listen: None,
            started_ms: now_ms(),
            heartbeat_ms: now_ms(),
            state: WorkerState::Alive,
            current: Vec::new(),
        };
        store.register_worker(&info("h-aaaa")).unwrap();
        store.register_worker(&info("h-bbbb")).unwrap();
        let id = store.submit(&ada, &new("a")).unwrap();
        store.claim("h-aaaa/1", 60_000).unwrap().unwrap();
        let listed = store.workers().unwrap();
        assert_eq!(listed[0].current, [id]);
        assert!(listed[1].current.is_empty());
        store.finish(id, "h-aaaa/1", "v", Ok("{}")).unwrap();
        // h-bbbb stops beating.
        store
            .db
            .with(|c| {
                c.exec(
                    "UPDATE workers SET heartbeat_ms = 0 WHERE name = 'h-bbbb'",
                    &[],
                )
            })
            .unwrap();
        let listed = store.workers().unwrap();
        assert_eq!((listed[0].judged, listed[0].state), (1, WorkerState::Alive));
        assert_eq!(listed[1].state, WorkerState::Gone);
        assert_eq!(store.prune_workers(60_000).unwrap(), 1);
        assert_eq!(store.workers().unwrap().len(), 1);
        assert!(
            !store.worker_heartbeat("h-bbbb", 0).unwrap(),
            "pruned: registers again"
        );
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
