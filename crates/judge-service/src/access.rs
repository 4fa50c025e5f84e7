//! Who may see and do what, decided in one place for the API and the pages: what each role
//! may do (`may`, with the 403 words every refusal answers; the store only stores a role),
//! and an interview's candidate, who sees its session's problems only and may submit or
//! save drafts on them until the server's deadline; every other user sees every problem.
//! (What a viewer sees of a submission is `views`', which asks here whose it may read.)

use axum::http::StatusCode;

use crate::http::ApiError;
use crate::store::{Interview, Role, User};
use crate::Service;

/// What only some roles may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Judge every submission of a problem again.
    Rejudge,
    /// List the worker processes.
    SeeWorkers,
    /// Read every user's submissions, and watch every interview.
    ReadAll,
    /// Create mock interviews.
    CreateInterview,
    /// Submit many solutions at once.
    SubmitBatch,
    /// Compare every user's latest submissions to a problem.
    CompareAll,
    /// Compare the submissions of the candidates of one's own interviews.
    CompareCandidates,
}

/// Why a role may not do an `Action` (403), in the words the API answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("only authors and admins {0}")]
    NotStaff(&'static str),
    #[error("only interviewers, authors and admins create interviews")]
    NotInterviewer,
    #[error("an interview's candidate submits one solution at a time")]
    OneAtATime,
    #[error("comparing every user's submissions is for authors and admins; an interviewer compares their own candidates' (GET /api/v1/interviews/similarity?problem=...)")]
    NotStaffCompare,
    #[error("only a role that holds interviews (interviewer, author, admin) compares its candidates' submissions")]
    NoInterviews,
}

/// Whether `user` may do `action`.
pub fn may(user: &User, action: Action) -> Result<(), Refused> {
    let allowed = match action {
        Action::Rejudge | Action::SeeWorkers | Action::ReadAll | Action::CompareAll => {
            user.role.reads_all()
        }
        Action::CreateInterview | Action::CompareCandidates => user.role.holds_interviews(),
        Action::SubmitBatch => !in_interview(user),
    };
    if allowed {
        return Ok(());
    }
    Err(match action {
        Action::Rejudge => Refused::NotStaff("rejudge"),
        Action::SeeWorkers => Refused::NotStaff("see the workers"),
        Action::ReadAll => Refused::NotStaff("read every submission"),
        Action::CreateInterview => Refused::NotInterviewer,
        Action::SubmitBatch => Refused::OneAtATime,
        Action::CompareAll => Refused::NotStaffCompare,
        Action::CompareCandidates => Refused::NoInterviews,
    })
}

/// Whether `user` is the candidate of a mock interview (whose name is made up, who sees
/// its session's problems only, and whose own submissions may be withheld from it).
pub fn in_interview(user: &User) -> bool {
    user.role == Role::Interviewee
}

/// What each role may do: asked through `may` and `in_interview` only.
impl Role {
    /// Whether this role reads other users' submissions.
    fn reads_all(self) -> bool {
        matches!(self, Role::Author | Role::Admin)
    }

    /// Whether this role creates mock interviews.
    fn holds_interviews(self) -> bool {
        matches!(self, Role::Author | Role::Admin | Role::Interviewer)
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
}

/// The session's candidate `user` is in, started (the clock runs from the first thing the
/// candidate does); `None` for a user who is no interview's candidate.
pub fn candidate_session(service: &Service, user: &User) -> Result<Option<Interview>, ApiError> {
    if !in_interview(user) {
        return Ok(None);
    }
    let interview = service
        .store
        .interview_of_candidate(user)?
        .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "this interview is gone"))?;
    if interview.started_ms.is_some() {
        return Ok(Some(interview));
    }
    Ok(service.store.start_interview(interview.id)?)
}

/// Whether `user` may see problem `id`: every user may, but an interview's candidate sees
/// its session's problems only.
pub fn may_see(service: &Service, user: &User, id: &str) -> bool {
    Seen::of(service, user).has(id)
}

/// Which problems a user sees, looked up once for a whole list.
pub struct Seen(Option<Vec<String>>);

impl Seen {
    pub fn of(service: &Service, user: &User) -> Seen {
        Seen(match candidate_session(service, user) {
            Ok(Some(interview)) => Some(interview.problems),
            Ok(None) => None,
            Err(_) => Some(Vec::new()),
        })
    }

    pub fn has(&self, id: &str) -> bool {
        self.0
            .as_ref()
            .is_none_or(|only| only.iter().any(|p| p == id))
    }
}

/// What a candidate may do now on `problem`: one of its session's problems, before the
/// deadline. Refused in words otherwise.
pub fn check_candidate(interview: &Interview, problem: &str) -> Result<(), ApiError> {
    if !interview.problems.iter().any(|p| p == problem) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("{problem} is not a problem of this interview"),
        ));
    }
    if interview.is_over(crate::store::now_ms()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "the interview is over: its time ran out on the server's clock",
        ));
    }
    Ok(())
}

/// The time a session has left by the server's clock, `m:ss`.
pub fn time_left(interview: &Interview) -> String {
    let now = crate::store::now_ms();
    interview
        .deadline_ms
        .map_or_else(|| clock(interview.seconds * 1000), |d| clock(d - now))
}

/// Minutes and seconds of a span, `m:ss`.
pub(crate) fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}
