//! The judge's own failures for the front ends: each phase's error type gathered into one,
//! with the one exit code of each. Verdicts (WA, TLE, CE, ...) are data in a report, never
//! errors. A phase's error that only wraps a lower phase's (an authoring command whose
//! problem folder does not load) is folded into that lower phase's variant, so a failure reads
//! the same whichever command met it.

use std::io;
use std::path::PathBuf;

use crate::authoring::AuthoringError;
use crate::build::toolchain::ToolchainError;
use crate::cache::prune::CacheError;
use crate::interview::InterviewError;
use crate::judge::JudgeError;
use crate::problem::bank::BankError;
use crate::problem::spec::SpecError;
use crate::service::ServiceError;
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
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// The languages table, or a language asked for that it does not have.
    #[error(transparent)]
    Language(#[from] crate::languages::LanguageError),
    /// `judge serve` and its users.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// `judge similarity`'s files.
    #[error(transparent)]
    Similarity(#[from] SimilarityError),
}

/// The command line's own mistakes, found before any phase runs.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// The solution file to judge or stress-test is not there.
    #[error("no solution file at {}", .0.display())]
    NoSolution(PathBuf),
    /// Every problem was asked for, and the bank's `problems/` holds none.
    #[error("no problems under {}", .0.display())]
    NoProblems(PathBuf),
    /// `judge serve --workers 0` on its own database: nothing would ever judge.
    #[error("--workers 0 leaves the judging to other hosts, which needs a shared store: give --db postgres://...")]
    NoWorkers,
    /// `judge serve` has no data dir: no `--data`, and neither XDG_DATA_HOME nor HOME.
    #[error(
        "no data dir for the service: give --data DIR (neither XDG_DATA_HOME nor HOME is set)"
    )]
    NoDataDir,
    /// A command of function problems (`cases`, `stress`, `run --input`, `verify
    /// --calibrate`) given a Kattis package.
    #[error("{} is a Kattis package: `{command}` works on function problems (problem.toml) only; `judge verify` derives a package's time limit from its accepted submissions", dir.display())]
    NotForPackages { command: &'static str, dir: PathBuf },
    /// A solution the problem refuses, in words naming the file and the reason (a
    /// package's `languages`).
    #[error("{0}")]
    Refused(String),
    /// A solution in a language that this kind of problem does not take here.
    #[error("{} is {language}: {kind} problems are judged in {takes} only; name the language with --lang when the extension misleads", path.display())]
    LanguageNotJudged {
        path: PathBuf,
        language: String,
        kind: &'static str,
        takes: &'static str,
    },
    /// `judge complexity` on a Kattis package.
    #[error("{} is a Kattis package: measuring complexity needs inputs of a size the judge chooses, and a package's test data is fixed files with no generator that takes a size; it is available for function problems with a generator.rs", dir.display())]
    NoComplexity { dir: PathBuf },
    /// `judge similarity --base` names a file that cannot be read.
    #[error("cannot read the base file {}", .0.display())]
    NoBaseFile(PathBuf),
    /// Stdout refused the command's text (other than a reader that went away).
    #[error("{0}")]
    Output(io::Error),
    /// A judge service asked over HTTP refused or could not be reached.
    #[error("the judge service at {url} said no: {why}")]
    Service { url: String, why: String },
    /// A password was to come on stdin, and stdin could not be read.
    #[error("cannot read the password from stdin: {0}")]
    Stdin(io::Error),
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
    use std::path::Path;

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
        let e = Error::from(UsageError::NoSolution(PathBuf::from("a.rs")));
        assert_eq!(e.to_string(), "no solution file at a.rs");
    }

    #[test]
    fn every_error_exits_with_2() {
        let errors = [
            Error::from(JudgeError::Cancelled),
            Error::from(spec_error()),
            Error::from(AuthoringError::NoGenerator(PathBuf::from("p"))),
            Error::from(InterviewError::BadLength(0.0)),
            Error::from(UsageError::NoProblems(PathBuf::from("problems"))),
        ];
        for e in errors {
            assert_eq!(e.exit_code(), 2, "{e}");
        }
    }
}
