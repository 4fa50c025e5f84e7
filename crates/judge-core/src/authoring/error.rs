//! Why an authoring command could not finish: a mistake in what the author asked for, a
//! file that cannot be written, or a lower phase's failure (a problem folder that does not
//! load, a judging that could not finish). A problem that verify finds unsound is not an
//! error: its failures are data in the `Verification`.

use std::io;
use std::path::PathBuf;

use crate::judge::{JudgeError, GENERATOR_FILE};
use crate::problem::spec::SpecError;

#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    /// `judge new` with an id that is not lowercase words joined by single hyphens.
    #[error("`{id}` is not a problem id: use lowercase words and digits joined by single hyphens, starting with a letter (like `column-median`)")]
    BadId { id: String },
    /// `judge new --kattis` with a name the package format does not allow.
    #[error("`{id}` is not a package name: the Kattis format wants lowercase letters and digits only (like `sumlist`)")]
    BadPackageId { id: String },
    /// `judge new` with an id whose function name is a Rust keyword.
    #[error("`{id}` would name the function `{function}`, a Rust keyword: choose another id")]
    KeywordId { id: String, function: String },
    /// `judge new` never overwrites: a file of the new problem is already there.
    #[error("{} already exists; `judge new` never overwrites a problem", .0.display())]
    Exists(PathBuf),
    #[error("cannot create {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// `judge stress` on a problem (its folder here) that has no generator to draw from.
    #[error("{} has no {GENERATOR_FILE}: stress testing draws its cases from `fn generate(seed: u64, size: usize) -> ...` (see AUTHORING.md)", .0.display())]
    NoGenerator(PathBuf),
    /// The problem folder does not load (boxed: a `SpecError` is large).
    #[error(transparent)]
    Spec(Box<SpecError>),
    #[error(transparent)]
    Judge(#[from] JudgeError),
}

impl From<SpecError> for AuthoringError {
    fn from(e: SpecError) -> AuthoringError {
        AuthoringError::Spec(Box::new(e))
    }
}
