//! Mock interviews on the service: one row per session, and its record as events (drafts,
//! runs, submissions, notes, the start) that are only ever appended, never rewritten, so the
//! report built from them is the record. The candidate is a user of its own (role
//! interviewee) whose token is the candidate link's secret.

use super::status::unknown;
use super::{now_ms, Mode, Role, Store, StoreError, User};

/// A session as stored.
#[derive(Debug, Clone)]
pub struct Interview {
    pub id: i64,
    pub interviewer_id: i64,
    pub candidate_id: i64,
    pub problems: Vec<String>,
    pub seconds: i64,
    pub hide_hidden: bool,
    /// Its candidate's submissions are measured against the reference.
    pub complexity: bool,
    pub seed: i64,
    pub created_ms: i64,
    /// When the candidate first opened it (the clock starts then).
    pub started_ms: Option<i64>,
    pub deadline_ms: Option<i64>,
}

impl Interview {
    /// Over when its deadline has passed (a session not started is not over).
    pub fn is_over(&self, now_ms: i64) -> bool {
        self.deadline_ms.is_some_and(|d| now_ms >= d)
    }
}

/// One entry of a session's record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InterviewEvent {
    pub id: i64,
    pub at_ms: i64,
    pub kind: RecordKind,
    pub problem: Option<String>,
    /// A draft's code or a note's text.
    pub body: Option<String>,
    pub submission_id: Option<i64>,
    /// A draft's language (the languages table's id); `None` for other events, and for
    /// drafts recorded before drafts had one (Rust).
    pub language: Option<String>,
}

/// What an entry of a session's record tells, stored as its lowercase word.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    /// The candidate opened the session: the clock started.
    Start,
    Draft,
    Run,
    Submit,
    /// The interviewer's note.
    Note,
}

impl RecordKind {
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Start => "start",
            RecordKind::Draft => "draft",
            RecordKind::Run => "run",
            RecordKind::Submit => "submit",
            RecordKind::Note => "note",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        [
            RecordKind::Start,
            RecordKind::Draft,
            RecordKind::Run,
            RecordKind::Submit,
            RecordKind::Note,
        ]
        .into_iter()
        .find(|kind| kind.name() == text)
    }
}

impl From<Mode> for RecordKind {
    fn from(mode: Mode) -> RecordKind {
        match mode {
            Mode::Submit => RecordKind::Submit,
            Mode::Run => RecordKind::Run,
        }
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a new session is made of.
pub struct NewInterview<'a> {
    pub interviewer: &'a User,
    pub problems: &'a [String],
    pub seconds: i64,
    pub hide_hidden: bool,
    pub complexity: bool,
    pub seed: i64,
    /// The candidate's user name and token hash, and the interviewer link's key hash.
    pub candidate_name: &'a str,
    pub candidate_token_hash: &'a str,
    pub watch_hash: &'a str,
}

const SELECT: &str = "SELECT id, interviewer_id, candidate_id, problems, seconds, hide_hidden, seed, created_ms, started_ms, deadline_ms, complexity FROM interviews";

fn row_to_interview(r: &super::Row) -> Result<Interview, StoreError> {
    let problems = r.text(3)?;
    Ok(Interview {
        id: r.int(0)?,
        interviewer_id: r.int(1)?,
        candidate_id: r.int(2)?,
        // A damaged list is an error naming the column, not a session without problems.
        problems: serde_json::from_str(&problems)
            .map_err(|_| unknown("interviews.problems", &problems))?,
        seconds: r.int(4)?,
        hide_hidden: r.int(5)? != 0,
        seed: r.int(6)?,
        created_ms: r.int(7)?,
        started_ms: r.opt_int(8)?,
        deadline_ms: r.opt_int(9)?,
        complexity: r.int(10)? != 0,
    })
}

impl Store {
    /// Creates a session and its candidate user, in one transaction; returns its id.
    pub fn create_interview(&self, new: &NewInterview<'_>) -> Result<i64, StoreError> {
        let problems = serde_json::to_string(new.problems).unwrap_or_default();
        let now = now_ms();
        Ok(self.db.tx(|c| {
            let candidate = c
                .query_one(
                    "INSERT INTO users (name, role, token_hash, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[new.candidate_name.into(), Role::Interviewee.name().into(), new.candidate_token_hash.into(), now.into()],
                )?
                .map(|r| r.int(0))
                .transpose()?
                .unwrap_or(0);
            let id = c
                .query_one(
                    "INSERT INTO interviews (interviewer_id, candidate_id, watch_hash, problems, seconds, hide_hidden, seed, created_ms, complexity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &[new.interviewer.id.into(), candidate.into(), new.watch_hash.into(), problems.as_str().into(), new.seconds.into(), i64::from(new.hide_hidden).into(), new.seed.into(), now.into(), i64::from(new.complexity).into()],
                )?
                .map(|r| r.int(0))
                .transpose()?
                .unwrap_or(0);
            Ok(id)
        })?)
    }

