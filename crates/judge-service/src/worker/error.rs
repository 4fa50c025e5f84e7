//! Why a job ended without a report: its stored failure, the text its owner reads in place
//! of a report (a judge error, `JE`, whatever the cause: the candidate is never blamed).

use judge_core::judge::package::Unjudged;
use judge_core::judge::JudgeError;
use judge_core::languages::LanguageError;
use judge_core::problem::spec::{InputError, SpecError};

use super::MAX_ATTEMPTS;
use crate::packages::PackageError;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The job was claimed more than `MAX_ATTEMPTS` times: it ended its worker each time.
    #[error("judge error: judging this submission stopped its worker {MAX_ATTEMPTS} times; it is not tried again")]
    Attempts,
    /// The problem's version could not be found, fetched or read.
    #[error("judge error: {0}")]
    Problem(#[from] PackageError),
    #[error("judge error: {0}")]
    Spec(#[from] SpecError),
    /// The submission's language is not one this host judges.
    #[error("judge error: {0}")]
    Language(#[from] LanguageError),
    /// A run on the user's own input whose stored input no longer fits the problem (it
    /// changed since the input was checked).
    #[error("judge error: the stored input no longer fits the problem: {}: {input}", input.arg())]
    Input {
        #[source]
        input: InputError,
    },
    #[error("judge error: a run on custom input is not taken for Kattis packages")]
    InputOnPackage,
    /// The package does not take the submission's language (problem.yaml's `languages`).
    #[error("{0}")]
    NotAllowed(Unjudged),
    #[error("judge error: {0}")]
    Judge(#[from] JudgeError),
    /// The task that judged panicked.
    #[error("judge error: the judging failed (a bug in the judge): {0}")]
    Task(#[from] tokio::task::JoinError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge_core::problem::types::{IntKind, Ty};

    /// The texts users read for a failed job, as they were when they were Strings.
    #[test]
    fn a_stored_failure_reads_as_before() {
        assert_eq!(
            JobError::Attempts.to_string(),
            "judge error: judging this submission stopped its worker 3 times; it is not tried again"
        );
        assert_eq!(
            JobError::InputOnPackage.to_string(),
            "judge error: a run on custom input is not taken for Kattis packages"
        );
        let input = JobError::Input {
            input: InputError::Missing {
                arg: "xs".into(),
                ty: Ty::Vec(Box::new(Ty::Int(IntKind::I64))),
            },
        };
        assert_eq!(
            input.to_string(),
            "judge error: the stored input no longer fits the problem: xs: the argument `xs` (Vec<i64>) is missing"
        );
        let refused = JobError::NotAllowed(Unjudged::NotAllowed {
            package: "/bank/problems/hello".into(),
            codes: vec!["cpp".into()],
            language: "Python 3".into(),
            code: "python3".into(),
        });
        assert_eq!(
            refused.to_string(),
            "/bank/problems/hello/problem.yaml allows submissions in cpp only (its `languages`), and this one is Python 3 (`python3`)"
        );
        let judged = JobError::from(JudgeError::Cancelled);
        assert_eq!(judged.to_string(), "judge error: the judging was cancelled");
    }
}
