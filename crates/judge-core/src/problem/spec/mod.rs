//! Loading a problem folder: `problem.toml` (statement, signature, records, limits, checker,
//! samples) and `tests.toml` (hidden groups), every case validated against the signature.
//!
//! Invariant: a `Problem` that loaded is fully valid; nothing downstream re-checks case
//! shapes. Every authoring mistake is a `SpecError` naming file, line and key. This module
//! reads files and does nothing else (no compiling, no running).

mod cases;
mod error;
mod feedback;
mod files;
mod input;
mod load;
mod model;
#[cfg(test)]
mod proptests;

pub use error::SpecError;
pub use feedback::{HiddenDetails, BANK_FILE};
pub use input::{input_from_json, load_input, InputError};
pub use load::{load, CHECKER_FILE};
pub use model::{
    record_declarations, Case, Checker, CheckerKind, Difficulty, Generate, Group, Limits, Origin,
    Problem, Record,
};
