//! Turning sources into programs: the crate root (harness) that wraps a solution, generator
//! or checker, and the toolchain that compiles it in a box, with its results kept in the cache.

pub mod harness;
pub mod toolchain;
