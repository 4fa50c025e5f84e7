//! judge-core: everything the command-line judge needs over the sandbox. Problems as data,
//! the build cache, the languages table, builds, reports, similarity, the engine, authoring
//! and offline interviews.
//!
//! # Layers
//! Each folder owns one concern and imports only the folders listed before it
//! (`tests/integration/layers.rs` checks this; `judge_sandbox` is below them all):
//! `problem` (types, values, loading a folder, the bank, statements), `cache`
//! (content-addressed files and pruning), `languages` (the languages table: extensions,
//! commands, toolchain paths, limits), `build` (harness crate roots, the toolchain), `report`
//! (the report schema and its renderings), `similarity` (submissions compared for copying),
//! `judge` (the engine), `authoring`, `interview`, and `error` (every phase's error gathered
//! for the front ends). ARCHITECTURE.md has the map and the invariants.

pub mod authoring;
pub mod build;
pub mod cache;
pub mod error;
pub mod interview;
pub mod judge;
pub mod languages;
pub mod problem;
pub mod report;
pub mod similarity;

pub use error::Error;

/// The runtime's own tests, compiled into the engine's (the cache builds it without them).
#[cfg(test)]
#[path = "runtime/judge_rt.rs"]
#[allow(dead_code)]
mod judge_rt;
