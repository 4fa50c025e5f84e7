//! Submissions as stored, and the queue's way in: a submission is written with its job and
//! its `queued` event in one transaction; a rejudge queues judged ones again.

use super::{
    events, mode_from_column, now_ms, queue, read_report, Mode, Status, Store, StoreError, User,
};
use crate::db::{Db, Dialect, Param, Row};
use judge_core::report::document::Document;

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

impl Store {
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
}

pub(super) fn count(db: &Db, sql: &str, params: &[Param<'_>]) -> Result<i64, StoreError> {
    let row = db.with(|c| c.query_one(sql, params))?;
    Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
}

pub(super) const SELECT_SUBMISSION: &str = "SELECT s.id, s.user_id, u.name, s.problem, s.mode, s.source, s.status, s.problem_version, s.report, s.error, s.created_ms, s.finished_ms, s.input, s.complexity, s.language FROM submissions s JOIN users u ON u.id = s.user_id";

pub(super) fn row_to_submission(r: &Row) -> Result<Submission, StoreError> {
    let id = r.int(0)?;
    Ok(Submission {
        id,
        user_id: r.int(1)?,
        user: r.text(2)?,
        problem: r.text(3)?,
        mode: mode_from_column(&r.text(4)?)?,
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
