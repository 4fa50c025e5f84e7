//! Why an interview command could not finish: a mistake in what was asked (a problem not in
//! the session, a closed session, a folder that is not a workspace), a workspace file or
//! session record that cannot be read or written, or a lower phase's failure. What a
//! candidate's solution does is a verdict, recorded in the session, never an error.

use std::io;
use std::path::PathBuf;

use crate::judge::{JudgeError, Mode};
use crate::problem::bank::BankError;
use crate::problem::spec::SpecError;

use super::layout::JOURNAL;
use super::session::{clock, RecordError};

#[derive(Debug, thiserror::Error)]
pub enum InterviewError {
    /// A session's length out of range (more than 0, at most a day).
    #[error("--minutes must be more than 0 and at most a day, not {0}")]
    BadLength(f64),
    #[error("{} is not empty; choose a new folder with --dir", .0.display())]
    NotEmpty(PathBuf),
    #[error("asked for {asked} problem(s), but {matching} in the bank match the filters")]
    NotEnoughProblems { asked: usize, matching: usize },
    #[error("{0} is picked twice")]
    PickedTwice(String),
    /// No workspace holds `from` (the folder looked in, and every folder above it).
    #[error("no interview here: run this in a workspace made by `judge interview start` (or pass --dir)")]
    NoWorkspace { from: PathBuf },
    /// The current folder, where a workspace is looked for, cannot be read.
    #[error("{0}")]
    CurrentDir(io::Error),
    #[error("{} is not an interview workspace (no {JOURNAL})", .0.display())]
    NotAWorkspace(PathBuf),
    /// The session record at `path` cannot be opened, locked, read or written.
    #[error("session record {}: {source}", path.display())]
    Journal { path: PathBuf, source: io::Error },
    /// The session record's intact events do not make a session.
    #[error("session record {}: {source}", path.display())]
    Record { path: PathBuf, source: RecordError },
    #[error("{id} is not in this session (its problems: {})", problems.join(", "))]
    NotInSession { id: String, problems: Vec<String> },
    /// A run or submission after the session closed (at `closed_ms`, Unix time); `problem`
    /// is the problem's folder, for practising outside the session.
    #[error("the session closed at {}: {} is refused. `judge interview report` writes the report; `judge run {} <file>` still practises outside the session", clock(*.closed_ms), refused(*.mode), .problem.display())]
    Closed {
        closed_ms: u64,
        mode: Mode,
        problem: PathBuf,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot create {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// The caller's writer refused the command's text: the reader's failure, not the
    /// session's.
    #[error("cannot write the output: {0}")]
    Output(io::Error),
    /// A problem the bank cannot find.
    #[error(transparent)]
    Bank(#[from] BankError),
    /// A problem folder that does not load (boxed: a `SpecError` is large).
    #[error(transparent)]
    Spec(Box<SpecError>),
    #[error(transparent)]
    Judge(#[from] JudgeError),
}

fn refused(mode: Mode) -> &'static str {
    if mode == Mode::Submit {
        "submitting"
    } else {
        "running"
    }
}

impl From<SpecError> for InterviewError {
    fn from(e: SpecError) -> InterviewError {
        InterviewError::Spec(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_session_says_when_and_where_to_practise() {
        let e = InterviewError::Closed {
            closed_ms: 3_600_000,
            mode: Mode::Submit,
            problem: PathBuf::from("problems/knn"),
        };
        assert_eq!(
            e.to_string(),
            "the session closed at 01:00:00 UTC: submitting is refused. `judge interview report` writes the report; `judge run problems/knn <file>` still practises outside the session"
        );
        let e = InterviewError::Closed {
            closed_ms: 0,
            mode: Mode::Run,
            problem: PathBuf::from("p"),
        };
        assert!(e.to_string().contains(": running is refused."), "{e}");
    }

    #[test]
    fn a_problem_not_in_the_session_lists_the_session_s_problems() {
        let e = InterviewError::NotInSession {
            id: "svd".into(),
            problems: vec!["knn".into(), "pca".into()],
        };
        assert_eq!(
            e.to_string(),
            "svd is not in this session (its problems: knn, pca)"
        );
    }
}
