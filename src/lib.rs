//! judge: grades Rust solutions to function-signature problems.
//!
//! # Layout
//! A problem folder is loaded and validated by `spec` (types in `types`, case values in
//! `value`); `harness` generates the crate root that wraps a solution; `toolchain` compiles it
//! with rustc against the prebuilt runtime (`runtime/judge_rt.rs`) through `cache`; `runner`
//! runs the cases in parallel, each through `sandbox`; `checker` compares answers; `engine`
//! ties these together into a `report::Report`; `verify`, `doctor` and `bank` serve the CLI
//! in `cli`. ARCHITECTURE.md has the map and the invariants.

pub mod bank;
pub mod cache;
pub mod calibrate;
pub mod checker;
mod cli;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod harness;
pub mod interview;
pub mod progress;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod scaffold;
pub mod shrink;
pub mod spec;
pub mod statement;
pub mod stress;
pub mod toolchain;
pub mod types;
pub mod value;
pub mod verify;

/// Runs the command line with `argv` (program name first); returns the exit code.
pub fn run(argv: Vec<std::ffi::OsString>) -> i32 {
    cli::run(argv)
}
