//! The engine's failures for the front ends: each phase's error type gathered into one,
//! with the one exit code of each (the command line adds its own usage errors and the
//! service's). Verdicts (WA, TLE, CE, ...) are data in a report, never
//! errors. A phase's error that only wraps a lower phase's (an authoring command whose
//! problem folder does not load) is folded into that lower phase's variant, so a failure reads
//! the same whichever command met it.

use crate::authoring::AuthoringError;
use crate::build::toolchain::ToolchainError;
use crate::cache::prune::CacheError;
use crate::interview::InterviewError;
use crate::judge::JudgeError;
use crate::problem::bank::BankError;
use crate::problem::spec::SpecError;
use crate::similarity::SimilarityError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem folder with an authoring mistake.
    #[error("{0}")]
    Spec(Box<SpecError>),
    #[error(transparent)]
    Toolchain(#[from] ToolchainError),
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// A judging that could not finish.
    #[error("{}", judge_message(.0))]
    Judge(JudgeError),
    #[error(transparent)]
    Bank(#[from] BankError),
    /// An authoring command's own failure (never its `Spec` or `Judge`: see `From`).
    #[error(transparent)]
    Authoring(AuthoringError),
    /// An interview command's own failure (never its `Spec`, `Judge` or `Bank`: see `From`).
    #[error(transparent)]
    Interview(InterviewError),
    /// The languages table, or a language asked for that it does not have.
    #[error(transparent)]
    Language(#[from] crate::languages::LanguageError),
    /// `judge similarity`'s files.
    #[error(transparent)]
    Similarity(#[from] SimilarityError),
}

impl Error {
    /// docs/contracts.md: 2 means the judge could not judge.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Error {
        // Boxed: a SpecError is large, and every Result<_, Error> would carry its size.
        Error::Spec(Box::new(e))
    }
}

impl From<JudgeError> for Error {
    fn from(e: JudgeError) -> Error {
        match e {
            // The toolchain's errors read the same wherever they come from.
            JudgeError::Toolchain(e) => Error::Toolchain(e),
            JudgeError::Language(e) => Error::Language(e),
            other => Error::Judge(other),
        }
    }
}

impl From<AuthoringError> for Error {
    fn from(e: AuthoringError) -> Error {
        match e {
            AuthoringError::Spec(e) => Error::Spec(e),
            AuthoringError::Judge(e) => Error::from(e),
            own => Error::Authoring(own),
        }
    }
}

impl From<InterviewError> for Error {
    fn from(e: InterviewError) -> Error {
        match e {
            InterviewError::Spec(e) => Error::Spec(e),
            InterviewError::Judge(e) => Error::from(e),
            InterviewError::Bank(e) => Error::Bank(e),
            own => Error::Interview(own),
        }
    }
}

/// A judging's failure in words: "judge error: ..." where the judge or the problem failed,
/// plain where the user named a file that cannot be read.
fn judge_message(e: &JudgeError) -> String {
    if e.is_usage() {
        e.to_string()
    } else {
        format!("judge error: {e}")
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn spec_error() -> SpecError {
        crate::problem::spec::load(Path::new("/nonexistent/problem")).unwrap_err()
    }

    #[test]
    fn a_lower_phase_reads_the_same_whichever_command_met_it() {
        let judge = || JudgeError::Cancelled;
        let direct = Error::from(judge()).to_string();
        assert_eq!(direct, "judge error: the judging was cancelled");
        let via_authoring = Error::from(AuthoringError::from(judge()));
        let via_interview = Error::from(InterviewError::from(judge()));
        assert!(matches!(via_authoring, Error::Judge(JudgeError::Cancelled)));
        assert!(matches!(via_interview, Error::Judge(JudgeError::Cancelled)));
        assert_eq!(via_authoring.to_string(), direct);
        assert_eq!(via_interview.to_string(), direct);

        let spec = Error::from(spec_error()).to_string();
        let via_authoring = Error::from(AuthoringError::from(spec_error()));
        let via_interview = Error::from(InterviewError::from(spec_error()));
        assert!(matches!(via_authoring, Error::Spec(_)));
        assert!(matches!(via_interview, Error::Spec(_)));
        assert_eq!(via_authoring.to_string(), spec);
        assert_eq!(via_interview.to_string(), spec);
    }

    #[test]
    fn a_phase_keeps_its_own_failures() {
        let e = Error::from(AuthoringError::Exists(PathBuf::from("bank/problems/x")));
        assert!(matches!(e, Error::Authoring(AuthoringError::Exists(_))));
        assert_eq!(
            e.to_string(),
            "bank/problems/x already exists; `judge new` never overwrites a problem"
        );
        let e = Error::from(InterviewError::PickedTwice("knn".into()));
        assert!(matches!(
            e,
            Error::Interview(InterviewError::PickedTwice(_))
        ));
        assert_eq!(e.to_string(), "knn is picked twice");
    }

    #[test]
    fn every_error_exits_with_2() {
        let errors = [
            Error::from(JudgeError::Cancelled),
            Error::from(spec_error()),
            Error::from(AuthoringError::NoGenerator(PathBuf::from("p"))),
            Error::from(InterviewError::BadLength(0.0)),
        ];
        for e in errors {
            assert_eq!(e.exit_code(), 2, "{e}");
        }
    }
}
