//! `judge similarity`: which submissions look copied from each other. Each is tokenised for
//! its language (`lexer.rs`: identifiers, numbers and literals normalised, comments and
//! layout dropped), fingerprinted by winnowing (`winnow.rs`, the method behind MOSS), and
//! every pair scored by the fingerprints they share, so renamed variables, reformatting,
//! reordered functions and rewritten comments change little. Fingerprints of the problem's
//! stub (or any base file) and those in most submissions are code everyone was given or
//! everyone writes: they do not count. The best pairs' shared stretches are found again as
//! line ranges (`regions.rs`) and shown side by side (`render.rs`).
//!
//! The report is its own versioned schema (`SIMILARITY_SCHEMA`, docs/similarity.md): owned
//! data, for any front end.
//!
//! Invariant: no IO but `files.rs` reading what it is pointed at; nothing is run.

mod compare;
pub mod files;
pub mod lexer;
mod regions;
pub mod render;
mod scan;
mod schema;
mod syntax;
mod winnow;

pub use compare::{compare, Options, Submission, DEFAULT_K, DEFAULT_WINDOW};
pub use files::{collect, SimilarityError};
pub use schema::{Ignored, Pair, Region, Report, Skipped, Summary, SIMILARITY_SCHEMA};