    pub fn interview(&self, id: i64) -> Result<Option<Interview>, StoreError> {
        let row = self
            .db
            .with(|c| c.query_one(&format!("{SELECT} WHERE id = $1"), &[id.into()]))?;
        row.map(|r| row_to_interview(&r)).transpose()
    }

    /// The sessions `interviewer` created, newest first.
    pub fn interviews_by(&self, interviewer: i64) -> Result<Vec<Interview>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                &format!("{SELECT} WHERE interviewer_id = $1 ORDER BY id DESC"),
                &[interviewer.into()],
            )
        })?;
        rows.iter().map(row_to_interview).collect()
    }

    /// Every session, newest first (an admin's view).
    pub fn all_interviews(&self) -> Result<Vec<Interview>, StoreError> {
        let rows = self
            .db
            .with(|c| c.query(&format!("{SELECT} ORDER BY id DESC"), &[]))?;
        rows.iter().map(row_to_interview).collect()
    }

    /// The session whose candidate is `user`.
    pub fn interview_of_candidate(&self, user: &User) -> Result<Option<Interview>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                &format!("{SELECT} WHERE candidate_id = $1"),
                &[user.id.into()],
            )
        })?;
        row.map(|r| row_to_interview(&r)).transpose()
    }

    /// The session an interviewer link's key opens.
    pub fn interview_by_watch_key(
        &self,
        watch_hash: &str,
    ) -> Result<Option<Interview>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                &format!("{SELECT} WHERE watch_hash = $1"),
                &[watch_hash.into()],
            )
        })?;
        row.map(|r| row_to_interview(&r)).transpose()
    }

    /// Starts the clock of a session not started yet (the first time its candidate opens
    /// it), recording the start; the session as it is afterwards.
    pub fn start_interview(&self, id: i64) -> Result<Option<Interview>, StoreError> {
        let now = now_ms();
        self.db.tx(|c| {
            let started = c.exec(
                "UPDATE interviews SET started_ms = $1, deadline_ms = $1 + seconds * 1000 WHERE id = $2 AND started_ms IS NULL",
                &[now.into(), id.into()],
            )?;
            if started > 0 {
                c.exec(
                    "INSERT INTO interview_events (interview_id, at_ms, kind) VALUES ($1, $2, 'start')",
                    &[id.into(), now.into()],
                )?;
            }
            Ok(())
        })?;
        self.interview(id)
    }

    /// Appends one entry to a session's record.
    pub fn record(
        &self,
        interview: i64,
        kind: RecordKind,
        problem: Option<&str>,
        body: Option<&str>,
        submission: Option<i64>,
    ) -> Result<i64, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "INSERT INTO interview_events (interview_id, at_ms, kind, problem, body, submission_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[interview.into(), now_ms().into(), kind.name().into(), problem.into(), body.into(), submission.into()],
            )
        })?;
        Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
    }

    /// Appends a draft of `problem` in `language` to a session's record.
    pub fn record_draft(
        &self,
        interview: i64,
        problem: &str,
        language: &str,
        source: &str,
    ) -> Result<i64, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "INSERT INTO interview_events (interview_id, at_ms, kind, problem, body, language) VALUES ($1, $2, 'draft', $3, $4, $5) RETURNING id",
                &[interview.into(), now_ms().into(), problem.into(), source.into(), language.into()],
            )
        })?;
        Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
    }

    /// A session's record, oldest first.
    pub fn interview_events(&self, interview: i64) -> Result<Vec<InterviewEvent>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                "SELECT id, at_ms, kind, problem, body, submission_id, language FROM interview_events WHERE interview_id = $1 ORDER BY id",
                &[interview.into()],
            )
        })?;
        rows.iter()
            .map(|r| {
                let kind = r.text(2)?;
                Ok(InterviewEvent {
                    id: r.int(0)?,
                    at_ms: r.int(1)?,
                    kind: RecordKind::parse(&kind)
                        .ok_or_else(|| unknown("interview_events.kind", &kind))?,
                    problem: r.opt_text(3)?,
                    body: r.opt_text(4)?,
                    submission_id: r.opt_int(5)?,
                    language: r.opt_text(6)?,
                })
            })
            .collect()
    }
}
