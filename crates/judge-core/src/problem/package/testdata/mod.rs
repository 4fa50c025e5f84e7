//! A package's test data: `data/sample` and `data/secret`, their test groups, each case's
//! own `.yaml` (2023-07 and later), and each group's settings from `testdata.yaml` or
//! `test_group.yaml`, inherited key by key from the closest ancestor that sets the key.
//! Which keys a group may have depends on the package's result model: the legacy graders
//! (`on_reject`, `grader_flags`, ...) or 2025-09's aggregation (`max_score`,
//! `score_aggregation`, `require_pass`).

mod grading;
mod keys;
mod load;
mod settings;
mod tree;
mod validation;

pub use grading::{Aggregation, Grading, Model, ScoreMode, ValidatorArgs, VerdictMode};
pub(super) use load::{load_group, root_grading, Place};
pub(super) use settings::model;
pub use tree::{CaseSettings, Item, TestCase, TestGroup};
pub(super) use validation::validation_cases;
pub use validation::{ValidationCase, ValidationKind};

use super::constants::Constants;
use super::version::FormatVersion;

/// What reading a package's test data needs to know.
pub(super) struct Reading<'a> {
    pub version: FormatVersion,
    pub scoring: bool,
    pub model: Model,
    /// Put into `test_group.yaml` before it is read (2023-07 and later).
    pub constants: &'a Constants,
    pub warnings: Vec<String>,
}
