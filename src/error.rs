//! The judge's own failures for the command line: the engine's (`judge_core::Error`, every
//! phase's error gathered, each folded into the lowest phase it comes from), the command
//! line's own usage mistakes, and the service's; one exit code. Verdicts (WA, TLE, CE, ...)
//! are data in a report, never errors.

use std::io;
use std::path::PathBuf;

use judge_core::authoring::AuthoringError;
use judge_core::build::toolchain::ToolchainError;
use judge_core::cache::prune::CacheError;
use judge_core::interview::InterviewError;
use judge_core::judge::package::Unjudged;
use judge_core::judge::JudgeError;
use judge_core::languages::LanguageError;
use judge_core::problem::bank::BankError;
use judge_core::problem::spec::SpecError;
use judge_core::similarity::SimilarityError;
#[cfg(feature = "service")]
use judge_service::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A phase of the engine failed (a problem, the toolchain, a judging, ...).
    #[error(transparent)]
    Engine(#[from] judge_core::Error),
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// `judge serve` and its users.
    #[cfg(feature = "service")]
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// Each phase's error reaches the command line through `judge_core::Error`, which folds a
/// phase's error that only wraps a lower one into the lower one's variant.
macro_rules! through_the_engine {
    ($($phase:ty),*) => {$(
        impl From<$phase> for Error {
            fn from(e: $phase) -> Error {
                Error::Engine(judge_core::Error::from(e))
            }
        }
    )*};
}

through_the_engine!(
    SpecError,
    ToolchainError,
    CacheError,
    JudgeError,
    BankError,
    AuthoringError,
    InterviewError,
    LanguageError,
    SimilarityError
);

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
    /// A solution a package refuses (its `languages`, a Python 2 file), or one whose files
    /// cannot be judged here; the error names the file and the reason.
    #[error("{0}")]
    Refused(Box<Unjudged>),
    /// `judge show --stub` on a package that allows none of the judge's languages.
    #[error("{}/problem.yaml allows no language of the judge's (its `languages`)", .0.display())]
    NoLanguageAllowed(PathBuf),
    /// `judge show --stub` in a language whose entry has no stub for whole programs.
    #[error("{language} has no `stub` in the languages table ({defined_in}): a solution is a whole program that reads stdin and writes stdout")]
    NoStub {
        language: String,
        defined_in: String,
    },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phase_reads_as_the_engine_says_it() {
        let e = Error::from(JudgeError::Cancelled);
        assert!(matches!(
            e,
            Error::Engine(judge_core::Error::Judge(JudgeError::Cancelled))
        ));
        assert_eq!(e.to_string(), "judge error: the judging was cancelled");
        let folded = Error::from(AuthoringError::from(JudgeError::Cancelled));
        assert!(matches!(
            folded,
            Error::Engine(judge_core::Error::Judge(JudgeError::Cancelled))
        ));
    }

    #[test]
    fn usage_errors_name_the_place_and_exit_with_2() {
        let e = Error::from(UsageError::NoSolution(PathBuf::from("a.rs")));
        assert_eq!(e.to_string(), "no solution file at a.rs");
        assert_eq!(e.exit_code(), 2);
        let e = Error::from(UsageError::NoProblems(PathBuf::from("problems")));
        assert_eq!(e.exit_code(), 2);
    }
}
