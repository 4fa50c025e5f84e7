//! The judging report: verdicts, scores, per-case time and memory, diffs. `Report` is the
//! engine's record of a judging (what the report cache stores and the interview journal
//! embeds; `record.rs`); `json::JsonReport` is the stable `--json` schema built from it
//! (docs/report-schema.md), and `document::Document` the same schema owned and read back
//! from stored text; `render.rs` is the text rendering for terminals and `diff.rs`
//! the bounded diffs it shows.
//!
//! Invariant: no IO beyond formatting; the engine fills a `Report`, the CLI prints it.

pub mod complexity;
mod diff;
pub mod document;
pub mod json;
pub mod markdown;
mod record;
mod render;
#[cfg(test)]
pub(crate) mod tests;
pub mod text;

pub use diff::{diff, diff_values, diff_values_limited, DIFF_RENDER_BYTES};
pub use record::{
    CaseReport, CompileReport, Fault, GroupReport, InputReport, Mode, Report, RunResult, Verdict,
    SCHEMA_VERSION,
};
