//! The judge's own failures, one type per phase gathered here for the front ends, each with
//! one exit code. Verdicts (WA, TLE, CE, ...) are data in a report, never errors.

use crate::build::toolchain::ToolchainError;
use crate::cache::prune::CacheError;
use crate::judge::JudgeError;
use crate::problem::bank::BankError;
use crate::problem::spec::SpecError;

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
    /// Bad arguments or a missing file on the command line.
    #[error("{0}")]
    Input(String),
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
            other => Error::Judge(other),
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
