//! Mock interviews: a timed session over a few problems of the bank, in a workspace folder.
//!
//! `start` makes the workspace (`workspace.rs`) and the session's journal (`journal.rs`);
//! every later command rebuilds the session from the journal (`session.rs`), so the
//! journal is the only state, and a judge killed at any moment loses at most the command
//! it was running. `report` renders it (`render.rs`).
//!
//! Each command is a function for any front end: it takes a `Context` (the bank, the cache,
//! and the caller's own way of making an engine, so the caller's settings shape every
//! judging) and a writer for its text. Nothing here prints to stdout or parses arguments,
//! and exit codes are the caller's to decide: a closed pipe, a terminal or a log is the
//! front end's business.

mod begin;
mod commands;
mod context;
mod error;
mod final_report;
mod journal;
mod layout;
mod render;
mod session;
mod workspace;

pub use begin::{choose, start, Choice, Plan, Withholding};
pub use commands::{end, run, status, submit};
pub use context::{Context, Show};
pub use error::InterviewError;
pub use final_report::report;
pub use render::Measured;

pub use crate::judge::complexity::Options as ComplexityOptions;
