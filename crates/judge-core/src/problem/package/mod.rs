//! Kattis problem packages (the legacy format and the 2023-07 draft that problemtools
//! reads): `problem.yaml`, the statement, `data/sample` and `data/secret` with nested test
//! groups, output and input validators, and known submissions. A solution to such a
//! problem is a whole program reading stdin and writing stdout.
//!
//! Invariant: a `Package` that loaded is valid (every case has its answer file, every key
//! is known and of the right kind); every mistake is a `SpecError` naming the file and the
//! key. Like `spec`, this reads files and runs nothing.

pub mod constants;
pub mod document;
pub mod expectations;
mod flags;
mod latex;
mod limits;
mod load;
mod metadata;
mod model;
mod program;
pub mod testdata;
pub mod version;
mod yaml;

pub use constants::Constants;
pub use flags::{DefaultFlags, FlagError};
pub use latex::Statement;
pub use limits::{PackageLimits, TimeLimitFrom};
pub use load::load;
pub use model::{is_package, Package, PROBLEM_YAML};
pub use program::{Expected, KnownSubmission, Language, Program, RustSources};
pub use testdata::{
    Aggregation, CaseSettings, Grading, Item, Model, ScoreMode, TestCase, TestGroup,
    ValidationCase, ValidationKind, ValidatorArgs, VerdictMode,
};
pub use version::FormatVersion;

use std::path::Path;

use crate::problem::spec::SpecError;

/// Reads a text file of the package.
pub(crate) fn read_text(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|e| SpecError {
        file: path.to_path_buf(),
        line: None,
        key: None,
        message: format!("cannot read: {e}"),
        snippet: None,
        help: None,
    })
}

#[cfg(test)]
mod tests;
