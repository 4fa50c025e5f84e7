//! Turning sources into programs: the crate root (harness) that wraps a solution, generator
//! or checker, and the toolchain that compiles it in a box, with its results kept in the cache;
//! and programs in the other languages of the languages table, compiled by their own commands.

pub mod harness;
pub mod program;
pub mod toolchain;
