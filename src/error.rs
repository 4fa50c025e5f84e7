//! The judge's own failures, folded into one type with one exit code each. Verdicts (WA, TLE,
//! CE, ...) are data in a report, never errors.

use crate::build::toolchain::ToolchainError;
use crate::cache::prune::CacheError;
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
    #[error(transparent)]
    Bank(#[from] BankError),
    /// Bad arguments or a missing file on the command line.
    #[error("{0}")]
    Input(String),
    /// The judge failed (JE): never the candidate's fault.
    #[error("judge error: {0}")]
    Judge(String),
}

impl Error {
    /// DESIGN.md: 2 means the judge could not judge.
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
